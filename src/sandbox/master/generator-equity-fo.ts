import { bseMonthly, dayOf, expiryDay, monthlyExpiries, nseMonthly, weeklyExpiries, WEEKDAY, type ExpiryDay, type MonthlyRule } from "./generator-calendar.js";
import type { StockRef } from "./generator-cash-nse.js";
import { DerivativeWriter, fitWidths, stockStrikeStep, type ChainPlan, type ContractSpec, type SegmentStyle } from "./generator-derivatives.js";
import { BSE_INDEX_UNDERLYINGS, NSE_INDEX_UNDERLYINGS, type IndexUnderlying } from "./generator-universe.js";
import { pad8, SegmentSink, TokenPool } from "./generator-wire.js";
import type { Prng } from "./prng.js";

function yy(expiry: ExpiryDay): string {
  return String(expiry.year % 100).padStart(2, "0");
}

/** InstrumentID of NSE F&O is YY + day of year + token (`2618100062329`); every NSE spread carries the same id. */
const NSEFO_STYLE: SegmentStyle = {
  segment: "NSEFO",
  exchange: "NFO",
  expiryTime: "14:30:00",
  instrumentIdPrefix: (e) => `${yy(e)}${e.dayOfYear}`,
  spreadInstrumentId: () => "2100110000000",
};

const BSEFO_STYLE: SegmentStyle = {
  segment: "BSEFO",
  exchange: "BFO",
  expiryTime: "00:00:00",
  instrumentIdPrefix: (e) => `1${yy(e)}${e.dayOfYear}`,
  spreadInstrumentId: (token) => `121001${pad8(token)}`,
};

const MONTHLY_WEIGHTS = [1, 0.7, 0.5] as const;
const WEEKLY_WEIGHTS = [1, 0.8, 0.6, 0.5, 0.4] as const;
const STOCK_WEIGHTS = [1, 0.6, 0.35] as const;

function indexSpec(u: IndexUnderlying, futureSeries: string, optionSeries: string): ContractSpec {
  return {
    name: u.name,
    futureSeries,
    optionSeries,
    underlyingId: "-1",
    underlyingName: u.underlyingName,
    spot: u.spot,
    carry: 0.065,
    volatility: 0.13,
    lotSize: u.lotSize,
    freezeQty: u.freezeQty,
    tickSize: 0.05,
    optionTick: 0.05,
    multiplier: "1",
    band: 0.1,
    strikeStep: u.strikeStep,
    strikeRange: 0.3,
  };
}

function stockSpec(s: StockRef, futureSeries: string, optionSeries: string): ContractSpec {
  return {
    name: s.name,
    futureSeries,
    optionSeries,
    underlyingId: s.underlyingId,
    underlyingName: s.name,
    spot: s.price,
    carry: 0.065,
    volatility: 0.3,
    lotSize: s.lotSize,
    freezeQty: s.lotSize * 40 + 1,
    tickSize: 0.05,
    optionTick: 0.05,
    multiplier: "1",
    band: 0.1,
    strikeStep: stockStrikeStep(s.price),
    strikeRange: 0.5,
  };
}

interface OptionExpiry {
  readonly expiry: ExpiryDay;
  readonly weekly: boolean;
  readonly weight: number;
}

/**
 * Option expiries of an index: three monthlies; with `weeklies`, that many weekly expiries
 * on `weekday` (those falling on the monthly day are the monthly); with `longDated`, two
 * quarterlies and two half-yearlies beyond the monthlies, as NIFTY and SENSEX have.
 */
function indexOptionExpiries(refDay: number, rule: MonthlyRule, weekday: number, weeklies: number, longDated: boolean): OptionExpiry[] {
  const byDay = new Map<number, OptionExpiry>();
  const monthlies = monthlyExpiries(refDay, 3, rule);
  monthlies.forEach((day, i) => byDay.set(day, { expiry: expiryDay(day), weekly: false, weight: MONTHLY_WEIGHTS[i]! }));
  weeklyExpiries(refDay, weeklies, weekday).forEach((day, i) => {
    if (!byDay.has(day)) byDay.set(day, { expiry: expiryDay(day), weekly: true, weight: WEEKLY_WEIGHTS[i] ?? 0.3 });
  });
  if (longDated) {
    const quarterlies = monthlyExpiries(monthlies[monthlies.length - 1]! + 1, 2, rule, [3, 6, 9, 12]);
    const halfYearlies = monthlyExpiries(quarterlies[quarterlies.length - 1]! + 1, 2, rule, [6, 12]);
    for (const day of [...quarterlies, ...halfYearlies]) byDay.set(day, { expiry: expiryDay(day), weekly: false, weight: 0.25 });
  }
  return [...byDay.values()].sort((a, b) => a.expiry.day - b.expiry.day);
}

/**
 * NSE's exchange test contract, kept because the real master has it: a digit-led name,
 * an expiry ten years out, and a Description naming another month than ContractExpiration
 * (`061NSETEST36DECFUT` expiring 27NOV2036). The symbol must follow the expiry.
 */
