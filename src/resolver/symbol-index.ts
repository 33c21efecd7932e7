import type { RowSource, SymbolRow } from "../store/types.js";
import { isoOfExpiry } from "../instruments/expiry.js";
import {
  AT,
  CODES,
  exchangeOf,
  EXPIRY,
  FREEZE_QTY,
  hashSymbol,
  hashToken,
  LENGTHS,
  LOTSIZE,
  LOWER_CIRCUIT,
  NAME,
  NUMBERS,
  RECORD,
  rowAt,
  STRIKE,
  TICK_SIZE,
  symbolLengthOf,
  TOKEN,
  UPPER_CIRCUIT,
  type ContractColumns,
} from "./contract-columns.js";
import { columnsOfRows } from "./columns-writer.js";
import { suggestSymbols } from "./suggestions.js";

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface SearchOptions {
  readonly exchange?: string;
  readonly limit?: number;
}

/**
 * An immutable in-memory index of one broker's rows, held as columns (`ContractColumns`). Built
 * whole, then swapped in by the resolver: a reader holding an index keeps a complete, consistent
 * view for as long as it holds it. A lookup is one hash probe; the row it returns is made on the
 * way out (a fresh object each time, so no caller can change what the next one sees).
 */
export class SymbolIndex {
  private readonly exchangeCodes: ReadonlyMap<string, number>;
  private readonly mask: number;
  private haystack: SearchText | undefined;

  private constructor(readonly columns: ContractColumns) {
    this.exchangeCodes = new Map(columns.dictionaries.exchanges.map((e, code) => [e, code]));
    this.mask = columns.symbolSlots.length - 1;
  }

  /** An index of rows that all belong to one broker (the first row's). */
  static build(rows: readonly SymbolRow[]): SymbolIndex {
    return new SymbolIndex(columnsOfRows(rows[0]?.broker ?? "", rows));
  }

  /** An index over columns built elsewhere (another thread, the store's reader). */
  static fromColumns(columns: ContractColumns): SymbolIndex {
    return new SymbolIndex(columns);
  }

  get size(): number {
    return this.columns.count;
  }

  get(symbol: string, exchange: string): SymbolRow | undefined {
    const at = this.findSymbol(symbol, exchange);
    return at < 0 ? undefined : this.row(at);
  }

  /** The token of a symbol on an exchange without making its row (the AC1 lookup). */
  tokenOf(symbol: string, exchange: string): number | undefined {
    const at = this.findSymbol(symbol, exchange);
    return at < 0 ? undefined : this.columns.numbers[at * NUMBERS + TOKEN];
  }

  getByToken(token: number, exchange: string): SymbolRow | undefined {
    const code = this.exchangeCodes.get(exchange);
    if (code === undefined) return undefined;
    const { tokenSlots: slots, numbers, records } = this.columns;
    for (let slot = hashToken(token, code) & this.mask, held = slots[slot]!; held !== 0; slot = (slot + 1) & this.mask, held = slots[slot]!) {
      const i = held - 1;
      if (numbers[i * NUMBERS + TOKEN] === token && exchangeOf(records, i) === code) return this.row(i);
    }
    return undefined;
  }

  /** Row position of a symbol on an exchange, or -1. */
  findSymbol(symbol: string, exchange: string): number {
    const code = this.exchangeCodes.get(exchange);
    if (code === undefined) return -1;
    const { symbolSlots: slots, records, text } = this.columns;
    for (let slot = hashSymbol(symbol, code) & this.mask, held = slots[slot]!; held !== 0; slot = (slot + 1) & this.mask, held = slots[slot]!) {
      const i = held - 1;
      if (symbolLengthOf(records, i) === symbol.length && exchangeOf(records, i) === code && text.startsWith(symbol, records[i * RECORD + AT]!)) return i;
    }
    return -1;
  }

  /** Row position of row `j` of `other` (the same exchange and symbol) in this index, or -1. */
  findRowOf(other: SymbolIndex, j: number): number {
    const { records, text, dictionaries } = other.columns;
    const at = records[j * RECORD + AT]!;
    return this.findSymbol(text.slice(at, at + symbolLengthOf(records, j)), dictionaries.exchanges[exchangeOf(records, j)]!);
  }

