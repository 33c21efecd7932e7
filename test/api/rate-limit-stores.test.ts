import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLimiterStore, type LimiterStore, type LimiterStoreChange } from "../../src/cli/rate-limit-store.js";
import type { Config } from "../../src/config.js";
import { dropSchema, newSchemaName, pgSchemaUrl } from "../support/backends.js";
import { until } from "../support/poll.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import { expectError, expectSuccess, inject, startApi, type ApiHarness } from "./harness.js";

/** The Redis server on this machine (CI starts it; the suite fails, never skips, without it). */
const REDIS_URL = process.env["XTSBRIDGE_TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379";

/**
 * Two gateway processes of one deployment share their rate limits through Redis or PostgreSQL:
 * each app here opens the store on its own, as two processes would, under one namespace.
 */
describe.each([
  ["redis", (): Config["rateLimitStore"] => ({ kind: "redis", url: REDIS_URL })],
  ["postgres", (schema: string): Config["rateLimitStore"] => ({ kind: "postgres", url: pgSchemaUrl(schema) })],
] as const)("rate limits kept in %s", (_name, storeFor) => {
  let h: ApiHarness;
  const schema = newSchemaName();
  const namespace = `test-${randomBytes(6).toString("hex")}`;
  const stores: LimiterStore[] = [];
  beforeAll(async () => {
    h = await startApi();
  }, 60_000);
  afterAll(async () => {
    for (const s of stores) await s.close();
    await h?.close();
    await dropSchema(schema);
  });

  async function twoProcesses(limits: Parameters<ApiHarness["app2"]>[0]["limits"]) {
    const open = async () => {
      const store = await openLimiterStore(storeFor(schema), namespace + JSON.stringify(limits));
      stores.push(store);
      expect(store.kind).toBe(_name);
      return h.app2({ limits, limiters: store.limiters });
    };
    return [await open(), await open()] as const;
  }

  it("a key's per-second budget is one budget across both processes", async () => {
    const [a, b] = await twoProcesses({ ordersPerSecond: 2 });
    const cancel = (app: typeof a) => inject(app, "cancelorder", { apikey: h.key, strategy: "s", orderid: "1" });
    expect((await cancel(a)).statusCode).toBe(400);
    expect((await cancel(a)).statusCode).toBe(400);
    expectError(await cancel(b), 429, "RATE_LIMITED");
  });

  it("bad keys counted by one process brake bad keys in the other, and never the valid key", async () => {
    const [a, b] = await twoProcesses({ invalidKeysPerMinute: 2 });
    const from = (app: typeof a, apikey: string) =>
      app.inject({ method: "POST", url: "/api/v1/ping", payload: { apikey }, headers: { "content-type": "application/json" }, remoteAddress: "203.0.113.9" });
    expectError(await from(a, "1".repeat(64)), 403, "INVALID_API_KEY");
    expectError(await from(a, "2".repeat(64)), 403, "INVALID_API_KEY");
    expectError(await from(b, "3".repeat(64)), 429, "RATE_LIMITED");
    expectSuccess(await from(b, h.key));
  });
});

/**
 * The shared store goes away under a running process (a TCP proxy in front of it is cut): requests
 * are still limited, per process, and the operator is told when that starts and when it ends.
 */
describe.each([
  ["redis", 6379, (port: number): Config["rateLimitStore"] => ({ kind: "redis", url: REDIS_URL.replace(/:\d+(\/|$)/, `:${port}$1`) })],
  ["postgres", 5432, (port: number, schema: string): Config["rateLimitStore"] => ({ kind: "postgres", url: pgSchemaUrl(schema).replace("127.0.0.1:5432", `127.0.0.1:${port}`) })],
] as const)("a %s rate-limit store that fails while serving", (name, realPort, storeAt) => {
  let h: ApiHarness;
  const schema = newSchemaName();
  beforeAll(async () => {
    h = await startApi();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await dropSchema(schema);
  });

  it("keeps limiting in the process, says so once, and says when the store answers again", async () => {
    const proxy = new TcpProxy(realPort);
    await proxy.start();
    const changes: LimiterStoreChange[] = [];
    const store = await openLimiterStore(storeAt(proxy.port, schema), `test-${randomBytes(6).toString("hex")}`, (c) => changes.push(c));
    try {
      const app = h.app2({ limits: { ordersPerSecond: 2 }, limiters: store.limiters });
      const cancel = () => inject(app, "cancelorder", { apikey: h.key, strategy: "s", orderid: "1" });
      expect((await cancel()).statusCode).toBe(400);
      expect(store.shared()).toBe(true);

      proxy.switchTo(1); // nothing listens on port 1: the store is gone
      await new Promise((r) => setTimeout(r, 1_100)); // a fresh second of budget
      const during = [await cancel(), await cancel(), await cancel()].map((r) => r.statusCode);
      expect(during).toEqual([400, 400, 429]);
      expect(store.shared()).toBe(false);
      expect(changes).toEqual([{ state: "local", store: name }]);

      proxy.switchTo(realPort);
      await until("the store to be shared again", async () => (store.shared() ? true : undefined), { timeoutMs: 15_000 });
      expect(changes).toEqual([{ state: "local", store: name }, { state: "shared", store: name, localMs: expect.any(Number) }]);
      expect((await cancel()).statusCode).not.toBe(500);
    } finally {
      await store.close();
      await proxy.close();
    }
  }, 30_000);
});

describe("a rate-limit store that cannot be reached at start-up", () => {
  it("stops the start naming the variable", async () => {
    await expect(openLimiterStore({ kind: "redis", url: "redis://127.0.0.1:1" }, "x")).rejects.toThrow(/REDIS_URL: cannot reach Redis/);
  });
});
