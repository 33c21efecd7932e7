import { hostname } from "node:os";
import type pg from "pg";
import { StoreError } from "../../errors.js";
import type { ApiKeyRecord, ApiKeyStore } from "../api-key-types.js";
import { apiKeyFromRow } from "../api-key-row.js";
import { nextStatusValues, statusFromRow, upsertStatusSql, type StatusRow } from "../status-row.js";
import { pendingStatus, type MasterStatus, type StatusUpdate } from "../status-types.js";
import type { ContractListener, RefreshClaim, ReplaceResult, SymbolStore } from "../symbol-store.js";
import { SYMBOL_COLUMNS, type SymbolRow } from "../types.js";
import { checkOut, createPool, parsePgUrl } from "./pg-connection.js";
import { migrate } from "./pg-migrate.js";

const SELECT_COLUMNS = SYMBOL_COLUMNS.join(", ");
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
};
const INSERT_UNNEST = `INSERT INTO symbol_token (${SELECT_COLUMNS}) SELECT * FROM unnest(${SYMBOL_COLUMNS.map((c, i) => `$${i + 1}::${ARRAY_TYPES[c]}`).join(", ")})`;
/** Rows per INSERT: one statement per batch keeps memory flat and avoids 65,535-parameter limits. */
const BATCH = 20_000;
export const CONTRACT_CHANNEL = "xtsbridge_contract";

function lockKey(broker: string): string {
  return `xtsbridge:refresh:${broker}`;
}

/**
 * PostgreSQL backend. `replaceBroker` is one transaction (MVCC: readers keep the old rows until
 * COMMIT) that also writes the status and NOTIFYs other processes, delivered only on commit.
 * A refresh holds a session advisory lock; the server drops it if the process dies.
 */
export class PostgresStore implements SymbolStore, ApiKeyStore {
  readonly dialect = "postgres";

  private constructor(private readonly pool: pg.Pool) {}

  static async open(url: string, applicationName = `xtsbridge:${hostname()}:${process.pid}`): Promise<PostgresStore> {
    const target = parsePgUrl(url);
    const pool = createPool(target, applicationName.slice(0, 63));
    try {
      await migrate(pool, target.schema);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new StoreError(`cannot open PostgreSQL database: ${(error as Error).message}`, error);
    }
    return new PostgresStore(pool);
  }

