import type { SymbolRow } from "../store/types.js";

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

function slotCount(rows: number): number {
  let size = 8;
  while (size < rows * 2) size *= 2;
  return size;
}

/**
 * A string with its own characters, not a view of a larger one: V8 cuts substrings of 13 or more
 * characters as views (sliced strings) and copies shorter ones; a JSON round trip always copies.
 */
function copyOf(value: string): string {
  return value.length < 13 ? value : (JSON.parse(JSON.stringify(value)) as string);
}

class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();

  constructor(private readonly limit: number, private readonly column: string) {}

  /** The value's code, or -1 when it has none yet. */
  find(value: string): number {
    return this.codes.get(value) ?? -1;
  }

  code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      if (code >= this.limit) throw new RangeError(`more than ${this.limit} distinct ${this.column} values in one contract`);
      // A copy: the value may be a view of a whole downloaded chunk (see ColumnsWriter).
      const own = copyOf(value);
      this.codes.set(own, code);
      this.values.push(own);
    }
    return code;
  }
}

/**
 * Fills the columns row by row (`append`, growing as it goes), then builds the lookup tables
 * (`finish`). A builder that does not know its row count ahead (a refresh parsing as it downloads)
 * appends as it goes, so its rows never exist as objects.
 *
 * The symbol text is joined into one flat string every BLOCK_ROWS rows. A symbol or brsymbol cut
 * from a master line is, to V8, a view of the whole downloaded chunk it came from: kept as is, the
 * 150,000 of them would keep every chunk of the master alive until the end of the refresh.
 */
export class ColumnsWriter {
  private pieces: string[] = [];
  /** The joined text of each full block of BLOCK_ROWS rows. */
  private readonly blocks: string[] = [];
  private offset = 0;
  private readonly exchanges = new Dictionary(256, "exchange");
  private readonly brexchanges = new Dictionary(256, "brexchange");
  private readonly types = new Dictionary(256, "instrumenttype");
  private readonly expiries = new Dictionary(2 ** 32, "expiry");
  private readonly names = new Dictionary(2 ** 32, "name");
  private records: Uint32Array;
  private numbers: Float64Array;
  /** Each row's symbol hash (`hashSymbol`), so the table below can grow without hashing again. */
  private hashes: Int32Array;
  /**
   * The (exchange, symbol) lookup table, kept up row by row: a builder checks each new row's key
   * against it as it goes, and `finish` hands it on as the index's own (it is exactly the table
   * built from scratch would be: the same size, filled in the same order).
   */
  private symbolSlots = new Int32Array(slotCount(0));
  private capacity: number;
  private count = 0;

  constructor(
    private readonly broker: string,
    capacity = 1024,
  ) {
    this.capacity = Math.max(1, capacity);
    this.records = new Uint32Array(this.capacity * RECORD);
    this.numbers = new Float64Array(this.capacity * NUMBERS);
    this.hashes = new Int32Array(this.capacity);
  }

