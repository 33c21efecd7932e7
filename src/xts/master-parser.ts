import {
  XTS_INSTRUMENT_TYPE,
  type XtsFutureInstrument,
  type XtsOptionInstrument,
  type XtsSpreadInstrument,
  type MasterLineIssue,
  type XtsIndexEntry,
  type XtsInstrument,
  type XtsMasterCommon,
} from "./master-types.js";
import { isXtsSegment, type XtsSegment } from "./segments.js";

export type ParsedLine =
  | { readonly ok: true; readonly instrument: XtsInstrument; readonly lineNumber: number }
  | { readonly ok: false; readonly issue: MasterLineIssue };

class LineError extends Error {}

function fail(reason: string): never {
  throw new LineError(reason);
}

/** 10^k for k ≤ 22: every one is a double exactly. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * `Number(raw)` for the plain decimals a master is made of (`12345`, `0.05`, `24567.85`), without
 * the general parser: at most 15 digits, so the digits are an exact integer, divided once by an
 * exact power of ten, which IEEE rounds exactly as `Number` does. -1 for anything else (a sign,
 * an exponent, spaces, no digits), which `Number` then reads.
 */
function plainDecimal(text: string, from: number, to: number): number {
  const length = to - from;
  if (length <= 0 || length > 16) return -1;
  let digits = 0;
  let value = 0;
  let point = -1;
  for (let i = from; i < to; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits += 1;
    } else if (c === 46 && point < 0) point = i;
    else return -1;
  }
  if (digits === 0 || digits > 15) return -1;
  return point < 0 ? value : value / POWERS_OF_TEN[to - point - 1]!;
}

/** Fields found before the rest are only counted: no layout has more than 23. */
const MAX_FIELDS = 32;

/**
 * A master line's `|`-separated fields, found once with `indexOf`; a field's text is cut out only
 * when it is read as text (a numeric field never becomes a string of its own). One per thread,
 * reused line after line: nothing it returns refers back to it.
 */
class Fields {
  private line = "";
  /** Where field i starts; field i ends one before where field i + 1 starts. */
  private readonly starts = new Int32Array(MAX_FIELDS + 1);
  /** Every field of the line, those past MAX_FIELDS included. */
  count = 0;

  read(line: string): this {
    this.line = line;
    let count = 1;
    this.starts[0] = 0;
    for (let at = line.indexOf("|"); at >= 0; at = line.indexOf("|", at + 1)) {
      if (count <= MAX_FIELDS) this.starts[count] = at + 1;
      count += 1;
    }
    if (count <= MAX_FIELDS) this.starts[count] = line.length + 1;
    this.count = count;
    return this;
  }

  release(): void {
    this.line = "";
  }

  /** Field i's text, or "" past the last field (as `line.split("|")[i] ?? ""`). */
  at(i: number): string {
    return i < this.count && i < MAX_FIELDS ? this.line.slice(this.starts[i]!, this.starts[i + 1]! - 1) : "";
  }

  /** True when field i is empty or past the last field (its text is not cut out to tell). */
  isEmpty(i: number): boolean {
    return i >= this.count || i >= MAX_FIELDS || this.starts[i + 1]! - 1 === this.starts[i]!;
  }

  /** Field i as a plain decimal (see plainDecimal), or -1. */
  plainNumber(i: number): number {
    return i < this.count && i < MAX_FIELDS ? plainDecimal(this.line, this.starts[i]!, this.starts[i + 1]! - 1) : -1;
  }
}

const FIELDS = new Fields();

function num(fields: Fields, index: number, name: string): number {
  const plain = fields.plainNumber(index);
  if (plain >= 0) return plain;
  const raw = fields.at(index);
  const value = raw === "" ? Number.NaN : Number(raw);
  if (!Number.isFinite(value)) fail(`${name} (field ${index}) is not a number: '${raw}'`);
  return value;
}

function optionalNum(fields: Fields, index: number, name: string): number | null {
  return fields.isEmpty(index) ? null : num(fields, index, name);
}

