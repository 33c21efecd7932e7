import { createGateway } from "../src/cli/gateway.js";
import { loadConfig } from "../src/config.js";
import { silentLogger } from "../src/logger.js";
import type { GatewayStore } from "../src/store/symbol-store.js";
import { fmt, report, summary, type BenchResult } from "./stats.js";

/**
 * Issue 13: history of a year of 5-minute bars for one symbol, cold (every 7-day window from the
 * sandbox, unpaced) and warm (from the candle store, target < 50 ms); multiquotes of 200 symbols.
 * The clock is fixed, so the year is always the same 250 trading days.
 */
export async function marketBench(store: GatewayStore, label: string): Promise<BenchResult> {
  const now = Date.UTC(2026, 10, 25, 5, 30);
  const gw = await createGateway(loadConfig({}), silentLogger(), { store, sandbox: { instruments: 20_000, referenceDate: "2026-11-25", now: () => now }, history: { paceMs: 0, now: () => now } });
  try {
    const refreshed = await gw.master.refresh({ force: true });
    if (refreshed.status !== "success") throw new Error(refreshed.message);
    const symbol = gw.resolver.current.allRows().find((r) => r.exchange === "NSE" && r.instrumenttype === "EQ")!.symbol;
    const year = () => gw.history.history(symbol, "NSE", "5m", "2025-11-24", "2026-11-24");
    let started = performance.now();
    const cold = await year();
    const coldMs = performance.now() - started;
    const warm: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      started = performance.now();
      const again = await year();
      warm.push(performance.now() - started);
      if (again.length !== cold.length) throw new Error("the warm answer differs from the cold one");
    }
    const w = summary(warm);
    const rows = gw.resolver.current.allRows().filter((r) => r.exchange === "NSE" || r.exchange === "NFO").slice(0, 200);
    const multi: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      started = performance.now();
      await gw.quotes.multiquotes(rows.map((r) => ({ symbol: r.symbol, exchange: r.exchange })));
      multi.push(performance.now() - started);
    }
    const m = summary(multi);
    return report(`market data (${label})`, [
      `history, a year of 5-minute bars (${fmt(cold.length, 0)} bars): cold ${fmt(coldMs, 0)} ms (53 windows from the sandbox, unpaced; on Jainam at 1 request/s add ~53 s); warm from the candle store p50 ${fmt(w.p50, 1)} ms, max ${fmt(w.max, 1)} ms over 20 calls (target < 50 ms)`,
      `multiquotes of 200 symbols (4 batches of 50, plus 1510 for the NFO ones): p50 ${fmt(m.p50, 0)} ms, max ${fmt(m.max, 0)} ms over 10 calls`,
    ]);
  } finally {
    await gw.close();
  }
}
