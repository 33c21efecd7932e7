import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { procStatusKb, sandboxSettings, serveFlags, servingAt, startNode, stopProcess, type Started } from "./processes.js";
import { fmt, report, type BenchResult } from "./stats.js";

const BIN = fileURLToPath(new URL("../../bin/xtsbridge.js", import.meta.url));
const INSTRUMENTS = 150_000;
const REFRESHES = 6;
/** How often the gateway's RSS is read during a refresh (a peak lasts a few tens of milliseconds). */
const SAMPLE_MS = 3;
/**
 * Quiet time before each refresh: long enough for V8's memory reducer to shrink the heaps after
 * the previous one (with 2 s, the idle RSS measured 15-25 MB higher, and every peak with it).
 */
const QUIET_MS = 12_000;

/** The process's resident set in MB (Linux). */
function rssMb(pid: number): number {
  const kb = procStatusKb(pid, "VmRSS");
  if (kb === null) throw new Error(`no VmRSS for pid ${pid} (this benchmark reads /proc: Linux only)`);
  return kb / 1024;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Issue 17's memory targets, as an operator runs the gateway: `npm start`'s node flags and malloc
 * setting (bin/serve.sh), its own SQLite file, the sandbox of 150,000 instruments in a process of
 * its own. After start-up (which refreshes once), six forced refreshes through the API, 12 s
 * apart; the gateway's RSS is read every 3 ms during each. The baseline is the same process
 * idle before each refresh. Linux only (/proc).
 */
export async function refreshMemoryBench(dir: string): Promise<BenchResult> {
  const started: Started<unknown>[] = [];
  try {
    const sandbox = await startNode({ argv: [BIN, "sandbox", "--port", "0", "--instruments", String(INSTRUMENTS), "--reference-date", "2026-11-25"], env: {} }, sandboxSettings);
    started.push(sandbox);
    const gateway = await startNode(
      {
        argv: [...serveFlags(undefined), BIN, "serve"],
        env: { ...sandbox.found, MALLOC_MMAP_THRESHOLD_: "131072", HOST: "127.0.0.1", PORT: "0", DATABASE_URL: `sqlite:${join(dir, "refresh-memory.db")}`, LOG_LEVEL: "warn" },
      },
      servingAt,
    );
    started.push(gateway);
    const pid = gateway.child.pid!;
    const { url, apikey } = gateway.found;
    await sleep(3000);
    const runs: { idle: number; peak: number; ms: number }[] = [];
    for (let i = 0; i < REFRESHES; i += 1) {
      await sleep(QUIET_MS);
      const idle = rssMb(pid);
      let peak = idle;
      let sampling = true;
      const sampler = (async (): Promise<void> => {
        while (sampling) {
          peak = Math.max(peak, rssMb(pid));
          await sleep(SAMPLE_MS);
        }
      })();
      const t0 = performance.now();
      const response = await fetch(`${url}/api/v1/mastercontract/refresh`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ apikey, force: true }) });
      const body = (await response.json()) as { status?: string; message?: string };
      const ms = performance.now() - t0;
      sampling = false;
      await sampler;
      if (body.status !== "success") throw new Error(`forced refresh ${i + 1} failed: ${JSON.stringify(body).slice(0, 500)}`);
      runs.push({ idle, peak, ms });
    }
    await sleep(QUIET_MS);
    const after = rssMb(pid);
    const idle = median(runs.map((r) => r.idle));
    const peak = median(runs.map((r) => r.peak));
    const list = (pick: (r: (typeof runs)[number]) => number): string => runs.map((r) => fmt(pick(r), 0)).join(", ");
    return report(`gateway RSS around forced refreshes (${INSTRUMENTS.toLocaleString("en-US")} instruments, started as npm start, sandbox in its own process, SQLite file)`, [
      `peak during each refresh: ${list((r) => r.peak)} MB; median ${fmt(peak, 0)} MB — target ≤ 250 MB ${peak <= 250 ? "met" : "NOT met"}`,
      `baseline, the same process idle before each: ${list((r) => r.idle)} MB; median ${fmt(idle, 0)} MB — target ≤ 150 MB ${idle <= 150 ? "met" : "NOT met"}`,
      `${QUIET_MS / 1000} s after the last: ${fmt(after, 0)} MB, ${fmt((after / idle - 1) * 100, 0)} % from the median idle — target within 10 % ${after <= idle * 1.1 ? "met" : "NOT met"}`,
      `each refresh took ${list((r) => r.ms)} ms (the stored contract is this same master)`,
    ]);
  } finally {
    for (const process of started.reverse()) await stopProcess(process);
  }
}