function positiveInt(fields: Fields, index: number, name: string): number {
  const value = num(fields, index, name);
  if (!Number.isSafeInteger(value) || value <= 0) fail(`${name} (field ${index}) must be a positive integer: '${fields.at(index)}'`);
  return value;
}

function text(fields: Fields, index: number, name: string): string {
  const value = fields.at(index).trim();
  if (value === "") fail(`${name} (field ${index}) is empty`);
  return value;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}:\d{2})?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in month `month` (1–12) of `year`, Gregorian. */
function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/**
 * Expirations already read, by their text: a master spells about a hundred of them over 100,000
 * derivative lines. Bounded, so no master (however hostile) makes it grow without end.
 */
const EXPIRATIONS = new Map<string, string>();
const MAX_EXPIRATIONS = 4096;

/** Keeps the date part only: XTS sends 14:30 (NSE) or 00:00 (BSE) wall-clock IST; a zone shift would move the day. */
function expiration(fields: Fields, index: number): string {
  const raw = fields.at(index);
  const seen = EXPIRATIONS.get(raw);
  if (seen !== undefined) return seen;
  const date = readExpiration(raw, index);
  if (EXPIRATIONS.size >= MAX_EXPIRATIONS) EXPIRATIONS.clear();
  // Keyed by a copy (instruments' detachedText, which this layer may not import): the field is a
  // view of its line's whole chunk, which the map would keep alive.
  EXPIRATIONS.set(` ${raw}`.slice(1), date);
  return date;
}

function readExpiration(raw: string, index: number): string {
  const m = ISO_DATE.exec(raw);
  if (m === null) fail(`ContractExpiration (field ${index}) is not an ISO date: '${raw}'`);
  const [, y, mo, d] = m;
  // Arithmetic, not a Date per line: 100,000 option lines a refresh.
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(Number(y), month)) {
    fail(`ContractExpiration (field ${index}) is not a calendar date: '${raw}'`);
  }
  return `${y}-${mo}-${d}`;
}

/**
 * Fields 0–13. Every instrument object is written out as one literal with the same key order,
 * so V8 gives the 150,000 objects of a master a handful of shapes (spreads made this 4× slower).
 */
function common(fields: Fields, segment: XtsSegment, hasMultiplier: boolean): XtsMasterCommon {
  const tickSize = num(fields, 11, "TickSize");
  if (tickSize <= 0) fail(`TickSize (field 11) must be positive: '${fields.at(11)}'`);
  const freeze = optionalNum(fields, 10, "FreezeQty") ?? 0;
  return {
    ExchangeSegment: segment,
    ExchangeInstrumentID: positiveInt(fields, 1, "ExchangeInstrumentID"),
    InstrumentType: num(fields, 2, "InstrumentType"),
    Name: text(fields, 3, "Name"),
    Description: text(fields, 4, "Description"),
    Series: fields.at(5).trim(),
    NameWithSeries: fields.at(6).trim(),
    InstrumentID: fields.at(7),
    PriceBandHigh: optionalNum(fields, 8, "PriceBand.High"),
    PriceBandLow: optionalNum(fields, 9, "PriceBand.Low"),
    FreezeQty: Math.max(0, Math.trunc(freeze)),
    TickSize: tickSize,
    LotSize: positiveInt(fields, 12, "LotSize"),
    Multiplier: hasMultiplier ? optionalNum(fields, 13, "Multiplier") : null,
  };
}

function optionType(fields: Fields, index: number): 3 | 4 {
  const raw = fields.at(index);
  if (raw === "3") return 3;
  if (raw === "4") return 4;
  return fail(`OptionType (field ${index}) must be 3 (CE) or 4 (PE): '${raw}'`);
}

/**
 * Derivative layouts by field count. The current layouts carry Multiplier at 13; the legacy
 * NSECD captures (2019: 18 fields, 2023: 19 fields for options) stop after OptionType and the
 * 2019 one has no Multiplier at all (xts-protocol.md §2.2 e).
 */
