import { Writable } from "node:stream";
import Database from "better-sqlite3";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiKeys } from "../../src/api/api-keys.js";
import { buildApp } from "../../src/api/app.js";
import { appDeps } from "../../src/cli/gateway.js";
import { createLogger, silentLogger } from "../../src/logger.js";
import type { SymbolRow } from "../../src/store/types.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { until } from "./support/contract.js";

/**
 * Database errors in the middle of a refresh (DESIGN invariant 1): the write lock is held by
 * someone else, or the disk fills up. The refresh fails with a report that says so, the old
 * contract keeps serving from memory and from the table, the process carries on, and the
 * next refresh after the cause is gone succeeds. (File permissions cannot be tested here:
 * tests run as root, which ignores them; a lock and a full disk are what root still meets.)
 */

const BROKER = "jainam_prop";
let gw: TestGateway;
let app: FastifyInstance;
let apikey: string;
let logText = "";
let known: SymbolRow[];

const storedTotal = async (): Promise<number> => Object.values(await gw.store.countByExchange(BROKER)).reduce((a, b) => a + b, 0);

beforeAll(async () => {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString("utf8");
      done();
    },
  });
  const logger = createLogger({ level: "info", destination });
  // The store waits 5 s for a lock by default; the test does not need to wait that long to see it fail.
  gw = await startTestGateway({ sandbox: { instruments: 3000 }, logger, sqlite: { busyTimeoutMs: 200 } });
  const first = await gw.master.refresh();
  expect(first.status, first.message).toBe("success");
  const apiKeys = new ApiKeys(gw.store);
  apikey = (await apiKeys.create("reliability")).key;
  app = buildApp(appDeps(gw, { logger, apiKeys, limits: { othersPerSecond: 100_000 } }));
}, 60_000);

afterAll(async () => {
  await app?.close();
  await gw?.close();
});

beforeEach(async () => {
  gw.sandbox.control.clearFaults();
  known = gw.resolver.current.allRows().filter((_, i) => i % 61 === 0);
});

/** The old contract still answers from the index, the table and the HTTP API. */
async function expectOldContractServing(total: number, index: unknown): Promise<void> {
  expect(gw.resolver.current).toBe(index);
  for (const row of known) expect(gw.resolver.getTokenFromSymbol(row.symbol, row.exchange)).toBe(row.token);
  expect(await storedTotal()).toBe(total);
  const sample = known[0]!;
  const res = await app.inject({ method: "POST", url: "/api/v1/symbol", payload: { apikey, symbol: sample.symbol, exchange: sample.exchange } });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({ status: "success", data: { token: sample.token } });
}

