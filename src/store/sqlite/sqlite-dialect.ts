import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { StoreError } from "../../errors.js";
import { MIGRATIONS, SYMBOL_TOKEN_REBUILD } from "../migrations.js";
import type { RefreshLock, SqlDialect, SqlRunner, SqlTransaction } from "../sql-dialect.js";
import { SYMBOL_COLUMNS, UNINDEXED_COLUMNS, type RowSource, type SymbolRow } from "../types.js";

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/**
 * Page size of a database this process creates (SQLite's default is 4 KiB). A contract is ~50 MB of
 * table and index pages written whole in one transaction; with 16 KiB pages a 120,000-line first
 * import took 1.08 s against 1.19 s, and 32 KiB bought nothing more (docs/benchmarks.md, ninth
 * session). An existing file keeps the size it was made with: a WAL database cannot change it.
 */
const NEW_DATABASE_PAGE_SIZE = 16_384;

/** Rows inserted between yields to the event loop while a contract is being replaced. */
const CHUNK = 5_000;

export interface SqliteOptions {
  /** How long a statement waits for another connection's write lock before failing (5 s). */
  readonly busyTimeoutMs?: number;
  /** Extra `PRAGMA` settings for every connection, e.g. `max_page_count = 100000` to cap the file. */
  readonly pragmas?: readonly string[];
  /**
   * The writer connection never checkpoints the WAL on its own commits; the owner calls
   * `checkpoint()` when the work that waits on a commit is done. For the refresh worker: a
   * contract's commit otherwise copies its ~50 MB of WAL into the database file (~60 ms of the
   * ~85 ms COMMIT, docs/benchmarks.md) before the new index can be swapped in.
   */
  readonly deferCheckpoints?: boolean;
}

function connect(path: string, options: SqliteOptions): Database.Database {
  const db = new Database(path);
  // Before WAL mode, which fixes the size of a new file's pages; a no-op on an existing one.
  db.pragma(`page_size = ${NEW_DATABASE_PAGE_SIZE}`);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
  db.pragma("foreign_keys = ON");
  for (const pragma of options.pragmas ?? []) db.pragma(pragma);
  return db;
}

/** Statements prepared once per connection and text. */
function runner(db: Database.Database): SqlRunner {
  const prepared = new Map<string, Database.Statement>();
  const statement = (sql: string): Database.Statement => {
    let s = prepared.get(sql);
    if (s === undefined) {
      s = db.prepare(sql);
      prepared.set(sql, s);
    }
    return s;
  };
  return {
    async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      const s = statement(sql);
      if (s.reader) return s.all(...params) as T[];
      s.run(...params);
      return [];
    },
    async run(sql: string, params: readonly unknown[] = []): Promise<number> {
      return statement(sql).run(...params).changes;
    },
    async each<T>(sql: string, params: readonly unknown[], row: (value: T) => void): Promise<void> {
      for (const value of statement(sql).iterate(...params)) row(value as T);
    },
  };
}

function migrate(db: Database.Database): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  const applied = new Set((db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version));
  const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sqlite);
      record.run(migration.version, migration.name, new Date().toISOString());
    }).immediate();
  }
}

/**
 * SQLite (better-sqlite3, WAL). Reads run on one connection; write transactions on a second
 * connection of their own, one at a time, so a 150,000-row replace yields to the event loop
 * between chunks while requests keep being answered, and WAL keeps readers on the old rows
 * until the COMMIT. SQLite has one writer per file, so the refresh lock is the status row itself.
 */
