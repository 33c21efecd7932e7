import {
  businessDayOnOrBefore,
  businessDaysBefore,
  currencyMonthly,
  dayOf,
  expiryDay,
  monthlyExpiries,
  weeklyExpiries,
  WEEKDAY,
  type ExpiryDay,
  type MonthlyRule,
} from "./generator-calendar.js";
import { DerivativeWriter, fitWidths, type ChainPlan, type ContractSpec, type SegmentStyle } from "./generator-derivatives.js";
import { COMMODITIES, CURRENCIES, MCX_SPOT_NAMES, type Commodity, type CommodityGroup, type Currency } from "./generator-universe.js";
import { pad8, SegmentSink, snap, spotLine, TokenPool } from "./generator-wire.js";
import type { Prng } from "./prng.js";

/** InstrumentID of NSECD is `3` + last digit of the year + day of year + token (`3926900001553` in the 2019 capture). */
const NSECD_STYLE: SegmentStyle = {
  segment: "NSECD",
  exchange: "CDS",
  expiryTime: "14:30:00",
  instrumentIdPrefix: (e) => `3${e.year % 10}${e.dayOfYear}`,
  spreadInstrumentId: () => "3100110000000",
};

/** No genuine MCX InstrumentID was published (the fixture masks it); this follows the NSECD shape with 5. */
const MCXFO_STYLE: SegmentStyle = {
  segment: "MCXFO",
  exchange: "MCX",
  // MCX trades until 23:30; the sanitised fixture shows midnight, either parses to the same day.
  expiryTime: "23:30:00",
  instrumentIdPrefix: (e) => `5${e.year % 10}${e.dayOfYear}`,
  spreadInstrumentId: () => "5100110000000",
};

const OPTION_WEIGHTS = [1, 0.6, 0.4] as const;
const QUARTERLY_OPTIONS = 3;
const WEEKLY_OPTIONS = 11;

function currencySpec(c: Currency): ContractSpec {
  return {
    name: c.name,
    futureSeries: "FUTCUR",
    optionSeries: "OPTCUR",
    underlyingId: c.underlyingId,
    underlyingName: "",
    spot: c.spot,
    carry: 0.025,
    volatility: 0.05,
    lotSize: 1,
    freezeQty: 10_001,
    tickSize: 0.0025,
    optionTick: 0.0025,
    multiplier: c.multiplier,
    band: 0.03,
    strikeStep: 0.25,
    strikeRange: 0.15,
  };
}

/**
 * NSECD in the current 21/23-field layouts (only older captures were published): futures
 * over several months, monthly options on every pair and weekly (Friday) options on USDINR,
 * strikes every 0.25 so most symbols carry a decimal strike (`USDINR26DEC2588.25CE`).
 */
export function generateCurrency(rng: Prng, refDay: number, budget: number, sharedTokens: readonly number[]): SegmentSink {
  const sink = new SegmentSink("NSECD");
  const tokens = TokenPool.spread(rng.fork("tokens"), 1_000, 30_000, budget);
  const spreadTokens = new TokenPool(rng.fork("spread-tokens"), 2_000_000, 7);
  // The first USDINR futures reuse NSECM tokens: the same number in two segments must give two stored rows.
  const shared = sharedTokens.slice(0, 2).map((t) => tokens.claim(t));
  const w = new DerivativeWriter(sink, NSECD_STYLE, tokens, spreadTokens, refDay);
  const chains: ChainPlan[] = [];
  const spreads: [ContractSpec, ExpiryDay, ExpiryDay][] = [];

  for (const c of CURRENCIES) {
    const spec = currencySpec(c);
    const months = monthlyExpiries(refDay, c.futureMonths, currencyMonthly).map(expiryDay);
    months.forEach((m, i) => w.future(spec, m, false, c.name === "USDINR" ? shared[i] : undefined));
    spreads.push([spec, months[0]!, months[1]!]);
    const optionMonths = monthlyExpiries(refDay, c.optionMonths, currencyMonthly);
    optionMonths.forEach((d, i) => chains.push(w.plan(spec, expiryDay(d), false, c.weight * OPTION_WEIGHTS[i]!)));
    const quarterlies = monthlyExpiries(optionMonths[optionMonths.length - 1]! + 1, QUARTERLY_OPTIONS, currencyMonthly, [3, 6, 9, 12]);
    for (const d of quarterlies) chains.push(w.plan(spec, expiryDay(d), false, c.weight * 0.25));
    if (c.weekly) {
      // A Friday that is also the monthly expiry is the monthly contract, not a weekly one.
      const monthlyDays = new Set(months.map((m) => m.day));
      const fridays = weeklyExpiries(refDay, WEEKLY_OPTIONS, WEEKDAY.Friday).filter((d) => !monthlyDays.has(d));
      fridays.forEach((d, i) => chains.push(w.plan(spec, expiryDay(d), true, c.weight * Math.max(0.15, 0.6 - 0.05 * i))));
    }
  }

  fitWidths(chains, budget - sink.instruments.length - spreads.length);
  for (const chain of chains) w.chain(chain);
  for (const [spec, near, far] of spreads) w.spread(spec, near, far);
  return sink;
}

