/**
 * Building a contract's columns (contract-columns.ts describes them): rows appended one at a time,
 * the symbol lookup table kept up as they go, handed out in parts while the build goes on.
 */
import type { SymbolRow } from "../store/types.js";
import {
  AT,
  CODES,
  exchangeOf,
  EXPIRY,
  FREEZE_QTY,
  hashSymbol,
  LENGTHS,
  LOTSIZE,
  LOWER_CIRCUIT,
  NAME,
  NUMBERS,
  RECORD,
  slotCount,
  STRIKE,
  symbolLengthOf,
  TICK_SIZE,
  TOKEN,
  tokenSlotsOf,
  UPPER_CIRCUIT,
  type ColumnRows,
  type ContractColumns,
  type ContractDictionaries,
} from "./contract-columns.js";

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

/**
 * Rows per joined block of symbol text (~12 KB). Small on purpose: a row's symbol and brsymbol
 * strings live until their block is joined, and those that outlive two scavenges are copied into
 * the old generation only to die there. With 4,096 rows a block nearly all of them did (a refresh
 * worker scavenges every few hundred rows): 150,000 rows' worth of old-generation garbage. With
 * 256, most die young: the parse of 147,559 rows spent 276 → 169 ms in GC and peaked 20 MB lower
 * (docs/benchmarks.md, issue 17).
 */
export const BLOCK_ROWS = 256;

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
