import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Fault } from "../../src/sandbox/server/faults.js";
import type { SymbolRow } from "../../src/store/types.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

describe("a failed refresh keeps the previous contract serving", () => {
  let gw: TestGateway;
  let known: SymbolRow[];
  let totalBefore: number;
  const other: SymbolRow = {
    broker: "other_broker", symbol: "SBIN", brsymbol: "SBIN-EQ", name: "SBIN", exchange: "NSE", brexchange: "NSECM",
    token: 3045, expiry: "", strike: 0, lotsize: 1, instrumenttype: "EQ", tick_size: 0.05, freeze_qty: 0, lower_circuit: null, upper_circuit: null,
  };

  beforeAll(async () => {
    gw = await startTestGateway({ sandbox: { instruments: 3000 } });
    await gw.store.replaceBroker("other_broker", [other]);
    const first = await gw.master.refresh();
    expect(first.status, first.message).toBe("success");
    totalBefore = first.total;
    known = gw.resolver.current.allRows().filter((_, i) => i % 97 === 0);
  }, 60_000);
  afterAll(async () => gw.close());
  beforeEach(() => {
    gw.sandbox.control.clearFaults();
  });

  async function failWith(fault: Fault, reason: RegExp): Promise<void> {
    const indexBefore = gw.resolver.current;
    const versionBefore = (await gw.store.getStatus("jainam_prop")).contractVersion;
    gw.sandbox.control.inject(fault);
    const report = await gw.master.refresh();
    expect(report.status).toBe("error");
    expect(report.message).toMatch(reason);
    // Old rows and old index still serve; the status says why.
    expect(gw.resolver.current).toBe(indexBefore);
    for (const row of known) expect(gw.resolver.getTokenFromSymbol(row.symbol, row.exchange)).toBe(row.token);
    expect(Object.values(await gw.store.countByExchange("jainam_prop")).reduce((a, b) => a + b, 0)).toBe(totalBefore);
    const status = await gw.master.status();
    expect(status).toMatchObject({ status: "error", totalSymbols: totalBefore, contractVersion: versionBefore });
    expect(status.message).toMatch(reason);
    expect(await gw.store.loadBroker("other_broker")).toEqual([other]);
  }

  it("connection dropped while serving NSEFO", async () => {
    await failWith({ match: { path: "/instruments/master", segment: "NSEFO" }, times: 10, action: { type: "drop" } }, /NSEFO: XTS_/);
  });

  it("NSEFO body truncated mid-stream", async () => {
    await failWith({ match: { path: "/instruments/master", segment: "NSEFO" }, action: { type: "truncate-master", fraction: 0.5 } }, /NSEFO: XTS_BAD_RESPONSE: .*truncated/);
  });

  it("HTTP 503 on BSEFO on every retry", async () => {
    await failWith({ match: { path: "/instruments/master", segment: "BSEFO" }, times: 10, action: { type: "status", status: 503 } }, /BSEFO: XTS_UNAVAILABLE/);
  });

  it("a mandatory segment (NSECM) served empty", async () => {
    await failWith({ match: { path: "/instruments/master", segment: "NSECM" }, action: { type: "empty-segment" } }, /NSECM: returned no instruments \(mandatory segment\)/);
  });

  it("Invalid Token that survives the one re-login", async () => {
    await failWith({ match: { path: "/instruments/master" }, times: 20, action: { type: "invalid-token", httpStatus: 200 } }, /XTS_SESSION_EXPIRED/);
  });

  it("too many unparseable lines", async () => {
    await failWith({ match: { path: "/instruments/master", segment: "BSECM" }, action: { type: "malformed-master", lines: 50 } }, /BSECM: 50 unparseable lines/);
  });

  it("an index list that fails", async () => {
    await failWith({ match: { path: "/instruments/indexlist" }, times: 10, action: { type: "status", status: 500 } }, /INDEX1: XTS_UNAVAILABLE/);
  });

  it("one Invalid Token is recovered by re-login and the refresh succeeds", async () => {
    gw.sandbox.control.inject({ match: { path: "/instruments/master", segment: "NSEFO" }, action: { type: "invalid-token", httpStatus: 200 } });
    const report = await gw.master.refresh();
    expect(report.status, report.message).toBe("success");
  });

  it("optional segments (NSECD, MCXFO) may come back empty", async () => {
    gw.sandbox.control.inject({ match: { path: "/instruments/master", segment: "NSECD" }, action: { type: "empty-segment" } });
    gw.sandbox.control.inject({ match: { path: "/instruments/master", segment: "MCXFO" }, action: { type: "empty-segment" } });
    const report = await gw.master.refresh({ force: true });
    expect(report.status, report.message).toBe("success");
    expect(report.exchangeCounts["CDS"]).toBeUndefined();
    expect(report.exchangeCounts["MCX"]).toBeUndefined();
    expect(() => gw.resolver.getTokenFromSymbol(known.find((r) => r.exchange === "CDS")!.symbol, "CDS")).toThrow(/not found/);
    const restored = await gw.master.refresh({ force: true });
    expect(restored.status).toBe("success");
  });

  it("a contract under 50% of the last good one is refused unless forced", async () => {
    const base = (await gw.master.refresh()).total;
    gw.sandbox.control.inject({ match: { path: "/instruments/master", segment: "NSEFO" }, action: { type: "empty-segment" } });
    gw.sandbox.control.inject({ match: { path: "/instruments/master", segment: "BSECM" }, action: { type: "empty-segment" } });
    gw.sandbox.control.inject({ match: { path: "/instruments/master", segment: "BSEFO" }, action: { type: "empty-segment" } });
    const refused = await gw.master.refresh();
    expect(refused.status).toBe("error");
    expect(refused.message).toMatch(/NSEFO: returned no instruments|fewer than 50%/);
    expect(gw.resolver.current.size).toBe(base);
  });

  it("one exchange under 50% of its stored count is refused even when the total passes", async () => {
    const base = await gw.master.refresh();
    expect(base.status).toBe("success");
    const rows = gw.resolver.current.allRows();
    const nse = rows.filter((r) => r.exchange === "NSE");
    // Pretend the stored contract had three times as many NSE rows as the exchange now sends.
    const padding = [0, 1].flatMap((n) => nse.map((r) => ({ ...r, symbol: `${r.symbol}-PAD${n}`, token: r.token + (n + 1) * 10_000_000 })));
    await gw.store.replaceBroker("jainam_prop", [...rows, ...padding], { status: "success", message: "padded", owner: null });
    await gw.resolver.load();
    const refused = await gw.master.refresh();
    expect(refused.status).toBe("error");
    expect(refused.message).toMatch(new RegExp(`NSE has ${nse.length} instruments, fewer than 50% of the ${nse.length * 3} stored`));
    expect(gw.resolver.current.size).toBe(rows.length + padding.length);
    expect((await gw.master.refresh({ force: true })).status).toBe("success");
  });

  it("a forced request does not silently join a normal refresh", async () => {
    const normal = gw.master.refresh();
    await expect(gw.master.refresh({ force: true })).rejects.toMatchObject({ code: "REFRESH_IN_PROGRESS" });
    expect((await normal).status).toBe("success");
  });

  it("two refresh calls in one process share one run", async () => {
    const [a, b] = await Promise.all([gw.master.refresh(), gw.master.refresh()]);
    expect(a).toBe(b);
    const masterPosts = gw.sandbox.control.requests().filter((r) => r.path === "/instruments/master");
    expect(masterPosts.length).toBeGreaterThan(0);
  });

  it("lookups in a tight loop during a refresh never fail", async () => {
    let lookups = 0;
    let failures = 0;
    let done = false;
    const refresh = gw.master.refresh().finally(() => {
      done = true;
    });
    while (!done) {
      for (const row of known) {
        try {
          if (gw.resolver.getTokenFromSymbol(row.symbol, row.exchange) !== row.token) failures += 1;
        } catch {
          failures += 1;
        }
        lookups += 1;
      }
      await new Promise((r) => setImmediate(r));
    }
    expect((await refresh).status).toBe("success");
    expect(lookups).toBeGreaterThan(known.length);
    expect(failures).toBe(0);
  });
});

