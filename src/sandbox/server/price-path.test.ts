import { describe, expect, it } from "vitest";
import type { GeneratedInstrument } from "../master/master-generator.js";
import { foldBars, isTradingDay, minuteBars, optionElasticity, sessionSummary } from "./price-path.js";

const stock = { token: 2885, tickSize: 0.05, lotSize: 1, kind: "cash" } as GeneratedInstrument;
/** Wednesday 25 Nov 2026 11:00 IST, as a wall clock read as UTC. */
const NOW_WALL = Date.UTC(2026, 10, 25, 11, 0) / 1000;
const day = (d: number): number => Date.UTC(2026, 10, d) / 1000;

describe("the sandbox's price path", () => {
  it("gives the same bar for a minute whatever window asks for it, and ends at the current price", () => {
    const week = minuteBars(stock, 1000, day(18), NOW_WALL, NOW_WALL);
    const oneDay = minuteBars(stock, 1000, day(24), day(24) + 86_399, NOW_WALL);
    expect(oneDay).toEqual(week.filter((b) => b.ts >= day(24) && b.ts < day(25)));
    expect(week.at(-1)).toMatchObject({ ts: NOW_WALL, close: 1000 });
  });

  it("moves like a stock: a day's range a few percent, every price on the tick, no bar outside sessions", () => {
    const bars = foldBars(minuteBars(stock, 1000, day(2), NOW_WALL, NOW_WALL), "D");
    for (const b of bars) {
      expect((b.high - b.low) / b.low).toBeLessThan(0.08);
      for (const p of [b.open, b.high, b.low, b.close]) expect(Math.abs(p / 0.05 - Math.round(p / 0.05))).toBeLessThan(1e-6);
    }
    expect(bars.every((b) => isTradingDay(b.ts))).toBe(true);
    expect(isTradingDay(day(22))).toBe(false);
    expect(isTradingDay(Date.UTC(2026, 11, 25) / 1000)).toBe(false);
  });

  it("a quote's session figures are today's candle so far and yesterday's close", () => {
    const days = foldBars(minuteBars(stock, 1000, day(18), NOW_WALL, NOW_WALL), "D");
    expect(sessionSummary(stock, 1000, NOW_WALL)).toMatchObject({ open: days.at(-1)!.open, high: days.at(-1)!.high, low: days.at(-1)!.low, prevClose: days.at(-2)!.close });
  });

  // Around Friday 25 December 2026 (a holiday) and the weekend after it: the latest session must be
  // whole and the one before it found, however far back it lies.
  it.each([
    ["Wednesday mid-session", Date.UTC(2026, 11, 23, 11, 0)],
    ["Wednesday after the close", Date.UTC(2026, 11, 23, 16, 0)],
    ["Thursday before the open", Date.UTC(2026, 11, 24, 8, 0)],
    ["the Friday holiday", Date.UTC(2026, 11, 25, 12, 0)],
    ["Sunday after it", Date.UTC(2026, 11, 27, 12, 0)],
    ["Monday a minute before the open", Date.UTC(2026, 11, 28, 9, 14)],
    ["Monday at the open", Date.UTC(2026, 11, 28, 9, 15)],
    ["Monday after the close", Date.UTC(2026, 11, 28, 17, 0)],
  ])("a quote's session figures on %s are those of the full path", (_when, nowMs) => {
    const now = nowMs / 1000;
    const days = foldBars(minuteBars(stock, 1000, now - 12 * 86_400, now, now), "D");
    const [previous, latest] = days.slice(-2);
    expect(sessionSummary(stock, 1000, now)).toEqual({ open: latest!.open, high: latest!.high, low: latest!.low, volume: latest!.volume, prevClose: previous!.close, oi: latest!.oi });
  });
});

describe("an option's path", () => {
  const option = { token: 40123, tickSize: 0.05, lotSize: 75, kind: "option" } as GeneratedInstrument;
  const index = { token: 26000, tickSize: 0.05, lotSize: 1, kind: "index" } as GeneratedInstrument;
  const returns = (bars: readonly { close: number }[]) => bars.slice(1).map((b, i) => Math.log(b.close / bars[i]!.close));
  const correlation = (a: number[], b: number[]) => {
    const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
    const [ma, mb] = [mean(a), mean(b)];
    const cov = a.reduce((s, v, i) => s + (v - ma) * (b[i]! - mb), 0);
    return cov / Math.sqrt(a.reduce((s, v) => s + (v - ma) ** 2, 0) * b.reduce((s, v) => s + (v - mb) ** 2, 0));
  };

  it("moves with its underlying: a call with it, a put against it, by its elasticity", () => {
    const spot = minuteBars(index, 26_000, day(24), NOW_WALL, NOW_WALL);
    const call = minuteBars(option, 300, day(24), NOW_WALL, NOW_WALL, { token: index.token, elasticity: optionElasticity(26_000, 26_000, 300, "CE") });
    const put = minuteBars(option, 280, day(24), NOW_WALL, NOW_WALL, { token: index.token, elasticity: optionElasticity(26_000, 26_000, 280, "PE") });
    expect(correlation(returns(call), returns(spot))).toBeGreaterThan(0.95);
    expect(correlation(returns(put), returns(spot))).toBeLessThan(-0.95);
    expect(call.at(-1)!.close).toBe(300);
  });

  it("has an elasticity near delta × spot / premium, capped for deep out-of-the-money options", () => {
    expect(optionElasticity(26_000, 26_000, 260, "CE")).toBe(25);
    expect(optionElasticity(26_000, 26_000, 1000, "CE")).toBeCloseTo(13, 0);
    expect(optionElasticity(26_000, 26_000, 1000, "PE")).toBeCloseTo(-13, 0);
    expect(optionElasticity(26_000, 30_000, 0.05, "CE")).toBe(25);
  });
});