/** Futures expiry rules per group: energy about the 19th, bullion the 5th, base metals the month's last business day. */
const FUTURE_RULES: Readonly<Record<CommodityGroup, MonthlyRule>> = {
  energy: (y, m) => businessDayOnOrBefore(dayOf(y, m, 19)),
  bullion: (y, m) => businessDayOnOrBefore(dayOf(y, m, 5)),
  base: (y, m) => businessDayOnOrBefore(dayOf(y, m + 1, 0)),
};

/** Options on futures expire a few business days before their future. */
const OPTION_LEAD: Readonly<Record<CommodityGroup, number>> = { energy: 2, bullion: 3, base: 1 };

const VOLATILITY: Readonly<Record<CommodityGroup, number>> = { energy: 0.4, bullion: 0.18, base: 0.22 };

function commoditySpec(c: Commodity): ContractSpec {
  return {
    name: c.name,
    futureSeries: "FUTCOM",
    optionSeries: "OPTFUT",
    underlyingId: "-1",
    underlyingName: c.name,
    spot: c.price,
    carry: 0.06,
    volatility: VOLATILITY[c.group],
    lotSize: c.lotSize,
    freezeQty: c.lotSize * 100,
    tickSize: c.tickSize,
    optionTick: c.optionTick,
    multiplier: "1",
    band: 0.06,
    strikeStep: c.strikeStep,
    strikeRange: 0.35,
  };
}

/**
 * MCXFO: commodity futures (FUTCOM) and options on futures (OPTFUT), whose Description names
 * the future's month while the symbol takes the option's own expiry day, plus a few spot
 * rows (COMDTY, 18 fields) that are never stored.
 */
export function generateMcx(rng: Prng, refDay: number, budget: number, sharedTokens: readonly number[]): SegmentSink {
  const sink = new SegmentSink("MCXFO");
  const tokens = TokenPool.spread(rng.fork("tokens"), 200_000, 500_000, budget);
  const shared = [...sharedTokens];
  const w = new DerivativeWriter(sink, MCXFO_STYLE, tokens, tokens, refDay);

  MCX_SPOT_NAMES.forEach((name, i) => {
    const c = COMMODITIES.find((x) => x.name === name)!;
    // The first spot rows reuse NSECM tokens, as the brief's example (an NSECM token equal to an MCXFO one) asks.
    const token = i < 4 && shared[i] !== undefined ? tokens.claim(shared[i]!) : tokens.next();
    const price = snap(c.price, c.tickSize);
    const line = spotLine({
      segment: "MCXFO",
      token,
      instrumentType: 16,
      name,
      description: name,
      series: "COMDTY",
      nameWithSeries: `${name}-COMDTY`,
      instrumentId: `51001${pad8(token)}`,
      bandHigh: "0",
      bandLow: "0",
      freezeQty: 0,
      tickSize: c.tickSize,
      lotSize: 1,
      multiplier: "1",
    });
    sink.add(
      { segment: "MCXFO", token, kind: "spot", exchange: null, symbol: null, name, description: name, lotSize: 1, tickSize: c.tickSize, priceBandLow: null, priceBandHigh: null, referencePrice: price, expiry: null, strike: null, optionType: null, freezeQty: 0 },
      line,
    );
  });

  const chains: ChainPlan[] = [];
  for (const c of COMMODITIES) {
    const spec = commoditySpec(c);
    const months = monthlyExpiries(refDay, c.futures, FUTURE_RULES[c.group], c.months.length === 0 ? undefined : c.months).map(expiryDay);
    // One stored future shares an NSECM token too, so the collision is between two stored rows.
    months.forEach((m, i) => w.future(spec, m, false, c.name === "CRUDEOIL" && i === 0 && shared[4] !== undefined ? tokens.claim(shared[4]) : undefined));
    if (c.strikeStep === null) continue;
    months.slice(0, c.optionSeries).forEach((m, i) => {
      const day = businessDaysBefore(m.day, OPTION_LEAD[c.group]);
      if (day >= refDay) chains.push(w.plan(spec, expiryDay(day), false, c.weight * OPTION_WEIGHTS[i]!, m));
    });
  }

  fitWidths(chains, budget - sink.instruments.length);
  for (const chain of chains) w.chain(chain);
  return sink;
}
