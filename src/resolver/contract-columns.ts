import type { SymbolRow } from "../store/types.js";

/**
 * One broker's contract as columns: typed arrays, a few small dictionaries and one string holding
 * every symbol and brsymbol back to back. 150,000 rows are ~25 objects on the heap instead of
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
  /** Where row i's symbol starts in `text`; its brsymbol follows it. */
  readonly textAt: Uint32Array;
  readonly symbolLength: Uint16Array;
  readonly brsymbolLength: Uint16Array;
  readonly exchange: Uint8Array;
  readonly brexchange: Uint8Array;
  readonly instrumenttype: Uint8Array;
  readonly expiry: Uint16Array;
  readonly name: Uint32Array;
  readonly token: Float64Array;
  readonly strike: Float64Array;
  readonly lotsize: Float64Array;
  readonly tickSize: Float64Array;
  readonly freezeQty: Float64Array;
  /** NaN where the master gives no band (null in the row). */
  readonly lowerCircuit: Float64Array;
  readonly upperCircuit: Float64Array;
  readonly dictionaries: ContractDictionaries;
  readonly symbolSlots: Int32Array;
  readonly tokenSlots: Int32Array;
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

class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();

  constructor(private readonly limit: number, private readonly column: string) {}

  code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      if (code >= this.limit) throw new RangeError(`more than ${this.limit} distinct ${this.column} values in one contract`);
      this.codes.set(value, code);
      this.values.push(value);
    }
    return code;
  }
}

/** Fills the columns row by row (`add`), then builds the lookup tables (`finish`). */
class ColumnsWriter {
  private readonly pieces: string[] = [];
  private offset = 0;
  private readonly exchanges = new Dictionary(256, "exchange");
  private readonly brexchanges = new Dictionary(256, "brexchange");
  private readonly types = new Dictionary(256, "instrumenttype");
  private readonly expiries = new Dictionary(65_536, "expiry");
  private readonly names = new Dictionary(2 ** 32, "name");
  readonly textAt: Uint32Array;
  readonly symbolLength: Uint16Array;
  readonly brsymbolLength: Uint16Array;
  readonly exchange: Uint8Array;
  readonly brexchange: Uint8Array;
  readonly instrumenttype: Uint8Array;
  readonly expiry: Uint16Array;
  readonly name: Uint32Array;
  readonly token: Float64Array;
  readonly strike: Float64Array;
  readonly lotsize: Float64Array;
  readonly tickSize: Float64Array;
  readonly freezeQty: Float64Array;
  readonly lowerCircuit: Float64Array;
  readonly upperCircuit: Float64Array;

  constructor(
    private readonly broker: string,
    private readonly count: number,
  ) {
    this.textAt = new Uint32Array(count);
    this.symbolLength = new Uint16Array(count);
    this.brsymbolLength = new Uint16Array(count);
    this.exchange = new Uint8Array(count);
    this.brexchange = new Uint8Array(count);
    this.instrumenttype = new Uint8Array(count);
    this.expiry = new Uint16Array(count);
    this.name = new Uint32Array(count);
    this.token = new Float64Array(count);
    this.strike = new Float64Array(count);
    this.lotsize = new Float64Array(count);
    this.tickSize = new Float64Array(count);
    this.freezeQty = new Float64Array(count);
    this.lowerCircuit = new Float64Array(count);
    this.upperCircuit = new Float64Array(count);
  }

  add(
    i: number,
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
  ): void {
    if (symbol.length > 65_535 || brsymbol.length > 65_535) throw new RangeError(`symbol of row ${i} is longer than 65,535 characters`);
    this.pieces.push(symbol, brsymbol);
    this.textAt[i] = this.offset;
    this.symbolLength[i] = symbol.length;
    this.brsymbolLength[i] = brsymbol.length;
    this.offset += symbol.length + brsymbol.length;
    this.exchange[i] = this.exchanges.code(exchange);
    this.brexchange[i] = this.brexchanges.code(brexchange);
    this.instrumenttype[i] = this.types.code(instrumenttype);
    this.expiry[i] = this.expiries.code(expiry);
    this.name[i] = this.names.code(name);
    this.token[i] = token;
    this.strike[i] = strike;
    this.lotsize[i] = lotsize;
    this.tickSize[i] = tickSize;
    this.freezeQty[i] = freezeQty;
    this.lowerCircuit[i] = lowerCircuit ?? Number.NaN;
    this.upperCircuit[i] = upperCircuit ?? Number.NaN;
  }

