import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startWebSocket, type RunningWebSocket } from "../../src/cli/websocket.js";
import { until } from "../support/poll.js";
import { expectSuccess, restingBuyPrice, ltpOf, startApi, type ApiHarness } from "../api/harness.js";
import { WsClient, type Message } from "./ws-client.js";

let h: ApiHarness;
let ws: RunningWebSocket;
let url: string;
let apiUrl: string;
const clients: WsClient[] = [];

beforeAll(async () => {
  h = await startApi({ gateway: { sandbox: { streamIntervalMs: 100 }, streams: { baseDelayMs: 20, maxDelayMs: 200 } } });
  await h.app.listen({ host: "127.0.0.1", port: 0 });
  apiUrl = `ws://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  const running = await startWebSocket(h.gw, h.app, { limits: { authTimeoutMs: 300 } });
  if (running === null || running.url === null) throw new Error("the gateway did not start its WebSocket");
  ws = running;
  url = running.url;
  await until("both XTS sockets connected", () => (h.gw.streams!.market.connected && h.gw.streams!.interactive.connected ? true : undefined), { timeoutMs: 10_000 });
}, 120_000);

// Each API key may hold 10 connections: every test closes what it opened.
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  await ws?.close();
  await h?.close();
});

async function client(at = url): Promise<WsClient> {
  const c = await WsClient.open(at);
  clients.push(c);
  return c;
}

async function authed(): Promise<WsClient> {
  const c = await client();
  expect((await c.authenticate(h.key)).status).toBe("success");
  return c;
}

const tickOf = (symbol: string, mode: number) => (m: Message) => m.type === "market_data" && m["symbol"] === symbol && m["mode"] === mode;

describe("authentication", () => {
  it("refuses a wrong key, refuses to subscribe before authenticating, and accepts the right key with OpenAlgo's reply", async () => {
    const c = await client();
    const before = await c.request({ action: "subscribe", symbols: [{ symbol: h.picks.equity.symbol, exchange: "NSE" }], mode: 1 }, "subscribe");
    expect(before).toMatchObject({ status: "error", code: "NOT_AUTHENTICATED" });
    expect(await c.authenticate("f".repeat(64))).toMatchObject({ type: "auth", status: "error", code: "INVALID_API_KEY" });
    expect(await c.authenticate(h.key)).toMatchObject({ type: "auth", status: "success", message: "Authentication successful", broker: "jainam_prop", supported_features: { ltp: true, quote: true, depth: true } });
    expect(await c.request({ action: "ping" }, "pong")).toMatchObject({ status: "success", server_timestamp: expect.any(Number) });
  });

  it("closes a socket that does not authenticate in time with 4401", async () => {
    const c = await client();
    await until("the close", () => c.closed ?? undefined, { timeoutMs: 3000 });
    expect(c.closed?.code).toBe(4401);
  });

  it("refuses a key's 11th connection with TOO_MANY_CONNECTIONS and closes it with 4429", async () => {
    await until("earlier tests' clients released", () => (ws.server.stats().authenticated === 0 ? true : undefined));
    for (let i = 0; i < 10; i += 1) await authed();
    const extra = await client();
    expect(await extra.authenticate(h.key)).toMatchObject({ type: "auth", status: "error", code: "TOO_MANY_CONNECTIONS" });
    await until("the close", () => extra.closed ?? undefined);
    expect(extra.closed?.code).toBe(4429);
  });

  it("is served at /ws on the API port too", async () => {
    const c = await client(`${apiUrl}/ws`);
    expect((await c.authenticate(h.key)).status).toBe("success");
  });
});

describe("market data over OpenAlgo's protocol", () => {
  it.each([
    ["NSE", () => h.picks.equity],
    ["NFO", () => h.picks.future],
    ["NSE_INDEX", () => h.picks.index],
  ])("%s: LTP, Quote and Depth arrive within 1 s of subscribing, each with its mode's fields", async (exchange, pick) => {
    const row = pick();
    const c = await authed();
    for (const [mode, name] of [[1, "LTP"], [2, "Quote"], [3, "Depth"]] as const) {
      const from = c.messages.length;
      const reply = await c.request({ action: "subscribe", symbols: [{ symbol: row.symbol, exchange }], mode: name }, "subscribe");
      expect(reply).toMatchObject({ status: "success", subscriptions: [{ symbol: row.symbol, exchange, status: "success", mode, broker: "jainam_prop" }] });
      const started = Date.now();
      const tick = await c.next(tickOf(row.symbol, mode), { from, timeoutMs: 1000, what: `a ${name} tick for ${row.symbol}` });
      expect(Date.now() - started).toBeLessThan(1000);
      const data = tick["data"] as Record<string, unknown>;
      expect(data).toMatchObject({ symbol: row.symbol, exchange, mode, ltp: expect.any(Number), ltt: expect.any(Number), timestamp: expect.any(Number) });
      expect(data["ltp"] as number).toBeGreaterThan(0);
      if (mode >= 2) expect(Object.keys(data)).toEqual(expect.arrayContaining(["volume", "open", "high", "low", "close", "last_quantity", "average_price", "total_buy_quantity", "total_sell_quantity"]));
      else expect(data).not.toHaveProperty("volume");
      if (mode === 3) {
        const depth = data["depth"] as { buy: { price: number }[]; sell: { price: number }[] };
        // An index has no order book; nothing is made up for it.
        expect(depth.buy).toHaveLength(exchange === "NSE_INDEX" ? 0 : 5);
        if (exchange !== "NSE_INDEX") expect(depth.buy[0]!.price).toBeLessThan(depth.sell[0]!.price);
        expect(data).toHaveProperty("oi");
        if (exchange === "NFO") expect(data["oi"] as number).toBeGreaterThan(0);
      }
    }
    // The sandbox quote the REST API shows is the price the stream carries.
    const price = h.gw.sandbox.control.setPrice(row.exchange === "NSE_INDEX" ? "NSECM" : row.brexchange, row.token, (await ltpOf(h, row)) * 1.002).price;
    await c.next((m) => tickOf(row.symbol, 1)(m) && (m["data"] as Record<string, unknown>)["ltp"] === price, { what: "the moved price" });
  });

  it("answers partial for a list with an unknown symbol, and names the mode's allowed values", async () => {
    const c = await authed();
    const reply = await c.request({ action: "subscribe", symbols: [{ symbol: h.picks.equity.symbol, exchange: "NSE" }, { symbol: "NOSUCHSYMBOL", exchange: "NSE" }], mode: 1 }, "subscribe");
    expect(reply["status"]).toBe("partial");
    expect(reply["subscriptions"]).toEqual([expect.objectContaining({ status: "success" }), expect.objectContaining({ symbol: "NOSUCHSYMBOL", status: "error", code: "SYMBOL_NOT_FOUND" })]);
    const bad = await c.request({ action: "subscribe", symbols: [{ symbol: h.picks.equity.symbol, exchange: "NSE" }], mode: "candles" }, "subscribe");
    expect(bad).toMatchObject({ status: "error", code: "VALIDATION_ERROR" });
    expect(bad["message"]).toMatch(/1, 2, 3, LTP, Quote, Depth/);
    const unknown = await c.request({ action: "dance" }, "x");
    expect(unknown).toMatchObject({ status: "error", code: "INVALID_ACTION" });
  });

  it("subscribes at XTS once however many clients share a symbol, and unsubscribes when the last one leaves", async () => {
    // A future no other test streams, so the counts below are this test's alone.
    const row = h.gw.resolver.current.allRows().find((r) => r.exchange === "NFO" && r.instrumenttype === "FUT" && r.symbol !== h.picks.future.symbol)!;
    const subscriptionCalls = (method: string) => h.gw.sandbox.control.requests().filter((r) => r.path === "/instruments/subscription" && r.method === method).length;
    const [a, b] = [await authed(), await authed()];
    const posts = subscriptionCalls("POST");
    await a.request({ action: "subscribe", symbols: [{ symbol: row.symbol, exchange: "NFO" }], mode: 2 }, "subscribe");
    await b.request({ action: "subscribe", symbols: [{ symbol: row.symbol, exchange: "NFO" }], mode: 2 }, "subscribe");
    expect(subscriptionCalls("POST")).toBe(posts + 1);
    const puts = subscriptionCalls("PUT");
    expect(await a.request({ action: "unsubscribe", symbols: [{ symbol: row.symbol, exchange: "NFO", mode: 2 }] }, "unsubscribe")).toMatchObject({ status: "success", successful: [{ symbol: row.symbol }] });
    expect(subscriptionCalls("PUT")).toBe(puts);
    const from = b.messages.length;
    await b.next(tickOf(row.symbol, 2), { from, what: "ticks for the client that stayed" });
    b.close();
    await until("the XTS unsubscribe after the last client left", () => (subscriptionCalls("PUT") === puts + 1 ? true : undefined));
  });
});

describe("order updates", () => {
  it("an order placed over REST produces order_update events through to complete", async () => {
    const c = await authed();
    expect(await c.request({ action: "subscribe_orders" }, "subscribe_orders")).toMatchObject({ status: "success" });
    const row = h.picks.equity;
    const price = restingBuyPrice(await ltpOf(h, row), row.tick_size);
    const placed = expectSuccess(
      await h.post("placeorder", { apikey: h.key, strategy: "ws", symbol: row.symbol, exchange: "NSE", action: "BUY", quantity: "1", pricetype: "LIMIT", price: String(price), product: "MIS" }),
    );
    const orderid = placed["orderid"];
    const open = await c.next((m) => m.type === "order_update" && m["orderid"] === orderid && m["order_status"] === "open", { what: "the open order_update" });
    expect(open).toMatchObject({ mode: "live", broker: "jainam_prop", symbol: row.symbol, exchange: "NSE", action: "BUY", quantity: 1, price, pricetype: "LIMIT", product: "MIS", filled_quantity: 0, pending_quantity: 1 });
    h.gw.sandbox.control.setPrice("NSECM", row.token, price - row.tick_size * 5);
    const done = await c.next((m) => m.type === "order_update" && m["orderid"] === orderid && m["order_status"] === "complete", { what: "the complete order_update" });
    expect(done).toMatchObject({ filled_quantity: 1, pending_quantity: 0, average_price: price });
  });

  it("drops duplicated and reordered XTS events: each state is announced once, and none goes back", async () => {
    const c = await authed();
    await c.request({ action: "subscribe_orders" }, "subscribe_orders");
    const row = h.picks.equity;
    const streams = h.gw.sandbox.control.streams;
    streams.duplicateOrderEvents(5);
    const price = restingBuyPrice(await ltpOf(h, row), row.tick_size);
    const from = c.messages.length;
    const order = { apikey: h.key, strategy: "ws", symbol: row.symbol, exchange: "NSE", action: "BUY", quantity: "1", pricetype: "LIMIT", product: "MIS" };
    const placed = expectSuccess(await h.post("placeorder", { ...order, price: String(price) }));
    const orderid = placed["orderid"];
    await c.next((m) => m.type === "order_update" && m["orderid"] === orderid, { from, what: "the open update" });
    streams.duplicateOrderEvents(0);
    // The modification's event and the cancellation's arrive newest first: the older one must not reopen the order.
    streams.reorderOrderEvents(1);
    expectSuccess(await h.post("modifyorder", { ...order, orderid, price: String(price - row.tick_size), quantity: "1", disclosed_quantity: "0", trigger_price: "0" }));
    expectSuccess(await h.post("cancelorder", { apikey: h.key, strategy: "ws", orderid }));
    await c.next((m) => m.type === "order_update" && m["orderid"] === orderid && m["order_status"] === "cancelled", { from, what: "cancelled" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const updates = c.messages.slice(from).filter((m) => m.type === "order_update" && m["orderid"] === orderid).map((m) => m["order_status"]);
    expect(updates).toEqual(["open", "cancelled"]);
    const status = expectSuccess(await h.post("orderstatus", { apikey: h.key, strategy: "ws", orderid }))["data"] as Record<string, unknown>;
    expect(status["order_status"]).toBe("cancelled");
  });
});

describe("positions", () => {
  it("carry the last price from live ticks, and the P&L at that price, which XTS's positions lack", async () => {
    const row = h.picks.future;
    expectSuccess(await h.post("placeorder", { apikey: h.key, strategy: "ws", symbol: row.symbol, exchange: "NFO", action: "BUY", quantity: String(row.lotsize), pricetype: "MARKET", product: "NRML" }));
    const moved = h.gw.sandbox.control.setPrice("NSEFO", row.token, (await ltpOf(h, row)) + row.tick_size * 40).price;
    const position = await until("the position at the moved price", async () => {
      const data = expectSuccess(await h.post("positionbook", { apikey: h.key }))["data"] as Record<string, unknown>[];
      const p = data.find((d) => d["symbol"] === row.symbol && d["product"] === "NRML");
      return p?.["ltp"] === moved ? p : undefined;
    });
    // The sandbox's own MTM at that price is what the gateway works out from the tick.
    h.gw.streams!.stop();
    const rest = (expectSuccess(await h.post("positionbook", { apikey: h.key }))["data"] as Record<string, unknown>[]).find((d) => d["symbol"] === row.symbol && d["product"] === "NRML")!;
    h.gw.streams!.start();
    expect(rest["ltp"]).toBeNull();
    expect(position["pnl"]).toBe(rest["pnl"]);
    expect(position["pnl"]).not.toBe(0);
    await until("streams back", () => (h.gw.streams!.market.connected && h.gw.streams!.status().interactive.booksHealthy ? true : undefined), { timeoutMs: 5000 });
  });
});

describe("a lost order answer", () => {
  it("is settled by the interactive event for the order, even when the order book cannot be read", async () => {
    const control = h.gw.sandbox.control;
    const row = h.picks.equity;
    const price = restingBuyPrice(await ltpOf(h, row), row.tick_size);
    control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "drop-after-processing" } });
    control.inject({ match: { method: "GET", path: "/orders" }, times: 50, action: { type: "status", status: 503 } });
    try {
      const placed = expectSuccess(await h.post("placeorder", { apikey: h.key, strategy: "ws", symbol: row.symbol, exchange: "NSE", action: "BUY", quantity: "1", pricetype: "LIMIT", price: String(price), product: "MIS" }));
      expect(placed["reconciled"]).toBe(true);
      const booked = control.orders().filter((o) => o.OrderUniqueIdentifier === placed["order_unique_identifier"] || String(o.AppOrderID) === placed["orderid"]);
      expect(booked).toHaveLength(1);
    } finally {
      control.clearFaults();
    }
  });
});

describe("the books and the stream's health", () => {
  const orderBookGets = () => h.gw.sandbox.control.requests().filter((r) => r.method === "GET" && r.path === "/orders").length;

  it("orderbook comes from the event book while the stream is healthy and from REST when it is not", async () => {
    await until("healthy books", () => (h.gw.streams!.status().interactive.booksHealthy ? true : undefined));
    const before = orderBookGets();
    const live = expectSuccess(await h.post("orderbook", { apikey: h.key }));
    expect(orderBookGets()).toBe(before);
    const status = expectSuccess(await h.post("stream/status", { apikey: h.key }));
    expect(status["data"]).toMatchObject({ interactive: { state: "connected", booksHealthy: true } });

    h.gw.streams!.interactive.stop();
    const rest = expectSuccess(await h.post("orderbook", { apikey: h.key }));
    expect(orderBookGets()).toBe(before + 1);
    // Both answers describe the same book.
    expect((rest["data"] as { orders: unknown[] }).orders).toEqual((live["data"] as { orders: unknown[] }).orders);
    h.gw.streams!.interactive.start();
    await until("healthy again after the reconnect's reconcile", () => (h.gw.streams!.status().interactive.booksHealthy ? true : undefined));
  });

  it("a dropped XTS market socket reconnects and the client keeps receiving without resubscribing", async () => {
    const c = await authed();
    const row = h.picks.equity;
    await c.request({ action: "subscribe", symbols: [{ symbol: row.symbol, exchange: "NSE" }], mode: 1 }, "subscribe");
    await c.next(tickOf(row.symbol, 1));
    const connects = h.gw.streams!.market.status().connects;
    expect(h.gw.sandbox.control.streams.drop("market")).toBe(1);
    await until("the market socket's reconnect", () => (h.gw.streams!.market.status().connects > connects ? true : undefined), { timeoutMs: 5000 });
    const from = c.messages.length;
    await c.next(tickOf(row.symbol, 1), { from, what: "ticks after the reconnect" });
    const status = expectSuccess(await h.post("stream/status", { apikey: h.key }))["data"] as Record<string, Record<string, unknown>>;
    expect(status["market"]).toMatchObject({ state: "connected", connects: connects + 1 });
  });
});
