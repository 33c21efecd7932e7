import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAlgoWebSocket } from "../../src/api/openalgo-ws.js";
import { startWebSocket, type RunningWebSocket } from "../../src/cli/websocket.js";
import { silentLogger } from "../../src/logger.js";
import { PrimaryBridge, RemoteFeed } from "../../src/streaming/redis-bridge.js";
import { until } from "../support/poll.js";
import { expectSuccess, ltpOf, restingBuyPrice, startApi, type ApiHarness } from "../api/harness.js";
import { WsClient } from "./ws-client.js";

/**
 * Two processes' worth of streaming in one test: the primary owns the XTS sockets and a
 * PrimaryBridge on real Redis; the "replica" is a RemoteFeed and its own WebSocket server, with no
 * XTS connection of its own. Its clients get ticks and order updates through Redis.
 */
const REDIS_URL = process.env["XTSBRIDGE_TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379";
const namespace = `test-${randomBytes(4).toString("hex")}`;

let h: ApiHarness;
let primaryWs: RunningWebSocket;
let bridge: PrimaryBridge;
let remote: RemoteFeed;
let replicaWs: OpenAlgoWebSocket;
let replicaServer: Server;
let replicaUrl: string;
const clients: WsClient[] = [];

beforeAll(async () => {
  h = await startApi({ gateway: { sandbox: { streamIntervalMs: 100 }, streams: { baseDelayMs: 20, maxDelayMs: 200 } } });
  await h.app.listen({ host: "127.0.0.1", port: 0 });
  primaryWs = (await startWebSocket(h.gw, h.app))!;
  bridge = new PrimaryBridge(REDIS_URL, namespace, h.gw.streams!.feed, h.gw.streams!.orders, silentLogger());
  await bridge.start();
  remote = new RemoteFeed(REDIS_URL, namespace, h.gw.resolver, silentLogger(), 2000);
  await remote.start();
  replicaWs = new OpenAlgoWebSocket({ apiKeys: h.gw.apiKeys, feed: remote, orders: remote.orders, broker: "jainam_prop", logger: silentLogger() });
  replicaServer = createServer();
  replicaWs.attach(replicaServer, null);
  await new Promise<void>((resolve) => replicaServer.listen(0, "127.0.0.1", () => resolve()));
  replicaUrl = `ws://127.0.0.1:${(replicaServer.address() as AddressInfo).port}`;
  await until("the primary's XTS sockets", () => (h.gw.streams!.market.connected && h.gw.streams!.interactive.connected ? true : undefined), { timeoutMs: 10_000 });
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await replicaWs?.close();
  replicaServer?.close();
  await remote?.close();
  await bridge?.close();
  await primaryWs?.close();
  await h?.close();
});

async function replicaClient(): Promise<WsClient> {
  const c = await WsClient.open(replicaUrl);
  clients.push(c);
  expect((await c.authenticate(h.key)).status).toBe("success");
  return c;
}

describe("a replica's WebSocket, fed by the primary over Redis", () => {
  it("streams ticks of a symbol its client subscribed, the primary holding the one XTS subscription", async () => {
    const row = h.picks.future;
    const c = await replicaClient();
    const reply = await c.request({ action: "subscribe", symbols: [{ symbol: row.symbol, exchange: "NFO" }, { symbol: "NOSUCH", exchange: "NFO" }], mode: "Depth" }, "subscribe");
    expect(reply).toMatchObject({ status: "partial", subscriptions: [{ symbol: row.symbol, status: "success" }, { symbol: "NOSUCH", code: "SYMBOL_NOT_FOUND" }] });
    const tick = await c.next((m) => m.type === "market_data" && m["symbol"] === row.symbol, { what: "a tick through Redis" });
    expect(tick["data"]).toMatchObject({ mode: 3, depth: { buy: expect.any(Array) } });
    expect(bridge.replicaCount()).toBe(1);
    const upstream = h.gw.streams!.feed.stats().upstream;
    expect(upstream).toBeGreaterThan(0);
    await c.request({ action: "unsubscribe_all" }, "unsubscribe_all");
    await until("the primary releasing the replica's subscription", () => (h.gw.streams!.feed.stats().upstream < upstream ? true : undefined));
  });

  it("relays order updates placed anywhere", async () => {
    const c = await replicaClient();
    await c.request({ action: "subscribe_orders" }, "subscribe_orders");
    const row = h.picks.equity;
    const price = restingBuyPrice(await ltpOf(h, row), row.tick_size);
    const placed = expectSuccess(await h.post("placeorder", { apikey: h.key, strategy: "r", symbol: row.symbol, exchange: "NSE", action: "BUY", quantity: "1", pricetype: "LIMIT", price: String(price), product: "MIS" }));
    await c.next((m) => m.type === "order_update" && m["orderid"] === placed["orderid"] && m["order_status"] === "open", { what: "the order update through Redis" });
  });

  it("a replica the primary cannot hear fails its subscriptions clearly, with nothing kept", async () => {
    const lonely = new RemoteFeed(REDIS_URL, `${namespace}-nobody`, h.gw.resolver, silentLogger(), 300);
    await lonely.start();
    try {
      const sink = { deliver: () => undefined };
      const [result] = await lonely.subscribeMany(sink, [{ symbol: h.picks.equity.symbol, exchange: "NSE" }], 1);
      expect(result).toMatchObject({ ok: false, error: { code: "XTS_UNAVAILABLE", message: expect.stringMatching(/primary did not answer/) } });
      expect(lonely.countOf(sink)).toBe(0);
    } finally {
      await lonely.close();
    }
  });
});
