import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/api/app.js";
import { appDeps, createGateway, sandboxJainamConfig, type Gateway } from "../../src/cli/gateway.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { createSandbox, type Sandbox } from "../../src/sandbox/create-sandbox.js";
import { createXtsClient } from "../../src/xts/client/create-client.js";
import type { FetchFunction } from "../../src/xts/client/transport.js";
import { Secret, type JainamConfig } from "../../src/xts/client/jainam-config.js";
import { tempDir } from "../support/temp-dir.js";

/**
 * DESIGN invariant 6 over a whole realistic session: login, refresh, orders, books, an invalid
 * API key, XTS faults (5xx, Invalid Token, a lost answer), a refused login and API key creation,
 * with every logger at trace writing to one place. None of the secrets the session used may
 * appear in that text, nor in any answer the API gave. Distinctive, non-default credentials
 * make a leak impossible to miss.
 */

const CREDENTIALS = {
  interactiveKey: "ik7Q2v-reliability-interactive-appkey",
  interactiveSecret: "is9Zp4-reliability-interactive-secret",
  marketKey: "mk3Hx8-reliability-market-appkey",
  marketSecret: "ms5Wd1-reliability-market-secret",
};
const WRONG_SECRET = "wr0ng6-reliability-refused-secret";

let sandbox: Sandbox;
const dir = tempDir("xtsbridge-secrets-");
let gw: Gateway;
let app: FastifyInstance;
let logText = "";
const answers: string[] = [];
/** Every Authorization value sent and every token or uniqueKey XTS handed out. */
const sessionSecrets = new Set<string>();
const apiKeyValues: string[] = [];

const jainam = (url: string, secret = CREDENTIALS.interactiveSecret): JainamConfig => ({
  ...sandboxJainamConfig(url),
  interactiveApiKey: new Secret(CREDENTIALS.interactiveKey),
  interactiveApiSecret: new Secret(secret),
  marketApiKey: new Secret(CREDENTIALS.marketKey),
  marketApiSecret: new Secret(CREDENTIALS.marketSecret),
});

/** fetch that remembers tokens going out and tokens / uniqueKeys coming back from logins. */
const recordingFetch: FetchFunction = async (input, init) => {
  const authorization = new Headers(init?.headers).get("authorization");
  if (authorization !== null) sessionSecrets.add(authorization);
  const response = await fetch(input, init);
  if (/\/(user\/session|auth\/login|hostlookup)$/.test(new URL(String(input)).pathname) && init?.method === "POST") {
    const body = (await response.clone().json().catch(() => ({}))) as { result?: { token?: string; uniqueKey?: string } };
    for (const value of [body.result?.token, body.result?.uniqueKey]) if (typeof value === "string" && value !== "") sessionSecrets.add(value);
  }
  return response;
};

