import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/create-sandbox.js";
import { OrderOutcomeUnknownError } from "../../src/xts/client/index.js";
import type { XtsBridgeError } from "../../src/errors.js";
import { eventually } from "../support/poll.js";
import {
  caught,
  cashStock,
  expectNoSecrets,
  harness,
  logins,
  marketOrder,
  ordersTagged,
  requestsTo,
  restingOrder,
  startSandbox,
  type Harness,
} from "./xts-harness.js";

/**
 * Orders are never resent (DESIGN invariant 5): every fault on an order call ends in one request
 * and a definite error; a request that may have reached XTS is ORDER_OUTCOME_UNKNOWN.
 */
let sandbox: Sandbox;
let h: Harness;
const errors: XtsBridgeError[] = [];
const ORDER_TIMEOUT_MS = 300;

beforeAll(async () => {
  sandbox = await startSandbox();
  h = harness(sandbox, { timeouts: { orderMs: ORDER_TIMEOUT_MS } });
  await h.client.interactive.login();
});

afterAll(async () => {
  // No order request was ever sent twice, across every test in this file.
  const tags = requestsTo(sandbox, "POST", "/orders").map((request) => (request.body as { orderUniqueIdentifier: string }).orderUniqueIdentifier);
  expect(tags.length).toBeGreaterThan(0);
  expect(new Set(tags).size).toBe(tags.length);
  expectNoSecrets(h, errors);
  await sandbox.close();
});

beforeEach(() => {
  sandbox.control.clearFaults();
});

async function failure(promise: Promise<unknown>): Promise<XtsBridgeError> {
  const error = await caught(promise);
  errors.push(error);
  return error;
}

function postsTagged(tag: string): number {
  return requestsTo(sandbox, "POST", "/orders").filter((r) => (r.body as { orderUniqueIdentifier?: string }).orderUniqueIdentifier === tag).length;
}