interface DerivativeLayout {
  readonly hasMultiplier: boolean;
  readonly underlyingId: number;
  readonly strike?: number;
  readonly optionType?: number;
  readonly displayName?: number;
}

const OPTION_LAYOUTS: Readonly<Record<number, DerivativeLayout>> = {
  23: { hasMultiplier: true, underlyingId: 14, strike: 17, optionType: 18, displayName: 19 },
  19: { hasMultiplier: true, underlyingId: 14, strike: 17, optionType: 18 },
  18: { hasMultiplier: false, underlyingId: 13, strike: 16, optionType: 17 },
};

const FUTURE_LAYOUTS: Readonly<Record<number, DerivativeLayout>> = {
  21: { hasMultiplier: true, underlyingId: 14, displayName: 17 },
  17: { hasMultiplier: true, underlyingId: 14 },
  16: { hasMultiplier: false, underlyingId: 13 },
};

function derivative(
  kind: "future" | "spread" | "option",
  fields: Fields,
  segment: XtsSegment,
  layout: DerivativeLayout,
): XtsFutureInstrument | XtsSpreadInstrument | XtsOptionInstrument {
  const c = common(fields, segment, layout.hasMultiplier);
  const at = layout.underlyingId;
  const isOption = kind === "option";
  return {
    kind,
    ExchangeSegment: c.ExchangeSegment,
    ExchangeInstrumentID: c.ExchangeInstrumentID,
    InstrumentType: c.InstrumentType,
    Name: c.Name,
    Description: c.Description,
    Series: c.Series,
    NameWithSeries: c.NameWithSeries,
    InstrumentID: c.InstrumentID,
    PriceBandHigh: c.PriceBandHigh,
    PriceBandLow: c.PriceBandLow,
    FreezeQty: c.FreezeQty,
    TickSize: c.TickSize,
    LotSize: c.LotSize,
    Multiplier: c.Multiplier,
    UnderlyingInstrumentId: fields.at(at),
    UnderlyingIndexName: fields.at(at + 1).trim(),
    ContractExpiration: expiration(fields, at + 2),
    DisplayName: layout.displayName === undefined ? "" : fields.at(layout.displayName).trim(),
    // Futures and spreads carry neither field: null says so and keeps one object shape.
    StrikePrice: isOption ? num(fields, layout.strike!, "StrikePrice") : null,
    OptionType: isOption ? optionType(fields, layout.optionType!) : null,
  } as XtsFutureInstrument | XtsSpreadInstrument | XtsOptionInstrument;
}

const CASH_TYPES = new Set<number>([
  XTS_INSTRUMENT_TYPE.Equity,
  XTS_INSTRUMENT_TYPE.Spot,
  XTS_INSTRUMENT_TYPE.PreferenceShares,
  XTS_INSTRUMENT_TYPE.Debentures,
  XTS_INSTRUMENT_TYPE.Warrants,
  XTS_INSTRUMENT_TYPE.Miscellaneous,
  XTS_INSTRUMENT_TYPE.MutualFund,
]);

function classify(fields: Fields): XtsInstrument {
  const segmentName = fields.at(0);
  if (!isXtsSegment(segmentName)) fail(`unknown exchange segment '${segmentName}'`);
  const segment = segmentName;
  const instrumentType = num(fields, 2, "InstrumentType");
  const count = fields.count;

  if (instrumentType === XTS_INSTRUMENT_TYPE.Options) {
    const layout = OPTION_LAYOUTS[count];
    if (layout === undefined) fail(`options line has ${count} fields; expected 23 (or legacy 18/19)`);
    return derivative("option", fields, segment, layout);
  }
  if (instrumentType === XTS_INSTRUMENT_TYPE.Futures || instrumentType === XTS_INSTRUMENT_TYPE.Spread) {
    const layout = FUTURE_LAYOUTS[count];
    if (layout === undefined) fail(`futures/spread line has ${count} fields; expected 21 (or legacy 16/17)`);
    return derivative(instrumentType === XTS_INSTRUMENT_TYPE.Futures ? "future" : "spread", fields, segment, layout);
  }
  if (count === 18 && fields.at(5) === "COMDTY") {
    return { kind: "spot", ...common(fields, segment, true), DisplayName: fields.at(14).trim() };
  }
  if (CASH_TYPES.has(instrumentType)) {
    if (count !== 22) fail(`cash line (InstrumentType ${instrumentType}) has ${count} fields; expected 22`);
    return { kind: "cash", ...common(fields, segment, true), DisplayName: fields.at(14).trim(), ISIN: fields.at(15).trim() };
  }
  return fail(`unknown InstrumentType ${instrumentType} with ${count} fields`);
}