  finish(): ContractColumns {
    const text = this.pieces.join("");
    const size = slotCount(this.count);
    const mask = size - 1;
    const symbolSlots = new Int32Array(size);
    const tokenSlots = new Int32Array(size);
    for (let i = 0; i < this.count; i += 1) {
      const at = this.textAt[i]!;
      const length = this.symbolLength[i]!;
      const exchange = this.exchange[i]!;
      const symbol = text.slice(at, at + length);
      // A later row with the same key replaces the earlier one, as a Map would.
      let slot = hashSymbol(symbol, exchange) & mask;
      for (let held = symbolSlots[slot]!; held !== 0; held = symbolSlots[slot]!) {
        const j = held - 1;
        if (this.exchange[j] === exchange && this.symbolLength[j] === length && text.startsWith(symbol, this.textAt[j]!)) break;
        slot = (slot + 1) & mask;
      }
      symbolSlots[slot] = i + 1;
      const token = this.token[i]!;
      slot = hashToken(token, exchange) & mask;
      for (let held = tokenSlots[slot]!; held !== 0; held = tokenSlots[slot]!) {
        const j = held - 1;
        if (this.exchange[j] === exchange && this.token[j] === token) break;
        slot = (slot + 1) & mask;
      }
      tokenSlots[slot] = i + 1;
    }
    return {
      broker: this.broker,
      count: this.count,
      text,
      textAt: this.textAt,
      symbolLength: this.symbolLength,
      brsymbolLength: this.brsymbolLength,
      exchange: this.exchange,
      brexchange: this.brexchange,
      instrumenttype: this.instrumenttype,
      expiry: this.expiry,
      name: this.name,
      token: this.token,
      strike: this.strike,
      lotsize: this.lotsize,
      tickSize: this.tickSize,
      freezeQty: this.freezeQty,
      lowerCircuit: this.lowerCircuit,
      upperCircuit: this.upperCircuit,
      dictionaries: {
        exchanges: this.exchanges.values,
        brexchanges: this.brexchanges.values,
        instrumenttypes: this.types.values,
        expiries: this.expiries.values,
        names: this.names.values,
      },
      symbolSlots,
      tokenSlots,
    };
  }
}

/** Columns of rows that all belong to `broker` (the store's rows, or a refresh's). */
export function columnsOfRows(broker: string, rows: readonly SymbolRow[]): ContractColumns {
  const writer = new ColumnsWriter(broker, rows.length);
  for (let i = 0; i < rows.length; i += 1) {
    const r = rows[i]!;
    if (r.broker !== broker) throw new RangeError(`row ${i} belongs to broker '${r.broker}', not '${broker}'`);
    writer.add(i, r.symbol, r.brsymbol, r.name, r.exchange, r.brexchange, r.token, r.expiry, r.strike, r.lotsize, r.instrumenttype, r.tick_size, r.freeze_qty, r.lower_circuit, r.upper_circuit);
  }
  return writer.finish();
}

/** Columns of rows read as arrays in `SYMBOL_COLUMNS` order (broker first), without a row object each. */
export function columnsOfArrays(broker: string, rows: readonly (readonly unknown[])[]): ContractColumns {
  const writer = new ColumnsWriter(broker, rows.length);
  for (let i = 0; i < rows.length; i += 1) {
    const r = rows[i]!;
    writer.add(
      i,
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
  const arrays = [
    columns.textAt,
    columns.symbolLength,
    columns.brsymbolLength,
    columns.exchange,
    columns.brexchange,
    columns.instrumenttype,
    columns.expiry,
    columns.name,
    columns.token,
    columns.strike,
    columns.lotsize,
    columns.tickSize,
    columns.freezeQty,
    columns.lowerCircuit,
    columns.upperCircuit,
    columns.symbolSlots,
    columns.tokenSlots,
  ];
  // Columns read from a snapshot share one buffer: each may be listed once only.
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
