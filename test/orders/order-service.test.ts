import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OrderOutcomeUnknownError } from "../../src/xts/client/errors.js";
import type { OrderRequest, PriceType, Product } from "../../src/orders/openalgo-types.js";
import type { GeneratedInstrument } from "../../src/sandbox/master/master-generator.js";
import { RequestIds } from "../../src/orders/order-tag.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { SMART_ORDER_TABLE } from "../support/smart-order-table.js";
import { SymbolIndex } from "../../src/resolver/symbol-index.js";

const requestIds = new RequestIds();
const newRequestId = (): string => requestIds.next();

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ sandbox: { instruments: 4000 } });
  const report = await gw.master.refresh();
  expect(report.status, report.message).toBe("success");
}, 60_000);
afterAll(async () => gw.close());
beforeEach(() => {
  gw.sandbox.control.clearFaults();
  gw.sandbox.control.reset();
  gw.sandbox.control.clearRequests();
});

function pick(exchange: string, kind: GeneratedInstrument["kind"]): GeneratedInstrument {
  const found = gw.sandbox.master.instruments.find((i) => i.exchange === exchange && i.kind === kind && i.priceBandLow !== null && i.referencePrice > 1);
  if (found === undefined) throw new Error(`no ${kind} on ${exchange} in the sandbox master`);
  return found;
}

const onTick = (price: number, tick: number): number => Number((Math.round(price / tick) * tick).toFixed(6));

function order(i: GeneratedInstrument, o: Partial<OrderRequest>): OrderRequest {
  return { symbol: i.symbol!, exchange: i.exchange!, action: "BUY", quantity: i.lotSize, pricetype: "MARKET", product: "MIS", price: 0, trigger_price: 0, disclosed_quantity: 0, ...o };
}

/** Prices inside the band, on the tick: a limit below the market rests; a stop above it waits. */
function pricesFor(i: GeneratedInstrument, pricetype: PriceType): Partial<OrderRequest> {
  const below = onTick(Math.max(i.referencePrice * 0.98, i.priceBandLow! + i.tickSize), i.tickSize);
  const above = onTick(Math.min(i.referencePrice * 1.01, i.priceBandHigh! - i.tickSize), i.tickSize);
  switch (pricetype) {
    case "MARKET":
      return {};
    case "LIMIT":
      return { price: below };
    case "SL":
      return { price: above, trigger_price: above };
    case "SL-M":
      return { trigger_price: above };
  }
}

const XTS_TYPE: Record<PriceType, string> = { MARKET: "MARKET", LIMIT: "LIMIT", SL: "STOPLIMIT", "SL-M": "STOPMARKET" };

describe("every price type and product on NSE, NFO, BFO, CDS and MCX", () => {
  const cases: [string, GeneratedInstrument["kind"]][] = [
    ["NSE", "cash"],
    ["NFO", "option"],
    ["NFO", "future"],
    ["BFO", "option"],
    ["CDS", "future"],
    ["MCX", "future"],
  ];
  for (const [exchange, kind] of cases) {
    it(`${exchange} ${kind}`, async () => {
      const instrument = pick(exchange, kind);
      for (const pricetype of ["MARKET", "LIMIT", "SL", "SL-M"] as const) {
        for (const product of (exchange === "NSE" ? ["MIS", "NRML", "CNC"] : ["MIS", "NRML"]) satisfies readonly Product[]) {
          const placed = await gw.orders.placeOrder(order(instrument, { pricetype, product, ...pricesFor(instrument, pricetype) }), newRequestId());
          expect(placed.orderid).toMatch(/^\d+$/);
          const sent = gw.sandbox.control.requests().filter((r) => r.method === "POST" && r.path === "/orders").at(-1)!.body as Record<string, unknown>;
          expect(sent).toMatchObject({ exchangeInstrumentID: instrument.token, orderType: XTS_TYPE[pricetype], productType: product, orderQuantity: instrument.lotSize });
          expect(typeof sent["exchangeInstrumentID"]).toBe("number");
        }
      }
      const products = exchange === "NSE" ? 3 : 2;
      expect(gw.sandbox.control.orders()).toHaveLength(4 * products);
      const book = await gw.orders.orderBook();
      expect(book.orders).toHaveLength(4 * products);
      for (const row of book.orders) expect(row).toMatchObject({ symbol: instrument.symbol, exchange });
      expect(book.orders.filter((r) => r.pricetype === "SL")).toHaveLength(products);
      expect(book.orders.filter((r) => r.pricetype === "SL-M")).toHaveLength(products);
      expect(book.orders.filter((r) => r.order_status === "complete")).toHaveLength(products);
      if (exchange !== "NSE") {
        await expect(gw.orders.placeOrder(order(instrument, { product: "CNC" }), newRequestId())).rejects.toMatchObject({ code: "VALIDATION_ERROR", field: "product" });
      }
    });
  }
});

