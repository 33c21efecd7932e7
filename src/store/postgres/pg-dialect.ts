import { hostname } from "node:os";
import type pg from "pg";
import { StoreError } from "../../errors.js";
import type { RefreshLock, SqlDialect, SqlRunner, SqlTransaction } from "../sql-dialect.js";
import { SYMBOL_COLUMNS, UNINDEXED_COLUMNS, type RowSource, type SymbolRow } from "../types.js";
import { checkOut, createPool, parsePgUrl } from "./pg-connection.js";
import { migrate } from "./pg-migrate.js";

/** Postgres array type of each column, for the unnest() bulk insert. */
const ARRAY_TYPES: Readonly<Record<(typeof SYMBOL_COLUMNS)[number], string>> = {
  broker: "text[]",
  symbol: "text[]",
  brsymbol: "text[]",
  name: "text[]",
  exchange: "text[]",
  brexchange: "text[]",
  token: "integer[]",
  expiry: "text[]",
  strike: "float8[]",
  lotsize: "integer[]",
  instrumenttype: "text[]",
  tick_size: "float8[]",
  freeze_qty: "integer[]",
  lower_circuit: "float8[]",
  upper_circuit: "float8[]",
};
const INSERT_UNNEST = `INSERT INTO symbol_token (${SYMBOL_COLUMNS.join(", ")}) SELECT * FROM unnest(${SYMBOL_COLUMNS.map((c, i) => `$${i + 1}::${ARRAY_TYPES[c]}`).join(", ")})`;
const UPDATE_KEYS = ["broker", "exchange", "symbol"] as const;
const UPDATE_UNNEST = `UPDATE symbol_token AS t SET ${UNINDEXED_COLUMNS.map((c) => `${c} = v.${c}`).join(", ")}
  FROM unnest(${[...UPDATE_KEYS, ...UNINDEXED_COLUMNS].map((c, i) => `$${i + 1}::${ARRAY_TYPES[c]}`).join(", ")}) AS v(${[...UPDATE_KEYS, ...UNINDEXED_COLUMNS].join(", ")})
  WHERE t.broker = v.broker AND t.exchange = v.exchange AND t.symbol = v.symbol`;
/** Rows per INSERT: one statement per batch keeps memory flat and avoids 65,535-parameter limits. */
const BATCH = 20_000;

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

/** `?` placeholders (the store's one spelling) → `$1, $2…`; none of our statements has a literal `?`. */
const converted = new Map<string, string>();
function numbered(sql: string): string {
  let text = converted.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${(n += 1)}`);
    converted.set(sql, text);
  }
  return text;
}

function runner(db: Queryable): SqlRunner {
  return {
    async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      return (await db.query(numbered(sql), [...params])).rows as T[];
    },
    async run(sql: string, params: readonly unknown[] = []): Promise<number> {
      return (await db.query(numbered(sql), [...params])).rowCount ?? 0;
    },
    async each<T>(sql: string, params: readonly unknown[], row: (value: T) => void): Promise<void> {
      // node-postgres reads a result whole; the rows are handed on one by one all the same.
      for (const value of (await db.query(numbered(sql), [...params])).rows) row(value as T);
    },
  };
}

/**
 * PostgreSQL. Transactions take a checked-out connection (MVCC: readers keep the old rows until
 * COMMIT); a `lockKey` becomes a transaction advisory lock, so one broker's contracts are written
 * one at a time across processes. The refresh lock is a session advisory lock on a connection of
 * its own, which the server drops with the process. NOTIFY is delivered only on commit.
 */
export class PgDialect implements SqlDialect {
  readonly name = "postgres";
  readonly reader: SqlRunner;

  private constructor(private readonly pool: pg.Pool) {
    this.reader = runner(pool);
  }

  static async open(url: string, applicationName = `xtsbridge:${hostname()}:${process.pid}`): Promise<PgDialect> {
    const target = parsePgUrl(url);
    const pool = createPool(target, applicationName.slice(0, 63));
    try {
      await migrate(pool, target.schema);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new StoreError(`cannot open PostgreSQL database: ${(error as Error).message}`, error);
    }
    return new PgDialect(pool);
  }

  async transaction<T>(work: (tx: SqlTransaction) => Promise<T>, lockKey?: string): Promise<T> {
    const { client, release } = await checkOut(this.pool);
    const base = runner(client);
    const tx: SqlTransaction = {
      ...base,
      insertRows: async (rows: RowSource) => {
        for (let start = 0; start < rows.length; start += BATCH) {
          const batch = Array.from({ length: Math.min(BATCH, rows.length - start) }, (_, k) => rows.at(start + k)!);
          await client.query(INSERT_UNNEST, SYMBOL_COLUMNS.map((c) => batch.map((r) => r[c])));
        }
      },
      updateRows: async (rows: readonly SymbolRow[]) => {
        let found = 0;
        for (let start = 0; start < rows.length; start += BATCH) {
          const batch = rows.slice(start, start + BATCH);
          found += (await client.query(UPDATE_UNNEST, [...UPDATE_KEYS, ...UNINDEXED_COLUMNS].map((c) => batch.map((r) => r[c])))).rowCount ?? 0;
        }
        return found;
      },
      insertMany: async (table, columns, rows, suffix = "") => {
        // Multi-row VALUES, under PostgreSQL's 65,535 parameters a statement.
        const perStatement = Math.max(1, Math.floor(60_000 / columns.length));
        for (let start = 0; start < rows.length; start += perStatement) {
          const batch = rows.slice(start, start + perStatement);
          const values = batch.map((_, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(", ")})`).join(", ");
          await client.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${values} ${suffix}`, batch.flat());
        }
      },
      notify: async (channel, payload) => {
        await client.query("SELECT pg_notify($1, $2)", [channel, payload]);
      },
    };
    try {
      await client.query("BEGIN");
      if (lockKey !== undefined) await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [lockKey]);
      const result = await work(tx);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      release();
    }
  }

  async tryRefreshLock(key: string): Promise<RefreshLock | null> {
    const held = await checkOut(this.pool);
    const { client } = held;
    try {
      const locked = (await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [key])).rows[0]?.ok === true;
      if (!locked) {
        held.release();
        return null;
      }
    } catch (error) {
      held.release();
      throw error;
    }
    let released = false;
    return {
      exclusive: true,
      release: async () => {
        if (released) return;
        released = true;
        // A broken connection already lost its lock with its session; a live one unlocks.
        if (!held.broken()) await client.query("SELECT pg_advisory_unlock(hashtext($1))", [key]).catch(() => undefined);
        held.release();
      },
    };
  }

  readonly listen = async (channel: string, handler: (payload: string) => void): Promise<() => Promise<void>> => {
    const held = await checkOut(this.pool);
    const { client } = held;
    const onNotification = (message: pg.Notification): void => {
      if (message.channel === channel && message.payload !== undefined) handler(message.payload);
    };
    client.on("notification", onNotification);
    await client.query(`LISTEN ${channel}`);
    return async () => {
      client.off("notification", onNotification);
      if (!held.broken()) await client.query(`UNLISTEN ${channel}`).catch(() => undefined);
      held.release();
    };
  };

  async close(): Promise<void> {
    await this.pool.end();
  }
}
