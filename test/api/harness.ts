import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, expect } from "vitest";
import { ApiKeys } from "../../src/api/api-keys.js";
import type { RateLimits } from "../../src/api/app-deps.js";
import type { LimiterFactory } from "../../src/api/rate-limits.js";
import { buildApp } from "../../src/api/app.js";
import { appDeps } from "../../src/cli/gateway.js";
import type { Secret } from "../../src/config.js";
import { silentLogger, type Logger } from "../../src/logger.js";
import { OrderService, type OrderServiceOptions } from "../../src/orders/order-service.js";
import type { SymbolRow } from "../../src/store/types.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { late } from "../support/late.js";

/** Limits high enough that only the rate-limit tests ever meet them. */
export const GENEROUS_LIMITS: RateLimits = { ordersPerSecond: 10_000, smartOrdersPerSecond: 10_000, othersPerSecond: 10_000, invalidKeysPerMinute: 10_000 };

export interface ApiOptions {
  readonly limits?: Partial<RateLimits>;
  readonly bodyLimit?: number;
  /** A separate order service, e.g. with a short reconciliation, over the same gateway. */
  readonly orders?: Partial<OrderServiceOptions>;
  readonly logger?: Logger;
  /** Today in IST for /expiry, instead of the clock. */
  readonly today?: string;
  readonly replicaSecret?: Secret;
  readonly limiters?: LimiterFactory;
}

/** Instruments of the sandbox master the tests trade, picked by kind rather than by name. */
export interface Picks {
  /** An NSE equity, lot 1. */
  readonly equity: SymbolRow;
  /** An NFO future with a lot size above 1. */
  readonly future: SymbolRow;
  readonly index: SymbolRow;
}

export interface ApiHarness {
  readonly gw: TestGateway;
  readonly app: FastifyInstance;
  readonly key: string;
  readonly picks: Picks;
  /** POST a JSON body (a string is sent as is) to /api/v1/<path>. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** An endpoint with its fields: a JSON body for POST, the query string for GET. */
  call(method: "POST" | "GET", path: string, fields: Record<string, unknown>): Promise<LightMyRequestResponse>;
  /** Another app over the same gateway and key, with other limits or order settings. */
  app2(options: ApiOptions): FastifyInstance;
  close(): Promise<void>;
}

export function pickInstruments(rows: readonly SymbolRow[]): Picks {
  const equity = rows.find((r) => r.exchange === "NSE" && r.instrumenttype === "EQ" && r.lotsize === 1);
  const future = rows.find((r) => r.exchange === "NFO" && r.instrumenttype === "FUT" && r.lotsize > 1);
  const index = rows.find((r) => r.exchange === "NSE_INDEX");
  if (equity === undefined || future === undefined || index === undefined) throw new Error("the sandbox master lacks an NSE equity, an NFO future or an NSE index");
  return { equity, future, index };
}

export function inject(app: FastifyInstance, path: string, body: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({
    method: "POST",
    url: `/api/v1/${path}`,
    payload: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers },
  });
}

/** A sandbox-backed gateway with a fresh master, an API key and the app built as `npm start` builds it. */
export async function startApi(options: ApiOptions & { gateway?: Parameters<typeof startTestGateway>[0] } = {}): Promise<ApiHarness> {
  const gw = await startTestGateway(options.gateway);
  const report = await gw.master.refresh();
  if (report.status !== "success") throw new Error(`master refresh failed: ${report.message}`);
  const apiKeys = new ApiKeys(gw.store);
  const { key } = await apiKeys.create("test");
  const apps: FastifyInstance[] = [];
  const make = (o: ApiOptions): FastifyInstance => {
    const orders = o.orders === undefined ? gw.orders : new OrderService(gw.xts.interactive, gw.resolver, silentLogger(), o.orders);
    const app = buildApp(
      appDeps(gw, {
        logger: o.logger ?? silentLogger(),
        apiKeys,
        orders,
        limits: { ...GENEROUS_LIMITS, ...o.limits },
        ...(o.bodyLimit === undefined ? {} : { bodyLimit: o.bodyLimit }),
        ...(o.today === undefined ? {} : { today: () => o.today! }),
        ...(o.replicaSecret === undefined ? {} : { replicaSecret: o.replicaSecret }),
        ...(o.limiters === undefined ? {} : { limiters: o.limiters }),
      }),
    );
    apps.push(app);
    return app;
  };
  const app = make(options);
  return {
    gw,
    app,
    key,
    picks: pickInstruments(gw.resolver.current.allRows()),
    post: (path, body, headers) => inject(app, path, body, headers),
    call: (method, path, fields) =>
      method === "POST" ? inject(app, path, fields) : app.inject({ method: "GET", url: `/api/v1/${path}`, query: fields as Record<string, string> }),
    app2: make,
    async close() {
      for (const a of apps) await a.close();
      await gw.close();
    },
  };
}

/**
 * The API harness of one describe block: started before its tests (then `setup` runs on it),
 * closed after them. The object stands in for the harness, so tests use it as `h.post(…)`.
 */
export function apiFixture(options: Parameters<typeof startApi>[0] = {}, setup?: (h: ApiHarness) => Promise<void>): ApiHarness {
  let started: ApiHarness | undefined;
  beforeAll(async () => {
    started = await startApi(options);
    await setup?.(started);
  }, 120_000);
  afterAll(async () => started?.close());
  return late("the API harness", () => started);
}

export function json(res: LightMyRequestResponse): Record<string, unknown> {
  return JSON.parse(res.body) as Record<string, unknown>;
}

/** Asserts the OpenAlgo error envelope with this status and code; returns the body. */
export function expectError(res: LightMyRequestResponse, status: number, code: string, message?: RegExp): Record<string, unknown> {
  const body = json(res);
  expect({ status: res.statusCode, code: body["code"] }, res.body).toEqual({ status, code });
  expect(body["status"]).toBe("error");
  expect(typeof body["message"]).toBe("string");
  if (message !== undefined) expect(body["message"]).toMatch(message);
  expect(res.headers["x-request-id"]).toMatch(/^[0-9a-z]{19}$/);
  return body;
}

/** Asserts `{status:"success"}` with HTTP 200; returns the body. */
export function expectSuccess(res: LightMyRequestResponse): Record<string, unknown> {
  expect(res.statusCode, res.body).toBe(200);
  const body = json(res);
  expect(body["status"]).toBe("success");
  expect(res.headers["x-request-id"]).toMatch(/^[0-9a-z]{19}$/);
  return body;
}

/** A BUY limit `fraction` below `ltp`, on the tick: far enough from the market that it rests. */
export function restingBuyPrice(ltp: number, tick: number, fraction = 0.03): number {
  const steps = Math.floor((ltp * (1 - fraction)) / tick);
  return Number((steps * tick).toFixed(6));
}

/** The instrument's last price, through /quotes. */
export async function ltpOf(h: ApiHarness, row: SymbolRow): Promise<number> {
  const body = expectSuccess(await h.post("quotes", { apikey: h.key, symbol: row.symbol, exchange: row.exchange }));
  return (body["data"] as { ltp: number }).ltp;
}

/** Wednesday 25 November 2026, 11:00 IST: the fixed clock of the market-data suites. */
export const MARKET_NOW = Date.UTC(2026, 10, 25, 5, 30);

/** A gateway and sandbox that both read MARKET_NOW, so the bars that have happened are known. */
export const MARKET_GATEWAY = { sandbox: { now: () => MARKET_NOW }, history: { now: () => MARKET_NOW } } as const;

/** One row of /history, as OpenAlgo's Python client reads it. */
export interface Candle {
  timestamp: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  oi: number;
}