describe("modify and cancel", () => {
  it("modifies a resting limit order, then cancels it (V7, V8)", async () => {
    const i = pick("NFO", "option");
    const limit = pricesFor(i, "LIMIT").price!;
    const { orderid } = await gw.orders.placeOrder(order(i, { pricetype: "LIMIT", price: limit }), newRequestId());
    const lower = onTick(limit - 2 * i.tickSize, i.tickSize);
    await gw.orders.modifyOrder({ ...order(i, { pricetype: "LIMIT", price: lower, quantity: 2 * i.lotSize }), orderid }, newRequestId());
    let row = await gw.orders.orderStatus(orderid);
    expect(row).toMatchObject({ orderid, price: lower, quantity: 2 * i.lotSize, order_status: "open" });
    const put = gw.sandbox.control.requests().find((r) => r.method === "PUT" && r.path === "/orders")!.body as Record<string, unknown>;
    expect(put).toMatchObject({ appOrderID: Number(orderid), modifiedOrderType: "LIMIT", modifiedLimitPrice: lower, modifiedTimeInForce: "DAY" });
    expect(await gw.orders.cancelOrder(orderid, newRequestId())).toEqual({ orderid });
    row = await gw.orders.orderStatus(orderid);
    expect(row.order_status).toBe("cancelled");
    const del = gw.sandbox.control.requests().find((r) => r.method === "DELETE" && r.path === "/orders")!;
    expect(del.query["appOrderID"]).toBe(orderid);
  });

  it("carries XTS's own code and description when it refuses (V6)", async () => {
    const i = pick("NSE", "cash");
    const error = await gw.orders.placeOrder(order(i, { pricetype: "LIMIT", price: onTick(i.priceBandHigh! * 2, i.tickSize) }), newRequestId()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "XTS_REJECTED", xtsCode: expect.stringMatching(/^e-/), description: expect.stringMatching(/band/i) });
  });

  it("an unknown symbol never reaches XTS", async () => {
    await expect(gw.orders.placeOrder(order(pick("NSE", "cash"), { symbol: "NOSUCHTHING" }), newRequestId())).rejects.toMatchObject({ code: "SYMBOL_NOT_FOUND" });
    expect(gw.sandbox.control.requests().filter((r) => r.path === "/orders")).toHaveLength(0);
  });

  it("orderstatus of an unknown id is ORDER_NOT_FOUND", async () => {
    await expect(gw.orders.orderStatus("99999999")).rejects.toMatchObject({ code: "ORDER_NOT_FOUND" });
  });
});

