import { describe, expect, it } from "vitest";
import type { FetchFunction } from "../../src/xts/client/index.js";
import { caught, cashStock, expectNoSecrets, harness, marketOrder, requestsTo, xtsFixture, type Harness } from "./xts-harness.js";

const READ_TIMEOUT_MS = 300;

const { sandbox, h } = xtsFixture({ harness: { timeouts: { readMs: READ_TIMEOUT_MS } }, login: true });

const bookReads = () => requestsTo(sandbox, "GET", "/orders");

describe("book reads under faults", () => {
  it.each([
    ["HTTP 503 (HTML)", { type: "status", status: 503 } as const],
    ["HTTP 500 (JSON)", { type: "status", status: 500, body: "json" } as const],
    ["a dropped connection", { type: "drop" } as const],
    ["a connection dropped after processing", { type: "drop-after-processing" } as const],
  ])("%s is retried with backoff", async (_name, action) => {
    sandbox.control.inject({ match: { method: "GET", path: "/orders" }, action });
    expect(await h.client.interactive.orderBook()).toEqual([]);
    expect(bookReads()).toHaveLength(2);
    expect(h.delays).toEqual([100]);
  });

  it("backs off exponentially (full jitter) and stops after maxAttempts with XTS_UNAVAILABLE", async () => {
    sandbox.control.inject({ match: { method: "GET", path: "/orders" }, times: 3, action: { type: "status", status: 504 } });
    const error = await caught(h.client.interactive.orderBook());
    expect(error).toMatchObject({ code: "XTS_UNAVAILABLE", retry: "safe", details: { httpStatus: 504 } });
    expect(bookReads()).toHaveLength(3);
    expect(h.delays).toEqual([100, 200]);
  });

  it("honours Retry-After on 429, and reports XTS_RATE_LIMITED with it when the limit persists", async () => {
    sandbox.control.inject({ match: { path: "/orders/trades" }, action: { type: "status", status: 429, retryAfterSeconds: 2 } });
    expect(await h.client.interactive.tradeBook()).toEqual([]);
    expect(h.delays).toEqual([2000]);
    sandbox.control.inject({ match: { path: "/orders/trades" }, times: 3, action: { type: "status", status: 429, retryAfterSeconds: 1 } });
    const error = await caught(h.client.interactive.tradeBook());
    expect(error).toMatchObject({ code: "XTS_RATE_LIMITED", retryAfterMs: 1000 });
  });

  it("honours Retry-After on a 503 too", async () => {
    sandbox.control.inject({ match: { path: "/user/balance" }, action: { type: "status", status: 503, retryAfterSeconds: 3 } });
    expect((await h.client.interactive.balance()).limitHeader).toBe("ALL|ALL|ALL");
    expect(h.delays).toEqual([3000]);
  });

  it("a Retry-After beyond the backoff cap is not waited for", async () => {
    sandbox.control.inject({ match: { path: "/orders/trades" }, action: { type: "status", status: 429, retryAfterSeconds: 600 } });
    const error = await caught(h.client.interactive.tradeBook());
    expect(error).toMatchObject({ code: "XTS_RATE_LIMITED", retryAfterMs: 600_000 });
    expect(h.delays).toEqual([]);
  });

  it("a read slower than its timeout is XTS_TIMEOUT and is not repeated", async () => {
    sandbox.control.inject({ match: { path: "/portfolio/positions" }, action: { type: "delay", ms: READ_TIMEOUT_MS + 300 } });
    const error = await caught(h.client.interactive.positions());
    expect(error).toMatchObject({ code: "XTS_TIMEOUT", retry: "safe", details: { timeoutMs: READ_TIMEOUT_MS } });
    expect(requestsTo(sandbox, "GET", "/portfolio/positions")).toHaveLength(1);
  });

  it("reads the book after orders exist", async () => {
    await h.client.interactive.placeOrder(marketOrder(cashStock(), "rf-1"));
    expect((await h.client.interactive.orderBook()).some((order) => order.OrderUniqueIdentifier === "rf-1")).toBe(true);
  });
});

describe("bodies that are not XTS answers", () => {
  function replacing(path: string, response: () => Response): Harness {
    const fake: FetchFunction = (input, init) =>
      new URL(String(input)).pathname.endsWith(path) ? Promise.resolve(response()) : fetch(input, init);
    return harness(sandbox, { fetch: fake });
  }
  const json = (text: string, status = 200) => () => new Response(text, { status, headers: { "content-type": "application/json" } });

  it.each([
    ["an HTML page with HTTP 200", () => new Response("<html><title>Login</title></html>", { headers: { "content-type": "text/html" } }), /not JSON.*Login/],
    ["truncated JSON", json('{"type":"success","code":"s-orders-0001","result":[{"AppOr'), /malformed or truncated/],
    ["a success without the list", json('{"type":"success","code":"s","description":"d","result":{"x":1}}'), /not a list/],
    ["a record without AppOrderID", json('{"type":"success","code":"s","description":"d","result":[{"OrderStatus":"New"}]}'), /AppOrderID/],
    ["an nginx 404 page", () => new Response("<html><head><title>404 Not Found</title></head></html>", { status: 404, headers: { "content-type": "text/html" } }), /404 Not Found/],
  ])("%s is XTS_BAD_RESPONSE", async (_name, response, message) => {
    const client = replacing("/orders", response);
    const error = await caught(client.client.interactive.orderBook());
    expect(error.code).toBe("XTS_BAD_RESPONSE");
    expect(error.message).toMatch(message);
    expectNoSecrets(client, [error]);
  });

  it("an order answered with an unreadable 200 body is an unknown outcome", async () => {
    const client = replacing("/orders", json('{"type":"success","code":"s-orders-0001","description":"Request sent","result":{}}'));
    const error = await caught(client.client.interactive.placeOrder(marketOrder(cashStock(), "rf-unreadable")));
    expect(error).toMatchObject({ code: "ORDER_OUTCOME_UNKNOWN", orderUniqueIdentifier: "rf-unreadable" });
  });

  it("a login answered without a token is XTS_BAD_RESPONSE", async () => {
    const client = replacing("/user/session", json('{"type":"success","code":"s-user-0001","description":"Valid User.","result":{"userID":"X","isInvestorClient":true}}'));
    const error = await caught(client.client.interactive.login());
    expect(error.code).toBe("XTS_BAD_RESPONSE");
    expect(error.message).toMatch(/token/);
  });
});

describe("logging", () => {
  it("logs each call at debug with method, path, status and duration, and never a secret or token", async () => {
    const client = harness(sandbox);
    await client.client.interactive.profile();
    await client.client.market.indexList(1);
    const lines = client
      .logText()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const calls = lines.filter((line) => line["msg"] === "xts call");
    expect(calls.map((line) => `${String(line["method"])} ${String(line["path"])} ${String(line["status"])}`)).toEqual([
      "POST /hostlookup 200",
      "POST /5interactive/user/session 200",
      "GET /5interactive/user/profile 200",
      "POST /apibinarymarketdata/auth/login 200",
      "GET /apibinarymarketdata/instruments/indexlist 200",
    ]);
    expect(calls.every((line) => line["level"] === 20 && typeof line["durationMs"] === "number")).toBe(true);
    expect(client.tokensSent.size).toBe(2);
    expectNoSecrets(client);
    expect(client.logText()).not.toMatch(/authorization|secretKey|appKey/i);
  });
});
