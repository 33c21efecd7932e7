import { spawn } from "node:child_process";
import { existsSync, rmSync, statSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importMasterFiles } from "../../src/mastercontract/import-files.js";
import { generateMaster, masterText } from "../../src/sandbox/master/master-generator.js";
import { openSqliteStore } from "../../src/store/open-store.js";
import { MASTER_SEGMENTS } from "../../src/xts/segments.js";
import { tempDir } from "../support/temp-dir.js";
import { storedFingerprint, until } from "./support/contract.js";
import { BIN, ensureDist } from "./support/dist.js";

const BROKER = "jainam_prop";

/**
 * DESIGN invariant 1 for the first import, whose rows a worker thread inserts while the main
 * thread is still parsing: `xtsbridge master import` into an empty database, killed with SIGKILL
 * at points spread from start-up to the commit. After every kill the database opens and holds
 * either nothing (and says so) or the whole contract, and the next import succeeds.
 */
describe("SIGKILL during a first `xtsbridge master import` (SQLite)", () => {
  const dir = tempDir("xtsbridge-kill-import-");
  const master = dir.file("master.txt");
  beforeAll(() => {
    ensureDist();
    const generated = generateMaster({ seed: 11, instruments: 60_000, referenceDate: "2026-11-25" });
    writeFileSync(master, MASTER_SEGMENTS.map((s) => masterText(generated, s)).filter((t) => t.length > 0).join("\n") + "\n");
  }, 60_000);
  afterAll(() => dir.remove());

  const walBytes = (db: string): number => (existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0);

  function startImport(db: string): { exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; alive: () => boolean; kill: () => boolean; output: () => string; startedAt: number } {
    const child = spawn(process.execPath, [BIN, "master", "import", "--json", "--db", `sqlite:${db}`, master], { env: { PATH: process.env["PATH"] ?? "" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let running = true;
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("exit", (code, signal) => {
        running = false;
        resolve({ code, signal });
      }),
    );
    return { exited, alive: () => running, kill: () => running && child.kill("SIGKILL"), output: () => output, startedAt: performance.now() };
  }

  it("leaves no rows or the whole contract after each kill, says which, and the next import succeeds", async () => {
    // Calibration: one whole run gives the contract, its duration and how large the WAL grows.
    const calibrationDb = dir.file("calibration.db");
    const calibration = startImport(calibrationDb);
    let maxWal = 0;
    while (calibration.alive()) {
      maxWal = Math.max(maxWal, walBytes(calibrationDb));
      await new Promise((r) => setTimeout(r, 1));
    }
    const done = await calibration.exited;
    expect(done.code, calibration.output()).toBe(0);
    const runMs = performance.now() - calibration.startedAt;
    expect(JSON.parse(calibration.output())).toMatchObject({ stored: true, written: "whole", deleted: 0 });
    const calibrated = openSqliteStore(calibrationDb);
    const whole = await storedFingerprint(calibrated);
    await calibrated.close();
    expect(whole.rows).toBeGreaterThan(55_000);
    expect(maxWal, "the import's transaction should be visible in the WAL").toBeGreaterThan(1 << 20);

    const triggers = [
      ...[0.15, 0.3, 0.45, 0.6, 0.75, 0.9].map((share) => ({ label: `${Math.round(share * 100)}% of a run`, ready: (_wal: number, ms: number) => ms >= share * runMs })),
      ...[0.1, 0.4, 0.7, 0.95].map((share) => ({ label: `WAL at ${Math.round(share * 100)}%`, ready: (wal: number) => wal >= share * maxWal })),
    ];
    const results: string[] = [];
    let killedMidWrite = 0;
    for (const [i, trigger] of triggers.entries()) {
      const db = dir.file(`kill-${i}.db`);
      const run = startImport(db);
      let wal = 0;
      await until(trigger.label, () => {
        wal = Math.max(wal, walBytes(db));
        return !run.alive() || trigger.ready(wal, performance.now() - run.startedAt) ? true : undefined;
      }, { timeoutMs: 30_000, everyMs: 1 });
      const killed = run.kill();
      const exit = await run.exited;
      if (!killed || exit.signal === null) expect(exit.code, run.output()).toBe(0);
      // Past the migrations' few pages: the import's own transaction was being written.
      else if (wal >= 1 << 20) killedMidWrite += 1;

      const store = openSqliteStore(db);
      try {
        const stored = await storedFingerprint(store);
        const status = await store.getStatus(BROKER);
        if (stored.rows === 0) {
          // Nothing committed: no rows, no snapshot, and no status claiming any.
          expect(status.status, `kill ${i} (${trigger.label})`).toBe("pending");
          expect(await store.loadSnapshot(BROKER)).toBeNull();
        } else {
          expect(stored, `kill ${i} (${trigger.label}) left a partial contract`).toEqual(whole);
          expect(status).toMatchObject({ status: "success", totalSymbols: whole.rows, contractVersion: 1 });
        }
        results.push(`  ${trigger.label.padEnd(16)} ${killed ? "killed" : "finished first"}, WAL ${wal} B → ${stored.rows === 0 ? "nothing stored" : "whole contract"}`);
        // The next import (in this process, through the same worker path when nothing is stored) succeeds.
        const report = await importMasterFiles(store, BROKER, [master], { databaseUrl: `sqlite:${db}` });
        expect(report.stored).toBe(true);
        expect(await storedFingerprint(store)).toEqual(whole);
      } finally {
        await store.close();
      }
      for (const suffix of ["", "-wal", "-shm"]) rmSync(db + suffix, { force: true });
    }
    console.info(`SIGKILL points of a first import (${Math.round(runMs)} ms a run, WAL up to ${maxWal} B):\n${results.join("\n")}`);
    // Some kills landed inside the write transaction, not only before or after it.
    expect(killedMidWrite).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
