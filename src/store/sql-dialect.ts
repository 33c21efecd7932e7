import type { RowSource, SymbolRow } from "./types.js";

/**
 * What the one SQL store needs from a database engine (kysely's `src/dialect/` idea): statements
 * with `?` placeholders, write transactions, a bulk insert, a refresh lock and, where the engine
 * has it, LISTEN/NOTIFY. Everything else — every statement the store runs — is written once in
 * sql-store.ts.
 */
export interface SqlRunner {
  /** Rows of a query (or of a statement with RETURNING). */
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Each row of a query in turn, where the engine can hand them out one at a time (else all are read first). */
  each<T>(sql: string, params: readonly unknown[], row: (value: T) => void): Promise<void>;
}

/** A write transaction in progress. */
export interface SqlTransaction extends SqlRunner {
  /** Inserts contract rows as fast as the engine allows (chunked prepared inserts, or `unnest` batches). */
  insertRows(rows: RowSource): Promise<void>;
  /**
   * `INSERT INTO table (columns) VALUES …` for many rows at once, with `suffix` after the values
   * (an `ON CONFLICT …` clause), as fast as the engine allows.
   */
  insertMany(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[], suffix?: string): Promise<void>;
  /**
   * Sets the `UNINDEXED_COLUMNS` of existing rows, found by `(broker, exchange, symbol)`; returns
   * how many rows were found.
   */
  updateRows(rows: readonly SymbolRow[]): Promise<number>;
  /**
   * Replaces one broker's contract rows within this transaction, where the engine has a faster way
   * than a DELETE and insertRows (SQLite rebuilds the table); returns the number of rows replaced.
   * `arriving`: the batches come while their producer is still at work, so the engine keeps the
   * indexes up as rows go in (that work overlaps the producer's, and little is left after the last
   * batch); otherwise the rows go in bare and the indexes are built once, after them (less work in all).
   */
  replaceRows?(broker: string, batches: AsyncIterable<RowSource>, arriving: boolean): Promise<number>;
  /** Tells other processes on commit, where the engine can (PostgreSQL NOTIFY); a no-op elsewhere. */
  notify(channel: string, payload: string): Promise<void>;
}

/**
 * The refresh lock of one broker. `exclusive` means the engine itself holds it for this process
 * (a PostgreSQL session advisory lock, dropped when the process dies): holding it proves that a
 * `downloading` status on record was left by a process that is gone. Where it is not exclusive
 * (SQLite), the status row is the claim and the caller's staleness check decides.
 */
export interface RefreshLock {
  readonly exclusive: boolean;
  release(): Promise<void>;
}

export interface SqlDialect {
  readonly name: "sqlite" | "postgres";
  /** Reads outside any transaction; each statement sees one committed snapshot. */
  readonly reader: SqlRunner;
  /**
   * Every row of a broker as arrays in `SYMBOL_COLUMNS` order, where the backend can read them
   * that way more cheaply than as objects (SQLite); one statement, so one snapshot.
   */
  loadArrays?(broker: string): Promise<unknown[][]>;
  /**
   * Runs `work` in one write transaction, committed when it resolves and rolled back when it
   * throws. `lockKey` names what must not be written concurrently (one broker's contract): the
   * engine serialises such transactions (all of them, on SQLite).
   */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>, lockKey?: string): Promise<T>;
  /** The refresh lock for `key`, or null when another process holds it. */
  tryRefreshLock(key: string): Promise<RefreshLock | null>;
  /** Calls `handler` with each payload other processes NOTIFY on `channel`, where the engine can. */
  readonly listen?: (channel: string, handler: (payload: string) => void) => Promise<() => Promise<void>>;
  /** Writes what a write-ahead log holds into the database file, where the engine leaves that to its owner (SQLite's `deferCheckpoints`). */
  checkpoint?(): Promise<void>;
  close(): Promise<void>;
}
