import { daysToExpiry, type ExpiryDay } from "./generator-calendar.js";
import {
  ceilUnits,
  floorUnits,
  fromUnits,
  futureLine,
  OptionLines,
  pad8,
  snapUnits,
  toUnits,
  unitsText,
  type CommonFields,
  type SegmentSink,
  type TokenPool,
} from "./generator-wire.js";

/**
 * Futures, options and calendar spreads for one underlying, written in the current XTS
 * layouts, with the OpenAlgo symbol each must get: `NAME + DDMMMYY + FUT` and
 * `NAME + DDMMMYY + STRIKE + CE|PE`, the date being the contract's own expiry day.
 */

export type DerivativeSegment = "NSEFO" | "BSEFO" | "NSECD" | "MCXFO";

/** What differs between derivative segments on the wire. */
export interface SegmentStyle {
  readonly segment: DerivativeSegment;
  readonly exchange: "NFO" | "BFO" | "CDS" | "MCX";
  /** Time part of ContractExpiration: 14:30 on NSE, midnight on BSE (xts-protocol.md §2.2). */
  readonly expiryTime: string;
  /** InstrumentID is this date-derived prefix followed by the token in eight digits (`26181` + `00062329`). */
  readonly instrumentIdPrefix: (expiry: ExpiryDay) => string;
  readonly spreadInstrumentId: (token: number) => string;
}

export interface ContractSpec {
  readonly name: string;
  readonly futureSeries: string;
  readonly optionSeries: string;
  readonly underlyingId: string;
  readonly underlyingName: string;
  readonly spot: number;
  /** Annual cost of carry, for the forward price. */
  readonly carry: number;
  /** Annual volatility, for option reference prices. */
  readonly volatility: number;
  readonly lotSize: number;
  readonly freezeQty: number;
  readonly tickSize: number;
  readonly optionTick: number;
  readonly multiplier: string;
  /** Futures circuit band, as a fraction either side. */
  readonly band: number;
  /** Strike interval in rupees; null when no options trade. */
  readonly strikeStep: number | null;
  /** How far strikes may reach either side of the forward, as a fraction of it. */
  readonly strikeRange: number;
}

/** One expiry's option ladder, sized later by `fitWidths`; strikes in units (generator-wire.ts). */
export interface ChainPlan {
  readonly spec: ContractSpec;
  readonly expiry: ExpiryDay;
  /** The month the Description names: the expiry's own, or the underlying future's on MCX. */
  readonly label: ExpiryDay;
  readonly weekly: boolean;
  readonly weight: number;
  readonly stepUnits: number;
  readonly atmUnits: number;
  readonly maxWidth: number;
  readonly forward: number;
  width: number;
}

/** Normal CDF (Abramowitz–Stegun 7.1.26, error below 1e-7): plenty for a plausible premium. */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Bachelier premium: simple, and well behaved for deep strikes and short expiries. */
function premium(forward: number, strike: number, sigma: number, call: boolean): number {
  const d = (forward - strike) / sigma;
  const density = Math.exp(-(d * d) / 2) / Math.sqrt(2 * Math.PI);
  const callValue = (forward - strike) * normalCdf(d) + sigma * density;
  return call ? callValue : callValue - (forward - strike);
}

export class DerivativeWriter {
  constructor(
    private readonly sink: SegmentSink,
    private readonly style: SegmentStyle,
    private readonly tokens: TokenPool,
    private readonly spreadTokens: TokenPool,
    private readonly refDay: number,
  ) {}

  /** The forward price in units, on the futures tick: spot carried to the expiry. */
  forwardUnits(spec: ContractSpec, expiry: ExpiryDay): number {
    const forward = spec.spot * (1 + (spec.carry * daysToExpiry(this.refDay, expiry.day)) / 365);
    return snapUnits(toUnits(forward), toUnits(spec.tickSize));
  }

  private fields(spec: ContractSpec, token: number, type: number, description: string, series: string, id: string, high: number, low: number): CommonFields {
    return {
      segment: this.style.segment,
      token,
      instrumentType: type,
      name: spec.name,
      description,
      series,
      nameWithSeries: `${spec.name}-${series}`,
      instrumentId: id,
      bandHigh: unitsText(high),
      bandLow: unitsText(low),
      freezeQty: spec.freezeQty,
      tickSize: spec.tickSize,
      lotSize: spec.lotSize,
      multiplier: spec.multiplier,
    };
  }