/** Parses one master line (without its newline). Never throws: a bad line comes back as an issue. */
export function parseMasterLine(line: string, lineNumber: number): ParsedLine {
  const fields = FIELDS.read(line);
  try {
    return { ok: true, instrument: classify(fields), lineNumber };
  } catch (error) {
    if (!(error instanceof LineError)) throw error;
    return {
      ok: false,
      issue: {
        segment: fields.count > 1 && fields.at(0) !== "" ? fields.at(0).slice(0, 16) : "?",
        lineNumber,
        reason: error.message,
        line: line.length > 300 ? `${line.slice(0, 300)}…` : line,
      },
    };
  } finally {
    // The line is a view of its whole download chunk: not kept past its own parse.
    fields.release();
  }
}

/**
 * Splits streamed text into lines without ever joining the whole body: each chunk is scanned
 * and dropped, only the unfinished tail is carried over. Accepts `\n` and `\r\n`.
 */
export class LineSplitter {
  private tail = "";

  *push(chunk: string): Generator<string> {
    let start = 0;
    const text = this.tail === "" ? chunk : this.tail + chunk;
    this.tail = "";
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl === -1) break;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield text.slice(start, end);
      start = nl + 1;
    }
    this.tail = text.slice(start);
  }

  *end(): Generator<string> {
    const last = this.tail.endsWith("\r") ? this.tail.slice(0, -1) : this.tail;
    this.tail = "";
    if (last !== "") yield last;
  }
}

/**
 * Streams master text (any chunking) into parsed lines, one batch per chunk (a promise per
 * line would cost more than the parsing). Lines are numbered from 1; blank lines are counted
 * but are not instruments.
 */
export async function* parseMasterStream(chunks: AsyncIterable<string> | Iterable<string>): AsyncGenerator<ParsedLine[]> {
  const splitter = new LineSplitter();
  let lineNumber = 0;
  const parseAll = (lines: Iterable<string>): ParsedLine[] => {
    const batch: ParsedLine[] = [];
    for (const line of lines) {
      lineNumber += 1;
      if (line.trim() !== "") batch.push(parseMasterLine(line, lineNumber));
    }
    return batch;
  };
  for await (const chunk of chunks) {
    const batch = parseAll(splitter.push(chunk));
    if (batch.length > 0) yield batch;
  }
  const last = parseAll(splitter.end());
  if (last.length > 0) yield last;
}

/**
 * Parses an index-list entry such as `"NIFTY 50_26000"`: the name may itself contain
 * underscores, so the token is whatever follows the last one (xts-protocol.md §2.5).
 */
export function parseIndexEntry(entry: string, segmentCode: number): XtsIndexEntry | { readonly error: string } {
  const at = entry.lastIndexOf("_");
  const name = at > 0 ? entry.slice(0, at).trim() : "";
  const tokenText = at > 0 ? entry.slice(at + 1).trim() : "";
  const token = /^\d+$/.test(tokenText) ? Number(tokenText) : Number.NaN;
  if (name === "" || !Number.isSafeInteger(token) || token <= 0) {
    return { error: `index entry '${entry.slice(0, 100)}' is not NAME_TOKEN` };
  }
  return { segmentCode, entry, name, token };
}
