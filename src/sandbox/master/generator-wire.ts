import type { MasterSegment } from "../../xts/segments.js";
import type { GeneratedInstrument } from "./master-generator.js";
import type { Prng } from "./prng.js";

/**
 * Wire spellings of master lines (xts-protocol.md §2.2), written field by field in the
 * layouts the real files show: 22 fields cash, 21 futures and spreads, 23 options, 18 MCX spot.
 *
 * Prices and strikes are carried as whole ten-thousandths of a rupee ("units"): ticks
 * (0.0025 and up) and strikes (88.25, 1.085) are exact in them, so snapping to a tick is
 * integer arithmetic and the text is printed from integers, never by float formatting
 * (`88.4525`, not `88.45249999`), which is also cheaper than printing doubles.
 */

export const UNITS = 10_000;

export function toUnits(rupees: number): number {
  return Math.round(rupees * UNITS);
}

export function fromUnits(units: number): number {
  return units / UNITS;
}

export function snapUnits(units: number, tickUnits: number): number {
  return Math.round(units / tickUnits) * tickUnits;
}

export function floorUnits(units: number, tickUnits: number): number {
  return Math.floor(units / tickUnits) * tickUnits;
}

export function ceilUnits(units: number, tickUnits: number): number {
  return Math.ceil(units / tickUnits) * tickUnits;
}

/** A price snapped to its tick, as a number (`snap(88.45249, 0.0025)` is 88.4525). */
export function snap(rupees: number, tick: number): number {
  return fromUnits(snapUnits(toUnits(rupees), toUnits(tick)));
}

let fractionTexts: string[] | undefined;

/** `.0025`, `.05`, `.5` … for every fraction of a rupee in units; built once, on first use. */
function fractions(): string[] {
  if (fractionTexts === undefined) {
    fractionTexts = [""];
    for (let f = 1; f < UNITS; f += 1) fractionTexts.push(`.${String(f).padStart(4, "0").replace(/0+$/, "")}`);
  }
  return fractionTexts;
}

/** `257000000` → `25700`; `882500` → `88.25`; `10850` → `1.085`; `-42000` → `-4.2`: what `String()` prints for the same number. */
export function unitsText(units: number): string {
  if (units < 0) return `-${unitsText(-units)}`;
  const whole = Math.floor(units / UNITS);
  return whole + fractions()[units - whole * UNITS]!;
}

/** The token in eight digits, as XTS appends it to InstrumentID (`1100100002885`). */
export function pad8(token: number): string {
  return String(100_000_000 + token).slice(1);
}

export interface CommonFields {
  readonly segment: MasterSegment;
  readonly token: number;
  readonly instrumentType: number;
  readonly name: string;
  readonly description: string;
  readonly series: string;
  readonly nameWithSeries: string;
  readonly instrumentId: string;
  /** Text, because index rows send an empty band. */
  readonly bandHigh: string;
  readonly bandLow: string;
  readonly freezeQty: number;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly multiplier: string;
}

/**
 * Lines are joined from field arrays: `+` and template literals build V8 cons-string ropes
 * (a node per piece), and with 150,000 lines kept as ropes the master took three times the
 * heap (250 MB against 80 MB) and most of its time in garbage collection. A join is flat.
 */
function common(f: CommonFields): (string | number)[] {
  return [
    f.segment, f.token, f.instrumentType, f.name, f.description, f.series, f.nameWithSeries, f.instrumentId,
    f.bandHigh, f.bandLow, f.freezeQty, f.tickSize, f.lotSize, f.multiplier,
  ];
}

export interface CashTail {
  readonly displayName: string;
  readonly isin: string;
  readonly detailedDescription: string;
  readonly surveillance: string;
  readonly caution: string;
  readonly gsm: string;
}

/** NSECM/BSECM: 22 fields. */
export function cashLine(f: CommonFields, t: CashTail): string {
  const fields = common(f);
  fields.push(t.displayName, t.isin, 1, 1, t.detailedDescription, t.surveillance, t.caution, t.gsm);
  return fields.join("|");
}

export interface DerivativeTail {
  readonly underlyingId: string;
  readonly underlyingName: string;
  /** Full ContractExpiration, `2026-06-30T14:30:00`. */
  readonly expiration: string;
  readonly displayName: string;
}

/** Futures (InstrumentType 1) and spreads (4): 21 fields, no StrikePrice or OptionType at all. */
export function futureLine(f: CommonFields, t: DerivativeTail): string {
  const fields = common(f);
  fields.push(t.underlyingId, t.underlyingName, t.expiration, t.displayName, 1, 1, f.description);
  return fields.join("|");
}

/**
 * Options (InstrumentType 2): 23 fields; OptionType 3 is a call, 4 a put. Options are most
 * of the master, so the fixed text of a chain is laid out once and each line is one join.
 */
export class OptionLines {
  private readonly head: string;
  private readonly afterToken: string;
  private readonly afterDescription: string;
  private readonly afterBands: string;
  private readonly display: string;

  constructor(
    segment: MasterSegment,
    private readonly instrumentIdPrefix: string,
    f: { readonly name: string; readonly series: string; readonly freezeQty: number; readonly tickSize: number; readonly lotSize: number; readonly multiplier: string },
    t: { readonly underlyingId: string; readonly underlyingName: string; readonly expiration: string; readonly displayDate: string },
  ) {
    this.head = `${segment}|`;
    this.afterToken = `|2|${f.name}|`;
    this.afterDescription = `|${f.series}|${f.name}-${f.series}|`;
    this.afterBands = ["", f.freezeQty, f.tickSize, f.lotSize, f.multiplier, t.underlyingId, t.underlyingName, t.expiration, ""].join("|");
    this.display = `${f.name} ${t.displayDate} `;
  }