beforeAll(async () => {
  sandbox = await createSandbox({ instruments: 3000, referenceDate: "2026-11-25", ...CREDENTIALS });
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString("utf8");
      done();
    },
  });
  const logger = createLogger({ level: "trace", destination });
  // The production root, from the environment a user would set: the secrets go in as variables.
  const config = loadConfig({
    DATABASE_URL: `sqlite:${dir.file("secrets.db")}`,
    JAINAM_SERVER: sandbox.url,
    JAINAM_INTERACTIVE_API_KEY: CREDENTIALS.interactiveKey,
    JAINAM_INTERACTIVE_API_SECRET: CREDENTIALS.interactiveSecret,
    JAINAM_MARKET_API_KEY: CREDENTIALS.marketKey,
    JAINAM_MARKET_API_SECRET: CREDENTIALS.marketSecret,
  });
  gw = await createGateway(config, logger, { fetch: recordingFetch, timeouts: { orderMs: 300, readMs: 1000 }, retry: { baseDelayMs: 5, maxDelayMs: 20 }, orders: { reconcileDelayMs: 20 } });
  const { master, apiKeys } = gw;
  app = buildApp(appDeps(gw, { limits: { ordersPerSecond: 1000, othersPerSecond: 1000 } }));

  const report = await master.refresh();
  expect(report.status, report.message).toBe("success");
  const first = await apiKeys.create("first");
  const second = await apiKeys.create("second");
  apiKeyValues.push(first.key, second.key);
  const apikey = first.key;

  const call = async (method: "GET" | "POST", url: string, payload?: Record<string, unknown>): Promise<number> => {
    const res = await app.inject({ method, url, ...(payload === undefined ? {} : { payload }) });
    answers.push(JSON.stringify(res.headers), res.body);
    return res.statusCode;
  };
  const stock = sandbox.master.instruments.find((i) => i.exchange === "NSE" && i.kind === "cash" && i.referencePrice > 1)!;
  const order = { apikey, strategy: "secrets", symbol: stock.symbol, exchange: "NSE", action: "BUY", quantity: String(stock.lotSize), pricetype: "MARKET", product: "MIS" };

  expect(await call("POST", "/api/v1/placeorder", order)).toBe(200);
  expect(await call("POST", "/api/v1/orderbook", { apikey })).toBe(200);
  expect(await call("POST", "/api/v1/funds", { apikey: second.key })).toBe(200);
  expect(await call("POST", "/api/v1/quotes", { apikey, symbol: stock.symbol, exchange: "NSE" })).toBe(200);
  expect(await call("GET", `/api/v1/instruments?apikey=${apikey}&exchange=NSE_INDEX`)).toBe(200);
  // Invalid keys: a well-formed unknown one, a malformed one, a revoked one.
  expect(await call("POST", "/api/v1/orderbook", { apikey: "0".repeat(64) })).toBe(403);
  expect(await call("POST", "/api/v1/orderbook", { apikey: `${apikey}x` })).toBe(403);
  // A valid key with a bad field: the error must name the field, not echo the key.
  expect(await call("POST", "/api/v1/placeorder", { ...order, quantity: "-3" })).toBe(400);
  expect(await call("POST", "/api/v1/placeorder", { ...order, symbol: "NOSUCHSYMBOL" })).toBe(404);
  // XTS faults: 5xx on a read, Invalid Token on an order (a new session follows), an answer lost after processing.
  sandbox.control.inject({ match: { method: "GET", path: "/orders" }, times: 3, action: { type: "status", status: 503 } });
  expect(await call("POST", "/api/v1/orderbook", { apikey })).toBe(502);
  sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "invalid-token", httpStatus: 200 } });
  expect(await call("POST", "/api/v1/placeorder", order)).toBe(502);
  sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "drop-after-processing" } });
  expect(await call("POST", "/api/v1/placeorder", order)).toBe(200);
  expect(await call("POST", "/api/v1/mastercontract/refresh", { apikey, force: true })).toBe(200);
  expect(await call("POST", "/api/v1/mastercontract/status", { apikey })).toBe(200);
  await apiKeys.revoke(second.record.prefix);
  expect(await call("POST", "/api/v1/funds", { apikey: second.key })).toBe(403);

  // A login the server refuses: the wrong secret must not reach the error or the log either.
  const refused = createXtsClient({ jainam: jainam(sandbox.url, WRONG_SECRET), logger, fetch: recordingFetch, retry: { baseDelayMs: 5, maxDelayMs: 20 } });
  const error = await refused.interactive.login().catch((e: unknown) => e as Error);
  expect(error).toMatchObject({ code: "XTS_AUTH_FAILED" });
  answers.push(String((error as Error).message), JSON.stringify(error));
}, 60_000);

afterAll(async () => {
  await app?.close();
  await gw?.close();
  await sandbox?.close();
  dir.remove();
});

describe("secrets never reach logs or answers", () => {
  it("logged a realistic session at trace (the search below is not vacuous)", () => {
    for (const message of ["xts call", "xts interactive session started", "master refresh succeeded", "order placed", "invalid API key", "xts session refused", "order outcome unknown", "request failed"]) {
      expect(logText).toContain(message);
    }
    expect(sessionSecrets.size).toBeGreaterThanOrEqual(4); // market and interactive tokens, a re-login's token, a uniqueKey
    expect(apiKeyValues).toHaveLength(2);
  });

  it.each(Object.entries({ ...CREDENTIALS, wrongSecret: WRONG_SECRET }))("%s appears in no log line and no answer, in any case", (_name, secret) => {
    expect(logText.toLowerCase()).not.toContain(secret.toLowerCase());
    expect(answers.join("\n").toLowerCase()).not.toContain(secret.toLowerCase());
  });

  it("no XTS session token or hostlookup uniqueKey appears, whole or by its signature", () => {
    for (const secret of sessionSecrets) {
      expect(logText).not.toContain(secret);
      expect(answers.join("\n")).not.toContain(secret);
      const signature = secret.split(".")[2];
      if (signature !== undefined) expect(logText).not.toContain(signature);
    }
  });

  it("no API key appears, nor its stored prefix (12 characters would identify it)", () => {
    for (const key of apiKeyValues) {
      expect(logText).not.toContain(key.slice(0, 12));
      expect(answers.join("\n")).not.toContain(key.slice(0, 12));
    }
  });
});

describe("exposure of the HTTP API", () => {
  it("binds to 127.0.0.1 unless HOST says otherwise", () => {
    expect(loadConfig({}).http).toEqual({ host: "127.0.0.1", port: 5000 });
  });

  it("sends no CORS headers, to simple or preflight requests from another origin", async () => {
    const origin = "https://evil.example";
    const preflight = await app.inject({
      method: "OPTIONS",
      url: "/api/v1/placeorder",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    const simple = await app.inject({ method: "POST", url: "/api/v1/ping", headers: { origin }, payload: { apikey: apiKeyValues[0] } });
    const docs = await app.inject({ method: "GET", url: "/api/v1/openapi.json", headers: { origin } });
    expect(simple.statusCode).toBe(200);
    for (const res of [preflight, simple, docs]) {
      expect(Object.keys(res.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
    }
  });
});
