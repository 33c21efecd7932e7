import { StoreError } from "../errors.js";
import type { ApiKeyRecord, ApiKeyStore } from "./api-key-types.js";
import { apiKeyFromRow, type ApiKeyRow } from "./api-key-row.js";
import { SqlCandles, type CandleKey, type CandleStore, type StoredCandle } from "./candle-store.js";
import type { SqlDialect, SqlRunner, SqlTransaction } from "./sql-dialect.js";
import { SqlPaper, type PaperStore } from "./paper-store.js";
import { nextStatusValues, statusFromRow, upsertStatusSql, type StatusRow } from "./status-row.js";
import { pendingStatus, type MasterStatus, type StatusUpdate } from "./status-types.js";
import { type ContractChanges, type ContractListener, type RefreshClaim, type ReplaceEnding, type ReplaceResult, type SymbolStore } from "./symbol-store.js";
import { readSnapshot, storedSnapshotIs, writeSnapshot, type StoredSnapshot } from "./snapshot-parts.js";
import { SYMBOL_COLUMNS, type RowSource, type SymbolRow } from "./types.js";

const SELECT_COLUMNS = SYMBOL_COLUMNS.join(", ");
const UPSERT_STATUS = upsertStatusSql(() => "?");
/** Other processes reload their index when a contract is committed here (PostgreSQL NOTIFY). */
export const CONTRACT_CHANNEL = "xtsbridge_contract";

async function counts(db: SqlRunner, broker: string): Promise<Record<string, number>> {
  const rows = await db.all<{ exchange: string; n: number | string }>("SELECT exchange, COUNT(*) AS n FROM symbol_token WHERE broker = ? GROUP BY exchange ORDER BY exchange", [broker]);
  return Object.fromEntries(rows.map((r) => [r.exchange, Number(r.n)]));
}

async function readStatus(db: SqlRunner, broker: string): Promise<MasterStatus> {
  const [row] = await db.all<StatusRow>("SELECT * FROM master_contract_status WHERE broker = ?", [broker]);
  return row === undefined ? pendingStatus(broker) : statusFromRow(row);
}

/** Upserts the status inside the transaction that holds the rows it describes; returns the contract version it records. */
async function writeStatus(db: SqlRunner, broker: string, update: StatusUpdate): Promise<number> {
  const committed = update.status === "success" ? await counts(db, broker) : null;
  const values = nextStatusValues(await readStatus(db, broker), update, committed, new Date().toISOString());
  await db.run(UPSERT_STATUS, values);
  return values[10] as number;
}

/** Keys deleted per statement when only a contract's changes are written. */
const DELETE_BATCH = 500;

/** The broker of the first row that is not `broker`'s, if any (the source's own broker when it names one). */
function firstOtherBroker(rows: RowSource, broker: string): string | undefined {
  if (rows.broker !== undefined) return rows.broker === broker ? undefined : rows.broker;
  for (let i = 0; i < rows.length; i += 1) {
    const other = rows.at(i)!.broker;
    if (other !== broker) return other;
  }
  return undefined;
}

/**
 * The status (when given, with a NOTIFY on success) and the snapshot (or its removal) that go into
 * every transaction that writes a broker's rows; returns the contract version recorded.
 */
async function writeContractRecords(tx: SqlTransaction, broker: string, status: StatusUpdate | undefined, snapshot: Uint8Array | "unchanged" | undefined): Promise<number> {
  let contractVersion = (await readStatus(tx, broker)).contractVersion;
  if (status !== undefined) {
    contractVersion = await writeStatus(tx, broker, status);
    if (status.status === "success") await tx.notify(CONTRACT_CHANNEL, JSON.stringify({ broker, version: contractVersion }));
  }
  await writeSnapshot(tx, broker, contractVersion, snapshot);
  return contractVersion;
}

/** Rolls back an update whose base turned out not to be the stored rows. */
class BaseMismatch extends Error {}

/** Thrown inside a streamed replace whose caller chose to write nothing: the transaction rolls back. */
class Abandoned extends Error {}

/** How long a live API key read from the database is trusted without reading it again. */
export const API_KEY_CACHE_MS = 1_000;

/**
 * The store, written once over a small dialect (sqlite/, postgres/): every statement below runs
 * unchanged on both engines, and the same suite tests both. What differs — placeholders, how a
 * transaction is held, the bulk insert, the refresh lock, LISTEN — is the dialect's.
 */
