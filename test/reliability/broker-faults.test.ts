import type { ErrorCode } from "../../src/errors.js";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiKeys } from "../../src/api/api-keys.js";
import { buildApp } from "../../src/api/app.js";
import { appDeps } from "../../src/cli/gateway.js";
import { httpStatusFor } from "../../src/api/error-status.js";
import type { GeneratedInstrument } from "../../src/sandbox/master/master-generator.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { until } from "./support/contract.js";

/**
 * Broker faults during live traffic through the HTTP app: every failure leaves as its documented
 * code and status, no order is ever sent twice or doubled at the broker, and the same app
 * instance serves normally again once the fault clears (DESIGN invariant 5).
 */

const ORDER_TIMEOUT_MS = 300;

interface Answer {
  readonly status: number;
  readonly body: { status: string; code?: string; orderid?: string; order_unique_identifier?: string; message?: string; data?: unknown };
}

let gw: TestGateway;
let app: FastifyInstance;
let apikey: string;
let stock: GeneratedInstrument;

beforeAll(async () => {
  gw = await startTestGateway({ sandbox: { instruments: 3000 }, timeouts: { orderMs: ORDER_TIMEOUT_MS, readMs: 1000 } });
  const report = await gw.master.refresh();
  expect(report.status, report.message).toBe("success");
  const apiKeys = new ApiKeys(gw.store);
  apikey = (await apiKeys.create("reliability")).key;
  app = buildApp(
    appDeps(gw, {
      apiKeys,
      // The gateway's own per-key limits are not under test here: XTS's are.
      limits: { ordersPerSecond: 100_000, smartOrdersPerSecond: 100_000, othersPerSecond: 100_000 },
    }),
  );
  stock = gw.sandbox.master.instruments.find((i) => i.exchange === "NSE" && i.kind === "cash" && i.referencePrice > 1 && i.referencePrice < 5000)!;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await gw?.close();
});

beforeEach(() => {
  gw.sandbox.control.clearFaults();
  gw.sandbox.control.reset();
  gw.sandbox.control.clearRequests();
});

async function call(path: string, body: Record<string, unknown>): Promise<Answer> {
  const res = await app.inject({ method: "POST", url: `/api/v1/${path}`, payload: { apikey, ...body } });
  return { status: res.statusCode, body: res.json() as Answer["body"] };
}

const placeOrder = (): Promise<Answer> =>
  call("placeorder", { strategy: "reliability", symbol: stock.symbol, exchange: "NSE", action: "BUY", quantity: String(stock.lotSize), pricetype: "MARKET", product: "MIS" });

/** Runs `count` orders, at most `concurrency` at a time; `after(n)` runs when the n-th answer is in. */
async function burst(count: number, concurrency: number, after?: (answered: number) => void): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      answers.push(await placeOrder());
      after?.(answers.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return answers;
}

const postsToOrders = () => gw.sandbox.control.requests().filter((r) => r.method === "POST" && r.path === "/orders");
const tagOf = (body: unknown): string => String((body as { orderUniqueIdentifier?: unknown }).orderUniqueIdentifier);

/**
 * The no-duplicate audit: each order tag was POSTed to XTS at most once, the sandbox holds at
 * most one order per tag, and every success names a distinct order the sandbox really holds.
 */
function expectNoDuplicates(answers: readonly Answer[]): void {
  const posted = postsToOrders().map((r) => tagOf(r.body));
  expect(new Set(posted).size, "an order tag was POSTed twice").toBe(posted.length);
  const orders = gw.sandbox.control.orders();
  const tags = orders.map((o) => o.OrderUniqueIdentifier);
  expect(new Set(tags).size, "the broker holds two orders with one tag").toBe(tags.length);
  expect(orders.length).toBeLessThanOrEqual(answers.length);
  const ok = answers.filter((a) => a.status === 200).map((a) => a.body.orderid);
  expect(new Set(ok).size).toBe(ok.length);
  const held = new Set(orders.map((o) => String(o.AppOrderID)));
  for (const id of ok) expect(held.has(String(id)), `orderid ${id} answered but not at the broker`).toBe(true);
}

/** Every error answer carries a documented code with the status error-status.ts gives it. */
function expectDocumented(answers: readonly Answer[], allowed: readonly string[]): void {
  for (const a of answers) {
    if (a.status === 200) {
      expect(a.body.status).toBe("success");
      continue;
    }
    expect(a.body.status).toBe("error");
    expect(allowed, JSON.stringify(a.body)).toContain(a.body.code);
    expect(a.status).toBe(httpStatusFor(a.body.code as ErrorCode));
  }
}

async function expectRecovered(): Promise<void> {
  const before = gw.sandbox.control.orders().length;
  const answers = await burst(5, 5);
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
  expect(gw.sandbox.control.orders().length).toBe(before + 5);
  expect((await call("orderbook", {})).status).toBe(200);
}

describe("XTS answers 429 for a while", () => {
  it("every order is XTS_RATE_LIMITED (429), none is placed or resent, and orders go through once it stops", async () => {
    gw.sandbox.control.inject({ match: { method: "POST", path: "/orders" }, times: 30, action: { type: "status", status: 429, retryAfterSeconds: 1 } });
    const answers = await burst(30, 6);
    expect(answers.every((a) => a.status === 429 && a.body.code === "XTS_RATE_LIMITED")).toBe(true);
    expect(postsToOrders()).toHaveLength(30);
    expect(gw.sandbox.control.orders()).toHaveLength(0);
    expectNoDuplicates(answers);
    await expectRecovered();
  });

  it("reads retry within their budget, then report XTS_RATE_LIMITED (429); the next read answers", async () => {
    gw.sandbox.control.inject({ match: { method: "GET", path: "/orders" }, times: 2, action: { type: "status", status: 429 } });
    expect((await call("orderbook", {})).status).toBe(200);
    gw.sandbox.control.inject({ match: { method: "GET", path: "/orders" }, times: 50, action: { type: "status", status: 429, retryAfterSeconds: 1 } });
    const limited = await call("orderbook", {});
    expect(limited).toMatchObject({ status: 429, body: { status: "error", code: "XTS_RATE_LIMITED" } });
    gw.sandbox.control.clearFaults();
    await expectRecovered();
  });
});

