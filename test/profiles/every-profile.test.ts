import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebSocket, type RunningWebSocket } from "../../src/cli/websocket.js";
import { exchangeOfSegment } from "../../src/instruments/exchanges.js";
import { PROFILES, profileProblems } from "../../src/xts/profiles.js";
import { expectSuccess, startApi, type ApiHarness } from "../api/harness.js";
import { startTestGateway } from "../support/gateway.js";
import { until } from "../support/poll.js";
import { WsClient } from "../streaming/ws-client.js";

/**
 * The whole gateway against the sandbox impersonating each broker profile (its market-data roots
 * and socket root, the segments its master serves): refresh, orders, books, quotes and a live tick
 * through OpenAlgo's WebSocket. The other market-data root is a 404 on the sandbox, so a gateway
 * that ignored the profile's roots fails here. For the two OAuth brokers the sandbox refuses an
 * interactive login without the access token of the broker's web login, as they do.
 */
for (const profile of PROFILES) {
  describe(`profile ${profile.name}`, () => {
    let h: ApiHarness;
    let ws: RunningWebSocket;
    beforeAll(async () => {
      h = await startApi({ gateway: { env: { XTSBRIDGE_PROFILE: profile.name }, sandbox: { instruments: 3000, streamIntervalMs: 100 }, streams: { baseDelayMs: 20, maxDelayMs: 200 } } });
      await h.app.listen({ host: "127.0.0.1", port: 0 });
      const running = await startWebSocket(h.gw, h.app);
      if (running === null || running.url === null) throw new Error("the gateway did not start its WebSocket");
      ws = running;
    }, 120_000);
    afterAll(async () => {
      await ws?.close();
      await h?.close();
    });

    it("is well-formed data", () => {
      expect(profileProblems(profile)).toEqual([]);
    });

    it("refreshes exactly the profile's segments into rows under its name, through its market-data root", async () => {
      const report = await h.gw.master.refresh({ force: true });
      expect(report.status, report.message).toBe("success");
      expect(report.segments.map((s) => s.segment)).toEqual([...profile.indexLists.map((c) => `INDEX${c}`), ...profile.segments]);
      const exchanges = new Set(profile.segments.map((s) => exchangeOfSegment(s)));
      for (const exchange of Object.keys(report.exchangeCounts)) {
        if (exchange !== "NSE_INDEX" && exchange !== "BSE_INDEX") expect(exchanges.has(exchange as never), exchange).toBe(true);
      }
      expect(h.gw.resolver.broker).toBe(profile.name);
      expect((await h.gw.store.loadBroker(profile.name)).length).toBe(report.total);
      // Every request the gateway made went to a root the sandbox serves for this profile.
      expect(h.gw.sandbox.control.requests().filter((r) => r.base === "market").length).toBeGreaterThan(0);
      expect(h.gw.sandbox.control.requests().filter((r) => r.base === "unknown")).toEqual([]);
      const other = profile.marketDataRoot === "/apimarketdata" ? "/apibinarymarketdata" : "/apimarketdata";
      expect((await fetch(`${h.gw.sandbox.url}${other}/instruments/indexlist?exchangeSegment=1`)).status).toBe(404);
    });

    it(profile.login.mode === "access-token" ? "logs in with the access token, and a login without it is refused" : "logs in with the key and secret alone", async () => {
      const logins = h.gw.sandbox.control.requests().filter((r) => (r.base === "interactive" || r.base === "hostlookup-interactive") && r.method === "POST" && r.path === "/user/session" && r.status === 200);
      expect(logins.length).toBeGreaterThan(0);
      const body = logins[0]!.body as Record<string, unknown>;
      if (profile.login.mode === "access-token") {
        // The sandbox's log redacts it, as the gateway's does.
        expect(body["accessToken"]).toBe("[redacted]");
        const bare = await fetch(`${h.gw.sandbox.url}/interactive/user/session`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ appKey: h.gw.sandbox.options.interactiveKey, secretKey: h.gw.sandbox.options.interactiveSecret, source: "WEBAPI" }),
        });
        expect(bare.status).toBe(400);
        expect(await bare.json()).toMatchObject({ type: "error", code: "e-user-0006" });
      } else {
        expect(body).not.toHaveProperty("accessToken");
      }
    });

    it("places a MARKET order that shows in the order book and the positions, and quotes it", async () => {
      const equity = h.picks.equity;
      const placed = expectSuccess(await h.post("placeorder", { apikey: h.key, strategy: "e2e", symbol: equity.symbol, exchange: "NSE", action: "BUY", pricetype: "MARKET", product: "MIS", quantity: "1" }));
      expect(h.gw.sandbox.control.orders().find((o) => String(o.AppOrderID) === placed["orderid"])).toMatchObject({ OrderType: "Market", OrderStatus: "Filled" });
      const book = expectSuccess(await h.post("orderbook", { apikey: h.key }))["data"] as { orders: { orderid: string; symbol: string }[] };
      expect(book.orders.find((o) => o.orderid === placed["orderid"])?.symbol).toBe(equity.symbol);
      const positions = expectSuccess(await h.post("positionbook", { apikey: h.key }))["data"] as { symbol: string; quantity: string | number }[];
      expect(positions.find((p) => p.symbol === equity.symbol)).toBeDefined();
      const quote = expectSuccess(await h.post("quotes", { apikey: h.key, symbol: equity.symbol, exchange: "NSE" }))["data"] as { ltp: number };
      expect(quote.ltp).toBeGreaterThan(0);
    });

    it("streams a live tick through OpenAlgo's WebSocket from the market socket at the profile's socket root", async () => {
      await until("the XTS market socket connected", () => (h.gw.streams!.market.connected ? true : undefined), { timeoutMs: 10_000 });
      const c = await WsClient.open(ws.url!);
      try {
        expect((await c.authenticate(h.key)).status).toBe("success");
        const symbol = h.picks.equity.symbol;
        const reply = await c.request({ action: "subscribe", symbols: [{ symbol, exchange: "NSE" }], mode: "LTP" }, "subscribe");
        expect(reply).toMatchObject({ status: "success", subscriptions: [{ symbol, status: "success", broker: profile.name }] });
        const tick = await c.next((m) => m.type === "market_data" && m["symbol"] === symbol, { timeoutMs: 3000, what: `an LTP tick for ${symbol}` });
        expect((tick["data"] as { ltp: number }).ltp).toBeGreaterThan(0);
      } finally {
        c.close();
      }
    });
  });
}

describe("two profiles in one database", () => {
  it("keep their contracts apart under their own names, each refreshed without touching the other's", async () => {
    const iifl = await startTestGateway({ env: { XTSBRIDGE_PROFILE: "iifl" } });
    const ibulls = await startTestGateway({ env: { XTSBRIDGE_PROFILE: "ibulls" }, dbPath: iifl.dbPath });
    try {
      expect((await iifl.master.refresh()).status).toBe("success");
      const iiflRows = await iifl.store.loadBroker("iifl");
      expect((await ibulls.master.refresh()).status).toBe("success");
      expect(await ibulls.store.loadBroker("iifl")).toEqual(iiflRows);
      const counts = await ibulls.store.countByExchange("ibulls");
      // Ibulls' master has no CDS segment; IIFL's has.
      expect(counts["CDS"]).toBeUndefined();
      expect((await iifl.store.countByExchange("iifl"))["CDS"]).toBeGreaterThan(0);
      expect((await ibulls.master.status()).broker).toBe("ibulls");
    } finally {
      await ibulls.close();
      await iifl.close();
    }
  });
});
