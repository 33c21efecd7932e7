import type { GeneratedInstrument } from "../master/master-generator.js";
import { EXCHANGE_CALENDAR } from "../../calendar/exchange-calendar.js";
import { roundToTick } from "./wire-values.js";

/**
 * The sandbox's price history: one deterministic path per instrument, a minute at a time through
 * the trading sessions (09:15–15:30 IST on the days NSE trades by the shipped exchange calendar;
 * for a year it does not hold, Monday to Friday but for the fixed-date holidays),
 * ending at the instrument's current simulated price, so the latest bar closes where quotes and
 * fills are. The same instrument and clock give the same bars on every run.
 */

const IST_OFFSET_S = 19_800;
const SESSION_OPEN_S = 9 * 3600 + 15 * 60;
const SESSION_MINUTES = 375;
const DAY_S = 86_400;
/** Per-minute volatility of the log price: about 1.5 % a day. */
const SIGMA = 0.0008;
/** Fixed-date NSE holidays (MM-DD), for years the calendar does not hold: Republic Day, Independence Day, Gandhi Jayanti, Christmas. */
const HOLIDAYS: ReadonlySet<string> = new Set(["01-26", "08-15", "10-02", "12-25"]);

/** A bar in XTS's terms: `ts` is the IST wall clock read as UTC epoch seconds. */
export interface SandboxBar {
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly oi: number;
}

/** Whether the IST calendar day starting at `dayWall` (wall-clock seconds, midnight) is a trading day. */
export function isTradingDay(dayWall: number): boolean {
  const d = new Date(dayWall * 1000);
  const weekday = d.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  const published = EXCHANGE_CALENDAR.tradesOn("NSE", d.toISOString().slice(0, 10));
  if (published !== null) return published;
  return !HOLIDAYS.has(`${String(d.getUTCMonth() + 1).padStart(2, "0")}-${String(d.getUTCDate()).padStart(2, "0")}`);
}

