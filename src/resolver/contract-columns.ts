import type { SymbolRow } from "../store/types.js";
import { detachedText } from "../instruments/symbology.js";

/**
 * One broker's contract as columns: two typed arrays of per-row records, a few small dictionaries
 * and one string holding every symbol and brsymbol back to back. 150,000 rows are ~25 objects on the heap instead of
 * ~450,000, so a major GC has almost nothing to walk and start-up has almost nothing to allocate;
 * the typed arrays transfer between threads without a copy.
 *
 * The two lookup tables (exchange + symbol, exchange + token) are open-addressing hash tables in
 * `Int32Array`s holding row + 1 (0 = empty), built once with the columns.
 */
export interface ContractColumns {
  readonly broker: string;
  readonly count: number;
  /** `symbol` then `brsymbol` of every row, back to back. */
  readonly text: string;
  /**
   * RECORD (5) integers per row, kept together so that one lookup touches one or two cache lines:
   * where the row's symbol starts in `text`, the symbol and brsymbol lengths (16 bits each), the
   * exchange, brexchange and instrumenttype codes (8 bits each), the expiry code and the name code.
   */
  readonly records: Uint32Array;
  /** NUMBERS (7) per row: token, strike, lotsize, tick_size, freeze_qty, lower and upper circuit (NaN where null). */
  readonly numbers: Float64Array;
  readonly dictionaries: ContractDictionaries;
  readonly symbolSlots: Int32Array;
  readonly tokenSlots: Int32Array;
}

/** Rows as columns without the lookup tables: a part of a contract on its way to the store. */
export type ColumnRows = Omit<ContractColumns, "symbolSlots" | "tokenSlots">;

/** Row `i` (0 ≤ i < count) of `columns` as a `SymbolRow`. */
export function rowAt(columns: ColumnRows, i: number): SymbolRow {
  const { records, numbers, text, dictionaries: d } = columns;
  const r = i * RECORD;
  const n = i * NUMBERS;
  const at = records[r + AT]!;
  const lengths = records[r + LENGTHS]!;
  const codes = records[r + CODES]!;
  const symbolEnd = at + (lengths >>> 16);
  const lower = numbers[n + LOWER_CIRCUIT]!;
  const upper = numbers[n + UPPER_CIRCUIT]!;
  return {
    broker: columns.broker,
    symbol: text.slice(at, symbolEnd),
    brsymbol: text.slice(symbolEnd, symbolEnd + (lengths & 0xffff)),
    name: d.names[records[r + NAME]!]!,
    exchange: d.exchanges[codes & 0xff]!,
    brexchange: d.brexchanges[(codes >>> 8) & 0xff]!,
    token: numbers[n + TOKEN]!,
    expiry: d.expiries[records[r + EXPIRY]!]!,
    strike: numbers[n + STRIKE]!,
    lotsize: numbers[n + LOTSIZE]!,
    instrumenttype: d.instrumenttypes[(codes >>> 16) & 0xff]!,
    tick_size: numbers[n + TICK_SIZE]!,
    freeze_qty: numbers[n + FREEZE_QTY]!,
    lower_circuit: Number.isNaN(lower) ? null : lower,
    upper_circuit: Number.isNaN(upper) ? null : upper,
  };
}

/**
 * The same row with its own copies of the symbol and brsymbol. A row's long strings are slices of
 * its index's text (V8 slices rather than copies any substring of 13 characters or more), so one
 * row held after the index is swapped out keeps that whole text alive (~5 MB for 150,000 rows).
 * Anything that keeps a row beyond a request (a stream subscription, say) keeps this copy.
 */
export function detachedRow(row: SymbolRow): SymbolRow {
  return { ...row, symbol: detachedText(row.symbol), brsymbol: detachedText(row.brsymbol) };
}

export const RECORD = 5;
export const NUMBERS = 7;
/** Offsets within a row's record and numbers. */
export const AT = 0;
export const LENGTHS = 1;
export const CODES = 2;
export const EXPIRY = 3;
export const NAME = 4;
export const TOKEN = 0;
export const STRIKE = 1;
export const LOTSIZE = 2;
export const TICK_SIZE = 3;
export const FREEZE_QTY = 4;
export const LOWER_CIRCUIT = 5;
export const UPPER_CIRCUIT = 6;

/** The exchange code of row i (the low byte of its codes). */
export function exchangeOf(records: Uint32Array, i: number): number {
  return records[i * RECORD + CODES]! & 0xff;
}

/** The symbol's length of row i (the high half of its lengths). */
export function symbolLengthOf(records: Uint32Array, i: number): number {
  return records[i * RECORD + LENGTHS]! >>> 16;
}

export interface ContractDictionaries {
  readonly exchanges: readonly string[];
  readonly brexchanges: readonly string[];
  readonly instrumenttypes: readonly string[];
  readonly expiries: readonly string[];
  readonly names: readonly string[];
}

/** FNV-1a over UTF-16 code units, seeded with the exchange code. */
export function hashSymbol(symbol: string, exchangeCode: number): number {
  let h = (0x811c9dc5 ^ Math.imul(exchangeCode + 1, 0x9e3779b1)) | 0;
  for (let i = 0; i < symbol.length; i += 1) h = Math.imul(h ^ symbol.charCodeAt(i), 0x01000193);
  return h;
}

export function hashToken(token: number, exchangeCode: number): number {
  // Tokens are integers below 2^31 in every XTS master; the high part keeps larger ones apart too.
  const h = Math.imul((token | 0) ^ Math.imul(exchangeCode + 1, 0x85ebca6b), 0x9e3779b1) ^ Math.floor(token / 4294967296);
  return h ^ (h >>> 15);
}

