import { openSqliteStore } from "../../src/store/open-store.js";
import type { SqlStore } from "../../src/store/sql-store.js";
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, rmSync, statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway } from "../../src/cli/gateway.js";
import { loadConfig } from "../../src/config.js";
import { silentLogger } from "../../src/logger.js";
import { importMasterFiles } from "../../src/mastercontract/import-files.js";
import { storeContract } from "../../src/mastercontract/store-contract.js";
import { isAbandoned, presentStatus } from "../../src/mastercontract/refresh.js";
import { DEFAULT_REFRESH_OPTIONS } from "../../src/mastercontract/refresh-types.js";
import { createSandbox, type Sandbox } from "../../src/sandbox/create-sandbox.js";
import { SANDBOX_DEFAULTS } from "../../src/sandbox/sandbox-options.js";
import type { MasterStatus } from "../../src/store/status-types.js";
import { runCli } from "../support/cli.js";
import { sampleFiles } from "../support/samples.js";
import { tempDir } from "../support/temp-dir.js";
import { earlierContract } from "../support/earlier-contract.js";
import { sandboxEnv, storedFingerprint, until, type ContractFingerprint } from "./support/contract.js";
import { BIN, ensureDist } from "./support/dist.js";

/**
 * DESIGN invariant 1 under the worst failure a process can have: `xtsbridge master download`
 * is SIGKILLed at many points of its run (start-up, download, parse, the replace transaction).
 * After every kill the database must open and hold exactly the old or the new contract, the
 * status must tell the truth about it, and the next refresh must succeed.
 */

const BROKER = "jainam_prop";
// 12,000 instruments: the replace transaction takes a few hundred milliseconds, long enough to land kills in it.
const INSTRUMENTS = 12_000;

interface Run {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly output: () => string;
  readonly startedAt: number;
  exitedAt: number | null;
}

/**
 * When to kill: a fixed time after spawn (start-up), a share of the calibrated time from the
 * claim to the exit (download and parse), or once the WAL has grown past a size (the replace).
 */
type Trigger = { kind: "spawned"; ms: number } | { kind: "claimed"; fraction: number } | { kind: "wal"; bytes: number };

interface KillResult {
  readonly trigger: string;
  readonly killed: boolean;
  readonly atMs: number;
  readonly walBytes: number;
  readonly outcome: "old" | "new";
  readonly status: MasterStatus["status"];
}

function describeTrigger(trigger: Trigger, claimToExitMs: number): string {
  switch (trigger.kind) {
    case "spawned":
      return `${trigger.ms} ms after spawn`;
    case "claimed":
      return `${Math.round(trigger.fraction * claimToExitMs)} ms after the claim`;
    case "wal":
      return `WAL ≥ ${trigger.bytes} B`;
  }
}

/**
 * `oldContract` fills the database the download replaces; `oldMessage` is its status message.
 * A contract of another universe is replaced whole; an earlier contract of the same
 * instruments gets only the changes written (updates in place, a few deletes and inserts).
 */
