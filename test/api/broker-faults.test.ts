import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { expectError, expectSuccess, inject, ltpOf, restingBuyPrice, startApi, type ApiHarness } from "./harness.js";
import { until } from "../support/poll.js";

const ORDER_MS = 400;
const READ_MS = 1000;

/** Broker failures injected at the sandbox, seen through the API: the documented statuses, never a 500. */
describe("broker faults through the API", () => {
  let h: ApiHarness;
  /** Finds a lost order with two quick book reads, so an unfound one is reported fast. */
  let quick: FastifyInstance;
  beforeAll(async () => {
    h = await startApi({ gateway: { timeouts: { orderMs: ORDER_MS, readMs: READ_MS } } });
    quick = h.app2({ orders: { reconcileAttempts: 2, reconcileDelayMs: 20 } });
  }, 60_000);
  afterAll(async () => h?.close());
  beforeEach(() => {
    h.gw.sandbox.control.clearFaults();
    h.gw.sandbox.control.clearRequests();
    h.gw.sandbox.control.reset();
  });

  const control = () => h.gw.sandbox.control;
  const order = (over: Record<string, unknown> = {}) => ({
    apikey: h.key, strategy: "Python", symbol: h.picks.equity.symbol, action: "BUY", exchange: "NSE", pricetype: "MARKET", product: "MIS", quantity: "1", ...over,
  });
  const placeOrders = { method: "POST", path: "/orders" } as const;

  describe("placing an order", () => {
    it("XTS 429 → 429 XTS_RATE_LIMITED, passing on the broker's Retry-After; nothing placed", async () => {
      control().inject({ match: placeOrders, action: { type: "status", status: 429, retryAfterSeconds: 7 } });
      const res = await h.post("placeorder", order());
      const body = expectError(res, 429, "XTS_RATE_LIMITED", /rate limited/);
      expect(body["retry_after"]).toBe(7);
      expect(res.headers["retry-after"]).toBe("7");
      control().inject({ match: placeOrders, action: { type: "status", status: 429 } });
      const bare = await h.post("placeorder", order());
      expect(expectError(bare, 429, "XTS_RATE_LIMITED")["retry_after"]).toBeUndefined();
      expect(control().orders()).toHaveLength(0);
    });

    it("XTS refuses the order (price outside the band) → 400 with the broker's description and code", async () => {
      const fut = h.picks.future;
      const far = Math.round((await ltpOf(h, fut)) * 3 / fut.tick_size) * fut.tick_size;
      const res = await h.post("placeorder", order({ symbol: fut.symbol, exchange: "NFO", quantity: String(fut.lotsize), pricetype: "LIMIT", price: far.toFixed(2), product: "NRML" }));
      const body = expectError(res, 400, "XTS_REJECTED", /e-orders-0021: .*outside the price band/);
      expect(body["broker_code"]).toBe("e-orders-0021");
    });

    it("answer lost after XTS accepted it (drop-after-processing) → 200 with the real orderid, found in the book; exactly one order", async () => {
      control().inject({ match: placeOrders, action: { type: "drop-after-processing" } });
      const body = expectSuccess(await h.post("placeorder", order()));
      expect(body["reconciled"]).toBe(true);
      expect(body["orderid"]).toMatch(/^\d+$/);
      expect(control().orders()).toHaveLength(1);
      expect(String(control().orders()[0]!.AppOrderID)).toBe(body["orderid"]);
      expect(control().requests().filter((r) => r.method === "POST" && r.path === "/orders")).toHaveLength(1);
    });

    it("connection dropped and the order is not in the book → 504 ORDER_OUTCOME_UNKNOWN with its order_unique_identifier; never resent", async () => {
      control().inject({ match: placeOrders, action: { type: "drop" } });
      const res = await inject(quick, "placeorder", order());
      const body = expectError(res, 504, "ORDER_OUTCOME_UNKNOWN", /may or may not have been placed: check the order book for order_unique_identifier/);
      // The tag is the request id, so the log line of this request and the order can be matched.
      expect(body["order_unique_identifier"]).toBe(`X${String(res.headers["x-request-id"])}`);
      expect(body["message"]).toContain(String(body["order_unique_identifier"]));
      expect(control().orders()).toHaveLength(0);
      expect(control().requests().filter((r) => r.method === "POST" && r.path === "/orders")).toHaveLength(1);
    });

    it("no answer within the order timeout (delay) → 504 ORDER_OUTCOME_UNKNOWN; the order found later in the orderbook by its tag", async () => {
      control().inject({ match: placeOrders, action: { type: "delay", ms: ORDER_MS + 800 } });
      const started = Date.now();
      const body = expectError(await inject(quick, "placeorder", order()), 504, "ORDER_OUTCOME_UNKNOWN", new RegExp(`no answer within ${ORDER_MS} ms`));
      expect(Date.now() - started).toBeLessThan(ORDER_MS + 1000);
      const tag = body["order_unique_identifier"];
      // What the message tells the client to do: look for the tag in the order book (poll with a deadline).
      const found = await until(
        "the order to show in the book",
        async () => (expectSuccess(await h.post("orderbook", { apikey: h.key }))["data"] as { orders: Record<string, unknown>[] }).orders.find((o) => o["order_unique_identifier"] === tag),
        { timeoutMs: 5000, everyMs: 50 },
      );
      expect(found).toMatchObject({ order_status: "complete", orderid: expect.stringMatching(/^\d+$/) });
      expect(control().orders()).toHaveLength(1);
    });

    it("XTS 5xx on the order POST → 504 ORDER_OUTCOME_UNKNOWN with the broker's words (a 5xx after sending is unknown, not rejected)", async () => {
      control().inject({ match: placeOrders, action: { type: "status", status: 503, body: "json" } });
      const body = expectError(await inject(quick, "placeorder", order()), 504, "ORDER_OUTCOME_UNKNOWN", /HTTP 503 \(e-sandbox-503: /);
      expect(body["order_unique_identifier"]).toMatch(/^X/);
      expect(control().orders()).toHaveLength(0);
    });

    it("Invalid Token on the order POST → 502 XTS_SESSION_EXPIRED, not resent; the next order goes through on the renewed session", async () => {
      control().inject({ match: placeOrders, action: { type: "invalid-token", httpStatus: 200 } });
      expectError(await h.post("placeorder", order()), 502, "XTS_SESSION_EXPIRED", /not resent/);
      expect(control().orders()).toHaveLength(0);
      expectSuccess(await h.post("placeorder", order()));
      expect(control().orders()).toHaveLength(1);
    });
  });

  describe("modify and cancel with a lost answer name what may have happened", () => {
    async function resting(): Promise<{ orderid: string; price: number }> {
      const price = restingBuyPrice(await ltpOf(h, h.picks.equity), h.picks.equity.tick_size);
      const body = expectSuccess(await h.post("placeorder", order({ pricetype: "LIMIT", price: String(price) })));
      return { orderid: body["orderid"] as string, price };
    }

    it("modifyorder dropped → 504 'may or may not have been modified', with the orderid", async () => {
      const { orderid, price } = await resting();
      control().inject({ match: { method: "PUT", path: "/orders" }, action: { type: "drop" } });
      const modify = order({ orderid, pricetype: "LIMIT", price: String(price), disclosed_quantity: "0", trigger_price: "0", quantity: "2" });
      const body = expectError(await h.post("modifyorder", modify), 504, "ORDER_OUTCOME_UNKNOWN", /may or may not have been modified/);
      expect(body["orderid"]).toBe(orderid);
      expect(body["message"]).not.toMatch(/placed/);
    });

    it("cancelorder dropped → 504 'may or may not have been cancelled', with the orderid", async () => {
      const { orderid } = await resting();
      control().inject({ match: { method: "DELETE", path: "/orders" }, action: { type: "drop" } });
      const body = expectError(await h.post("cancelorder", { apikey: h.key, strategy: "Python", orderid }), 504, "ORDER_OUTCOME_UNKNOWN", /may or may not have been cancelled/);
      expect(body["orderid"]).toBe(orderid);
    });
  });

  describe("reads", () => {
    it("XTS 5xx on every retry → 502 XTS_UNAVAILABLE with the broker's words", async () => {
      control().inject({ match: { method: "GET", path: "/orders" }, times: 20, action: { type: "status", status: 503, body: "json" } });
      expectError(await h.post("orderbook", { apikey: h.key }), 502, "XTS_UNAVAILABLE", /HTTP 503.*e-sandbox-503: /);
      control().clearFaults();
      control().inject({ match: { method: "GET", path: "/user/balance" }, times: 20, action: { type: "status", status: 500 } });
      expectError(await h.post("funds", { apikey: h.key }), 502, "XTS_UNAVAILABLE", /HTTP 500/);
      control().clearFaults();
      control().inject({ match: { path: "/instruments/quotes" }, times: 20, action: { type: "status", status: 502 } });
      expectError(await h.post("quotes", { apikey: h.key, symbol: h.picks.equity.symbol, exchange: "NSE" }), 502, "XTS_UNAVAILABLE");
    });

    it("XTS 5xx with an HTML page → 502 whose message carries the page's title", async () => {
      control().inject({ match: { method: "GET", path: "/user/balance" }, times: 20, action: { type: "status", status: 503, body: "html" } });
      expectError(await h.post("funds", { apikey: h.key }), 502, "XTS_UNAVAILABLE", /HTTP 503.*Service Temporarily Unavailable/);
    });

    it("one 5xx is retried away: the read succeeds", async () => {
      control().inject({ match: { method: "GET", path: "/portfolio/positions" }, action: { type: "status", status: 502 } });
      expectSuccess(await h.post("positionbook", { apikey: h.key }));
    });

    it("XTS 429 on every retry → 429 XTS_RATE_LIMITED", async () => {
      control().inject({ match: { method: "GET", path: "/orders/trades" }, times: 20, action: { type: "status", status: 429 } });
      expectError(await h.post("tradebook", { apikey: h.key }), 429, "XTS_RATE_LIMITED");
    });

    it("no answer within the read timeout → 504 XTS_TIMEOUT", async () => {
      control().inject({ match: { method: "GET", path: "/portfolio/holdings" }, action: { type: "delay", ms: READ_MS + 1000 } });
      expectError(await h.post("holdings", { apikey: h.key }), 504, "XTS_TIMEOUT", new RegExp(`timed out after ${READ_MS} ms`));
    });
  });
});