function testContract(w: DerivativeWriter, refDay: number): void {
  const year = new Date(refDay * 86_400_000).getUTCFullYear() + 10;
  const spec: ContractSpec = {
    name: "061NSETEST",
    futureSeries: "FUTSTK",
    optionSeries: "OPTSTK",
    underlyingId: "-1",
    underlyingName: "061NSETEST",
    spot: 200,
    carry: 0,
    volatility: 0.3,
    lotSize: 50,
    freezeQty: 100_001,
    tickSize: 0.05,
    optionTick: 0.05,
    multiplier: "1",
    band: 0.1,
    strikeStep: null,
    strikeRange: 0,
  };
  w.future(spec, expiryDay(nseMonthly(year, 11)), false, undefined, expiryDay(dayOf(year, 12, 1)));
}

type SpreadPlan = readonly [ContractSpec, ExpiryDay, ExpiryDay];

/** Near–mid and mid–far calendar spreads, as in the real file (about two per underlying). */
function calendarSpreads(spec: ContractSpec, months: readonly ExpiryDay[]): SpreadPlan[] {
  const out: SpreadPlan[] = [];
  for (let i = 0; i + 1 < months.length; i += 1) out.push([spec, months[i]!, months[i + 1]!]);
  return out;
}

export function generateNseFo(rng: Prng, refDay: number, budget: number, stocks: readonly StockRef[]): SegmentSink {
  const sink = new SegmentSink("NSEFO");
  const tokens = TokenPool.spread(rng.fork("tokens"), 35_000, 200_000, budget);
  // Real NSE spread tokens are in the millions, far above futures and options.
  const spreadTokens = new TokenPool(rng.fork("spread-tokens"), 8_990_000, 5_000);
  const w = new DerivativeWriter(sink, NSEFO_STYLE, tokens, spreadTokens, refDay);
  const monthlies = monthlyExpiries(refDay, 3, nseMonthly).map(expiryDay);
  const chains: ChainPlan[] = [];
  const spreads: SpreadPlan[] = [];

  for (const u of NSE_INDEX_UNDERLYINGS) {
    const spec = indexSpec(u, "FUTIDX", "OPTIDX");
    for (const m of monthlies) w.future(spec, m, false);
    spreads.push(...calendarSpreads(spec, monthlies));
    for (const e of indexOptionExpiries(refDay, nseMonthly, WEEKDAY.Tuesday, u.weekly ? 5 : 0, u.weekly)) {
      chains.push(w.plan(spec, e.expiry, e.weekly, u.weight * e.weight));
    }
  }
  for (const stock of stocks) {
    const spec = stockSpec(stock, "FUTSTK", "OPTSTK");
    for (const m of monthlies) w.future(spec, m, false);
    spreads.push(...calendarSpreads(spec, monthlies));
    monthlies.forEach((m, i) => chains.push(w.plan(spec, m, false, STOCK_WEIGHTS[i]!)));
  }
  testContract(w, refDay);

  fitWidths(chains, budget - sink.instruments.length - spreads.length);
  for (const chain of chains) w.chain(chain);
  for (const [spec, near, far] of spreads) w.spread(spec, near, far);
  return sink;
}

/** BSE stock derivatives are thin: about one stock per 2,500 BSEFO lines, at most the table. */
const BSEFO_LINES_PER_STOCK = 2_500;

export function generateBseFo(rng: Prng, refDay: number, budget: number, stocks: readonly StockRef[]): SegmentSink {
  const sink = new SegmentSink("BSEFO");
  // BSE spreads draw from the same token range as its futures and options (real file: 820152, 824336).
  const tokens = TokenPool.spread(rng.fork("tokens"), 800_000, 1_200_000, budget);
  const w = new DerivativeWriter(sink, BSEFO_STYLE, tokens, tokens, refDay);
  const monthlies = monthlyExpiries(refDay, 3, bseMonthly).map(expiryDay);
  const chains: ChainPlan[] = [];
  const spreads: SpreadPlan[] = [];

  for (const u of BSE_INDEX_UNDERLYINGS) {
    const spec = indexSpec(u, "IF", "IO");
    for (const m of monthlies) w.future(spec, m, false);
    spreads.push(...calendarSpreads(spec, monthlies));
    const expiries = indexOptionExpiries(refDay, bseMonthly, WEEKDAY.Thursday, u.weekly ? 4 : 0, u.weekly);
    // SENSEX also lists weekly futures (`SENSEX25211FUT` in the real file).
    for (const e of expiries.filter((x) => x.weekly).slice(0, 2)) w.future(spec, e.expiry, true);
    for (const e of expiries) chains.push(w.plan(spec, e.expiry, e.weekly, u.weight * e.weight));
  }
  const stockCount = Math.min(stocks.length, Math.max(1, Math.round(budget / BSEFO_LINES_PER_STOCK)));
  for (const stock of stocks.slice(0, stockCount)) {
    const spec = stockSpec(stock, "SF", "SO");
    const near = monthlies.slice(0, 2);
    for (const m of near) w.future(spec, m, false);
    spreads.push(...calendarSpreads(spec, near));
    near.forEach((m, i) => chains.push(w.plan(spec, m, false, 0.5 * STOCK_WEIGHTS[i]!)));
  }

  fitWidths(chains, budget - sink.instruments.length - spreads.length);
  for (const chain of chains) w.chain(chain);
  for (const [spec, near, far] of spreads) w.spread(spec, near, far);
  return sink;
}