  /** A future; weekly ones (BSE SENSEX) are described `SENSEX25211FUT`, monthly ones `SENSEX25FEBFUT`. */
  future(spec: ContractSpec, expiry: ExpiryDay, weekly: boolean, token: number = this.tokens.next(), label: ExpiryDay = expiry): void {
    const tick = toUnits(spec.tickSize);
    const price = this.forwardUnits(spec, expiry);
    const high = ceilUnits(price * (1 + spec.band), tick);
    const low = floorUnits(price * (1 - spec.band), tick);
    const description = `${spec.name}${weekly ? expiry.yearMonthDay : label.yearMonth}FUT`;
    const id = this.style.instrumentIdPrefix(expiry) + pad8(token);
    const line = futureLine(this.fields(spec, token, 1, description, spec.futureSeries, id, high, low), {
      underlyingId: spec.underlyingId,
      underlyingName: spec.underlyingName,
      expiration: `${expiry.iso}T${this.style.expiryTime}`,
      displayName: `${spec.name} ${expiry.display}`,
    });
    this.sink.add(
      {
        segment: this.style.segment,
        token,
        kind: "future",
        exchange: this.style.exchange,
        symbol: `${spec.name}${expiry.compact}FUT`,
        name: spec.name,
        description,
        lotSize: spec.lotSize,
        tickSize: spec.tickSize,
        priceBandLow: fromUnits(low),
        priceBandHigh: fromUnits(high),
        referencePrice: fromUnits(price),
        expiry: expiry.iso,
        strike: null,
        optionType: null,
        freezeQty: spec.freezeQty,
      },
      line,
    );
  }

  /** A calendar spread (InstrumentType 4): same Series as the future, never stored, band symmetric around zero. */
  spread(spec: ContractSpec, near: ExpiryDay, far: ExpiryDay): void {
    const token = this.spreadTokens.next();
    const tick = toUnits(spec.tickSize);
    const difference = this.forwardUnits(spec, far) - this.forwardUnits(spec, near);
    const limit = ceilUnits(Math.abs(difference) + toUnits(spec.spot * 0.01), tick);
    const description = `${spec.name}${near.yearMonth}${far.yearMonth}FUT`;
    const line = futureLine(this.fields(spec, token, 4, description, spec.futureSeries, this.style.spreadInstrumentId(token), limit, -limit), {
      underlyingId: "-1",
      underlyingName: "",
      expiration: `${near.iso}T${this.style.expiryTime}`,
      displayName: `${spec.name} ${near.dayMonth}${far.dayMonth} SPD`,
    });
    this.sink.add(
      {
        segment: this.style.segment,
        token,
        kind: "spread",
        exchange: null,
        symbol: null,
        name: spec.name,
        description,
        lotSize: spec.lotSize,
        tickSize: spec.tickSize,
        priceBandLow: fromUnits(-limit),
        priceBandHigh: fromUnits(limit),
        referencePrice: fromUnits(difference),
        expiry: near.iso,
        strike: null,
        optionType: null,
        freezeQty: spec.freezeQty,
      },
      line,
    );
  }

  /** Plans a ladder centred on the forward, at most `strikeRange` either side, never down to zero. */
  plan(spec: ContractSpec, expiry: ExpiryDay, weekly: boolean, weight: number, label: ExpiryDay = expiry): ChainPlan {
    if (spec.strikeStep === null) throw new Error(`${spec.name} has no options`);
    const forward = this.forwardUnits(spec, expiry);
    const stepUnits = toUnits(spec.strikeStep);
    const atmUnits = Math.max(stepUnits, snapUnits(forward, stepUnits));
    const maxWidth = Math.max(1, Math.min(Math.floor((spec.strikeRange * forward) / stepUnits), Math.floor((atmUnits - 1) / stepUnits)));
    return { spec, expiry, label, weekly, weight, stepUnits, atmUnits, maxWidth, forward: fromUnits(forward), width: 1 };
  }