  /** The row holding `symbol` on `exchange`, or -1. */
  findSymbol(symbol: string, exchange: string): number {
    const code = this.exchanges.find(exchange);
    if (code < 0) return -1;
    const hash = hashSymbol(symbol, code);
    const slots = this.symbolSlots;
    const mask = slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = slots[slot]!;
      if (held === 0) return -1;
      const j = held - 1;
      if (this.hashes[j] === hash && exchangeOf(this.records, j) === code && symbolLengthOf(this.records, j) === symbol.length && this.symbolAt(j) === symbol) return j;
    }
  }

  /** Makes room for `rows` rows in all (a refresh expects about as many as the stored contract holds). */
  reserve(rows: number): void {
    if (rows > this.capacity) this.resize(rows);
  }

  /** Rows appended so far. */
  get rowCount(): number {
    return this.count;
  }

  /** Rows whose text has been joined into a block: the rows `part` can hand out before the last one is in. */
  get completedRows(): number {
    return this.blocks.length * BLOCK_ROWS;
  }

  /**
   * Rows [from, to) as columns of their own: their text only (positions from 0), copies of their
   * records and numbers, and the dictionaries as they stand (they only ever grow). `from` is where
   * an earlier part ended; `to` is `completedRows` or, once the last row is in, `rowCount`.
   */
  part(from: number, to: number): ColumnRows {
    const whole = (n: number): boolean => n % BLOCK_ROWS === 0;
    if (!whole(from) || to < from || to > this.count || (!whole(to) && to !== this.count)) {
      throw new RangeError(`rows ${from}..${to} of ${this.count} do not start and end on blocks of ${BLOCK_ROWS} (or at the last row)`);
    }
    const text = this.blocks.slice(from / BLOCK_ROWS, Math.floor(to / BLOCK_ROWS)).join("") + (whole(to) ? "" : this.pieces.join(""));
    const records = this.records.slice(from * RECORD, to * RECORD);
    const base = to > from ? records[AT]! : 0;
    for (let r = AT; r < records.length; r += RECORD) records[r]! -= base;
    return {
      broker: this.broker,
      count: to - from,
      text,
      records,
      numbers: this.numbers.slice(from * NUMBERS, to * NUMBERS),
      dictionaries: this.dictionaries(),
    };
  }

  /** Row i's token and brsymbol (a builder reports them when a later line collides with it). */
  tokenAt(i: number): number {
    return this.numbers[i * NUMBERS + TOKEN]!;
  }

  brsymbolAt(i: number): string {
    return this.textAt(i, 1);
  }

  private symbolAt(i: number): string {
    return this.textAt(i, 0);
  }

  /** Row i's symbol (`which` 0) or brsymbol (1), from its block or, before the block is joined, its piece. */
  private textAt(i: number, which: 0 | 1): string {
    const block = Math.floor(i / BLOCK_ROWS);
    if (block >= this.blocks.length) return this.pieces[(i - block * BLOCK_ROWS) * 2 + which]!;
    const blockStart = this.records[block * BLOCK_ROWS * RECORD + AT]!;
    const lengths = this.records[i * RECORD + LENGTHS]!;
    const at = this.records[i * RECORD + AT]! - blockStart + (which === 0 ? 0 : lengths >>> 16);
    return this.blocks[block]!.slice(at, at + (which === 0 ? lengths >>> 16 : lengths & 0xffff));
  }

  /** Puts row i in the symbol table; a row already there with the same key gives way, as in a Map. */
  private placeSymbol(i: number): void {
    const slots = this.symbolSlots;
    const mask = slots.length - 1;
    const hash = this.hashes[i]!;
    let slot = hash & mask;
    for (let held = slots[slot]!; held !== 0; held = slots[slot]!) {
      const j = held - 1;
      if (this.hashes[j] === hash && exchangeOf(this.records, j) === exchangeOf(this.records, i) && this.symbolAt(j) === this.symbolAt(i)) break;
      slot = (slot + 1) & mask;
    }
    slots[slot] = i + 1;
  }

  /** Adds a row after the last one; returns its position. */
  append(
    symbol: string,
    brsymbol: string,
    name: string,
    exchange: string,
    brexchange: string,
    token: number,
    expiry: string,
    strike: number,
    lotsize: number,
    instrumenttype: string,
    tickSize: number,
    freezeQty: number,
    lowerCircuit: number | null,
    upperCircuit: number | null,
  ): number {
    const i = this.count;
    if (symbol.length > 65_535 || brsymbol.length > 65_535) throw new RangeError(`symbol of row ${i} is longer than 65,535 characters`);
    if (i === this.capacity) this.resize(this.capacity * 2);
    this.pieces.push(symbol, brsymbol);
    if (this.pieces.length === BLOCK_ROWS * 2) {
      this.blocks.push(this.pieces.join(""));
      this.pieces = [];
    }
    const r = i * RECORD;
    this.records[r + AT] = this.offset;
    this.records[r + LENGTHS] = (symbol.length << 16) | brsymbol.length;
    this.records[r + CODES] = this.exchanges.code(exchange) | (this.brexchanges.code(brexchange) << 8) | (this.types.code(instrumenttype) << 16);
    this.records[r + EXPIRY] = this.expiries.code(expiry);
    this.records[r + NAME] = this.names.code(name);
    this.offset += symbol.length + brsymbol.length;
    if (this.offset > 0xffff_ffff) throw new RangeError("more than 4 GiB of symbol text in one contract");
    this.hashes[i] = hashSymbol(symbol, this.records[r + CODES]! & 0xff);
    if ((i + 1) * 2 > this.symbolSlots.length) {
      // Twice the size, refilled in row order: the table stays the one a fresh build would make.
      this.symbolSlots = new Int32Array(this.symbolSlots.length * 2);
      for (let j = 0; j < i; j += 1) this.placeSymbol(j);
    }
    this.placeSymbol(i);
    const n = i * NUMBERS;
    this.numbers[n + TOKEN] = token;
    this.numbers[n + STRIKE] = strike;
    this.numbers[n + LOTSIZE] = lotsize;
    this.numbers[n + TICK_SIZE] = tickSize;
    this.numbers[n + FREEZE_QTY] = freezeQty;
    this.numbers[n + LOWER_CIRCUIT] = lowerCircuit ?? Number.NaN;
    this.numbers[n + UPPER_CIRCUIT] = upperCircuit ?? Number.NaN;
    this.count = i + 1;
    return i;
  }

  finish(): ContractColumns {
    const text = this.blocks.join("") + this.pieces.join("");
    const count = this.count;
    // Exactly count rows (the snapshot writes the arrays whole): views when little room is left
    // over (the capacity was reserved), else copies, so a doubled buffer is not kept for good.
    const tight = this.capacity - count <= Math.max(1024, count / 10);
    const records = tight ? this.records.subarray(0, count * RECORD) : this.records.slice(0, count * RECORD);
    const numbers = tight ? this.numbers.subarray(0, count * NUMBERS) : this.numbers.slice(0, count * NUMBERS);
    return {
      broker: this.broker,
      count,
      text,
      records,
      numbers,
      dictionaries: this.dictionaries(),
      symbolSlots: this.symbolSlots,
      tokenSlots: tokenSlotsOf(count, records, numbers),
    };
  }

  private dictionaries(): ContractDictionaries {
    return {
      exchanges: this.exchanges.values,
      brexchanges: this.brexchanges.values,
      instrumenttypes: this.types.values,
      expiries: this.expiries.values,
      names: this.names.values,
    };
  }

  private resize(capacity: number): void {
    this.capacity = capacity;
    const records = new Uint32Array(this.capacity * RECORD);
    records.set(this.records);
    const numbers = new Float64Array(this.capacity * NUMBERS);
    numbers.set(this.numbers);
    const hashes = new Int32Array(this.capacity);
    hashes.set(this.hashes.subarray(0, Math.min(this.hashes.length, capacity)));
    this.records = records;
    this.numbers = numbers;
    this.hashes = hashes;
  }
}

