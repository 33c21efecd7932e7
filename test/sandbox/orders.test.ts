import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/create-sandbox.js";
import type { GeneratedInstrument, GeneratedMaster } from "../../src/sandbox/master/master-generator.js";
import { call, interactive, interactiveLogin, smallMaster, startSandbox } from "./sandbox-client.js";
import { xtsOrder } from "../support/xts-orders.js";

/** The RMSSubLimits of the consolidated ALL|ALL|ALL balance entry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const allLimits = (result: any) => result.BalanceList.find((e: { limitHeader: string }) => e.limitHeader === "ALL|ALL|ALL").limitObject.RMSSubLimits;

let master: GeneratedMaster;
let sandbox: Sandbox;
let token: string;
let stock: GeneratedInstrument;
let future: GeneratedInstrument;

const round = (price: number, tick: number) => Number((Math.round(price / tick) * tick).toFixed(6));

beforeAll(async () => {
  master = smallMaster();
  sandbox = await startSandbox(master);
  token = await interactiveLogin(sandbox);
  stock = master.instruments.find((i) => i.segment === "NSECM" && i.kind === "cash" && i.priceBandHigh !== null && i.tickSize === 0.05)!;
  future = master.instruments.find((i) => i.segment === "NSEFO" && i.kind === "future" && i.lotSize > 1 && i.priceBandHigh !== null)!;
  expect(stock).toBeDefined();
  expect(future).toBeDefined();
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(() => {
  sandbox.control.reset();
});

const ltp = (instrument: GeneratedInstrument) => sandbox.control.price(instrument.segment, instrument.token);
const ticks = (instrument: GeneratedInstrument, n: number) => round(ltp(instrument) + n * instrument.tickSize, instrument.tickSize);

function orderBody(instrument: GeneratedInstrument, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...xtsOrder(instrument, "test-1"), ...overrides };
}

const api = (method: string, path: string, options: { body?: unknown; query?: Record<string, string | number> } = {}) =>
  call(interactive(sandbox), method, path, { token, ...options });

async function place(body: Record<string, unknown>): Promise<number> {
  const response = await api("POST", "/orders", { body });
  expect(response.status, response.text).toBe(200);
  return response.json.result.AppOrderID as number;
}

async function order(appOrderID: number): Promise<Record<string, unknown>> {
  const book = await api("GET", "/orders");
  return book.json.result.find((record: { AppOrderID: number }) => record.AppOrderID === appOrderID);
}

describe("order validation", () => {
  const cases: [string, () => Record<string, unknown>, string, string][] = [
    ["unknown segment", () => orderBody(stock, { exchangeSegment: "NSEXX" }), "e-orders-0010", "exchangeSegment"],
    ["token not in the segment's master", () => orderBody(stock, { exchangeInstrumentID: 999_999_999 }), "e-orders-0011", "not in the NSECM master"],
    ["index token", () => orderBody(stock, { exchangeInstrumentID: master.instruments.find((i) => i.kind === "index" && i.segment === "NSECM")!.token }), "e-orders-0011", "exchangeInstrumentID"],
    ["quantity not a multiple of the lot", () => orderBody(future, { orderQuantity: future.lotSize + 1 }), "e-orders-0016", "multiple of the lot size"],
    ["zero quantity", () => orderBody(future, { orderQuantity: 0 }), "e-orders-0016", "orderQuantity"],
    ["negative quantity", () => orderBody(future, { orderQuantity: -future.lotSize }), "e-orders-0016", "orderQuantity"],
    ["price off the tick", () => orderBody(stock, { orderType: "LIMIT", limitPrice: ltp(stock) + 0.025 }), "e-orders-0020", "tick size"],
    ["price above the band", () => orderBody(stock, { orderType: "LIMIT", limitPrice: round(stock.priceBandHigh! + 10 * stock.tickSize, stock.tickSize) }), "e-orders-0021", "price band"],
    ["price below the band", () => orderBody(future, { orderType: "LIMIT", limitPrice: round(future.priceBandLow! - 10 * future.tickSize, future.tickSize) }), "e-orders-0021", "price band"],
    ["LIMIT without limitPrice", () => orderBody(stock, { orderType: "LIMIT", limitPrice: 0 }), "e-orders-0018", "limitPrice"],
    ["STOPLIMIT without limitPrice", () => orderBody(stock, { orderType: "STOPLIMIT", stopPrice: ticks(stock, 5) }), "e-orders-0018", "limitPrice"],
    ["STOPLIMIT without stopPrice", () => orderBody(stock, { orderType: "STOPLIMIT", limitPrice: ticks(stock, 5) }), "e-orders-0019", "stopPrice"],
    ["STOPMARKET without stopPrice", () => orderBody(stock, { orderType: "STOPMARKET" }), "e-orders-0019", "stopPrice"],
    ["BUY STOPLIMIT with limit below stop", () => orderBody(stock, { orderType: "STOPLIMIT", stopPrice: ticks(stock, 5), limitPrice: ticks(stock, 4) }), "e-orders-0022", "limitPrice"],
    ["unknown product", () => orderBody(stock, { productType: "XYZ" }), "e-orders-0012", "productType"],
    ["CNC outside the cash segments", () => orderBody(future, { productType: "CNC" }), "e-orders-0012", "CNC"],
    ["unknown order type", () => orderBody(stock, { orderType: "SL" }), "e-orders-0013", "orderType"],
    ["unknown side", () => orderBody(stock, { orderSide: "B" }), "e-orders-0014", "orderSide"],
    ["unknown time in force", () => orderBody(stock, { timeInForce: "GTC" }), "e-orders-0015", "timeInForce"],
  ];

  it.each(cases)("refuses %s with HTTP 400 and no order", async (_name, body, code, mention) => {
    const response = await api("POST", "/orders", { body: body() });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ type: "error", code });
    expect(response.json.description).toContain(mention);
    expect(sandbox.control.orders()).toHaveLength(0);
  });

  it("accepts numeric strings for the instrument, quantity and prices (upstream sends strings)", async () => {
    const id = await place(orderBody(future, { exchangeInstrumentID: String(future.token), orderQuantity: String(future.lotSize), orderType: "LIMIT", limitPrice: String(ticks(future, -5)) }));
    expect((await order(id)).OrderStatus).toBe("New");
  });
});

describe("fills, trades, positions and balance", () => {
  it("a MARKET order fills at once at the simulated price and moves the books", async () => {
    const before = allLimits((await api("GET", "/user/balance")).json.result);
    const price = ltp(future);
    const place1 = await api("POST", "/orders", { body: orderBody(future, { orderUniqueIdentifier: "mkt-1" }) });
    expect(place1.json).toMatchObject({ type: "success", code: "s-orders-0001", description: "Request sent" });
    expect(place1.json.result).toMatchObject({ OrderUniqueIdentifier: "mkt-1", ClientID: "SANDBOX01" });
    const record = await order(place1.json.result.AppOrderID);
    expect(record).toMatchObject({
      LoginID: "SANDBOX01",
      ClientID: "SANDBOX01",
      ExchangeSegment: "NSEFO",
      ExchangeInstrumentID: future.token,
      OrderSide: "Buy",
      OrderType: "Market",
      ProductType: "MIS",
      OrderStatus: "Filled",
      OrderQuantity: future.lotSize,
      CumulativeQuantity: future.lotSize,
      LeavesQuantity: 0,
      OrderUniqueIdentifier: "mkt-1",
    });
    expect(Number(record.OrderAverageTradedPrice)).toBe(price);
    expect(typeof record.OrderAverageTradedPrice).toBe("string");
    expect(record.OrderGeneratedDateTime).toMatch(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}$/);

    const trades = await api("GET", "/orders/trades");
    expect(trades.json.result).toHaveLength(1);
    expect(trades.json.result[0]).toMatchObject({ AppOrderID: record.AppOrderID, LastTradedPrice: price, LastTradedQuantity: future.lotSize, TradingSymbol: future.description });

    sandbox.control.setPrice("NSEFO", future.token, price + 10 * future.tickSize);
    const positions = await api("GET", "/portfolio/positions", { query: { dayOrNet: "NetWise" } });
    const position = positions.json.result.positionList[0];
    expect(position).toMatchObject({
      AccountID: "SANDBOX01",
      TradingSymbol: future.description,
      ExchangeSegment: "NSEFO",
      ExchangeInstrumentId: String(future.token),
      ProductType: "MIS",
      Quantity: String(future.lotSize),
      OpenBuyQuantity: String(future.lotSize),
      OpenSellQuantity: "0",
    });
    expect(Number(position.UnrealizedMTM)).toBeCloseTo(10 * future.tickSize * future.lotSize, 2);

    const after = allLimits((await api("GET", "/user/balance")).json.result);
    expect(Number(after.marginUtilized)).toBeGreaterThan(Number(before.marginUtilized));
    expect(Number(after.UnrealizedMTM)).toBeCloseTo(10 * future.tickSize * future.lotSize, 2);
    expect(typeof after.netMarginAvailable).toBe("string");

    await place(orderBody(future, { orderSide: "SELL", orderQuantity: 2 * future.lotSize }));
    const short = (await api("GET", "/portfolio/positions", { query: { dayOrNet: "DayWise" } })).json.result.positionList[0];
    expect(short.Quantity).toBe(String(-future.lotSize));
    expect(Number(short.RealizedMTM)).toBeCloseTo(10 * future.tickSize * future.lotSize, 2);
  });

  it("an order the account cannot afford is accepted and then Rejected by the RMS", async () => {
    const id = await place(orderBody(stock, { productType: "CNC", orderQuantity: stock.lotSize * Math.ceil(20_000_000 / (stock.referencePrice * stock.lotSize)) }));
    const record = await order(id);
    expect(record.OrderStatus).toBe("Rejected");
    expect(record.CancelRejectReason).toContain("RMS");
    expect((await api("GET", "/orders/trades")).status).toBe(400);
  });
});

describe("resting orders", () => {
  it("a LIMIT buy below the market rests, then fills at its limit when the price comes down to it", async () => {
    const limit = ticks(stock, -5);
    const id = await place(orderBody(stock, { orderType: "LIMIT", limitPrice: limit }));
    expect(await order(id)).toMatchObject({ OrderStatus: "New", OrderType: "Limit", OrderPrice: limit, LeavesQuantity: stock.lotSize, OrderAverageTradedPrice: "" });
    expect(sandbox.control.setPrice("NSECM", stock.token, round(limit + 2 * stock.tickSize, stock.tickSize)).filled).toEqual([]);
    expect(sandbox.control.setPrice("NSECM", stock.token, round(limit - stock.tickSize, stock.tickSize)).filled).toEqual([id]);
    const record = await order(id);
    expect(record.OrderStatus).toBe("Filled");
    expect(Number(record.OrderAverageTradedPrice)).toBe(limit);
  });

  it("a marketable LIMIT sell fills at once at the simulated price", async () => {
    const price = ltp(stock);
    const id = await place(orderBody(stock, { orderType: "LIMIT", orderSide: "SELL", limitPrice: ticks(stock, -3) }));
    expect(Number((await order(id)).OrderAverageTradedPrice)).toBe(price);
  });

  it("a STOPMARKET buy waits for its trigger", async () => {
    const stop = ticks(future, 5);
    const id = await place(orderBody(future, { orderType: "STOPMARKET", stopPrice: stop }));
    expect(await order(id)).toMatchObject({ OrderStatus: "New", OrderType: "StopMarket", OrderStopPrice: stop });
    sandbox.control.setPrice("NSEFO", future.token, stop);
    expect(Number((await order(id)).OrderAverageTradedPrice)).toBe(stop);
  });

  it("a STOPLIMIT sell triggers and fills when the price falls to its stop", async () => {
    const stop = ticks(future, -5);
    const limit = ticks(future, -6);
    const id = await place(orderBody(future, { orderType: "STOPLIMIT", orderSide: "SELL", stopPrice: stop, limitPrice: limit }));
    expect((await order(id)).OrderStatus).toBe("New");
    expect(sandbox.control.setPrice("NSEFO", future.token, stop).filled).toEqual([id]);
    expect(await order(id)).toMatchObject({ OrderStatus: "Filled", OrderType: "StopLimit" });
  });
});

describe("modify and cancel", () => {
  it("modifies a resting order, keeps its history, and fills when the new price crosses", async () => {
    const id = await place(orderBody(stock, { orderType: "LIMIT", limitPrice: ticks(stock, -10) }));
    const modify = (overrides: Record<string, unknown>) =>
      api("PUT", "/orders", {
        body: {
          appOrderID: id,
          modifiedProductType: "MIS",
          modifiedOrderType: "LIMIT",
          modifiedOrderQuantity: 2 * stock.lotSize,
          modifiedDisclosedQuantity: 0,
          modifiedLimitPrice: ticks(stock, -8),
          modifiedStopPrice: 0,
          modifiedTimeInForce: "DAY",
          orderUniqueIdentifier: "test-1",
          ...overrides,
        },
      });
    const first = await modify({});
    expect(first.status).toBe(200);
    expect(first.json.result.AppOrderID).toBe(id);
    expect(await order(id)).toMatchObject({ OrderStatus: "New", OrderQuantity: 2 * stock.lotSize, OrderPrice: ticks(stock, -8) });
    expect((await modify({ modifiedLimitPrice: 0.011 })).json.code).toBe("e-orders-0020");
    await modify({ modifiedLimitPrice: ticks(stock, 2) });
    expect((await order(id)).OrderStatus).toBe("Filled");
    const history = await api("GET", "/orders", { query: { appOrderID: id } });
    expect(history.json.result.map((r: { OrderStatus: string }) => r.OrderStatus)).toEqual(["New", "New", "New", "Filled"]);
    const late = await modify({});
    expect(late.status).toBe(400);
    expect(late.json).toMatchObject({ type: "error", code: "e-orders-0031" });
    expect(late.json.description).toContain("Filled");
  });

  it("cancels a resting order once; unknown ids are refused", async () => {
    const id = await place(orderBody(stock, { orderType: "LIMIT", limitPrice: ticks(stock, -10) }));
    const cancel = await api("DELETE", "/orders", { query: { appOrderID: id, orderUniqueIdentifier: "test-1" } });
    expect(cancel.status).toBe(200);
    expect(cancel.json.result.AppOrderID).toBe(id);
    expect((await order(id)).OrderStatus).toBe("Cancelled");
    expect((await api("DELETE", "/orders", { query: { appOrderID: id } })).json.code).toBe("e-orders-0031");
    expect((await api("DELETE", "/orders", { query: { appOrderID: 42 } })).json.code).toBe("e-orders-0030");
    expect((await api("PUT", "/orders", { body: { appOrderID: 42 } })).json.code).toBe("e-orders-0030");
    expect((await api("GET", "/orders", { query: { appOrderID: 42 } })).status).toBe(400);
  });

  it("cancelall cancels the open orders of one instrument only", async () => {
    const a = await place(orderBody(stock, { orderType: "LIMIT", limitPrice: ticks(stock, -10) }));
    const b = await place(orderBody(stock, { orderType: "LIMIT", limitPrice: ticks(stock, -11) }));
    const other = await place(orderBody(future, { orderType: "LIMIT", limitPrice: ticks(future, -10) }));
    const response = await api("POST", "/orders/cancelall", { body: { exchangeSegment: "NSECM", exchangeInstrumentID: stock.token } });
    expect(response.status).toBe(200);
    expect(response.json.result.AppOrderIDs).toEqual([a, b]);
    expect((await order(a)).OrderStatus).toBe("Cancelled");
    expect((await order(other)).OrderStatus).toBe("New");
  });
});

describe("empty books (Jainam answers HTTP 400 Data Not Available)", () => {
  it.each([
    ["/orders", {}, "e-orders-0005"],
    ["/orders/trades", {}, "e-tradeBook-0005"],
    ["/portfolio/positions", { dayOrNet: "NetWise" }, "e-portfolio-0005"],
  ] as const)("GET %s", async (path, query, code) => {
    const response = await api("GET", path, { query });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ type: "error", code, description: "Data Not Available", result: {} });
  });

  it("holdings: seeded by default, e-holdings-0005 without", async () => {
    const seeded = await api("GET", "/portfolio/holdings");
    const holdings = seeded.json.result.RMSHoldings.Holdings;
    expect(Object.keys(holdings)).toHaveLength(2);
    const [isin, holding] = Object.entries(holdings)[0] as [string, Record<string, unknown>];
    expect(isin).toMatch(/^IN/);
    expect(holding).toMatchObject({ ISIN: isin });
    expect(holding).toHaveProperty("ExchangeNSEInstrumentId");
    expect(holding).toHaveProperty("HoldingQuantity");
    expect(holding).toHaveProperty("BuyAvgPrice");

    const bare = await startSandbox(master, { seedHoldings: false });
    try {
      const bareToken = await interactiveLogin(bare);
      const response = await call(interactive(bare), "GET", "/portfolio/holdings", { token: bareToken });
      expect(response.status).toBe(400);
      expect(response.json.code).toBe("e-holdings-0005");
    } finally {
      await bare.close();
    }
  });

  it("positions need dayOrNet", async () => {
    expect((await api("GET", "/portfolio/positions")).json.code).toBe("e-portfolio-0001");
  });

  it("balance and profile answer for the investor client", async () => {
    const balance = await api("GET", "/user/balance");
    // An all-zero per-segment entry first, as XTS may send; the consolidated one holds the balance.
    expect(balance.json.result.BalanceList.map((e: { limitHeader: string }) => e.limitHeader)).toEqual(["CASH|NSE|MTF", "ALL|ALL|ALL"]);
    expect(balance.json.result.BalanceList[0].limitObject.RMSSubLimits.netMarginAvailable).toBe("0.00");
    expect(allLimits(balance.json.result).netMarginAvailable).toBe("10000000.00");
    const profile = await api("GET", "/user/profile");
    expect(profile.json.result.ClientId).toBe("SANDBOX01");
  });
});
