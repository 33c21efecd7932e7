import { ValidationError } from "../errors.js";
import { exchangeInfo, parseExchange } from "../instruments/exchanges.js";
import { IST_OFFSET_MS, istToday } from "../instruments/ist.js";
import type { Resolver } from "../resolver/resolver.js";
import type { CandleStore, StoredCandle } from "../store/candle-store.js";
import type { XtsMarketDataClient } from "../xts/client/market-client.js";
import { XTS_COMPRESSIONS, type XtsBar, type XtsInterval } from "../xts/ohlc.js";
import { segmentFromCode } from "../xts/segments.js";

/** An OpenAlgo history row: `timestamp` in Unix epoch seconds, `oi` always present. */
export interface Candle {
  readonly timestamp: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly oi: number;
}

/** Exactly the intervals XTS serves (its documented compressions), in OpenAlgo's names. */
export const HISTORY_INTERVALS = Object.keys(XTS_COMPRESSIONS) as XtsInterval[];

export function isHistoryInterval(value: string): value is XtsInterval {
  return Object.hasOwn(XTS_COMPRESSIONS, value);
}

/** OpenAlgo's `/intervals` answer for this broker. */
export function intervalsData(): Record<"seconds" | "minutes" | "hours" | "days" | "weeks" | "months", string[]> {
  return {
    seconds: [],
    minutes: HISTORY_INTERVALS.filter((i) => i.endsWith("m")),
    hours: HISTORY_INTERVALS.filter((i) => i.endsWith("h")),
    days: HISTORY_INTERVALS.filter((i) => i === "D"),
    weeks: [],
    months: [],
  };
}

const IST_OFFSET_S = IST_OFFSET_MS / 1000;
const DAY_S = 86_400;
/** 09:15 IST, when NSE's and BSE's normal sessions open. */
const SESSION_OPEN_S = 9 * 3600 + 15 * 60;

export interface HistoryOptions {
  /** Days per OHLC request; OpenAlgo's Jainam plugin asks for at most 7. */
  readonly windowDays: number;
  /** Least time between two OHLC requests: XTS allows about one a second. */
  readonly paceMs: number;
  readonly now: () => number;
}

const DEFAULTS: HistoryOptions = { windowDays: 7, paceMs: 1_000, now: Date.now };

/** An XTS bar (IST wall clock read as UTC) as a stored candle (true epoch seconds). */
function toCandle(bar: XtsBar): StoredCandle {
  return { ts: bar.ts - IST_OFFSET_S, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume, oi: bar.oi };
}

/** The IST day of a wall-clock time. */
function dayOf(wall: number): string {
  return new Date(wall * 1000).toISOString().slice(0, 10);
}

function dayBefore(day: string): string {
  return dayOf(wallDay(day) - DAY_S);
}

/** Every day from `from` to `to`, both included. */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = wallDay(from); t <= wallDay(to); t += DAY_S) days.push(dayOf(t));
  return days;
}

/** Runs of consecutive days cut into requests of at most `size` days: [from, to] wall-clock seconds. */
function windows(days: readonly string[], size: number): [number, number][] {
  const out: [number, number][] = [];
  let start: number | undefined;
  let count = 0;
  let previous: number | undefined;
  for (const day of days) {
    const t = wallDay(day);
    if (start === undefined || previous === undefined || t !== previous + DAY_S || count === size) {
      if (start !== undefined && previous !== undefined) out.push([start, previous + DAY_S - 1]);
      start = t;
      count = 0;
    }
    previous = t;
    count += 1;
  }
  if (start !== undefined && previous !== undefined) out.push([start, previous + DAY_S - 1]);
  return out;
}

/** `YYYY-MM-DD` → that IST midnight as wall-clock epoch seconds. */
function wallDay(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 1000;
}

/**
 * OpenAlgo `/history` from XTS OHLC. The range is asked for in windows XTS allows, paced under its
 * rate limit, and stitched: every bar once, in time order. XTS stamps bars with the IST wall clock
 * read as UTC, so 19,800 s are taken off to give true epoch seconds. A daily series that lacks today's
 * bar while today is in range gets it from a quote, complete up to now.
 */