  /**
   * Writes a planned ladder. This loop makes most of the master, so per-chain text is built
   * once, and symbol and Description share their `NAME + date + strike` part between CE and PE.
   */
  chain(plan: ChainPlan): void {
    const { spec, expiry } = plan;
    const tick = toUnits(spec.optionTick);
    const lines = new OptionLines(
      this.style.segment,
      this.style.instrumentIdPrefix(expiry),
      { name: spec.name, series: spec.optionSeries, freezeQty: spec.freezeQty, tickSize: spec.optionTick, lotSize: spec.lotSize, multiplier: spec.multiplier },
      { underlyingId: spec.underlyingId, underlyingName: spec.underlyingName, expiration: `${expiry.iso}T${this.style.expiryTime}`, displayDate: expiry.display },
    );
    const describedAs = spec.name + (plan.weekly ? expiry.yearMonthDay : plan.label.yearMonth);
    const symbolRoot = spec.name + expiry.compact;
    const sigma = spec.volatility * plan.forward * Math.sqrt(daysToExpiry(this.refDay, expiry.day) / 365);
    const room = Math.max(toUnits(plan.forward * 0.01), tick * 20);
    for (let k = -plan.width; k <= plan.width; k += 1) {
      const units = plan.atmUnits + k * plan.stepUnits;
      if (units <= 0) continue;
      const strike = unitsText(units);
      const strikeValue = fromUnits(units);
      const described = describedAs + strike;
      const symbol = symbolRoot + strike;
      for (let side = 0; side < 2; side += 1) {
        const call = side === 0;
        const type = call ? "CE" : "PE";
        const token = this.tokens.next();
        const price = Math.max(tick, snapUnits(toUnits(premium(plan.forward, strikeValue, sigma, call)), tick));
        const reach = Math.max(price * 0.5, room);
        const high = ceilUnits(price + reach, tick);
        const low = Math.max(tick, floorUnits(price - reach, tick));
        const description = described + type;
        this.sink.add(
          {
            segment: this.style.segment,
            token,
            kind: "option",
            exchange: this.style.exchange,
            symbol: symbol + type,
            name: spec.name,
            description,
            lotSize: spec.lotSize,
            tickSize: spec.optionTick,
            priceBandLow: fromUnits(low),
            priceBandHigh: fromUnits(high),
            referencePrice: fromUnits(price),
            expiry: expiry.iso,
            strike: strikeValue,
            optionType: type,
            freezeQty: spec.freezeQty,
          },
          lines.line(token, description, high, low, strike, call),
        );
      }
    }
  }
}

function optionLines(plan: ChainPlan, width: number): number {
  const w = Math.min(plan.maxWidth, Math.max(1, width));
  return 2 * (2 * w + 1);
}

/**
 * Sizes every ladder so that all chains together come close to `budget` option lines:
 * width = weight × s, clamped to [1, maxWidth], with s found by bisection. Each chain keeps
 * at least three strikes, so small masters still carry every kind.
 */
export function fitWidths(chains: readonly ChainPlan[], budget: number): void {
  const total = (s: number): number => chains.reduce((n, c) => n + optionLines(c, Math.round(s * c.weight)), 0);
  let lo = 0;
  let hi = 1;
  while (total(hi) < budget && hi < 1e7) hi *= 2;
  for (let i = 0; i < 60; i += 1) {
    const mid = (lo + hi) / 2;
    if (total(mid) < budget) lo = mid;
    else hi = mid;
  }
  const s = Math.abs(total(lo) - budget) <= Math.abs(total(hi) - budget) ? lo : hi;
  for (const c of chains) c.width = Math.min(c.maxWidth, Math.max(1, Math.round(s * c.weight)));
}

/** Stock strike intervals by price, after NSE's table: 292.5 and 10.5 style strikes appear on cheap stocks. */
export function stockStrikeStep(price: number): number {
  if (price < 20) return 0.5;
  if (price < 50) return 1;
  if (price < 100) return 2;
  if (price < 250) return 2.5;
  if (price < 500) return 5;
  if (price < 2500) return 10;
  if (price < 5000) return 20;
  if (price < 10000) return 50;
  if (price < 20000) return 100;
  return 250;
}
