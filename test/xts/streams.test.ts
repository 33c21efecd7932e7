import { afterEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/create-sandbox.js";
import { silentLogger } from "../../src/logger.js";
import { XtsInteractiveStream } from "../../src/xts/stream/interactive-stream.js";
import { XtsMarketStream } from "../../src/xts/stream/market-stream.js";
import type { XtsTick } from "../../src/xts/stream/ticks.js";
import type { XtsOrderBookEntry } from "../../src/xts/client/types.js";
import { until } from "../support/poll.js";
import { harness, master, startSandbox } from "./xts-harness.js";

const stoppers: (() => unknown)[] = [];
afterEach(async () => {
  for (const stop of stoppers.splice(0).reverse()) await stop();
});

async function sandboxWith(options: Parameters<typeof startSandbox>[0] = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ streamIntervalMs: 50, ...options });
  stoppers.push(() => sandbox.close());
  return sandbox;
}

function marketStream(sandbox: Sandbox, ticks: XtsTick[]) {
  const h = harness(sandbox);
  const stream = new XtsMarketStream(h.client.market, (tick) => ticks.push(tick), silentLogger(), { baseDelayMs: 20, maxDelayMs: 100 });
  stoppers.push(() => stream.stop());
  return { stream, h };
}

const equity = () => master().instruments.find((i) => i.segment === "NSECM" && i.kind === "cash" && i.exchange === "NSE" && i.lotSize === 1)!;
const future = () => master().instruments.find((i) => i.segment === "NSEFO" && i.kind === "future")!;

describe.each(["json", "binary"] as const)("the XTS market-data socket (%s frames)", (streamFormat) => {
  it("streams the subscribed instruments' touchline, depth and open interest with the sandbox's prices", async () => {
    const sandbox = await sandboxWith({ streamFormat });
    const ticks: XtsTick[] = [];
    const { stream } = marketStream(sandbox, ticks);
    const eq = equity();
    const fut = future();
    await stream.subscribe([
      { segment: 1, token: eq.token, code: 1502 },
      { segment: 2, token: fut.token, code: 1501 },
      { segment: 2, token: fut.token, code: 1510 },
    ]);
    stream.start();
    await until("a depth tick, a touchline tick and an OI tick", () => {
      const codes = new Set(ticks.map((t) => t.code));
      return codes.has(1502) && codes.has(1501) && codes.has(1510) ? true : undefined;
    });
    const price = sandbox.control.setPrice("NSECM", eq.token, eq.referencePrice * 1.01);
    const moved = await until("a tick at the new price", () => ticks.find((t) => t.code === 1502 && t.token === eq.token && t.touchline.ltp === price.price));
    if (moved.code !== 1502) throw new Error("unreachable");
    expect(moved.bids).toHaveLength(5);
    expect(moved.bids[0]!.price).toBeLessThan(price.price);
    expect(moved.asks[0]!.price).toBeGreaterThan(price.price);
    expect(moved.touchline.ltt).toBeGreaterThan(1_000_000_000);
    const oi = ticks.find((t) => t.code === 1510);
    expect(oi?.token).toBe(fut.token);
    expect(stream.status()).toMatchObject({ state: "connected", subscriptions: 3, rejectedPayloads: 0 });
  });
});

describe("reconnecting", () => {
  it("comes back after a dropped socket with every subscription, without being asked again", async () => {
    const sandbox = await sandboxWith();
    const ticks: XtsTick[] = [];
    const { stream } = marketStream(sandbox, ticks);
    const eq = equity();
    stream.start();
    await until("connected", () => (stream.connected ? true : undefined));
    await stream.subscribe([{ segment: 1, token: eq.token, code: 1512 }]);
    await until("a first LTP tick", () => (ticks.length > 0 ? true : undefined));
    expect(sandbox.control.streams.drop("market")).toBe(1);
    await until("a second connection", () => (stream.status().connects === 2 ? true : undefined));
    const before = ticks.length;
    await until("ticks after the reconnect", () => (ticks.length > before + 2 ? true : undefined));
    expect(stream.status().lastError).toBeNull();
  });

  it("logs in again when XTS ends the session (logout on the socket, or the token expires) and resubscribes", async () => {
    const sandbox = await sandboxWith();
    const ticks: XtsTick[] = [];
    const { stream, h } = marketStream(sandbox, ticks);
    const eq = equity();
    await stream.subscribe([{ segment: 1, token: eq.token, code: 1501 }]);
    stream.start();
    await until("ticks", () => (ticks.length > 0 ? true : undefined));
    sandbox.control.streams.logout("market");
    await until("a reconnect on a new session", () => (stream.status().connects === 2 ? true : undefined));
    sandbox.control.expireSessions();
    await until("a third connection after the token expired", () => (stream.status().connects === 3 ? true : undefined), { timeoutMs: 5000 });
    const before = ticks.length;
    await until("ticks again", () => (ticks.length > before ? true : undefined));
    // Each session was a login of its own, by the one client: never two at once.
    expect(sandbox.control.requests().filter((r) => r.path === "/auth/login").length).toBe(3);
    expect(h.logText()).not.toContain("Bearer");
  });
});

