import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ApiKeys } from "../../src/api/api-keys.js";
import { buildApp } from "../../src/api/app.js";
import { appDeps } from "../../src/cli/gateway.js";
import { silentLogger } from "../../src/logger.js";
import { startTestGateway } from "../support/gateway.js";
import { apiFixture, expectError, expectSuccess, GENEROUS_LIMITS, inject, json, MARKET_NOW, restingBuyPrice } from "./harness.js";

/** The analyzer: OpenAlgo's paper-trading switch, on the sandbox's live prices at a fixed clock. */
describe("analyzer mode: a paper engine with its own books, on the broker's prices", () => {
  const h = apiFixture({ gateway: { sandbox: { now: () => MARKET_NOW }, clock: () => MARKET_NOW, paper: { checkMs: 60_000 } } });
  const brokerOrders = () => h.gw.sandbox.control.requests().filter((r) => r.method === "POST" && r.path === "/orders");
  const equity = () => h.picks.equity;
  const order = (extra: Record<string, unknown> = {}) => ({ apikey: h.key, strategy: "paper", symbol: equity().symbol, exchange: "NSE", action: "BUY", quantity: "2", pricetype: "MARKET", product: "MIS", ...extra });
  const segment = "NSECM";
  const setPrice = (price: number) => h.gw.sandbox.control.setPrice(segment, equity().token, price);
  const toggle = async (mode: boolean) => expectSuccess(await h.post("analyzer/toggle", { apikey: h.key, mode }))["data"] as Record<string, unknown>;
  beforeEach(async () => {
    h.gw.sandbox.control.clearRequests();
    await toggle(true);
  });
  afterAll(async () => {
    await toggle(false);
  });

  it("status and toggle answer OpenAlgo's shapes; while on, every order answer says mode: analyze and nothing reaches the broker", async () => {
    await toggle(false);
    expect(expectSuccess(await h.post("analyzer", { apikey: h.key }))["data"]).toMatchObject({ analyze_mode: false, mode: "live" });
    const on = await toggle(true);
    expect(on).toMatchObject({ analyze_mode: true, mode: "analyze", message: "Analyzer mode switched to analyze" });
    const ltp = h.gw.sandbox.control.price(segment, equity().token);
    const placed = expectSuccess(await h.post("placeorder", order()));
    expect(placed).toMatchObject({ mode: "analyze", orderid: expect.stringMatching(/^\d{14}$/) });
    const status = expectSuccess(await h.post("orderstatus", { apikey: h.key, strategy: "paper", orderid: placed["orderid"] }));
    expect(status["mode"]).toBe("analyze");
    expect(status["data"]).toMatchObject({ order_status: "complete", average_price: ltp, quantity: 2, symbol: equity().symbol, action: "BUY" });
    expect(brokerOrders()).toHaveLength(0);
    // A refused order says analyze too: a client must never take it for a live one.
    const bad = expectError(await h.post("placeorder", order({ quantity: "0" })), 400, "VALIDATION_ERROR");
    expect(bad["mode"]).toBe("analyze");
    expect(expectSuccess(await h.post("analyzer", { apikey: h.key }))["data"]).toMatchObject({ analyze_mode: true, total_logs: expect.any(Number) });
    // Market data is the broker's in either mode, and carries no mode.
    expect(expectSuccess(await h.post("quotes", { apikey: h.key, symbol: equity().symbol, exchange: "NSE" }))["mode"]).toBeUndefined();
  });

  it("a resting LIMIT blocks margin, fills at its price once the market reaches it, and the position, trade and funds follow", async () => {
    const ltp = 1000;
    setPrice(ltp);
    const before = expectSuccess(await h.post("funds", { apikey: h.key }))["data"] as Record<string, string>;
    const limit = restingBuyPrice(ltp, equity().tick_size);
    const placed = expectSuccess(await h.post("placeorder", order({ pricetype: "LIMIT", price: String(limit), quantity: "10" })));
    const id = placed["orderid"] as string;
    expect((expectSuccess(await h.post("orderstatus", { apikey: h.key, strategy: "paper", orderid: id }))["data"] as Record<string, unknown>)["order_status"]).toBe("open");
    const blocked = expectSuccess(await h.post("funds", { apikey: h.key }))["data"] as Record<string, string>;
    expect(Number(blocked["utiliseddebits"]) - Number(before["utiliseddebits"])).toBeCloseTo(10 * limit * 0.2, 2);
    expect(await h.gw.analyzer!.engine.check()).toBe(0);

    setPrice(limit - 5 * equity().tick_size);
    expect(await h.gw.analyzer!.engine.check()).toBe(1);
    const filled = expectSuccess(await h.post("orderstatus", { apikey: h.key, strategy: "paper", orderid: id }))["data"] as Record<string, unknown>;
    expect(filled).toMatchObject({ order_status: "complete", average_price: limit - 5 * equity().tick_size });
    const trades = expectSuccess(await h.post("tradebook", { apikey: h.key }))["data"] as Record<string, unknown>[];
    expect(trades.find((t) => t["orderid"] === id)).toMatchObject({ quantity: 10, action: "BUY" });
    const positions = expectSuccess(await h.post("positionbook", { apikey: h.key }))["data"] as Record<string, unknown>[];
    expect(positions.find((p) => p["symbol"] === equity().symbol && p["product"] === "MIS")!["quantity"]).toBeGreaterThanOrEqual(10);
    expect(brokerOrders()).toHaveLength(0);
  });

  it("SL-M waits for its trigger; cancel and modify work on open paper orders only", async () => {
    setPrice(1000);
    const placed = expectSuccess(await h.post("placeorder", order({ action: "SELL", pricetype: "SL-M", trigger_price: "990", quantity: "1" })));
    const id = placed["orderid"] as string;
    const state = async () => (expectSuccess(await h.post("orderstatus", { apikey: h.key, strategy: "paper", orderid: id }))["data"] as Record<string, unknown>)["order_status"];
    expect(await state()).toBe("trigger pending");
    const modify = { ...order({ action: "SELL", pricetype: "SL-M", trigger_price: "980", quantity: "1", price: "0", disclosed_quantity: "0" }), orderid: id };
    expect(expectSuccess(await h.post("modifyorder", modify))).toMatchObject({ orderid: id, mode: "analyze" });
    setPrice(985);
    await h.gw.analyzer!.engine.check();
    expect(await state()).toBe("trigger pending");
    expectSuccess(await h.post("cancelorder", { apikey: h.key, strategy: "paper", orderid: id }));
    expect(await state()).toBe("cancelled");
    expectError(await h.post("cancelorder", { apikey: h.key, strategy: "paper", orderid: id }), 400, "XTS_REJECTED", /is cancelled and cannot be cancelled/);
    expectError(await h.post("orderstatus", { apikey: h.key, strategy: "paper", orderid: "99999999999999" }), 404, "ORDER_NOT_FOUND");
  });

  it("the RMS refuses what the paper account cannot carry: a CNC sell without holdings, an order beyond the funds", async () => {
    setPrice(1000);
    const cnc = expectSuccess(await h.post("placeorder", order({ action: "SELL", product: "CNC", quantity: "5" })));
    const row = expectSuccess(await h.post("orderstatus", { apikey: h.key, strategy: "paper", orderid: cnc["orderid"] }))["data"] as Record<string, unknown>;
    expect(row).toMatchObject({ order_status: "rejected" });
    const book = expectSuccess(await h.post("orderbook", { apikey: h.key }))["data"] as { orders: Record<string, unknown>[] };
    expect(book.orders.find((o) => o["orderid"] === cnc["orderid"])!["rejection_reason"]).toMatch(/CNC sell of 5 exceeds the 0 held/);
    const huge = expectSuccess(await h.post("placeorder", order({ product: "CNC", quantity: String(Math.floor(equity().freeze_qty > 0 ? Math.min(equity().freeze_qty - 1, 20_000) : 20_000)) })));
    const hugeRow = (expectSuccess(await h.post("orderbook", { apikey: h.key }))["data"] as { orders: Record<string, unknown>[] }).orders.find((o) => o["orderid"] === huge["orderid"])!;
    if (Number(hugeRow["quantity"]) * 1000 > 10_000_000) expect(hugeRow["rejection_reason"]).toMatch(/Insufficient funds: margin required/);
    else expect(hugeRow["order_status"]).toBe("complete");
  });

  it("options and baskets go to the paper engine too, with the same resolution as live", async () => {
    const exp = expectSuccess(await h.post("expiry", { apikey: h.key, symbol: "NIFTY", exchange: "NFO", instrumenttype: "options" }))["data"] as string[];
    const lot = h.gw.resolver.current.allRows().find((r) => r.exchange === "NFO" && r.name === "NIFTY" && r.instrumenttype === "CE")!.lotsize;
    const body = expectSuccess(await h.post("optionsorder", { apikey: h.key, strategy: "paper", underlying: "NIFTY", exchange: "NSE_INDEX", expiry_date: exp[0]!.replace(/-/g, ""), offset: "ATM", option_type: "CE", action: "BUY", quantity: lot }));
    expect(body).toMatchObject({ mode: "analyze", orderid: expect.stringMatching(/^\d{14}$/) });
    const basket = expectSuccess(await h.post("basketorder", { apikey: h.key, strategy: "paper", orders: [{ symbol: equity().symbol, exchange: "NSE", action: "BUY", quantity: 1 }] }));
    expect(basket["mode"]).toBe("analyze");
    expect(brokerOrders()).toHaveLength(0);
  });

  it("toggling keeps both sides' books: live shows the broker's orders, analyze the paper ones, each as it was", async () => {
    const paper = expectSuccess(await h.post("placeorder", order()))["orderid"] as string;
    await toggle(false);
    const live = expectSuccess(await h.post("placeorder", order()));
    expect(live["mode"]).toBeUndefined();
    expect(brokerOrders()).toHaveLength(1);
    const liveBook = (expectSuccess(await h.post("orderbook", { apikey: h.key }))["data"] as { orders: { orderid: string }[] }).orders.map((o) => o.orderid);
    expect(liveBook).toContain(live["orderid"]);
    expect(liveBook).not.toContain(paper);
    await toggle(true);
    const paperBook = (expectSuccess(await h.post("orderbook", { apikey: h.key }))["data"] as { orders: { orderid: string }[] }).orders.map((o) => o.orderid);
    expect(paperBook).toContain(paper);
    expect(paperBook).not.toContain(live["orderid"]);
  });
});