describe("placeOrder faults", () => {
  it.each([
    [500, "html"],
    [502, "html"],
    [503, "json"],
    [504, "html"],
  ] as const)("HTTP %i (%s body) is an unknown outcome carrying the orderUniqueIdentifier, not resent", async (status, body) => {
    const tag = `of-${status}`;
    sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "status", status, body } });
    const error = await failure(h.client.interactive.placeOrder(marketOrder(cashStock(), tag)));
    expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
    expect(error).toMatchObject({ code: "ORDER_OUTCOME_UNKNOWN", retry: "unsafe", orderUniqueIdentifier: tag, appOrderID: null });
    expect(postsTagged(tag)).toBe(1);
    expect(h.delays).toEqual([]);
  });

  it("HTTP 429 is XTS_RATE_LIMITED with Retry-After, not retried", async () => {
    sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "status", status: 429, retryAfterSeconds: 2 } });
    const error = await failure(h.client.interactive.placeOrder(marketOrder(cashStock(), "of-429")));
    expect(error).toMatchObject({ code: "XTS_RATE_LIMITED", retryAfterMs: 2000 });
    expect(postsTagged("of-429")).toBe(1);
    expect(h.delays).toEqual([]);
  });

  it("a dropped connection (request not processed) is an unknown outcome; the book shows no order", async () => {
    sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "drop" } });
    const error = await failure(h.client.interactive.placeOrder(marketOrder(cashStock(), "of-drop")));
    expect(error).toMatchObject({ code: "ORDER_OUTCOME_UNKNOWN", orderUniqueIdentifier: "of-drop" });
    expect(postsTagged("of-drop")).toBe(1);
    expect(ordersTagged(sandbox, "of-drop")).toEqual([]);
  });

  it("a connection dropped after the order was accepted is an unknown outcome, resolved from the order book", async () => {
    sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "drop-after-processing" } });
    const error = await failure(h.client.interactive.placeOrder(marketOrder(cashStock(), "of-dap")));
    expect(error).toMatchObject({ code: "ORDER_OUTCOME_UNKNOWN", orderUniqueIdentifier: "of-dap" });
    expect(postsTagged("of-dap")).toBe(1);
    const book = await h.client.interactive.orderBook();
    expect(book.filter((order) => order.OrderUniqueIdentifier === "of-dap")).toHaveLength(1);
  });

  it("no answer within the order timeout is an unknown outcome; the order may still land", async () => {
    sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "delay", ms: ORDER_TIMEOUT_MS + 400 } });
    const error = await failure(h.client.interactive.placeOrder(marketOrder(cashStock(), "of-slow")));
    expect(error).toMatchObject({ code: "ORDER_OUTCOME_UNKNOWN", orderUniqueIdentifier: "of-slow" });
    expect(error.message).toContain(`${ORDER_TIMEOUT_MS} ms`);
    await eventually("the slow order to land", () => ordersTagged(sandbox, "of-slow").length === 1, { timeoutMs: 5000 });
    expect(postsTagged("of-slow")).toBe(1);
  });

  it.each([200, 400] as const)("'Invalid Token' (HTTP %i) is XTS_SESSION_EXPIRED: not resent, but the next order goes through", async (httpStatus) => {
    const before = logins(sandbox);
    const tag = `of-it-${httpStatus}`;
    sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "invalid-token", httpStatus } });
    const error = await failure(h.client.interactive.placeOrder(marketOrder(cashStock(), tag)));
    expect(error).toMatchObject({ code: "XTS_SESSION_EXPIRED", retry: "safe" });
    expect(postsTagged(tag)).toBe(1);
    expect(ordersTagged(sandbox, tag)).toEqual([]);
    expect(logins(sandbox)).toBe(before + 1);
    const next = await h.client.interactive.placeOrder(marketOrder(cashStock(), `${tag}-next`));
    expect(next.AppOrderID).toBeGreaterThan(0);
    expect(logins(sandbox)).toBe(before + 1);
  });

  it("an order sent with a session another client ended is XTS_SESSION_EXPIRED, not resent", async () => {
    const other = harness(sandbox);
    await other.client.interactive.login();
    const error = await failure(h.client.interactive.placeOrder(marketOrder(cashStock(), "of-stolen")));
    expect(error.code).toBe("XTS_SESSION_EXPIRED");
    expect(postsTagged("of-stolen")).toBe(1);
    expect(ordersTagged(sandbox, "of-stolen")).toEqual([]);
  });

  it("after a second client ends the session, reads recover by re-login but a timed-out order is unknown, not retried", async () => {
    const other = harness(sandbox);
    await other.client.interactive.login();
    const before = logins(sandbox);
    expect(Array.isArray(await h.client.interactive.tradeBook())).toBe(true);
    expect(logins(sandbox)).toBe(before + 1);
    sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "delay", ms: ORDER_TIMEOUT_MS + 400 } });
    const error = await failure(h.client.interactive.placeOrder(marketOrder(cashStock(), "of-takeover")));
    expect(error).toMatchObject({ code: "ORDER_OUTCOME_UNKNOWN", orderUniqueIdentifier: "of-takeover" });
    expect(postsTagged("of-takeover")).toBe(1);
    expect(logins(sandbox)).toBe(before + 1);
    await eventually("the order to land", () => ordersTagged(sandbox, "of-takeover").length === 1, { timeoutMs: 5000 });
  });
});

