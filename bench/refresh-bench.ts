import { createGateway } from "../src/cli/gateway.js";
import { loadConfig } from "../src/config.js";
import { silentLogger } from "../src/logger.js";
import type { GatewayStore } from "../src/store/symbol-store.js";
import { fmt, mb, report, settledHeap, type BenchResult } from "./stats.js";

/** Issue 4: a full refresh from the sandbox (download, parse, store, index) for 150,000 instruments. */
export async function refreshBench(store: GatewayStore, label: string): Promise<BenchResult[]> {
  // The production root over the given store and the built-in sandbox, as npm start builds it.
  const gw = await createGateway(loadConfig({}), silentLogger(), { store, sandbox: { instruments: 150_000, referenceDate: "2026-11-25" }, refresh: { force: true } });
  try {
    const { resolver, master } = gw;
    const runs = [];
    for (let i = 0; i < 3; i += 1) runs.push(await master.refresh({ force: true }));
    const best = runs.reduce((a, b) => (a.durationMs <= b.durationMs ? a : b));
    if (best.status !== "success") throw new Error(best.message);
    const download = best.segments.map((s) => `${s.segment} ${fmt(s.durationMs, 0)} ms`).join(", ");
    const heapBefore = settledHeap();
    const loadStarted = performance.now();
    await resolver.load();
    const loadMs = performance.now() - loadStarted;
    const heapAfter = settledHeap();
    return [
      report(`full refresh from the sandbox (${label})`, [
        `${fmt(best.total, 0)} rows; best of 3: ${fmt(best.durationMs, 0)} ms total (runs: ${runs.map((r) => fmt(r.durationMs, 0)).join(", ")} ms)`,
        `download + parse per segment (concurrent, 3 at a time): ${download}`,
        `store (one transaction): ${fmt(best.storeMs, 0)} ms; index build: ${fmt(best.indexMs, 0)} ms`,
      ]),
      report(`index load from the database at start-up (${label})`, [`${fmt(loadMs, 0)} ms; heap ${mb(heapBefore)} → ${mb(heapAfter)} (the previous index was released)`]),
    ];
  } finally {
    await gw.close();
  }
}