/** A number in [0, 1) from a token and a minute, the same every run. */
function unit(token: number, minute: number, salt: number): number {
  let h = (Math.imul(token ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(minute + salt * 0x632be5ab, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 4_294_967_296;
}

/** The session minutes from `fromWall` to `toWall` (wall-clock seconds), oldest first, as their start times. */
function sessionMinutes(fromWall: number, toWall: number): number[] {
  const minutes: number[] = [];
  for (let day = Math.floor(fromWall / DAY_S) * DAY_S; day <= toWall; day += DAY_S) {
    if (!isTradingDay(day)) continue;
    for (let m = 0; m < SESSION_MINUTES; m += 1) {
      const start = day + SESSION_OPEN_S + m * 60;
      if (start >= fromWall && start <= toWall) minutes.push(start);
    }
  }
  return minutes;
}

/**
 * What moves a derivative's path: its underlying's minute steps, times the option's elasticity
 * (how many percent it moves for one percent of the underlying), so an option rises and falls with
 * its underlying instead of on its own.
 */
export interface PathDriver {
  readonly token: number;
  readonly elasticity: number;
}

/** The most an option's percentage move may be of its underlying's: deep out-of-the-money ones stay sane. */
const MAX_ELASTICITY = 25;

/**
 * An option's elasticity from its moneyness: a smooth delta (0.5 at the money, towards 1 or 0 away
 * from it) times spot over premium. Puts move against the underlying.
 */
export function optionElasticity(spot: number, strike: number, premium: number, type: "CE" | "PE"): number {
  const x = (spot - strike) / (0.03 * spot);
  const callDelta = 1 / (1 + Math.exp(-1.7 * x));
  const delta = type === "CE" ? callDelta : callDelta - 1;
  const e = (delta * spot) / Math.max(premium, 0.05);
  return Math.max(-MAX_ELASTICITY, Math.min(MAX_ELASTICITY, e));
}

/**
 * One-minute bars of `instrument` from `fromWall` to `toWall`, the path anchored so that the
 * minute running at `nowWall` closes at `lastPrice`. Minutes after `nowWall` have not happened.
 * With a `driver`, the minute steps are the driver's (the underlying's) scaled by its elasticity.
 */
export function minuteBars(instrument: GeneratedInstrument, lastPrice: number, fromWall: number, toWall: number, nowWall: number, driver?: PathDriver): SandboxBar[] {
  const end = Math.min(toWall, nowWall);
  const minutes = sessionMinutes(fromWall, nowWall);
  if (minutes.length === 0 || fromWall > end) return [];
  // Walk back from now: the log price of each minute's close relative to the last one. A minute's
  // step is keyed by the minute alone, so every window sees the same bars.
  const walker = driver?.token ?? instrument.token;
  const scale = driver?.elasticity ?? 1;
  const step = (start: number): number => scale * SIGMA * (unit(walker, start / 60, 1) + unit(walker, start / 60, 2) + unit(walker, start / 60, 3) - 1.5) * 2;
  const logClose = new Array<number>(minutes.length);
  logClose[minutes.length - 1] = 0;
  for (let i = minutes.length - 2; i >= 0; i -= 1) logClose[i] = logClose[i + 1]! - step(minutes[i + 1]!);
  const tick = instrument.tickSize;
  const lot = Math.max(1, instrument.lotSize);
  const bars: SandboxBar[] = [];
  for (let i = 0; i < minutes.length; i += 1) {
    const start = minutes[i]!;
    if (start > end) break;
    const close = roundToTick(lastPrice * Math.exp(logClose[i]!), tick);
    // The open is where the minute's own step started: the previous minute's close, even when the window starts here.
    const open = roundToTick(lastPrice * Math.exp(logClose[i]! - step(start)), tick);
    const reach = lastPrice * SIGMA * Math.abs(scale) * unit(instrument.token, start / 60, 4);
    const high = roundToTick(Math.max(open, close) + reach, tick);
    const low = roundToTick(Math.max(tick, Math.min(open, close) - reach), tick);
    const volume = instrument.kind === "index" ? 0 : lot * (1 + Math.floor(unit(instrument.token, start / 60, 5) * 40));
    const oi = instrument.kind === "future" || instrument.kind === "option" ? lot * (1000 + Math.floor(unit(instrument.token, Math.floor(start / DAY_S), 6) * 9000)) : 0;
    if (start >= fromWall) bars.push({ ts: start, open, high, low, close, volume, oi });
  }
  return bars;
}

/** Minute bars folded into bars of `seconds` (aligned to the 09:15 open) or of a day (`D`, stamped at the day's midnight). */
export function foldBars(minute: readonly SandboxBar[], compression: number | "D"): SandboxBar[] {
  const out: SandboxBar[] = [];
  const keyOf = (ts: number): number => {
    const day = Math.floor(ts / DAY_S) * DAY_S;
    if (compression === "D") return day;
    const sessionStart = day + SESSION_OPEN_S;
    return sessionStart + Math.floor((ts - sessionStart) / compression) * compression;
  };
  for (const bar of minute) {
    const key = keyOf(bar.ts);
    const last = out[out.length - 1];
    if (last !== undefined && last.ts === key) {
      out[out.length - 1] = { ts: key, open: last.open, high: Math.max(last.high, bar.high), low: Math.min(last.low, bar.low), close: bar.close, volume: last.volume + bar.volume, oi: bar.oi };
    } else {
      out.push({ ...bar, ts: key });
    }
  }
  return out;
}

/** Now, as XTS bar times count it: the IST wall clock read as UTC epoch seconds. */
export function wallClockSeconds(nowMs: number): number {
  return Math.floor(nowMs / 1000) + IST_OFFSET_S;
}

/** What a quote shows of the price path: the latest session's bar so far, and the session before's close. */
export interface SessionSummary {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly volume: number;
  readonly prevClose: number;
  readonly oi: number;
}

/**
 * The latest session's open, high, low and volume up to now, the previous session's close and the
 * open interest: the same numbers the OHLC endpoint's bars give, so quotes and candles agree.
 */
export function sessionSummary(instrument: GeneratedInstrument, lastPrice: number, nowWall: number, driver?: PathDriver): SessionSummary {
  // The window must start before the latest session (so that session is whole) and reach back
  // into the one before it (for its close). One day back is enough on most days; a weekend or a
  // holiday needs more, up to six. The path is keyed by minute, so a wider window changes nothing.
  let days: SandboxBar[] = [];
  for (const back of [1, 2, 4, 6]) {
    days = foldBars(minuteBars(instrument, lastPrice, nowWall - back * DAY_S, nowWall, nowWall, driver), "D");
    if (days.length >= 2) break;
  }
  const latest = days.at(-1);
  const previous = days.at(-2);
  if (latest === undefined) return { open: lastPrice, high: lastPrice, low: lastPrice, volume: 0, prevClose: lastPrice, oi: 0 };
  return { open: latest.open, high: latest.high, low: latest.low, volume: latest.volume, prevClose: previous?.close ?? latest.open, oi: latest.oi };
}