  /**
   * How row `i` differs from row `j` of `other`, compared in place (no row is made): `none`;
   * `values` when only columns no store index covers differ (`UNINDEXED_COLUMNS`: expiry, strike,
   * lot size, type, tick size, freeze quantity, price band); `keys` when any other column does.
   */
  difference(i: number, other: SymbolIndex, j: number): "none" | "values" | "keys" {
    const { records, numbers, text, dictionaries: d } = this.columns;
    const o = other.columns;
    const od = o.dictionaries;
    const r = i * RECORD;
    const n = i * NUMBERS;
    const or = j * RECORD;
    const on = j * NUMBERS;
    const lengths = records[r + LENGTHS]!;
    const codes = records[r + CODES]!;
    const otherCodes = o.records[or + CODES]!;
    const sameKeys =
      this.columns.broker === o.broker &&
      lengths === o.records[or + LENGTHS]! &&
      sameText(text, records[r + AT]!, o.text, o.records[or + AT]!, (lengths >>> 16) + (lengths & 0xffff)) &&
      d.exchanges[codes & 0xff] === od.exchanges[otherCodes & 0xff] &&
      d.brexchanges[(codes >>> 8) & 0xff] === od.brexchanges[(otherCodes >>> 8) & 0xff] &&
      d.names[records[r + NAME]!] === od.names[o.records[or + NAME]!] &&
      numbers[n + TOKEN] === o.numbers[on + TOKEN];
    if (!sameKeys) return "keys";
    const sameValues =
      d.instrumenttypes[(codes >>> 16) & 0xff] === od.instrumenttypes[(otherCodes >>> 16) & 0xff] &&
      d.expiries[records[r + EXPIRY]!] === od.expiries[o.records[or + EXPIRY]!] &&
      sameNumber(numbers[n + STRIKE]!, o.numbers[on + STRIKE]!) &&
      sameNumber(numbers[n + LOTSIZE]!, o.numbers[on + LOTSIZE]!) &&
      sameNumber(numbers[n + TICK_SIZE]!, o.numbers[on + TICK_SIZE]!) &&
      sameNumber(numbers[n + FREEZE_QTY]!, o.numbers[on + FREEZE_QTY]!) &&
      sameNumber(numbers[n + LOWER_CIRCUIT]!, o.numbers[on + LOWER_CIRCUIT]!) &&
      sameNumber(numbers[n + UPPER_CIRCUIT]!, o.numbers[on + UPPER_CIRCUIT]!);
    return sameValues ? "none" : "values";
  }

  /** The rows read one at a time, each made when read: what a store writes without holding them all. */
  rows(): RowSource {
    const size = this.size;
    return { length: size, broker: this.columns.broker, at: (i: number) => (i >= 0 && i < size ? this.row(i) : undefined) };
  }

  /** Row `i` (0 ≤ i < size) as a `SymbolRow`. */
  row(i: number): SymbolRow {
    return rowAt(this.columns, i);
  }

  /** Every row, made afresh: for exports and tests, not for a request's hot path. */
  allRows(): SymbolRow[] {
    return Array.from({ length: this.size }, (_, i) => this.row(i));
  }

  /** The rows of one exchange, made afresh. */
  rowsOf(exchange: string): SymbolRow[] {
    const code = this.exchangeCodes.get(exchange);
    if (code === undefined) return [];
    const out: SymbolRow[] = [];
    const { records } = this.columns;
    for (let i = 0; i < this.size; i += 1) if (exchangeOf(records, i) === code) out.push(this.row(i));
    return out;
  }

  /** The rows of one underlying (`name`) on an exchange: a scan of two code columns, rows made only for the matches. */
  rowsNamed(exchange: string, name: string): SymbolRow[] {
    const code = this.exchangeCodes.get(exchange);
    const nameCode = this.columns.dictionaries.names.indexOf(name);
    if (code === undefined || nameCode < 0) return [];
    const out: SymbolRow[] = [];
    const { records } = this.columns;
    for (let i = 0; i < this.size; i += 1) if (records[i * RECORD + NAME] === nameCode && exchangeOf(records, i) === code) out.push(this.row(i));
    return out;
  }

  countByExchange(): Record<string, number> {
    const counts = new Array<number>(this.columns.dictionaries.exchanges.length).fill(0);
    for (let i = 0; i < this.size; i += 1) counts[exchangeOf(this.columns.records, i)]! += 1;
    return Object.fromEntries(this.columns.dictionaries.exchanges.map((e, code) => [e, counts[code]!]));
  }

  /**
   * Expiry dates (`DD-MMM-YY`) of an underlying's futures or options on an exchange, ascending,
   * from `today` (an ISO date, IST) on; past expiries are dropped as OpenAlgo does.
   */
  expiries(exchange: string, underlying: string, kind: "futures" | "options", today: string): string[] {
    const types = kind === "futures" ? ["FUT"] : ["CE", "PE"];
    const dates = new Map<string, string>();
    for (const row of this.rowsNamed(exchange, underlying.trim().toUpperCase())) {
      if (!types.includes(row.instrumenttype) || row.expiry === "") continue;
      const iso = isoOfExpiry(row.expiry);
      if (iso >= today) dates.set(iso, row.expiry);
    }
    return [...dates.keys()].sort().map((iso) => dates.get(iso)!);
  }

  /** Up to `max` close matches for a symbol that is not on `exchange`. */
  suggest(symbol: string, exchange: string, max = 5): string[] {
    return suggestSymbols(symbol, this.rowsOf(exchange), (s) => this.findSymbol(s, exchange) >= 0, max);
  }