function killSuite(title: string, storeOldContract: (store: SqlStore, sandbox: Sandbox) => Promise<void>, oldMessage: RegExp, written: "whole" | "changes"): void {
  describe(`SIGKILL during \`xtsbridge master download\` (SQLite), ${title}`, () => {
    let sandbox: Sandbox;
    const dir = tempDir("xtsbridge-kill-");
    const pristine = dir.file("old.db");
    let oldContract: ContractFingerprint;
    let oldVersion: number;

    beforeAll(async () => {
      await ensureDist();
      sandbox = await createSandbox({ instruments: INSTRUMENTS, seed: 11, referenceDate: "2026-11-25" });
      const store = openSqliteStore(pristine);
      await storeOldContract(store, sandbox);
      oldContract = await storedFingerprint(store);
      oldVersion = (await store.getStatus(BROKER)).contractVersion;
      await store.close(); // checkpoints: the copy below is one self-contained file
    }, 120_000);

    afterAll(async () => {
      await sandbox?.close();
      dir.remove();
    });

    function freshCopy(name: string): string {
      const path = dir.file(name);
      for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
      copyFileSync(pristine, path);
      return path;
    }

    function walBytes(path: string): number {
      return existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0;
    }

    function startDownload(path: string): Run {
      // --force: the "old" contract is the real sample master, a different universe from the
      // sandbox's, and some of its exchanges are larger than the new ones.
      const child = spawn(process.execPath, [BIN, "master", "download", "--json", "--force"], {
        env: { PATH: process.env["PATH"] ?? "", DATABASE_URL: `sqlite:${path}`, ...sandboxEnv(sandbox.url, SANDBOX_DEFAULTS) },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
      const run: Run = {
        child,
        startedAt: performance.now(),
        exitedAt: null,
        output: () => output,
        exited: new Promise((resolve) =>
          child.on("exit", (code, signal) => {
            run.exitedAt = performance.now();
            resolve({ code, signal });
          }),
        ),
      };
      return run;
    }

    const alive = (run: Run): boolean => run.exitedAt === null;

    /** What `xtsbridge master status` shows: an abandoned `downloading` reads as error. */
    async function shownStatus(store: SqlStore): Promise<MasterStatus> {
      return presentStatus(await store.getStatus(BROKER), (holder) => isAbandoned(holder, DEFAULT_REFRESH_OPTIONS.staleAfterMs));
    }

    async function refreshInProcess(store: SqlStore): Promise<void> {
      const gw = await createGateway(loadConfig(sandboxEnv(sandbox.url, SANDBOX_DEFAULTS)), silentLogger(), { store });
      try {
        const report = await gw.master.refresh({ force: true });
        expect(report.status, report.message).toBe("success");
      } finally {
        await gw.close();
      }
    }

    it("holds the old or the new contract exactly after each kill, says so truthfully, and the next refresh succeeds", async () => {
      // Calibration: one whole run gives the new contract, the time from the claim (the first
      // write, which creates the WAL's first frame) to the exit, and the size the WAL reaches.
      const calibrationDb = freshCopy("calibration.db");
      const calibration = startDownload(calibrationDb);
      let maxWal = 0;
      let claimedAt: number | null = null;
      while (alive(calibration)) {
        maxWal = Math.max(maxWal, walBytes(calibrationDb));
        if (claimedAt === null && maxWal > 0) claimedAt = performance.now();
        expect(performance.now() - calibration.startedAt, "calibration run still going after 30 s").toBeLessThan(30_000);
        await new Promise((r) => setTimeout(r, 1));
      }
      const done = await calibration.exited;
      expect(done.code, calibration.output()).toBe(0);
      // The write the kills below land in is the one this suite is about.
      expect(calibration.output()).toMatch(new RegExp(`"written":\\s*"${written}"`));
      expect(claimedAt, "never saw the refresh write its claim").not.toBeNull();
      // Run times vary a lot on a shared 2-core machine; a later run that finishes first corrects the estimate.
      let claimToExitMs = calibration.exitedAt! - claimedAt!;
      const calibrated = openSqliteStore(calibrationDb);
      const newContract = await storedFingerprint(calibrated);
      await calibrated.close();
      expect(newContract.rows).toBeGreaterThan(INSTRUMENTS * 0.9);
      expect(newContract.checksum).not.toBe(oldContract.checksum);
      expect(maxWal, "the replace transaction should be visible in the WAL").toBeGreaterThan(256 * 1024);

      // Start-up kills land before the claim: a share of the time the calibration run took to claim.
      const spawnToClaimMs = claimedAt! - calibration.startedAt;
      const triggers: Trigger[] = [
        { kind: "spawned", ms: Math.round(0.3 * spawnToClaimMs) },
        { kind: "spawned", ms: Math.round(0.6 * spawnToClaimMs) },
        ...[0.05, 0.17, 0.29, 0.41, 0.53, 0.65].map((fraction): Trigger => ({ kind: "claimed", fraction })),
        ...[0.05, 0.25, 0.5, 0.75].map((f): Trigger => ({ kind: "wal", bytes: Math.round(f * maxWal) })),
      ];

      const results: KillResult[] = [];
      for (const [i, trigger] of triggers.entries()) {
        const db = freshCopy(`kill-${i}.db`);
        const run = startDownload(db);
        let wal = 0;
        let claimed: number | null = null;
        await until(
          `trigger ${JSON.stringify(trigger)}`,
          () => {
            wal = Math.max(wal, walBytes(db));
            if (claimed === null && wal > 0) claimed = performance.now();
            if (!alive(run)) return true;
            switch (trigger.kind) {
              case "spawned":
                return performance.now() - run.startedAt >= trigger.ms ? true : undefined;
              case "claimed":
                return claimed !== null && performance.now() - claimed >= trigger.fraction * claimToExitMs ? true : undefined;
              case "wal":
                return wal >= trigger.bytes ? true : undefined;
            }
          },
          { timeoutMs: 30_000, everyMs: 1 },
        );
        const killed = alive(run) && run.child.kill("SIGKILL");
        const atMs = Math.round(performance.now() - run.startedAt);
        const exit = await run.exited;
        // A kill that lands as the process exits by itself finds it finished (exit 0): that counts as not killed.
        if (killed && exit.signal !== null) expect(exit.signal).toBe("SIGKILL");
        else {
          expect(exit.code, run.output()).toBe(0);
          if (claimed !== null) claimToExitMs = Math.min(claimToExitMs, run.exitedAt! - claimed);
        }

        // The file opens (recovery drops the uncommitted WAL frames) and holds one whole contract.
        const store = openSqliteStore(db);
        try {
          const stored = await storedFingerprint(store);
          const outcome = stored.checksum === newContract.checksum ? "new" : "old";
          expect(stored, `kill ${i} (${JSON.stringify(trigger)} at ${atMs} ms) left a mixed or empty contract`).toEqual(outcome === "new" ? newContract : oldContract);

          const status = await shownStatus(store);
          const counts = await store.countByExchange(BROKER);
          expect(status.status, `a dead owner must not read as downloading (kill ${i})`).not.toBe("downloading");
          expect(status.totalSymbols).toBe(stored.rows);
          expect(status.exchangeCounts).toEqual(counts);
          if (outcome === "new") {
            expect(status).toMatchObject({ status: "success", contractVersion: oldVersion + 1 });
            expect(status.message).toMatch(/^stored \d+ instruments/);
          } else if (status.status === "success") {
            // Killed before it claimed the refresh: the import's record still stands, and is true.
            expect(status).toMatchObject({ contractVersion: oldVersion, owner: null });
            expect(status.message).toMatch(oldMessage);
          } else {
            expect(status.status).toBe("error");
            expect(status.message).toMatch(/download did not finish/);
            expect(status.contractVersion).toBe(oldVersion);
          }
          results.push({ trigger: describeTrigger(trigger, claimToExitMs), killed, atMs, walBytes: wal, outcome, status: status.status });

          if (i === 0 || (status.status === "error" && !results.slice(0, -1).some((r) => r.status === "error"))) {
            // The CLI reads the same thing (once per kind of state, to keep the run short).
            const cli = await runCli(["master", "status", "--json", "--db", `sqlite:${db}`]);
            expect((JSON.parse(cli.out) as MasterStatus).status).toBe(status.status);
          }

          await refreshInProcess(store);
          expect(await storedFingerprint(store)).toEqual(newContract);
          expect(await shownStatus(store)).toMatchObject({ status: "success", totalSymbols: newContract.rows });
        } finally {
          await store.close();
        }
        for (const suffix of ["", "-wal", "-shm"]) rmSync(db + suffix, { force: true });
      }

      console.info(
        `SIGKILL points (claim to exit ${Math.round(claimToExitMs)} ms, WAL up to ${maxWal} B):\n` +
          results.map((r) => `  ${r.trigger.padEnd(26)} ${r.killed ? `killed at ${r.atMs} ms` : "finished first"}, WAL ${r.walBytes} B → ${r.outcome} contract, status ${r.status}`).join("\n"),
      );
      const kills = results.filter((r) => r.killed);
      expect(kills.length).toBeGreaterThanOrEqual(10);
      // The kills covered start-up, a claimed refresh still downloading or parsing, and the replace transaction.
      expect(kills.some((r) => r.walBytes === 0)).toBe(true);
      expect(kills.some((r) => r.status === "error" && r.walBytes < 0.05 * maxWal)).toBe(true);
      expect(kills.some((r) => r.walBytes >= 0.05 * maxWal && r.outcome === "old")).toBe(true);
    }, 90_000);
  });
}

killSuite(
  "another universe stored (written whole)",
  async (store) => {
    // The real sample lines, which share no (symbol, token) set with the generated contract.
    expect((await importMasterFiles(store, BROKER, sampleFiles())).stored).toBe(true);
  },
  /^imported/,
  "whole",
);

killSuite(
  "an earlier contract of the same day stored (only the changes written)",
  async (store, sandbox) => {
    const gw = await createGateway(loadConfig(sandboxEnv(sandbox.url, SANDBOX_DEFAULTS)), silentLogger(), { store });
    try {
      expect((await gw.master.refresh({ force: true })).status).toBe("success");
    } finally {
      await gw.close();
    }
    const stored = await storeContract(store, BROKER, earlierContract(await store.loadBroker(BROKER), { rolledEvery: 20, bandEvery: 10 }), { status: "success", message: "earlier today", owner: null });
    expect(stored.written).toBe("changes");
  },
  /^earlier today/,
  "changes",
);