export class SqlStore implements SymbolStore, ApiKeyStore, CandleStore, PaperStore {
  readonly dialect: SqlDialect["name"];
  readonly watchContracts?: (listener: ContractListener) => Promise<() => Promise<void>>;
  private readonly candles: SqlCandles;
  private readonly paper: SqlPaper;
  /**
   * Live keys read in the last API_KEY_CACHE_MS, by prefix: most requests cost no query. Every key
   * written through this store clears it; a key revoked by another process (the CLI, a replica)
   * is refused within that time.
   */
  private readonly keyCache = new Map<string, { readonly record: ApiKeyRecord; readonly at: number }>();
  /** Bumped by every key write, so a read that overlapped one is not cached. */
  private keyWrites = 0;

  constructor(private readonly sql: SqlDialect) {
    this.dialect = sql.name;
    this.candles = new SqlCandles(sql);
    this.paper = new SqlPaper(sql);
    const listen = sql.listen;
    if (listen !== undefined) {
      this.watchContracts = (listener) =>
        listen(CONTRACT_CHANNEL, (payload) => {
          try {
            const { broker, version } = JSON.parse(payload) as { broker: string; version: number };
            listener(broker, version);
          } catch {
            // A payload we did not write; the periodic version check still covers us.
          }
        });
    }
  }

  async replaceBroker(broker: string, rows: RowSource, status?: StatusUpdate, snapshot?: Uint8Array): Promise<ReplaceResult> {
    const wrongBroker = firstOtherBroker(rows, broker);
    if (wrongBroker !== undefined) throw new StoreError(`row for broker '${wrongBroker}' passed to replaceBroker('${broker}')`);
    const once = async function* (): AsyncGenerator<RowSource> {
      yield rows;
    };
    return (await this.replace(broker, once(), () => ({ status, snapshot }), false))!;
  }

  replaceBrokerStreamed(broker: string, batches: AsyncIterable<RowSource>, ending: () => ReplaceEnding | null): Promise<ReplaceResult | null> {
    // Each batch is checked as it arrives (replaceBroker checks its one batch before the transaction).
    const checked = async function* (): AsyncGenerator<RowSource> {
      for await (const rows of batches) {
        const wrongBroker = firstOtherBroker(rows, broker);
        if (wrongBroker !== undefined) throw new Error(`row for broker '${wrongBroker}' in the rows of '${broker}'`);
        yield rows;
      }
    };
    return this.replace(broker, checked(), ending, true);
  }

  private async replace(broker: string, batches: AsyncIterable<RowSource>, ending: () => ReplaceEnding | null, arriving: boolean): Promise<ReplaceResult | null> {
    let inserted = 0;
    const counted = async function* (): AsyncGenerator<RowSource> {
      for await (const rows of batches) {
        inserted += rows.length;
        yield rows;
      }
    };
    try {
      // One transaction: readers see the old contract or the new one, and the status never claims rows the table lacks.
      return await this.sql.transaction(async (tx) => {
        let deleted: number;
        if (tx.replaceRows !== undefined) deleted = await tx.replaceRows(broker, counted(), arriving);
        else {
          deleted = await tx.run("DELETE FROM symbol_token WHERE broker = ?", [broker]);
          for await (const rows of counted()) await tx.insertRows(rows);
        }
        const end = ending();
        if (end === null) throw new Abandoned();
        const contractVersion = await writeContractRecords(tx, broker, end.status, end.snapshot);
        return { deleted, inserted, updated: 0, contractVersion };
      }, `xtsbridge:replace:${broker}`);
    } catch (error) {
      if (error instanceof Abandoned) return null;
      throw new StoreError(`replacing ${broker} rows failed, previous rows kept: ${(error as Error).message}`, error);
    }
  }