describe("V10 smart orders against real positions", () => {
  for (const [action, qty, target, current, expected] of SMART_ORDER_TABLE) {
    it(`${action} ${qty}, position_size ${target}, current ${current} → ${expected}`, async () => {
      const i = gw.sandbox.master.instruments.find((x) => x.exchange === "NSE" && x.kind === "cash" && x.lotSize === 1)!;
      if (current !== 0) {
        await gw.orders.placeOrder(order(i, { action: current > 0 ? "BUY" : "SELL", quantity: Math.abs(current) }), newRequestId());
      }
      expect(await gw.orders.openPosition(i.symbol!, "NSE", "MIS")).toBe(current);
      gw.sandbox.control.clearRequests();
      const result = await gw.orders.placeSmartOrder(order(i, { action, quantity: qty }), target, newRequestId());
      const posts = gw.sandbox.control.requests().filter((r) => r.method === "POST" && r.path === "/orders");
      if (expected === "none") {
        expect(result).toHaveProperty("message");
        expect(posts).toHaveLength(0);
      } else {
        const [side, n] = expected.split(" ");
        expect(posts.map((p) => p.body)).toEqual([expect.objectContaining({ orderSide: side, orderQuantity: Number(n) })]);
        expect(await gw.orders.openPosition(i.symbol!, "NSE", "MIS")).toBe(target === 0 && current === 0 ? (side === "BUY" ? qty : -qty) : target);
      }
    });
  }

  it("a duplicate smart order before the first one's fill shows in the position does not act again", async () => {
    const i = gw.sandbox.master.instruments.find((x) => x.exchange === "NSE" && x.kind === "cash" && x.lotSize === 1 && x.priceBandLow !== null)!;
    const resting = { action: "BUY" as const, quantity: 10, pricetype: "LIMIT" as const, price: pricesFor(i, "LIMIT").price! };
    const first = await gw.orders.placeSmartOrder(order(i, resting), 10, newRequestId());
    expect(first).toHaveProperty("placed");
    // The limit order rests, so the position is still 0: the alert's duplicate must not buy again.
    expect(await gw.orders.openPosition(i.symbol!, "NSE", "MIS")).toBe(0);
    expect(await gw.orders.placeSmartOrder(order(i, resting), 10, newRequestId())).toEqual({ message: "Positions Already Matched. No Action needed." });
    expect(gw.sandbox.control.orders()).toHaveLength(1);
    // Once that order is cancelled, a new alert acts on the real position again.
    await gw.orders.cancelOrder((first as { placed: { orderid: string } }).placed.orderid, newRequestId());
    expect(await gw.orders.placeSmartOrder(order(i, resting), 10, newRequestId())).toHaveProperty("placed");
    expect(gw.sandbox.control.orders()).toHaveLength(2);
  });

  it("two smart orders for one position at once act once", async () => {
    const i = gw.sandbox.master.instruments.find((x) => x.exchange === "NSE" && x.kind === "cash" && x.lotSize === 1)!;
    const [a, b] = await Promise.all([
      gw.orders.placeSmartOrder(order(i, { action: "BUY", quantity: 10 }), 10, newRequestId()),
      gw.orders.placeSmartOrder(order(i, { action: "BUY", quantity: 10 }), 10, newRequestId()),
    ]);
    expect([a, b].filter((r) => "placed" in r)).toHaveLength(1);
    expect(await gw.orders.openPosition(i.symbol!, "NSE", "MIS")).toBe(10);
  });
});