/** Lookup-table size for `rows` rows: the smallest power of two at least twice as large (8 at least). */
export function slotCount(rows: number): number {
  let size = 8;
  while (size < rows * 2) size *= 2;
  return size;
}

/** The (exchange, token) lookup table of `count` rows; a later row with the same key replaces the earlier one. */
export function tokenSlotsOf(count: number, records: Uint32Array, numbers: Float64Array): Int32Array {
  const size = slotCount(count);
  const mask = size - 1;
  const tokenSlots = new Int32Array(size);
  for (let i = 0; i < count; i += 1) {
    const exchange = exchangeOf(records, i);
    const token = numbers[i * NUMBERS + TOKEN]!;
    let slot = hashToken(token, exchange) & mask;
    for (let held = tokenSlots[slot]!; held !== 0; held = tokenSlots[slot]!) {
      const j = held - 1;
      if (exchangeOf(records, j) === exchange && numbers[j * NUMBERS + TOKEN] === token) break;
      slot = (slot + 1) & mask;
    }
    tokenSlots[slot] = i + 1;
  }
  return tokenSlots;
}

/**
 * The same rows in another order: row k of the result is row `order[k]` of `columns` (each row
 * exactly once). The text and dictionaries are shared, the records and numbers copied in the new
 * order. The symbol table is the old one with each row renumbered: a contract that is stored has
 * unique symbol keys (the builder keeps the first row on a key; the store's unique index refuses a
 * second, and a diff of such a contract is no permutation), so every probe still meets the same
 * keys and every lookup finds what a rebuilt table would, without hashing 150,000 symbols again
 * (36–62 ms warm, ~140 ms in a fresh worker, against 11–21 and ~80; docs/benchmarks.md, issue 17,
 * tenth session). The token table is rebuilt: a token may repeat within an exchange, and the later
 * row in the new order must win, as it does in a table built from rows.
 */
export function reorderColumns(columns: ContractColumns, order: Int32Array): ContractColumns {
  const count = order.length;
  if (count !== columns.count) throw new RangeError(`an order of ${count} rows for columns of ${columns.count}`);
  const records = new Uint32Array(count * RECORD);
  const numbers = new Float64Array(count * NUMBERS);
  // Each old row's new place + 1 (0: not placed yet).
  const placeOf = new Int32Array(count);
  const fromRecords = columns.records;
  const fromNumbers = columns.numbers;
  for (let k = 0; k < count; k += 1) {
    const i = order[k]!;
    if (!(i >= 0 && i < count) || placeOf[i] !== 0) throw new RangeError(`order is not a permutation of ${count} rows (row ${i} at ${k})`);
    placeOf[i] = k + 1;
    for (let c = 0; c < RECORD; c += 1) records[k * RECORD + c] = fromRecords[i * RECORD + c]!;
    for (let c = 0; c < NUMBERS; c += 1) numbers[k * NUMBERS + c] = fromNumbers[i * NUMBERS + c]!;
  }
  const from = columns.symbolSlots;
  const symbolSlots = new Int32Array(from.length);
  for (let slot = 0; slot < from.length; slot += 1) {
    const held = from[slot]!;
    if (held !== 0) symbolSlots[slot] = placeOf[held - 1]!;
  }
  return { ...columns, records, numbers, symbolSlots, tokenSlots: tokenSlotsOf(count, records, numbers) };
}

/** How a contract's text is held as bytes: Latin-1 when every character fits in one, else UTF-16. */
export function textEncodingOf(text: string): "latin1" | "utf16le" {
  // eslint-disable-next-line no-control-regex -- every one-byte character, control characters included
  return /^[\u0000-\u00ff]*$/.test(text) ? "latin1" : "utf16le";
}

/**
 * Columns as they cross to another thread: the text as bytes in a buffer of its own, moved with
 * the typed arrays. Posted as a string it would arrive as a ~5 MB string in the receiver's heap
 * (old space, where it brings the next major collection closer); decoded from bytes it becomes an
 * external string that the collector never copies or scans (Node keeps long decoded strings
 * outside the heap), as a snapshot's text already is at start-up.
 */
export interface PostedColumns extends Omit<ContractColumns, "text"> {
  readonly textBytes: Uint8Array;
  readonly textEncoding: "latin1" | "utf16le";
}

/** `columns` ready to post, and the buffers to list as transferable (the sender's arrays are emptied). */
export function postableColumns(columns: ContractColumns): { readonly posted: PostedColumns; readonly transfer: ArrayBuffer[] } {
  const { text, ...rest } = columns;
  const textEncoding = textEncodingOf(text);
  const textBytes = new Uint8Array(Buffer.byteLength(text, textEncoding));
  Buffer.from(textBytes.buffer).write(text, textEncoding);
  return { posted: { ...rest, textBytes, textEncoding }, transfer: [...transferablesOf(columns), textBytes.buffer] };
}

/** The columns `postableColumns` sent, on the receiving side. */
export function receivedColumns(posted: PostedColumns): ContractColumns {
  const { textBytes, textEncoding, ...rest } = posted;
  return { ...rest, text: Buffer.from(textBytes.buffer, textBytes.byteOffset, textBytes.byteLength).toString(textEncoding) };
}

/** The buffers to list as transferable when posting columns to another thread. */
export function transferablesOf(columns: ContractColumns): ArrayBuffer[] {
  const arrays = [columns.records, columns.numbers, columns.symbolSlots, columns.tokenSlots];
  // Columns read from a snapshot share one buffer: each may be listed once only.
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