/** Rows per joined block of symbol text: ~0.3 MB of text, a few hundred joins a contract. */
const BLOCK_ROWS = 4096;

/** The two lookup tables of `count` rows. A later row with the same key replaces the earlier one, as a Map would. */
function lookupSlots(count: number, text: string, records: Uint32Array, numbers: Float64Array): { symbolSlots: Int32Array; tokenSlots: Int32Array } {
  return { symbolSlots: symbolSlotsOf(count, text, records), tokenSlots: tokenSlotsOf(count, records, numbers) };
}

function symbolSlotsOf(count: number, text: string, records: Uint32Array): Int32Array {
  const size = slotCount(count);
  const mask = size - 1;
  const symbolSlots = new Int32Array(size);
  for (let i = 0; i < count; i += 1) {
    const at = records[i * RECORD + AT]!;
    const length = symbolLengthOf(records, i);
    const exchange = exchangeOf(records, i);
    const symbol = text.slice(at, at + length);
    let slot = hashSymbol(symbol, exchange) & mask;
    for (let held = symbolSlots[slot]!; held !== 0; held = symbolSlots[slot]!) {
      const j = held - 1;
      if (exchangeOf(records, j) === exchange && symbolLengthOf(records, j) === length && text.startsWith(symbol, records[j * RECORD + AT]!)) break;
      slot = (slot + 1) & mask;
    }
    symbolSlots[slot] = i + 1;
  }
  return symbolSlots;
}