describe("batches report each item and go on past failures", () => {
  it("V9 close-all: one injected failure, the others still close, the report says which", async () => {
    const instruments = [pick("NSE", "cash"), pick("NFO", "future"), pick("MCX", "future")];
    for (const [n, i] of instruments.entries()) await gw.orders.placeOrder(order(i, { action: n === 1 ? "SELL" : "BUY" }), newRequestId());
    gw.sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "status", status: 500 } });
    const report = await gw.orders.closeAllPositions(newRequestId());
    expect(report).toHaveLength(3);
    expect(report.filter((r) => r.status === "error")).toHaveLength(1);
    expect(report.filter((r) => r.status === "success")).toHaveLength(2);
    const left = (await gw.orders.positionBook()).filter((p) => p.quantity !== 0);
    expect(left).toHaveLength(1);
    expect(left[0]!.symbol).toBe(report.find((r) => r.status === "error")!.symbol);
    // The closing order is the opposite side at market, for the whole quantity.
    const closing = gw.sandbox.control.requests().filter((r) => r.method === "POST" && r.path === "/orders").slice(-3);
    for (const c of closing) expect(c.body).toMatchObject({ orderType: "MARKET" });
  });

  it("a position above the exchange freeze quantity is closed in slices below it", async () => {
    const fut = gw.resolver.current.allRows().find((r) => r.exchange === "NFO" && r.instrumenttype === "FUT" && r.freeze_qty > r.lotsize * 2)!;
    const largest = Math.floor((fut.freeze_qty - 1) / fut.lotsize) * fut.lotsize;
    const base = { symbol: fut.symbol, exchange: "NFO", action: "BUY" as const, pricetype: "MARKET" as const, product: "NRML" as const, price: 0, trigger_price: 0, disclosed_quantity: 0 };
    await expect(gw.orders.placeOrder({ ...base, quantity: largest + fut.lotsize }, newRequestId())).rejects.toMatchObject({ code: "VALIDATION_ERROR", field: "quantity" });
    await gw.orders.placeOrder({ ...base, quantity: largest }, newRequestId());
    await gw.orders.placeOrder({ ...base, quantity: fut.lotsize }, newRequestId());
    gw.sandbox.control.clearRequests();
    const [report] = await gw.orders.closeAllPositions(newRequestId());
    expect(report).toMatchObject({ status: "success", quantity: largest + fut.lotsize, orderids: [expect.any(String), expect.any(String)] });
    const sent = gw.sandbox.control.requests().filter((r) => r.method === "POST" && r.path === "/orders").map((r) => (r.body as { orderQuantity: number }).orderQuantity);
    expect(sent).toEqual([largest, fut.lotsize]);
    expect(await gw.orders.positionBook()).toEqual([expect.objectContaining({ quantity: 0 })]);
  });

  it("a position whose instrument is missing from the contract is reported by close-all, not sent without its freeze limit", async () => {
    const i = pick("NSE", "cash");
    await gw.orders.placeOrder(order(i, {}), newRequestId());
    const full = gw.resolver.current;
    try {
      // The contract changed under the open position: its instrument is gone from it.
      gw.resolver.swap(SymbolIndex.build(full.allRows().filter((r) => !(r.exchange === "NSE" && r.token === i.token))), null, gw.resolver.version + 1);
      gw.sandbox.control.clearRequests();
      const [report] = await gw.orders.closeAllPositions(newRequestId());
      expect(report).toMatchObject({ status: "error", code: "SYMBOL_NOT_FOUND", exchange: "NSE", quantity: i.lotSize, message: expect.stringMatching(/not in the stored contract, so its freeze quantity is unknown/) });
      expect(gw.sandbox.control.requests().filter((r) => r.method === "POST" && r.path === "/orders")).toHaveLength(0);
    } finally {
      gw.resolver.swap(full, null, gw.resolver.version + 1);
    }
  });

  it("cancel-all cancels every open order and reports failures separately", async () => {
    const i = pick("NFO", "option");
    const price = pricesFor(i, "LIMIT").price!;
    const ids = [];
    for (let n = 0; n < 3; n += 1) ids.push((await gw.orders.placeOrder(order(i, { pricetype: "LIMIT", price }), newRequestId())).orderid);
    await gw.orders.placeOrder(order(i, {}), newRequestId());
    gw.sandbox.control.inject({ match: { method: "DELETE", path: "/orders" }, action: { type: "status", status: 500 } });
    const { canceled, failed } = await gw.orders.cancelAllOrders(newRequestId());
    expect(canceled).toHaveLength(2);
    expect(failed).toHaveLength(1);
    expect([...canceled, failed[0]!.orderid].sort()).toEqual([...ids].sort());
  });
});