describe("a stalled feed", () => {
  it("goes quiet while the sandbox stalls, the socket stays up, and ticks resume afterwards", async () => {
    const sandbox = await sandboxWith();
    const ticks: XtsTick[] = [];
    const { stream } = marketStream(sandbox, ticks);
    await stream.subscribe([{ segment: 1, token: equity().token, code: 1501 }]);
    stream.start();
    await until("ticks", () => (ticks.length > 0 ? true : undefined));
    sandbox.control.streams.stall(400);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const during = ticks.length;
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(ticks.length).toBe(during);
    expect(stream.status()).toMatchObject({ state: "connected", connects: 1 });
    await until("ticks after the stall", () => (ticks.length > during ? true : undefined));
  });
});

describe("the sandbox's socket faults over HTTP", () => {
  it("drops sockets on request, counts them, and names the allowed actions when asked for another", async () => {
    const sandbox = await sandboxWith();
    const ticks: XtsTick[] = [];
    const { stream } = marketStream(sandbox, ticks);
    stream.start();
    await until("connected", () => (stream.connected ? true : undefined));
    const post = (body: unknown) => fetch(`${sandbox.url}/_sandbox/streams`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(await (await fetch(`${sandbox.url}/_sandbox/streams`)).json()).toEqual({ ok: true, connected: { market: 1, interactive: 0 } });
    expect(await (await post({ action: "drop", socket: "market" })).json()).toEqual({ ok: true, sockets: 1 });
    await until("the reconnect", () => (stream.status().connects === 2 ? true : undefined));
    const bad = await post({ action: "explode" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/drop, stall, logout, duplicate-orders, reorder-orders/);
  });
});

describe("the XTS interactive socket", () => {
  it("delivers every state of an order as typed order-book entries, and its trade", async () => {
    const sandbox = await sandboxWith();
    const h = harness(sandbox);
    const orders: XtsOrderBookEntry[] = [];
    const trades: XtsOrderBookEntry[] = [];
    let connects = 0;
    const stream = new XtsInteractiveStream(h.client.interactive, { onOrder: (o) => orders.push(o), onTrade: (t) => trades.push(t), onConnect: async () => void (connects += 1) }, silentLogger());
    stoppers.push(() => stream.stop());
    stream.start();
    await until("connected", () => (stream.connected ? true : undefined));
    const eq = equity();
    const ack = await h.client.interactive.placeOrder({
      exchangeSegment: "NSECM",
      exchangeInstrumentID: eq.token,
      productType: "MIS",
      orderType: "LIMIT",
      orderSide: "BUY",
      timeInForce: "DAY",
      disclosedQuantity: 0,
      orderQuantity: eq.lotSize,
      limitPrice: sandbox.control.price("NSECM", eq.token) - eq.tickSize * 10,
      stopPrice: 0,
      orderUniqueIdentifier: "stream-test-1",
    });
    await until("the New event", () => orders.find((o) => o.AppOrderID === ack.AppOrderID && o.OrderStatus === "New"));
    sandbox.control.setPrice("NSECM", eq.token, sandbox.control.price("NSECM", eq.token) - eq.tickSize * 20);
    await until("the Filled event", () => orders.find((o) => o.AppOrderID === ack.AppOrderID && o.OrderStatus === "Filled"));
    await until("the trade", () => trades.find((t) => t.AppOrderID === ack.AppOrderID));
    expect(connects).toBe(1);
  });
});