describe("a burst of 5xx", () => {
  it("orders that got a 5xx are ORDER_OUTCOME_UNKNOWN (504) with their tag, the rest succeed, nothing is doubled", async () => {
    gw.sandbox.control.inject({ match: { method: "POST", path: "/orders" }, times: 3, action: { type: "status", status: 500 } });
    gw.sandbox.control.inject({ match: { method: "POST", path: "/orders" }, times: 3, action: { type: "status", status: 502 } });
    gw.sandbox.control.inject({ match: { method: "POST", path: "/orders" }, times: 2, action: { type: "status", status: 503, body: "json" } });
    const answers = await burst(20, 5);
    expectDocumented(answers, ["ORDER_OUTCOME_UNKNOWN"]);
    const unknown = answers.filter((a) => a.status === 504);
    expect(unknown).toHaveLength(8);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(12);
    const held = new Set(gw.sandbox.control.orders().map((o) => o.OrderUniqueIdentifier));
    for (const a of unknown) {
      // The 5xx came before XTS acted: the order-book search finds nothing, and nothing is resent.
      expect(a.body.order_unique_identifier).toMatch(/^X[0-9a-z]+$/);
      expect(held.has(a.body.order_unique_identifier!)).toBe(false);
    }
    expect(gw.sandbox.control.orders()).toHaveLength(12);
    expectNoDuplicates(answers);
    await expectRecovered();
  });

  it("reads ride out a short 5xx burst by retrying, and report XTS_UNAVAILABLE (502) when it outlasts their attempts", async () => {
    gw.sandbox.control.inject({ match: { method: "GET", path: "/orders" }, times: 2, action: { type: "status", status: 503 } });
    expect((await call("orderbook", {})).status).toBe(200);
    gw.sandbox.control.inject({ match: { method: "GET", path: "/orders" }, times: 3, action: { type: "status", status: 502 } });
    expect(await call("orderbook", {})).toMatchObject({ status: 502, body: { code: "XTS_UNAVAILABLE" } });
    await expectRecovered();
  });
});

describe("XTS answers slower than the order timeout", () => {
  it("slow orders are ORDER_OUTCOME_UNKNOWN (504), each lands exactly once later, and is never resent", async () => {
    gw.sandbox.control.inject({ match: { method: "POST", path: "/orders" }, times: 3, action: { type: "delay", ms: ORDER_TIMEOUT_MS + 1000 } });
    const answers = await burst(8, 4);
    expectDocumented(answers, ["ORDER_OUTCOME_UNKNOWN"]);
    const unknown = answers.filter((a) => a.status === 504).map((a) => a.body.order_unique_identifier!);
    // On a very slow machine the book search may already see a slow order land: then it answers 200, reconciled.
    const reconciled = answers.filter((a) => a.status === 200 && (a.body as { reconciled?: boolean }).reconciled === true);
    expect(unknown.length + reconciled.length).toBe(3);
    expect(unknown.length).toBeGreaterThanOrEqual(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5 + reconciled.length);
    // The broker acts on the slow requests after the gateway gave up on them: each shows up once.
    await until("the slow orders to land", () => (gw.sandbox.control.orders().length === 8 ? true : undefined), { timeoutMs: 5000 });
    const tags = gw.sandbox.control.orders().map((o) => o.OrderUniqueIdentifier);
    for (const tag of unknown) expect(tags.filter((t) => t === tag)).toHaveLength(1);
    expectNoDuplicates(answers);
    await expectRecovered();
  });

  it("a slow read is XTS_TIMEOUT (504) and the next read answers", async () => {
    gw.sandbox.control.inject({ match: { method: "GET", path: "/orders" }, action: { type: "delay", ms: 1500 } });
    expect(await call("orderbook", {})).toMatchObject({ status: 504, body: { code: "XTS_TIMEOUT" } });
    await expectRecovered();
  });
});

describe("the session expires in the middle of a burst", () => {
  it("orders sent on the dead token are XTS_SESSION_EXPIRED (502) and not placed; one re-login serves the rest", async () => {
    await placeOrder(); // a live session before the burst
    gw.sandbox.control.clearRequests();
    gw.sandbox.control.reset();
    let expired = false;
    const answers = await burst(24, 4, (answered) => {
      if (answered === 8 && !expired) {
        expired = true;
        gw.sandbox.control.expireSessions();
      }
    });
    expect(expired).toBe(true);
    expectDocumented(answers, ["XTS_SESSION_EXPIRED"]);
    const refused = answers.filter((a) => a.status === 502);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeLessThanOrEqual(4); // at most the requests in flight on the old token
    expect(answers.slice(-4).every((a) => a.status === 200)).toBe(true);
    const ok = answers.filter((a) => a.status === 200).length;
    expect(gw.sandbox.control.orders()).toHaveLength(ok);
    const logins = gw.sandbox.control.requests().filter((r) => r.method === "POST" && r.path === "/user/session");
    expect(logins).toHaveLength(1);
    expectNoDuplicates(answers);
    await expectRecovered();
  });

  it("reads log in again by themselves", async () => {
    gw.sandbox.control.expireSessions();
    expect((await call("orderbook", {})).status).toBe(200);
  });
});