describe("the analyzer's mode and books survive a restart", () => {
  it("a second gateway on the same database comes up in analyze mode with the paper orders", async () => {
    const first = await startTestGateway({ sandbox: { now: () => MARKET_NOW } });
    try {
      await first.master.refresh();
      const { key } = await new ApiKeys(first.store).create("restart");
      const app = buildApp(appDeps(first, { logger: silentLogger(), limits: GENEROUS_LIMITS }));
      expectSuccess(await inject(app, "analyzer/toggle", { apikey: key, mode: "true" }));
      const equity = first.resolver.current.allRows().find((r) => r.exchange === "NSE" && r.instrumenttype === "EQ" && r.lotsize === 1)!;
      const placed = json(await inject(app, "placeorder", { apikey: key, strategy: "s", symbol: equity.symbol, exchange: "NSE", action: "BUY", quantity: 1 }));
      await app.close();
      const second = await startTestGateway({ dbPath: first.dbPath, sandbox: { now: () => MARKET_NOW } });
      try {
        await second.master.refresh();
        const again = buildApp(appDeps(second, { logger: silentLogger(), limits: GENEROUS_LIMITS }));
        expect(json(await inject(again, "analyzer", { apikey: key }))["data"]).toMatchObject({ analyze_mode: true, total_logs: 1 });
        const book = json(await inject(again, "orderbook", { apikey: key }));
        expect(book["mode"]).toBe("analyze");
        expect((book["data"] as { orders: { orderid: string; order_status: string }[] }).orders).toEqual([expect.objectContaining({ orderid: placed["orderid"], order_status: "complete" })]);
        await again.close();
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  });
});
