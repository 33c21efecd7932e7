import { createGateway } from "../src/cli/gateway.js";
import { loadConfig } from "../src/config.js";
import { silentLogger } from "../src/logger.js";
import { black76Price, impliedVolatility } from "../src/options/black76.js";
import { ladderOf } from "../src/options/ladder.js";
import type { GatewayStore } from "../src/store/symbol-store.js";
import { fmt, report, summary, type BenchResult } from "./stats.js";

/**
 * Issue 15: what options resolution costs on a full-size contract. The strike grid of an expiry is
 * built from the contract once per version (cold), then an offset is resolved on it (warm); the
 * plain symbol lookup of the same run is the baseline. Also: an implied-volatility solve, and an
 * option chain of 21 strikes with Greeks end to end over loopback.
 */
export async function optionsBench(store: GatewayStore): Promise<BenchResult> {
  const now = Date.UTC(2026, 10, 25, 5, 30);
  const gw = await createGateway(loadConfig({}), silentLogger(), { store, sandbox: { instruments: 150_000, referenceDate: "2026-11-25", now: () => now }, clock: () => now });
  try {
    const refreshed = await gw.master.refresh({ force: true });
    if (refreshed.status !== "success") throw new Error(refreshed.message);
    const index = gw.resolver.current;
    const option = index.rowsOf("NFO").find((r) => r.name === "NIFTY" && r.instrumenttype === "CE")!;
    let started = performance.now();
    const ladder = ladderOf(index, "NFO", "NIFTY", option.expiry)!;
    const coldMs = performance.now() - started;
    const n = 200_000;
    const offsets = ["ATM", "ITM1", "OTM3", "ITM5", "OTM1"];
    started = performance.now();
    let sink = 0;
    for (let i = 0; i < n; i += 1) sink += gw.options.pick(ladderOf(index, "NFO", "NIFTY", option.expiry)!, 26_000 + (i % 50), offsets[i % 5]!, i % 2 === 0 ? "CE" : "PE").token;
    const pickNs = ((performance.now() - started) * 1e6) / n;
    started = performance.now();
    for (let i = 0; i < n; i += 1) sink += gw.resolver.resolve(option.symbol, "NFO").token;
    const resolveNs = ((performance.now() - started) * 1e6) / n;
    const inputs = { forward: 26_000, strike: 26_200, years: 13 / 365, rate: 0.065, kind: "CE" as const };
    const price = black76Price(inputs, 0.14);
    started = performance.now();
    for (let i = 0; i < 20_000; i += 1) {
      const iv = impliedVolatility(inputs, price * (1 + (i % 7) * 0.001));
      if (iv.ok) sink += iv.sigma;
    }
    const ivUs = ((performance.now() - started) * 1e3) / 20_000;
    const chain: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      started = performance.now();
      await gw.options.optionChain({ underlying: "NIFTY", exchange: "NSE_INDEX", expiry_date: option.expiry.replace(/-/g, ""), strike_count: 10, with_greeks: true, interest_rate: 6.5 });
      chain.push(performance.now() - started);
    }
    const c = summary(chain);
    if (sink === 0) throw new Error("nothing resolved");
    return report("options (150,000-instrument contract)", [
      `strike grid of one NIFTY expiry (${ladder.rungs.length} strikes): built from the ${fmt(index.rowsOf("NFO").length, 0)} NFO rows in ${fmt(coldMs, 1)} ms, once per contract version`,
      `an offset resolved on the cached grid (ATM by nearest strike, then the walk): ${fmt(pickNs, 0)} ns a call; the plain symbol lookup of the same run: ${fmt(resolveNs, 0)} ns`,
      `implied volatility (Newton in a bisection bracket, 1e-10 of the price): ${fmt(ivUs, 2)} µs a solve`,
      `optionchain, 21 strikes with Greeks, over loopback (one quote of the index, 42 legs in one 1502 and one 1510 request): p50 ${fmt(c.p50, 1)} ms, max ${fmt(c.max, 1)} ms over 20 calls`,
    ]);
  } finally {
    await gw.close();
  }
}