describe("one refresh per broker across processes", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ sandbox: { instruments: 2000 } });
  });
  afterAll(async () => gw.close());

  it("a second owner is refused clearly while the first runs, and may run after it", async () => {
    const { MasterContractService } = await import("../../src/mastercontract/refresh.js");
    const { silentLogger } = await import("../../src/logger.js");
    const rival = new MasterContractService({ store: gw.store, resolver: gw.resolver, source: gw.xts.market, logger: silentLogger() });
    gw.sandbox.control.inject({ match: { path: "/instruments/master", segment: "NSEFO" }, action: { type: "delay", ms: 400 } });
    const first = gw.master.refresh();
    await expect.poll(async () => (await gw.store.getStatus("jainam_prop")).status).toBe("downloading");
    expect((await gw.master.status()).status).toBe("downloading");
    await expect(rival.refresh()).rejects.toMatchObject({ code: "REFRESH_IN_PROGRESS", message: expect.stringMatching(/already running/) });
    expect((await first).status).toBe("success");
    expect((await rival.refresh()).status).toBe("success");
  });

  it("a downloading record left by a dead process reads as error and is taken over", async () => {
    const startedAt = new Date().toISOString();
    await gw.store.claimRefresh("jainam_prop", `${(await import("node:os")).hostname()}:999999:dead`, startedAt, () => true);
    const status = await gw.master.status();
    expect(status.status).toBe("error");
    expect(status.message).toMatch(/did not finish/);
    expect((await gw.master.refresh()).status).toBe("success");
  });
});