  async updateBroker(broker: string, changes: ContractChanges, status: StatusUpdate | undefined, snapshot: Uint8Array | "unchanged"): Promise<ReplaceResult | null> {
    for (const row of [...changes.added, ...changes.updated]) {
      if (row.broker !== broker) throw new StoreError(`row for broker '${row.broker}' passed to updateBroker('${broker}')`);
    }
    try {
      return await this.sql.transaction(async (tx) => {
        // The difference holds only against the rows it was computed from: the snapshot is always
        // of the rows the table holds, so the same bytes mean the same rows.
        if (!(await storedSnapshotIs(tx, broker, changes.base))) return null;
        let deleted = 0;
        for (let start = 0; start < changes.removed.length; start += DELETE_BATCH) {
          const keys = changes.removed.slice(start, start + DELETE_BATCH);
          deleted += await tx.run(
            `DELETE FROM symbol_token WHERE broker = ? AND (exchange, symbol) IN (VALUES ${keys.map(() => "(?, ?)").join(", ")})`,
            [broker, ...keys.flatMap((k) => [k.exchange, k.symbol])],
          );
        }
        const updated = await tx.updateRows(changes.updated);
        // A key missing from the table means the snapshot was not of the rows it holds: undo, write nothing.
        if (deleted !== changes.removed.length || updated !== changes.updated.length) throw new BaseMismatch();
        await tx.insertRows(changes.added);
        const contractVersion = await writeContractRecords(tx, broker, status, snapshot);
        return { deleted, inserted: changes.added.length, updated, contractVersion };
      }, `xtsbridge:replace:${broker}`);
    } catch (error) {
      if (error instanceof BaseMismatch) return null;
      throw new StoreError(`replacing ${broker} rows failed, previous rows kept: ${(error as Error).message}`, error);
    }
  }

  async findBySymbol(broker: string, exchange: string, symbol: string): Promise<SymbolRow | undefined> {
    return (await this.sql.reader.all<SymbolRow>(`SELECT ${SELECT_COLUMNS} FROM symbol_token WHERE broker = ? AND exchange = ? AND symbol = ?`, [broker, exchange, symbol]))[0];
  }

  async findByToken(broker: string, exchange: string, token: number): Promise<SymbolRow | undefined> {
    return (await this.sql.reader.all<SymbolRow>(`SELECT ${SELECT_COLUMNS} FROM symbol_token WHERE broker = ? AND exchange = ? AND token = ?`, [broker, exchange, token]))[0];
  }

  async loadBroker(broker: string): Promise<SymbolRow[]> {
    // One statement sees one snapshot, so a concurrent replace shows either all old or all new rows.
    if (this.sql.loadArrays !== undefined) return (await this.sql.loadArrays(broker)).map(rowOfArray);
    return this.sql.reader.all<SymbolRow>(`SELECT ${SELECT_COLUMNS} FROM symbol_token WHERE broker = ? ORDER BY id`, [broker]);
  }

  loadSnapshot(broker: string): Promise<StoredSnapshot | null> {
    return readSnapshot(this.sql.reader, broker);
  }

  async loadBrokerArrays(broker: string): Promise<unknown[][]> {
    if (this.sql.loadArrays !== undefined) return this.sql.loadArrays(broker);
    const rows = await this.sql.reader.all<SymbolRow>(`SELECT ${SELECT_COLUMNS} FROM symbol_token WHERE broker = ? ORDER BY id`, [broker]);
    return rows.map((row) => SYMBOL_COLUMNS.map((column) => row[column]));
  }

  countByExchange(broker: string): Promise<Record<string, number>> {
    return counts(this.sql.reader, broker);
  }

  getStatus(broker: string): Promise<MasterStatus> {
    return readStatus(this.sql.reader, broker);
  }

  async updateStatus(broker: string, update: StatusUpdate): Promise<void> {
    await this.sql.transaction((tx) => writeStatus(tx, broker, update));
  }

  /**
   * Marks a refresh as started by `owner` unless a live owner holds it. With an exclusive lock
   * (PostgreSQL) a `downloading` on record is a dead process's, whose lock died with it; without
   * one (SQLite), `isStale` decides whether it may be taken over (dead owner, too old).
   */
  async claimRefresh(broker: string, owner: string, startedAt: string, isStale: (holder: MasterStatus) => boolean): Promise<RefreshClaim> {
    let lock;
    try {
      lock = await this.sql.tryRefreshLock(`xtsbridge:refresh:${broker}`);
    } catch (error) {
      throw new StoreError(`could not claim the refresh: ${(error as Error).message}`, error);
    }
    if (lock === null) return { acquired: false, holder: await this.getStatus(broker) };
    const held = lock;
    try {
      const holder = await this.sql.transaction(async (tx): Promise<MasterStatus | null> => {
        const current = await readStatus(tx, broker);
        if (current.status === "downloading" && !held.exclusive && !isStale(current)) return current;
        await writeStatus(tx, broker, { status: "downloading", message: `downloading (started by ${owner})`, startedAt, finishedAt: null, durationMs: null, owner });
        return null;
      });
      if (holder !== null) {
        await held.release();
        return { acquired: false, holder };
      }
      return { acquired: true, release: () => held.release() };
    } catch (error) {
      await held.release();
      throw new StoreError(`could not claim the refresh: ${(error as Error).message}`, error);
    }
  }