describe("another connection holds the database's write lock", () => {
  it("when the new rows are to be stored: the refresh reports the lock, keeps the old contract, and the next one succeeds", async () => {
    const total = await storedTotal();
    const index = gw.resolver.current;
    const version = (await gw.store.getStatus(BROKER)).contractVersion;
    // Hold the download open long enough to take the lock once the refresh has claimed its run.
    gw.sandbox.control.inject({ match: { path: "/instruments/master", segment: "NSEFO" }, action: { type: "delay", ms: 300 } });
    const locker = new Database(gw.dbPath);
    try {
      const refresh = gw.master.refresh();
      await until("the refresh to claim its run", async () => ((await gw.store.getStatus(BROKER)).status === "downloading" ? true : undefined), { timeoutMs: 10_000, everyMs: 5 });
      locker.exec("BEGIN EXCLUSIVE");
      const report = await refresh;
      expect(report.status).toBe("error");
      expect(report.message).toMatch(/replacing jainam_prop rows failed, previous rows kept: database is locked/);
      locker.exec("ROLLBACK");
      await expectOldContractServing(total, index);
      // The error could not be written while the lock was held; the record must not claim a run in progress.
      const status = await gw.master.status();
      expect(status.status).toBe("error");
      expect(status.contractVersion).toBe(version);
      expect(logText).toMatch(/master refresh failed; previous contract kept/);
    } finally {
      if (locker.inTransaction) locker.exec("ROLLBACK");
      locker.close();
    }
    const next = await gw.master.refresh();
    expect(next.status, next.message).toBe("success");
    expect((await gw.master.status()).status).toBe("success");
  });

  it("a write that meets the lock waits without stopping the process: requests are answered meanwhile, and the write goes through once the lock is released", async () => {
    const locker = new Database(gw.dbPath);
    let widestGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      widestGap = Math.max(widestGap, now - last);
      last = now;
    }, 2);
    try {
      locker.exec("BEGIN EXCLUSIVE");
      // The lock is released by this same thread 100 ms from now, well inside the 200 ms busy timeout:
      // only a wait that lets the event loop run can see it released.
      const released = new Promise<void>((resolve) =>
        setTimeout(() => {
          locker.exec("ROLLBACK");
          resolve();
        }, 100),
      );
      const write = new ApiKeys(gw.store).create("written-after-the-lock");
      const sample = known[0]!;
      const read = await app.inject({ method: "POST", url: "/api/v1/symbol", payload: { apikey, symbol: sample.symbol, exchange: sample.exchange } });
      expect(read.statusCode).toBe(200);
      await released;
      const created = await write;
      expect(created.key).toMatch(/^[0-9a-f]{64}$/);
      expect(widestGap).toBeLessThan(60);
    } finally {
      clearInterval(ticker);
      if (locker.inTransaction) locker.exec("ROLLBACK");
      locker.close();
    }
  });

  it("before the refresh starts: POST /mastercontract/refresh fails with a clear error, the old contract serves, the next one succeeds", async () => {
    const total = await storedTotal();
    const index = gw.resolver.current;
    const locker = new Database(gw.dbPath);
    try {
      locker.exec("BEGIN EXCLUSIVE");
      const res = await app.inject({ method: "POST", url: "/api/v1/mastercontract/refresh", payload: { apikey } });
      expect(res.json()).toMatchObject({ status: "error", code: "STORE_ERROR" });
      expect(res.statusCode).toBe(503);
      expect((res.json() as { message: string }).message).toMatch(/database is locked/);
      locker.exec("ROLLBACK");
      await expectOldContractServing(total, index);
    } finally {
      if (locker.inTransaction) locker.exec("ROLLBACK");
      locker.close();
    }
    const next = await app.inject({ method: "POST", url: "/api/v1/mastercontract/refresh", payload: { apikey } });
    expect(next.statusCode, next.body).toBe(200);
  });
});

describe("the disk fills up during the replace", () => {
  it("SQLITE_FULL: the refresh reports it, nothing of the new contract is kept, the status says error, and the next one succeeds", async () => {
    // Store a smaller contract first, so that the refresh needs pages the full disk cannot give.
    const half = gw.resolver.current.allRows().filter((_, i) => i % 2 === 0);
    await gw.store.replaceBroker(BROKER, half, { status: "success", message: `stored ${half.length} instruments`, owner: null });
    await gw.resolver.load();
    known = half.filter((_, i) => i % 61 === 0);
    const index = gw.resolver.current;
    const version = (await gw.store.getStatus(BROKER)).contractVersion;
    // Give the freed pages back, so the full contract needs new ones; then a second process of
    // this deployment opens the same file with room for 16 more pages only: its disk is "full".
    const admin = new Database(gw.dbPath);
    admin.exec("VACUUM");
    const pages = admin.pragma("page_count", { simple: true }) as number;
    admin.close();
    const full = await startTestGateway({ sandbox: { instruments: 3000 }, logger: silentLogger(), dbPath: gw.dbPath, sqlite: { busyTimeoutMs: 200, pragmas: [`max_page_count = ${pages + 16}`] } });
    const report = await full.master.refresh().finally(() => full.close());
    expect(report.status).toBe("error");
    expect(report.message).toMatch(/replacing jainam_prop rows failed, previous rows kept: database or disk is full/);
    await expectOldContractServing(half.length, index);
    const status = await gw.master.status();
    expect(status).toMatchObject({ status: "error", totalSymbols: half.length, contractVersion: version });
    expect(status.message).toMatch(/database or disk is full/);

    const next = await gw.master.refresh();
    expect(next.status, next.message).toBe("success");
    expect(gw.resolver.current.size).toBeGreaterThan(half.length);
  });
});
