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
] as const satisfies readonly (keyof SymbolRow)[];