export class SqliteDialect implements SqlDialect {
  readonly name = "sqlite";
  readonly reader: SqlRunner;
  private readonly writerDb: Database.Database;
  private readonly writer: SqlRunner;
  private readonly insert: Database.Statement;
  private readonly load: Database.Statement;
  /** Write transactions queue here: the writer connection holds one at a time. */
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: Database.Database,
    writerDb: Database.Database,
    private readonly busyTimeoutMs: number,
    deferCheckpoints: boolean,
  ) {
    this.reader = runner(db);
    this.writerDb = writerDb;
    // The writer never waits inside SQLite's busy handler, which sleeps the whole thread (every
    // request with it): `beginImmediate` waits for another connection's lock without blocking.
    if (writerDb !== db) writerDb.pragma("busy_timeout = 0");
    if (deferCheckpoints) writerDb.pragma("wal_autocheckpoint = 0");
    this.writer = writerDb === db ? this.reader : runner(writerDb);
    // The column order below is SYMBOL_COLUMNS' (loadArrays' callers read by position).
    this.load = db.prepare(`SELECT ${SYMBOL_COLUMNS.join(", ")} FROM symbol_token WHERE broker = ? ORDER BY id`).raw();
    this.insert = writerDb.prepare(insertSql("symbol_token"));
  }

  async loadArrays(broker: string): Promise<unknown[][]> {
    // Arrays, not objects: better-sqlite3 builds a row object by name lookups per column, which
    // is half the cost of reading a 150,000-row contract at start-up.
    return this.load.all(broker) as unknown[][];
  }

  /** Opens (creating the file and its folder) and migrates. `:memory:` has one connection for both roles. */
  static open(path: string, options: SqliteOptions = {}): SqliteDialect {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    try {
      const db = connect(path, options);
      migrate(db);
      return new SqliteDialect(db, path === ":memory:" ? db : connect(path, options), options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS, options.deferCheckpoints ?? false);
    } catch (error) {
      throw new StoreError(`cannot open SQLite database '${path}': ${(error as Error).message}`, error);
    }
  }

  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const run = this.writing.then(
      () => this.transactNow(work),
      () => this.transactNow(work),
    );
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async transactNow<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const db = this.writerDb;
    const tx: SqlTransaction = {
      all: (sql, params) => this.writer.all(sql, params),
      run: (sql, params) => this.writer.run(sql, params),
      each: (sql, params, row) => this.writer.each(sql, params, row),
      insertRows: (rows) => insertChunked(this.insert, rows),
      replaceRows: async (broker, batches, arriving) => {
        const replaced = (db.prepare("SELECT COUNT(*) AS n FROM symbol_token WHERE broker = ?").get(broker) as { n: number }).n;
        db.exec(`DROP TABLE IF EXISTS symbol_token_next; ${SYMBOL_TOKEN_REBUILD.table("symbol_token_next")}`);
        // Other brokers' contracts come along unchanged.
        const others = db.prepare(`INSERT INTO symbol_token_next (${SYMBOL_COLUMNS.join(", ")}) SELECT ${SYMBOL_COLUMNS.join(", ")} FROM symbol_token WHERE broker <> ? ORDER BY id`);
        const swap = (indexes: string): string => `DROP TABLE symbol_token; ALTER TABLE symbol_token_next RENAME TO symbol_token; ${indexes}`;
        if (arriving) {
          // The table is swapped in with its key indexes; each batch then goes in as it comes.
          others.run(broker);
          db.exec(swap(SYMBOL_TOKEN_REBUILD.keyIndexes));
          const insert = db.prepare(insertSql("symbol_token"));
          for await (const rows of batches) await insertChunked(insert, rows);
          db.exec(SYMBOL_TOKEN_REBUILD.textIndexes);
        } else {
          const insert = db.prepare(insertSql("symbol_token_next"));
          for await (const rows of batches) await insertChunked(insert, rows);
          others.run(broker);
          db.exec(swap(SYMBOL_TOKEN_REBUILD.indexes));
        }
        return replaced;
      },
      updateRows: async (rows) => {
        const update = db.prepare(UPDATE_SQL);
        let found = 0;
        for (let start = 0; start < rows.length; start += CHUNK) {
          if (start > 0) await new Promise((resolve) => setImmediate(resolve));
          const end = Math.min(rows.length, start + CHUNK);
          for (let i = start; i < end; i += 1) {
            const r = rows[i]!;
            found += update.run(r.expiry, r.strike, r.lotsize, r.instrumenttype, r.tick_size, r.freeze_qty, r.lower_circuit, r.upper_circuit, r.broker, r.exchange, r.symbol).changes;
          }
        }
        return found;
      },
      insertMany: async (table, columns, rows, suffix = "") => {
        const sql = `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) ${suffix}`;
        for (let start = 0; start < rows.length; start += CHUNK) {
          if (start > 0) await new Promise((resolve) => setImmediate(resolve));
          for (const row of rows.slice(start, start + CHUNK)) await this.writer.run(sql, row);
        }
      },
      notify: async () => undefined,
    };
    // IMMEDIATE takes the write lock before the first read, so two processes cannot both read "free".
    await this.beginImmediate(db);
    try {
      const result = await work(tx);
      db.exec("COMMIT");
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw error;
    }
  }

  /**
   * BEGIN IMMEDIATE, waiting for a write lock another connection holds (another process, the
   * refresh worker's replace) in short sleeps of the event loop, up to the busy timeout; then it
   * fails as SQLite's own wait would have (SQLITE_BUSY, "database is locked"). In WAL mode this is
   * the one statement of a write transaction that waits: once it holds the lock, nothing else does.
   */
  private async beginImmediate(db: Database.Database): Promise<void> {
    const deadline = performance.now() + this.busyTimeoutMs;
    for (let pause = 1; ; pause = Math.min(pause * 2, 25)) {
      try {
        db.exec("BEGIN IMMEDIATE");
        return;
      } catch (error) {
        if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || db === this.db || performance.now() >= deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(pause, deadline - performance.now()))));
    }
  }

  /**
   * Copies what the WAL holds into the database file as far as no reader still needs it (PASSIVE:
   * it waits for no lock and blocks no writer or reader; another connection's commit finishes
   * what it leaves). Waits for a write transaction this connection has queued.
   */
  async checkpoint(): Promise<void> {
    await this.writing;
    if (this.writerDb.open) this.writerDb.pragma("wal_checkpoint(PASSIVE)");
  }

  async tryRefreshLock(): Promise<RefreshLock> {
    return { exclusive: false, release: async () => undefined };
  }

  async close(): Promise<void> {
    await this.writing;
    if (this.writerDb.open) this.writerDb.close();
    if (this.db.open) this.db.close();
  }
}

// Positional, in UNINDEXED_COLUMNS order (updateRows binds them so).
const UPDATE_SQL = `UPDATE symbol_token SET ${UNINDEXED_COLUMNS.map((c) => `${c} = ?`).join(", ")} WHERE broker = ? AND exchange = ? AND symbol = ?`;

function insertSql(table: string): string {
  return `INSERT INTO ${table} (${SYMBOL_COLUMNS.join(", ")}) VALUES (${SYMBOL_COLUMNS.map(() => "?").join(", ")})`;
}

/** Inserts contract rows CHUNK at a time, letting the event loop through between chunks. */
async function insertChunked(insert: Database.Statement, rows: RowSource): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    const end = Math.min(rows.length, start + CHUNK);
    for (let i = start; i < end; i += 1) insertRow(insert, rows.at(i)!);
  }
}

// Positional binding: a fifth faster than binding the row object by name (150,000 rows a refresh).
function insertRow(insert: Database.Statement, row: SymbolRow): void {
  insert.run(row.broker, row.symbol, row.brsymbol, row.name, row.exchange, row.brexchange, row.token, row.expiry, row.strike, row.lotsize, row.instrumenttype, row.tick_size, row.freeze_qty, row.lower_circuit, row.upper_circuit);
}
