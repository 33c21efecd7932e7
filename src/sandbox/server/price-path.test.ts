import { describe, expect, it } from "vitest";
import type { GeneratedInstrument } from "../master/master-generator.js";
import { foldBars, isTradingDay, minuteBars, sessionSummary } from "./price-path.js";

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
});