export class HistoryService {
  private readonly options: HistoryOptions;
  /** OHLC requests of this process, one after another at the pace. */
  private queue: Promise<unknown> = Promise.resolve();
  private lastRequestAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly market: Pick<XtsMarketDataClient, "ohlc" | "depthQuotes" | "openInterest">,
    private readonly resolver: Resolver,
    /** Where completed candles are kept; null to ask XTS every time. */
    private readonly candles: CandleStore | null,
    options: Partial<HistoryOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  async history(symbol: string, exchange: string, interval: string, startDate: string, endDate: string): Promise<Candle[]> {
    if (!isHistoryInterval(interval)) {
      throw new ValidationError("interval", `interval '${interval}' is not served by Jainam XTS; allowed: ${HISTORY_INTERVALS.join(", ")}`);
    }
    if (startDate > endDate) throw new ValidationError("start_date", `start_date ${startDate} is after end_date ${endDate}`);
    const row = this.resolver.resolve(symbol, exchange);
    const info = exchangeInfo(parseExchange(row.exchange));
    const segment = segmentFromCode(info.quoteSegmentCode)!;
    const compression = XTS_COMPRESSIONS[interval];
    const first = wallDay(startDate);
    const last = wallDay(endDate) + DAY_S - 1;
    const nowMs = this.options.now();
    const today = istToday(nowMs);
    const key = { broker: this.resolver.broker, exchange: row.exchange, token: row.token, interval };
    // Days before today that the store holds complete are not asked for again; today never is complete.
    const stored = this.candles === null || startDate >= today ? new Set<string>() : await this.candles.candleDays(key, startDate, endDate < today ? endDate : dayBefore(today));
    const missing = daysBetween(startDate, endDate).filter((day) => !stored.has(day));
    const bars = new Map<number, XtsBar>();
    for (const [from, to] of windows(missing, this.options.windowDays)) {
      for (const bar of await this.paced(() => this.market.ohlc({ segment, token: row.token, fromWallClock: from, toWallClock: to, compression }))) {
        // Windows may overlap at their edges: each bar is kept once.
        if (bar.ts >= first && bar.ts <= last) bars.set(bar.ts, bar);
      }
    }
    if (this.candles !== null) {
      const complete = missing.filter((day) => day < today);
      const keep = [...bars.values()].filter((b) => dayOf(b.ts) < today).map(toCandle);
      if (complete.length > 0) await this.candles.saveCandles(key, complete, keep);
      if (stored.size > 0) for (const c of await this.candles.readCandles(key, first - IST_OFFSET_S, last - IST_OFFSET_S)) bars.set(c.ts + IST_OFFSET_S, { ...c, ts: c.ts + IST_OFFSET_S });
    }
    const sessionOpen = wallDay(today) + SESSION_OPEN_S;
    const weekday = new Date(`${today}T00:00:00Z`).getUTCDay() % 6 !== 0;
    // Before today's session opens a quote still shows the last day: no bar for today is made from it.
    if (interval === "D" && startDate <= today && today <= endDate && weekday && nowMs / 1000 + IST_OFFSET_S >= sessionOpen && !bars.has(wallDay(today))) {
      const instrument = { exchangeSegment: info.quoteSegmentCode, exchangeInstrumentID: row.token };
      const [quote] = await this.market.depthQuotes([instrument]);
      // A quote with no open has not traded today (a holiday, or before the open): no bar is made up.
      if (quote !== undefined && quote.Open > 0) {
        // Open interest from XTS's 1510 where the instrument has any; cash and indices have none.
        const oi = info.openInterest ? (await this.market.openInterest([instrument]))[0]!.OpenInterest : 0;
        bars.set(wallDay(today), { ts: wallDay(today), open: quote.Open, high: quote.High, low: quote.Low, close: quote.LastTradedPrice, volume: quote.TotalTradedQuantity, oi });
      }
    }
    return [...bars.values()]
      .sort((a, b) => a.ts - b.ts)
      .map((b) => {
        const c = toCandle(b);
        return { timestamp: c.ts, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume, oi: c.oi };
      });
  }

  private paced<T>(request: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const wait = this.lastRequestAt + this.options.paceMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.lastRequestAt = Date.now();
      return request();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