  /** DisplayName is `NAME DDMMMYYYY CE STRIKE`; DetailedDescription repeats Description. */
  line(token: number, description: string, highUnits: number, lowUnits: number, strike: string, call: boolean): string {
    return [
      this.head, token, this.afterToken, description, this.afterDescription, this.instrumentIdPrefix, pad8(token), "|",
      unitsText(highUnits), "|", unitsText(lowUnits), this.afterBands, strike, call ? "|3|" : "|4|", this.display,
      call ? "CE " : "PE ", strike, "|1|1|", description,
    ].join("");
  }
}

/** MCX spot commodity (InstrumentType 16, Series COMDTY): 18 fields, no expiry (EXTRA.txt). */
export function spotLine(f: CommonFields): string {
  const fields = common(f);
  fields.push(f.name, f.name, 1, 1);
  return fields.join("|");
}

export interface CashRowInput {
  readonly segment: "NSECM" | "BSECM";
  readonly token: number;
  readonly name: string;
  readonly series: string;
  /** Description and NameWithSeries; `NAME-SERIES` unless XTS spells it otherwise (`NAME-NA` for a blank series). */
  readonly description: string;
  readonly instrumentId: string;
  readonly exchange: "NSE" | "BSE";
  readonly symbol: string;
  readonly price: number;
  readonly tickSize: number;
  /** Circuit band as a fraction of the price either side. */
  readonly band: number;
  readonly lotSize: number;
  readonly freezeQty: number;
  readonly tail: CashTail;
}

export interface Row {
  readonly instrument: GeneratedInstrument;
  readonly line: string;
}

/** A cash line and its instrument; the line is one join, cash being the second-largest share of the master. */
export function cashRow(r: CashRowInput): Row {
  const tick = toUnits(r.tickSize);
  const price = Math.max(tick, snapUnits(toUnits(r.price), tick));
  const high = ceilUnits(price * (1 + r.band), tick);
  const low = Math.max(tick, floorUnits(price * (1 - r.band), tick));
  const t = r.tail;
  const line = [
    r.segment, r.token, 8, r.name, r.description, r.series, r.description, r.instrumentId, unitsText(high), unitsText(low),
    r.freezeQty, unitsText(tick), r.lotSize, 1, t.displayName, t.isin, 1, 1, t.detailedDescription, t.surveillance, t.caution, t.gsm,
  ].join("|");
  return {
    line,
    instrument: {
      segment: r.segment,
      token: r.token,
      kind: "cash",
      exchange: r.exchange,
      symbol: r.symbol,
      name: r.name,
      description: r.description,
      lotSize: r.lotSize,
      tickSize: r.tickSize,
      priceBandLow: fromUnits(low),
      priceBandHigh: fromUnits(high),
      referencePrice: fromUnits(price),
      expiry: null,
      strike: null,
      optionType: null,
      freezeQty: r.freezeQty,
    },
  };
}

/**
 * Hands out tokens for one segment: increasing, with random gaps averaging `gap`, skipping a
 * reserved range and any token already claimed. Uniqueness within a segment is the store's key.
 */
export class TokenPool {
  private cursor: number;
  /** Only tokens claimed out of sequence: the sequence itself only increases, so it cannot repeat. */
  private readonly claimed = new Set<number>();

  constructor(
    private readonly rng: Prng,
    private readonly start: number,
    private readonly gap: number,
    private readonly reserved?: readonly [number, number],
  ) {
    this.cursor = start;
  }

  static spread(rng: Prng, start: number, end: number, needed: number, reserved?: readonly [number, number]): TokenPool {
    const span = end - start - (reserved === undefined ? 0 : reserved[1] - reserved[0] + 1);
    return new TokenPool(rng, start, Math.max(1, Math.floor(span / Math.max(1, needed))), reserved);
  }

  next(): number {
    for (;;) {
      this.cursor += this.gap === 1 ? 1 : this.rng.int(1, 2 * this.gap - 1);
      if (this.reserved !== undefined && this.cursor >= this.reserved[0] && this.cursor <= this.reserved[1]) {
        this.cursor = this.reserved[1] + 1;
      }
      if (!this.claimed.has(this.cursor)) return this.cursor;
    }
  }

  /** Takes a token chosen elsewhere (to share it with another segment on purpose); it must not be one already handed out. */
  claim(token: number): number {
    const handedOut = token > this.start && token <= this.cursor;
    if (handedOut || this.claimed.has(token)) throw new Error(`token ${token} may already be used in this segment`);
    this.claimed.add(token);
    return token;
  }
}

/**
 * Collects one segment's lines and instruments. Tokens are unique by construction (each
 * segment's pools cover disjoint ranges and only increase); the tests check it on whole masters.
 */
export class SegmentSink {
  readonly lines: string[] = [];
  readonly instruments: GeneratedInstrument[] = [];

  constructor(readonly segment: MasterSegment) {}

  addRow(row: Row): void {
    this.add(row.instrument, row.line);
  }

  add(instrument: GeneratedInstrument, line: string | null): void {
    if (instrument.segment !== this.segment) throw new Error(`${instrument.segment} instrument added to ${this.segment}`);
    this.instruments.push(instrument);
    if (line !== null) this.lines.push(line);
  }
}
