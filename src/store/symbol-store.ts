import type { SymbolRow } from "./types.js";

export interface ReplaceResult {
  readonly deleted: number;
  readonly inserted: number;
}

/**
 * The narrow interface every layer above the store depends on. Each backend (SQLite,
 * PostgreSQL) implements it in its own folder; the same test suite runs on both.
 */
export interface SymbolStore {
  readonly dialect: "sqlite" | "postgres";
  /** Deletes the broker's rows and inserts `rows` in ONE transaction: readers see old or new, never a mix. */
  replaceBroker(broker: string, rows: readonly SymbolRow[]): Promise<ReplaceResult>;
  findBySymbol(broker: string, exchange: string, symbol: string): Promise<SymbolRow | undefined>;
  findByToken(broker: string, exchange: string, token: number): Promise<SymbolRow | undefined>;
  /** Every row of a broker, for building the in-memory index. */
  loadBroker(broker: string): Promise<SymbolRow[]>;
  countByExchange(broker: string): Promise<Record<string, number>>;
  close(): Promise<void>;
}