describe("outcome honesty", () => {
  it("an order whose answer is lost after XTS accepted it is found in the book by its tag: exactly one order, never resent", async () => {
    gw.sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "drop-after-processing" } });
    const placed = await gw.orders.placeOrder(order(pick("NSE", "cash"), {}), newRequestId());
    expect(placed.reconciled).toBe(true);
    expect(gw.sandbox.control.orders()).toHaveLength(1);
    expect(String(gw.sandbox.control.orders()[0]!.AppOrderID)).toBe(placed.orderid);
    expect(gw.sandbox.control.requests().filter((r) => r.method === "POST" && r.path === "/orders")).toHaveLength(1);
  });

  it("an order that never arrived is ORDER_OUTCOME_UNKNOWN with its tag, and nothing is resent", async () => {
    gw.sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "drop" } });
    const error = await gw.orders.placeOrder(order(pick("NSE", "cash"), {}), newRequestId()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
    expect((error as OrderOutcomeUnknownError).orderUniqueIdentifier).toMatch(/^X[0-9a-z]{1,19}$/);
    expect(gw.sandbox.control.orders()).toHaveLength(0);
    expect(gw.sandbox.control.requests().filter((r) => r.method === "POST" && r.path === "/orders")).toHaveLength(1);
  });

  it("eight lost answers at once share their order-book reads: each order is settled on its own, the book is not read eight times a round", async () => {
    const cash = gw.sandbox.master.instruments.filter((x) => x.exchange === "NSE" && x.kind === "cash" && x.priceBandLow !== null && x.referencePrice > 1).slice(0, 8);
    // Four arrive and their answers are lost; four never arrive.
    gw.sandbox.control.inject({ match: { method: "POST", path: "/orders" }, times: 4, action: { type: "drop-after-processing" } });
    gw.sandbox.control.inject({ match: { method: "POST", path: "/orders" }, times: 4, action: { type: "drop" } });
    const outcomes = await Promise.all(cash.map((i) => gw.orders.placeOrder(order(i, {}), newRequestId()).catch((e: unknown) => e)));
    const placed = outcomes.filter((o): o is { orderid: string; reconciled: boolean } => !(o instanceof Error));
    expect(placed).toHaveLength(4);
    expect(placed.every((p) => p.reconciled)).toBe(true);
    // Each reconciled order is its own: four distinct ids, exactly the four the sandbox holds.
    expect(new Set(placed.map((p) => p.orderid)).size).toBe(4);
    expect(gw.sandbox.control.orders().map((o) => String(o.AppOrderID)).sort()).toEqual(placed.map((p) => p.orderid).sort());
    expect(outcomes.filter((o) => o instanceof OrderOutcomeUnknownError)).toHaveLength(4);
    expect(gw.sandbox.control.requests().filter((r) => r.method === "POST" && r.path === "/orders")).toHaveLength(8);
    // Three attempts for the four never found: one read a round shared by all, where each order
    // reading for itself makes 16 (4 found at once + 4 × 3). Orders that time out apart split a
    // round into two or three reads on a busy machine (7 seen under the whole suite), never into eight.
    const reads = gw.sandbox.control.requests().filter((r) => r.method === "GET" && r.path === "/orders").length;
    expect(reads).toBeGreaterThanOrEqual(3);
    expect(reads).toBeLessThanOrEqual(9);
  });

  it("a lost answer whose tag the book shows on another order (other instrument, side or quantity) stays ORDER_OUTCOME_UNKNOWN, never that order's id", async () => {
    const cash = gw.sandbox.master.instruments.filter((x) => x.exchange === "NSE" && x.kind === "cash" && x.priceBandLow !== null && x.referencePrice > 1);
    const [a, b] = [cash[0]!, cash[1]!];
    const reused = newRequestId();
    const first = await gw.orders.placeOrder(order(a, {}), reused);
    gw.sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "drop-after-processing" } });
    const error = await gw.orders.placeOrder(order(b, { action: "SELL", quantity: 3 * b.lotSize }), reused).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
    expect((error as OrderOutcomeUnknownError).message).toMatch(/instrument is \d+, not \d+, side is BUY, not SELL, quantity is \d+, not \d+/);
    expect((error as OrderOutcomeUnknownError).message).not.toContain(`appOrderID ${first.orderid}`);
    expect(JSON.stringify((error as OrderOutcomeUnknownError).details)).not.toContain(`"appOrderID":${first.orderid}`);
  });

  it("every order carries its own tag", async () => {
    const i = pick("NSE", "cash");
    for (let n = 0; n < 5; n += 1) await gw.orders.placeOrder(order(i, {}), newRequestId());
    const tags = gw.sandbox.control.orders().map((o) => o.OrderUniqueIdentifier);
    expect(new Set(tags).size).toBe(5);
  });
});

describe("books in OpenAlgo shape", () => {
  it("trade book, positions and funds follow fills (V12–V14)", async () => {
    const i = pick("NSE", "cash");
    await gw.orders.placeOrder(order(i, { quantity: 2 * i.lotSize }), newRequestId());
    const trades = await gw.orders.tradeBook();
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ symbol: i.symbol, exchange: "NSE", action: "BUY", quantity: 2 * i.lotSize });
    expect(trades[0]!.trade_value).toBeCloseTo(trades[0]!.average_price * 2 * i.lotSize, 1);
    const positions = await gw.orders.positionBook();
    expect(positions).toEqual([expect.objectContaining({ symbol: i.symbol, quantity: 2 * i.lotSize, product: "MIS" })]);
    const funds = await gw.orders.funds();
    for (const v of Object.values(funds)) expect(v).toMatch(/^-?\d+\.\d{2}$/);
  });

  it("empty books are empty lists, not errors", async () => {
    expect((await gw.orders.orderBook()).orders).toEqual([]);
    expect(await gw.orders.tradeBook()).toEqual([]);
    expect(await gw.orders.positionBook()).toEqual([]);
  });
});