  async insertApiKey(name: string, prefix: string, hash: string): Promise<ApiKeyRecord> {
    this.forgetKeys();
    const [row] = await this.sql.transaction((tx) => tx.all<ApiKeyRow>("INSERT INTO api_keys (name, prefix, hash, created_at) VALUES (?, ?, ?, ?) RETURNING *", [name, prefix, hash, new Date().toISOString()]));
    return apiKeyFromRow(row!);
  }

  async findApiKeyByPrefix(prefix: string): Promise<ApiKeyRecord | undefined> {
    const now = performance.now();
    const cached = this.keyCache.get(prefix);
    if (cached !== undefined && now - cached.at < API_KEY_CACHE_MS) return cached.record;
    const writes = this.keyWrites;
    const [row] = await this.sql.reader.all<ApiKeyRow>("SELECT * FROM api_keys WHERE prefix = ?", [prefix]);
    const record = row === undefined ? undefined : apiKeyFromRow(row);
    // Only live keys: a flood of made-up prefixes must not grow the cache, nor a revoked key linger.
    if (record === undefined || record.revokedAt !== null || writes !== this.keyWrites) this.keyCache.delete(prefix);
    else {
      if (this.keyCache.size >= 1_000) this.keyCache.clear();
      this.keyCache.set(prefix, { record, at: now });
    }
    return record;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (await this.sql.reader.all<ApiKeyRow>("SELECT * FROM api_keys ORDER BY id")).map(apiKeyFromRow);
  }

  async revokeApiKey(idOrPrefix: string): Promise<number> {
    this.forgetKeys();
    try {
      return await this.sql.transaction((tx) =>
        tx.run("UPDATE api_keys SET revoked_at = ? WHERE revoked_at IS NULL AND (CAST(id AS TEXT) = ? OR prefix = ?)", [new Date().toISOString(), idOrPrefix, idOrPrefix]),
      );
    } finally {
      this.forgetKeys();
    }
  }

  private forgetKeys(): void {
    this.keyWrites += 1;
    this.keyCache.clear();
  }

  candleDays(key: CandleKey, fromDay: string, toDay: string): Promise<Set<string>> {
    return this.candles.candleDays(key, fromDay, toDay);
  }

  readCandles(key: CandleKey, fromTs: number, toTs: number): Promise<StoredCandle[]> {
    return this.candles.readCandles(key, fromTs, toTs);
  }

  saveCandles(key: CandleKey, days: readonly string[], candles: readonly StoredCandle[]): Promise<void> {
    return this.candles.saveCandles(key, days, candles);
  }

  analyzerMode(broker: string): Promise<boolean | null> {
    return this.paper.analyzerMode(broker);
  }

  setAnalyzerMode(broker: string, on: boolean): Promise<void> {
    return this.paper.setAnalyzerMode(broker, on);
  }

  paperOrders(broker: string): Promise<unknown[]> {
    return this.paper.paperOrders(broker);
  }

  savePaperOrder(broker: string, orderid: string, placedAt: number, record: unknown): Promise<void> {
    return this.paper.savePaperOrder(broker, orderid, placedAt, record);
  }

  /** The dialect's checkpoint (see `SqliteOptions.deferCheckpoints`); nothing to do on PostgreSQL. */
  async checkpoint(): Promise<void> {
    await this.sql.checkpoint?.();
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}

function rowOfArray(r: readonly unknown[]): SymbolRow {
  // The arrays are in SYMBOL_COLUMNS order (the dialect's loadArrays reads them so).
  return Object.fromEntries(SYMBOL_COLUMNS.map((column, i) => [column, r[i]])) as unknown as SymbolRow;
}
