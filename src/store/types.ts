/** One row of `symbol_token`: OpenAlgo's columns plus `broker` and `freeze_qty`. */
export interface SymbolRow {
  readonly broker: string;
  readonly symbol: string;
  readonly brsymbol: string;
  readonly name: string;
  readonly exchange: string;
  readonly brexchange: string;
  readonly token: number;
  /** `DD-MMM-YY` upper case; empty for cash and index rows. */
  readonly expiry: string;
  readonly strike: number;
  readonly lotsize: number;
  readonly instrumenttype: string;
  readonly tick_size: number;
  readonly freeze_qty: number;
  /**
   * The day's price band from the master (PriceBand.Low/High): the exchange's circuit limits for
   * the trading day the contract was downloaded for; null where the master gives none (indices).
   */
  readonly lower_circuit: number | null;
  readonly upper_circuit: number | null;
}

/**
 * Rows read one at a time, in order: an array, or a contract's columns read row by row (an index's
 * `rows()`), so that writing 150,000 rows never holds an object for each. `broker`, when given, is
 * every row's.
 */
export interface RowSource {
  readonly length: number;
  readonly broker?: string;
  at(index: number): SymbolRow | undefined;
}

export const SYMBOL_COLUMNS = [
  "broker",
  "symbol",
  "brsymbol",
  "name",
  "exchange",
  "brexchange",
  "token",
  "expiry",
  "strike",
  "lotsize",
  "instrumenttype",
  "tick_size",
  "freeze_qty",
  "lower_circuit",
  "upper_circuit",
] as const satisfies readonly (keyof SymbolRow)[];

/**
 * The columns no index of `symbol_token` covers (migrations.ts): a row whose other columns are
 * unchanged can be updated in place (its price band moves every trading day) without touching an
 * index; a change to any other column is a delete and an insert.
 */
export const UNINDEXED_COLUMNS = ["expiry", "strike", "lotsize", "instrumenttype", "tick_size", "freeze_qty", "lower_circuit", "upper_circuit"] as const satisfies readonly (keyof SymbolRow)[];