  private async transaction<T>(run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const { client, release } = await checkOut(this.pool);
    try {
      await client.query("BEGIN");
      const result = await run(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      release();
    }
  }

  async replaceBroker(broker: string, rows: readonly SymbolRow[], status?: StatusUpdate): Promise<ReplaceResult> {
    for (const row of rows) {
      if (row.broker !== broker) throw new StoreError(`row for broker '${row.broker}' passed to replaceBroker('${broker}')`);
    }
    try {
      return await this.transaction(async (client) => {
        // Replaces of one broker queue behind each other, so contract versions never race.
        await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`xtsbridge:replace:${broker}`]);
        const deleted = (await client.query("DELETE FROM symbol_token WHERE broker = $1", [broker])).rowCount ?? 0;
        for (let start = 0; start < rows.length; start += BATCH) {
          const batch = rows.slice(start, start + BATCH);
          await client.query(INSERT_UNNEST, SYMBOL_COLUMNS.map((c) => batch.map((r) => r[c])));
        }
        let version = (await readStatus(client, broker)).contractVersion;
        if (status !== undefined) {
          version = await writeStatus(client, broker, status);
          if (status.status === "success") await client.query("SELECT pg_notify($1, $2)", [CONTRACT_CHANNEL, JSON.stringify({ broker, version })]);
        }
        return { deleted, inserted: rows.length, contractVersion: version };
      });
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StoreError(`replacing ${broker} rows failed, previous rows kept: ${(error as Error).message}`, error);
    }
  }

  async findBySymbol(broker: string, exchange: string, symbol: string): Promise<SymbolRow | undefined> {
    const result = await this.pool.query<SymbolRow>(`SELECT ${SELECT_COLUMNS} FROM symbol_token WHERE broker = $1 AND exchange = $2 AND symbol = $3`, [broker, exchange, symbol]);
    return result.rows[0];
  }

  async findByToken(broker: string, exchange: string, token: number): Promise<SymbolRow | undefined> {
    const result = await this.pool.query<SymbolRow>(`SELECT ${SELECT_COLUMNS} FROM symbol_token WHERE broker = $1 AND exchange = $2 AND token = $3`, [broker, exchange, token]);
    return result.rows[0];
  }

  async loadBroker(broker: string): Promise<SymbolRow[]> {
    // One statement sees one snapshot, so a concurrent replace shows either all old or all new rows.
    return (await this.pool.query<SymbolRow>(`SELECT ${SELECT_COLUMNS} FROM symbol_token WHERE broker = $1 ORDER BY id`, [broker])).rows;
  }

  async countByExchange(broker: string): Promise<Record<string, number>> {
    return counts(this.pool, broker);
  }

  async getStatus(broker: string): Promise<MasterStatus> {
    return readStatus(this.pool, broker);
  }

  async updateStatus(broker: string, update: StatusUpdate): Promise<void> {
    await this.transaction((client) => writeStatus(client, broker, update));
  }

  /**
   * Takes a session advisory lock on a dedicated connection, held until `release()`. If the
   * lock is held elsewhere the refresh is refused; if we get it, any `downloading` on record was
   * left by a process that died (its lock died with its connection), so `isStale` is not needed.
   */
  async claimRefresh(broker: string, owner: string, startedAt: string): Promise<RefreshClaim> {
    const held = await checkOut(this.pool);
    const { client } = held;
    try {
      const locked = (await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [lockKey(broker)])).rows[0]?.ok === true;
      if (!locked) {
        held.release();
        return { acquired: false, holder: await this.getStatus(broker) };
      }
      await writeStatus(client, broker, { status: "downloading", message: `downloading (started by ${owner})`, startedAt, finishedAt: null, durationMs: null, owner });
    } catch (error) {
      held.release();
      throw new StoreError(`could not claim the refresh: ${(error as Error).message}`, error);
    }
    let released = false;
    return {
      acquired: true,
      release: async () => {
        if (released) return;
        released = true;
        // A broken connection already lost its lock with its session; a live one unlocks.
        if (!held.broken()) await client.query("SELECT pg_advisory_unlock(hashtext($1))", [lockKey(broker)]).catch(() => undefined);
        held.release();
      },
    };
  }

  async watchContracts(listener: ContractListener): Promise<() => Promise<void>> {
    const held = await checkOut(this.pool);
    const { client } = held;
    const onNotification = (message: pg.Notification): void => {
      if (message.channel !== CONTRACT_CHANNEL || message.payload === undefined) return;
      try {
        const { broker, version } = JSON.parse(message.payload) as { broker: string; version: number };
        listener(broker, version);
      } catch {
        // A payload we did not write; the periodic version check still covers us.
      }
    };
    client.on("notification", onNotification);
    await client.query(`LISTEN ${CONTRACT_CHANNEL}`);
    return async () => {
      client.off("notification", onNotification);
      if (!held.broken()) await client.query(`UNLISTEN ${CONTRACT_CHANNEL}`).catch(() => undefined);
      held.release();
    };
  }

  async insertApiKey(name: string, prefix: string, hash: string): Promise<ApiKeyRecord> {
    const result = await this.pool.query("INSERT INTO api_keys (name, prefix, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING *", [name, prefix, hash, new Date().toISOString()]);
    return apiKeyFromRow(result.rows[0]);
  }

  async findApiKeyByPrefix(prefix: string): Promise<ApiKeyRecord | undefined> {
    const row = (await this.pool.query("SELECT * FROM api_keys WHERE prefix = $1", [prefix])).rows[0];
    return row === undefined ? undefined : apiKeyFromRow(row);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (await this.pool.query("SELECT * FROM api_keys ORDER BY id")).rows.map(apiKeyFromRow);
  }

  async revokeApiKey(idOrPrefix: string): Promise<number> {
    const result = await this.pool.query("UPDATE api_keys SET revoked_at = $1 WHERE revoked_at IS NULL AND (CAST(id AS TEXT) = $2 OR prefix = $2)", [new Date().toISOString(), idOrPrefix]);
    return result.rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

async function counts(db: Queryable, broker: string): Promise<Record<string, number>> {
  const rows = (await db.query<{ exchange: string; n: number }>("SELECT exchange, COUNT(*) AS n FROM symbol_token WHERE broker = $1 GROUP BY exchange ORDER BY exchange", [broker])).rows;
  return Object.fromEntries(rows.map((r) => [r.exchange, Number(r.n)]));
}

async function readStatus(db: Queryable, broker: string): Promise<MasterStatus> {
  const row = (await db.query<StatusRow>("SELECT * FROM master_contract_status WHERE broker = $1", [broker])).rows[0];
  return row === undefined ? pendingStatus(broker) : statusFromRow(row);
}

/** Upserts the status; returns the contract version it records. */
async function writeStatus(db: Queryable, broker: string, update: StatusUpdate): Promise<number> {
  const committed = update.status === "success" ? await counts(db, broker) : null;
  const values = nextStatusValues(await readStatus(db, broker), update, committed, new Date().toISOString());
  await db.query(upsertStatusSql((i) => `$${i + 1}`), values);
  return values[10] as number;
}