describe("modifyOrder, cancelOrder and cancelAll faults", () => {
  async function resting(tag: string): Promise<number> {
    return (await h.client.interactive.placeOrder(restingOrder(sandbox, cashStock(), tag))).AppOrderID;
  }

  it("a modify whose connection drops after processing is unknown, carrying appOrderID, sent once", async () => {
    const appOrderID = await resting("of-mod");
    sandbox.control.inject({ match: { method: "PUT", path: "/orders" }, action: { type: "drop-after-processing" } });
    const order = restingOrder(sandbox, cashStock(), "of-mod");
    const error = await failure(
      h.client.interactive.modifyOrder({
        appOrderID,
        modifiedProductType: "MIS",
        modifiedOrderType: "LIMIT",
        modifiedOrderQuantity: order.orderQuantity + 1,
        modifiedDisclosedQuantity: 0,
        modifiedLimitPrice: order.limitPrice,
        modifiedStopPrice: 0,
        modifiedTimeInForce: "DAY",
        orderUniqueIdentifier: "of-mod",
      }),
    );
    expect(error).toMatchObject({ code: "ORDER_OUTCOME_UNKNOWN", orderUniqueIdentifier: "of-mod", appOrderID });
    expect(requestsTo(sandbox, "PUT", "/orders").filter((r) => (r.body as { appOrderID: number }).appOrderID === appOrderID)).toHaveLength(1);
  });

  it.each([
    ["HTTP 502", { type: "status", status: 502 } as const],
    ["a timeout", { type: "delay", ms: ORDER_TIMEOUT_MS + 400 } as const],
    ["a dropped connection", { type: "drop" } as const],
  ])("a cancel that meets %s is unknown, carrying appOrderID, sent once", async (_name, action) => {
    const tag = `of-cxl-${action.type}`;
    const appOrderID = await resting(tag);
    sandbox.control.inject({ match: { method: "DELETE", path: "/orders" }, action });
    const error = await failure(h.client.interactive.cancelOrder(appOrderID, tag));
    expect(error).toMatchObject({ code: "ORDER_OUTCOME_UNKNOWN", orderUniqueIdentifier: tag, appOrderID });
    expect(requestsTo(sandbox, "DELETE", "/orders").filter((r) => r.query["appOrderID"] === String(appOrderID))).toHaveLength(1);
  });

  it.each([
    ["HTTP 503", "XTS_UNAVAILABLE", "unsafe", { type: "status", status: 503 } as const],
    ["a dropped connection", "XTS_UNAVAILABLE", "unsafe", { type: "drop-after-processing" } as const],
    ["a timeout", "XTS_TIMEOUT", "unsafe", { type: "delay", ms: ORDER_TIMEOUT_MS + 400 } as const],
    ["'Invalid Token'", "XTS_SESSION_EXPIRED", "safe", { type: "invalid-token", httpStatus: 200 } as const],
    ["HTTP 429", "XTS_RATE_LIMITED", "safe", { type: "status", status: 429 } as const],
  ])("cancelAll meeting %s fails with %s (retry %s) and is sent once", async (_name, code, retry, action) => {
    const before = requestsTo(sandbox, "POST", "/orders/cancelall").length;
    sandbox.control.inject({ match: { path: "/orders/cancelall" }, action });
    const error = await failure(h.client.interactive.cancelAll("NSECM", cashStock().token));
    expect([error.code, error.retry]).toEqual([code, retry]);
    expect(requestsTo(sandbox, "POST", "/orders/cancelall").length).toBe(before + 1);
  });
});

describe("connection failures before and after sending", () => {
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it("an order that cannot connect was never sent: XTS_UNAVAILABLE, safe to retry", async () => {
    const port = await closedPort();
    // Logins reach the sandbox; order calls go to a port nobody listens on.
    const refusing = harness(sandbox, {
      fetch: (input, init) => {
        const url = new URL(String(input));
        if (url.pathname.endsWith("/orders")) url.port = String(port);
        return fetch(url, init);
      },
    });
    const error = await failure(refusing.client.interactive.placeOrder(marketOrder(cashStock(), "of-refused")));
    expect(error).toMatchObject({ code: "XTS_UNAVAILABLE", retry: "safe" });
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(refusing.delays).toEqual([]);
  });

  it("a pooled connection the server closed cannot be told apart from a drop after sending: unknown", async () => {
    const gone = await startSandbox();
    const client = harness(gone);
    await client.client.interactive.login();
    await gone.close();
    const error = await failure(client.client.interactive.placeOrder(marketOrder(cashStock(), "of-stale-socket")));
    expect(error).toMatchObject({ code: "ORDER_OUTCOME_UNKNOWN", orderUniqueIdentifier: "of-stale-socket" });
  });
});
