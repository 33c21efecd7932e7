import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/logger.js";
import { MasterContractService } from "../../src/mastercontract/refresh.js";
import type { MasterSource } from "../../src/mastercontract/refresh-types.js";
import { generateMaster, masterText } from "../../src/sandbox/master/master-generator.js";
import type { SymbolRow } from "../../src/store/types.js";
import { WorkerAssembly } from "../../src/mastercontract/worker-assembly.js";
import { storeContract } from "../../src/mastercontract/store-contract.js";
import { earlierContract } from "../support/earlier-contract.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

/**
 * MASTER_REFRESH_WORKER (on by default): the contract is parsed, built and stored in a worker
 * thread over its own database connection. What a user must not be able to tell apart from the
 * request-thread refresh is the stored contract; what they must be able to rely on is that a
 * worker that fails loses nothing.
 */
describe("master refresh in a worker thread", () => {
  let worker: TestGateway;
  let inline: TestGateway;
  beforeAll(async () => {
    worker = await startTestGateway({ sandbox: { instruments: 20_000 } });
    inline = await startTestGateway({ sandbox: { instruments: 20_000 }, env: { MASTER_REFRESH_WORKER: "off" } });
  }, 120_000);
  afterAll(async () => {
    await worker.close();
    await inline.close();
  });

  it("stores, row for row, the contract the request thread stores from the same master, and serves it at once", async () => {
    const [a, b] = await Promise.all([worker.master.refresh(), inline.master.refresh()]);
    expect(a.status, a.message).toBe("success");
    expect(b.status, b.message).toBe("success");
    expect(a.total).toBe(b.total);
    expect(a.exchangeCounts).toEqual(b.exchangeCounts);
    expect(a.segments.map(({ durationMs: _, ...s }) => s)).toEqual(b.segments.map(({ durationMs: _, ...s }) => s));
    // Segments download side by side, so rows arrive in either order: compare them sorted.
    const sorted = (rows: readonly SymbolRow[]): SymbolRow[] => [...rows].sort((x, y) => (x.exchange + x.symbol < y.exchange + y.symbol ? -1 : 1));
    const stored = await worker.store.loadBroker(worker.resolver.broker);
    expect(sorted(stored)).toEqual(sorted(await inline.store.loadBroker(inline.resolver.broker)));
    // The index is the stored rows, in their stored order.
    expect(worker.resolver.current.allRows()).toEqual(stored);
    expect(worker.resolver.version).toBe(a.contractVersion);
    expect((await worker.master.status()).status).toBe("success");
  });

  it("a refresh of an unchanged master writes no row; one after a few changes writes only those; a new day's is written whole; the table ends as the master says each time", async () => {
    const full = await worker.master.refresh({ force: true });
    expect(full).toMatchObject({ status: "success", written: "changes", deleted: 0, inserted: 0, updated: 0 });
    const today = await worker.store.loadBroker(worker.resolver.broker);
    expect(worker.resolver.current.allRows()).toEqual(today);
    const sorted = (rows: readonly SymbolRow[]): SymbolRow[] => [...rows].sort((x, y) => (x.exchange + x.symbol < y.exchange + y.symbol ? -1 : 1));
    const refreshOver = async (earlier: SymbolRow[]) => {
      await storeContract(worker.store, worker.resolver.broker, earlier, { status: "success", message: "earlier", owner: null });
      const report = await worker.master.refresh({ force: true });
      expect(report.status, report.message).toBe("success");
      const stored = await worker.store.loadBroker(worker.resolver.broker);
      expect(sorted(stored)).toEqual(sorted(today));
      expect(worker.resolver.current.allRows()).toEqual(stored);
      expect(worker.resolver.version).toBe(report.contractVersion);
      return report;
    };
    // Earlier the same day: one contract in twenty withdrawn since, one band in ten revised.
    const rolled = Math.ceil(today.length / 20);
    const revised = today.filter((_, i) => i % 20 !== 0 && i % 10 === 0).length;
    expect(await refreshOver(earlierContract(today, { rolledEvery: 20, bandEvery: 10 }))).toMatchObject({ written: "changes", deleted: rolled, inserted: rolled, updated: revised });
    // The day before: every band moved.
    expect(await refreshOver(earlierContract(today, { rolledEvery: 20, bandEvery: 1 }))).toMatchObject({ written: "whole", deleted: today.length, inserted: today.length, updated: 0 });
  });

  it("a worker that cannot open its database fails the refresh with the reason; the stored contract and the index keep serving", async () => {
    await worker.master.refresh({ force: true });
    const before = worker.resolver.current.allRows();
    const version = worker.resolver.version;
    const sample = before[Math.floor(before.length / 2)]!;
    // A database under a plain file cannot be created: the worker's store fails to open.
    const notADirectory = join(dirname(worker.dbPath), "plain-file");
    writeFileSync(notADirectory, "");
    const broken = new MasterContractService({
      store: worker.store,
      resolver: worker.resolver,
      source: worker.xts.market,
      logger: silentLogger(),
      assembly: (broker) => new WorkerAssembly(broker, `sqlite:${notADirectory}/contract.db`),
    });
    const report = await broken.refresh({ force: true });
    expect(report.status).toBe("error");
    // Before anything is downloaded: the first request the worker gets fails.
    expect(report.message).toMatch(/^the refresh worker cannot open the database sqlite:.*plain-file\/contract\.db: E(EXIST|NOTDIR)/);
    expect(report.segments.map((s) => s.phase)).toEqual(report.segments.map(() => "queued"));
    expect(worker.resolver.version).toBe(version);
    expect(worker.resolver.getTokenFromSymbol(sample.symbol, sample.exchange)).toBe(sample.token);
    expect(await worker.store.loadBroker(worker.resolver.broker)).toEqual(before);
    const status = await worker.master.status();
    expect(status.status).toBe("error");
    expect(status.contractVersion).toBe(version);
    // The next refresh through the gateway's own worker succeeds.
    expect((await worker.master.refresh({ force: true })).status).toBe("success");
  });

  it("a worker that dies in the middle (out of memory) fails only the refresh: the gateway, the stored contract and the index carry on", async () => {
    const version = worker.resolver.version;
    const before = await worker.store.loadBroker(worker.resolver.broker);
    // A master of 300,000 instruments, in the 64 KB pieces a download arrives in, to a worker allowed
    // 12 MB of old generation: its start-up takes about 7 MB, the index lists next to nothing, and the
    // rows far more than what is left, so it dies while reading the segments, whatever the GC's timing.
    const master = generateMaster({ seed: 3, instruments: 300_000 });
    const large: MasterSource = {
      indexList: async (code) => master.indexLists[code],
      async *downloadMaster(segment) {
        const text = masterText(master, segment);
        for (let at = 0; at < text.length; at += 1 << 16) yield text.slice(at, at + (1 << 16));
      },
    };
    const starved = new MasterContractService({
      store: worker.store,
      resolver: worker.resolver,
      source: large,
      logger: silentLogger(),
      assembly: (broker) => new WorkerAssembly(broker, `sqlite:${worker.dbPath}`, { maxOldGenerationSizeMb: 12, maxYoungGenerationSizeMb: 2 }),
    });
    const report = await starved.refresh({ force: true });
    expect(report.status).toBe("error");
    expect(report.message).toMatch(/the refresh worker failed: .*memory limit/);
    // It died part-way: the index lists had been read into it.
    expect(report.segments.find((s) => s.segment === "INDEX1")!.lines).toBeGreaterThan(0);
    expect(worker.resolver.version).toBe(version);
    expect(await worker.store.loadBroker(worker.resolver.broker)).toEqual(before);
    expect((await worker.master.refresh({ force: true })).status).toBe("success");
  });
});