function tokenSlotsOf(count: number, records: Uint32Array, numbers: Float64Array): Int32Array {
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
 * order, the lookup tables rebuilt.
 */
export function reorderColumns(columns: ContractColumns, order: Int32Array): ContractColumns {
  const count = order.length;
  if (count !== columns.count) throw new RangeError(`an order of ${count} rows for columns of ${columns.count}`);
  const records = new Uint32Array(count * RECORD);
  const numbers = new Float64Array(count * NUMBERS);
  const seen = new Uint8Array(count);
  const fromRecords = columns.records;
  const fromNumbers = columns.numbers;
  for (let k = 0; k < count; k += 1) {
    const i = order[k]!;
    if (!(i >= 0 && i < count) || seen[i] === 1) throw new RangeError(`order is not a permutation of ${count} rows (row ${i} at ${k})`);
    seen[i] = 1;
    for (let c = 0; c < RECORD; c += 1) records[k * RECORD + c] = fromRecords[i * RECORD + c]!;
    for (let c = 0; c < NUMBERS; c += 1) numbers[k * NUMBERS + c] = fromNumbers[i * NUMBERS + c]!;
  }
  return { ...columns, records, numbers, ...lookupSlots(count, columns.text, records, numbers) };
}

/** Columns of rows that all belong to `broker` (the store's rows, or a refresh's). */
export function columnsOfRows(broker: string, rows: readonly SymbolRow[]): ContractColumns {
  const writer = new ColumnsWriter(broker, rows.length);
  for (let i = 0; i < rows.length; i += 1) {
    const r = rows[i]!;
    if (r.broker !== broker) throw new RangeError(`row ${i} belongs to broker '${r.broker}', not '${broker}'`);
    writer.append(r.symbol, r.brsymbol, r.name, r.exchange, r.brexchange, r.token, r.expiry, r.strike, r.lotsize, r.instrumenttype, r.tick_size, r.freeze_qty, r.lower_circuit, r.upper_circuit);
  }
  return writer.finish();
}

/** Columns of rows read as arrays in `SYMBOL_COLUMNS` order (broker first), without a row object each. */
export function columnsOfArrays(broker: string, rows: readonly (readonly unknown[])[]): ContractColumns {
  const writer = new ColumnsWriter(broker, rows.length);
  for (let i = 0; i < rows.length; i += 1) {
    const r = rows[i]!;
    writer.append(
      r[1] as string,
      r[2] as string,
      r[3] as string,
      r[4] as string,
      r[5] as string,
      r[6] as number,
      r[7] as string,
      r[8] as number,
      r[9] as number,
      r[10] as string,
      r[11] as number,
      r[12] as number,
      r[13] as number | null,
      r[14] as number | null,
    );
  }
  return writer.finish();
}

/** The buffers to list as transferable when posting columns to another thread. */
export function transferablesOf(columns: ContractColumns): ArrayBuffer[] {
  const arrays = [columns.records, columns.numbers, columns.symbolSlots, columns.tokenSlots];
  // Columns read from a snapshot share one buffer: each may be listed once only.
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