  /**
   * Every whitespace-separated term must occur (case-insensitively) in the symbol, brsymbol,
   * name or token. Ranked: exact symbol, symbol prefix, all terms in the symbol, other; then
   * shorter symbols, then alphabetical.
   */
  search(query: string, options: SearchOptions = {}): SymbolRow[] {
    // Control characters separate the fields of the search text; in a query they are blanks.
    const terms = query
      .toUpperCase()
      // eslint-disable-next-line no-control-regex -- exactly the characters that separate the search text's fields
      .replace(/[\u0000-\u001f]/g, " ")
      .split(/\s+/)
      .filter((t) => t !== "");
    if (terms.length === 0) return [];
    const limit = options.limit ?? 50;
    const code = options.exchange === undefined ? -1 : (this.exchangeCodes.get(options.exchange) ?? -2);
    if (code === -2) return [];
    const { text, starts } = this.searchText();
    const whole = terms.join(" ");
    // The longest term is scanned for through the whole text; the others are checked in each row it hits.
    const first = terms.reduce((a, b) => (b.length > a.length ? b : a));
    const rest = terms.filter((t) => t !== first);
    const hits: { row: SymbolRow; rank: number; expiry: string }[] = [];
    for (let at = text.indexOf(first); at !== -1; ) {
      const i = rowHolding(starts, at);
      const start = starts[i]!;
      const end = starts[i + 1]! - 1; // the row's closing newline is not part of it
      at = text.indexOf(first, end + 1);
      if (code >= 0 && exchangeOf(this.columns.records, i) !== code) continue;
      if (rest.length > 0) {
        const own = text.slice(start, end);
        if (!rest.every((t) => own.includes(t))) continue;
      }
      const row = this.row(i);
      // The underlying's own contracts ("NIFTY FUT" → NIFTY's futures) before other underlyings
      // that merely contain the word (FINNIFTY, NIFTYNXT50).
      const rank =
        row.symbol === whole ? 0 : row.name.toUpperCase() === terms[0] ? 1 : row.symbol.startsWith(terms[0]!) ? 2 : terms.every((t) => row.symbol.includes(t)) ? 3 : 4;
      hits.push({ row, rank, expiry: row.expiry === "" ? "" : isoOfExpiry(row.expiry) });
    }
    // Within a rank: by underlying, nearest expiry first, then strike, then the symbol itself.
    hits.sort(
      (a, b) =>
        a.rank - b.rank ||
        compare(a.row.name, b.row.name) ||
        compare(a.expiry, b.expiry) ||
        a.row.strike - b.row.strike ||
        a.row.symbol.length - b.row.symbol.length ||
        compare(a.row.symbol, b.row.symbol) ||
        compare(a.row.exchange, b.row.exchange),
    );
    return hits.slice(0, limit).map((h) => h.row);
  }

  /**
   * Built on the first search only, so an index used just for lookups stays small. One flat
   * string (each row's symbol, brsymbol, name and token, upper-cased, a line per row) and the
   * offset of every line: two objects for the collector to step over, where a string per row
   * was 150,000 (~70 MB of heap to mark on every major collection, for 8 MB of text).
   */
  private searchText(): SearchText {
    if (this.haystack !== undefined) return this.haystack;
    const { records, numbers, text, dictionaries } = this.columns;
    const names = dictionaries.names.map((n) => n.toUpperCase());
    const starts = new Uint32Array(this.size + 1);
    const blocks: string[] = [];
    const lines: string[] = [];
    let offset = 0;
    for (let i = 0; i < this.size; i += 1) {
      const r = i * RECORD;
      const at = records[r + AT]!;
      const lengths = records[r + LENGTHS]!;
      const symbolEnd = at + (lengths >>> 16);
      const line = `${text.slice(at, symbolEnd)}\u0001${text.slice(symbolEnd, symbolEnd + (lengths & 0xffff)).toUpperCase()}\u0001${names[records[r + NAME]!]!}\u0001${numbers[i * NUMBERS + TOKEN]!}\n`;
      starts[i] = offset;
      offset += line.length;
      lines.push(line);
      // Joined a block at a time, so each line dies young: 150,000 of them waiting for one join
      // would all be promoted and then left for a major collection to clear.
      if (lines.length === SEARCH_BLOCK_ROWS) {
        blocks.push(lines.join(""));
        lines.length = 0;
      }
    }
    blocks.push(lines.join(""));
    starts[this.size] = offset;
    this.haystack = { text: blocks.join(""), starts };
    return this.haystack;
  }
}

/** Rows of search text joined at a time (~50 KB of text). */
const SEARCH_BLOCK_ROWS = 1024;

/** The search text and where each row's line starts (one more entry than rows: the end). */
interface SearchText {
  readonly text: string;
  readonly starts: Uint32Array;
}

/** The row whose line holds character `at`: the last start at or before it. */
function rowHolding(starts: Uint32Array, at: number): number {
  let low = 0;
  let high = starts.length - 2;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (starts[mid]! <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Two stored numbers; NaN (a missing price band) equals NaN. */
function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** Whether `length` characters of `a` from `aStart` equal those of `b` from `bStart`. */
function sameText(a: string, aStart: number, b: string, bStart: number, length: number): boolean {
  for (let k = 0; k < length; k += 1) if (a.charCodeAt(aStart + k) !== b.charCodeAt(bStart + k)) return false;
  return true;
}
