import type { PaperStore } from "./paper-store.js";
import type { ApiKeyStore } from "./api-key-types.js";
import type { CandleStore } from "./candle-store.js";
import type { MasterStatus, StatusUpdate } from "./status-types.js";
import type { RowSource, SymbolRow } from "./types.js";

export interface ReplaceResult {
  readonly deleted: number;
  readonly inserted: number;
  /** Rows updated in place (only by `updateBroker`). */
  readonly updated: number;
  readonly contractVersion: number;
}

/** A row's unique name within a broker's contract. */
export interface SymbolKey {
  readonly exchange: string;
  readonly symbol: string;
}

/**
 * What changed between the stored contract and a new one, as `updateBroker` writes it, and the
 * snapshot the difference was computed against.
 */
export interface ContractChanges {
  /** The stored snapshot's bytes as `loadSnapshot` returned them: what the difference was computed against. */
  readonly base: Uint8Array;
  /** Rows to delete: gone, or changed in a column an index covers. */
  readonly removed: readonly SymbolKey[];
  /** Rows to insert: new, or the new values of those changed in an indexed column. */
  readonly added: readonly SymbolRow[];
  /** Rows changed only in `UNINDEXED_COLUMNS` (a day's new price band): updated in place. */
  readonly updated: readonly SymbolRow[];
}

/**
 * Outcome of trying to start a refresh: the caller now owns it (and must `release()` it when the
 * refresh ends, success or not), or someone else does.
 */
export type RefreshClaim = { readonly acquired: true; release(): Promise<void> } | { readonly acquired: false; readonly holder: MasterStatus };

/** What a streamed replace commits with, once its last batch is written. */
export interface ReplaceEnding {
  readonly status?: StatusUpdate;
  readonly snapshot?: Uint8Array;
}

/** Called when another process commits a contract (PostgreSQL NOTIFY). */
export type ContractListener = (broker: string, version: number) => void;

/**
 * The narrow interface every layer above the store depends on. Each backend (SQLite,
 * PostgreSQL) implements it in its own folder; the same test suite runs on both.
 */
export interface SymbolStore {
  readonly dialect: "sqlite" | "postgres";
  /**
   * Deletes the broker's rows and inserts `rows` in ONE transaction: readers see old or new,
   * never a mix. When `status` is given it is written in the same transaction, so the status
   * can never claim a contract the table does not hold.
   */
  replaceBroker(broker: string, rows: RowSource, status?: StatusUpdate, snapshot?: Uint8Array): Promise<ReplaceResult>;
  /**
   * `replaceBroker` for rows that arrive in batches while the caller is still building them: the
   * batches are written as they come, inside the one transaction, and `ending` is asked once the
   * last is in. It gives the status and snapshot to commit with, or null to write nothing (the
   * transaction is rolled back and null returned). A failure anywhere keeps the previous rows.
   */
  replaceBrokerStreamed(broker: string, batches: AsyncIterable<RowSource>, ending: () => ReplaceEnding | null): Promise<ReplaceResult | null>;
  /**
   * The same outcome as `replaceBroker` with the whole new contract, writing only `changes`: the
   * removed rows deleted, the updated ones updated and the added ones inserted, with `status` and
   * the new `snapshot`, in ONE transaction. Writes nothing and returns null when the stored
   * snapshot is no longer `changes.base` (another replace committed
   * since it was read) or a row to change is missing: the caller replaces whole. `snapshot`
   * "unchanged" (nothing to write: the stored snapshot is of the same rows) keeps the stored one,
   * moved to the new contract version.
   */
  updateBroker(broker: string, changes: ContractChanges, status: StatusUpdate | undefined, snapshot: Uint8Array | "unchanged"): Promise<ReplaceResult | null>;
  /**
   * The snapshot (an opaque blob: the resolver's columns) written with the broker's rows, and the
   * contract version it belongs to. A replace without one removes the old one in the same
   * transaction, so a snapshot is never of other rows than the table holds.
   */
  loadSnapshot(broker: string): Promise<{ readonly contractVersion: number; readonly bytes: Uint8Array } | null>;
  findBySymbol(broker: string, exchange: string, symbol: string): Promise<SymbolRow | undefined>;
  findByToken(broker: string, exchange: string, token: number): Promise<SymbolRow | undefined>;
  /** Every row of a broker, for building the in-memory index. */
  loadBroker(broker: string): Promise<SymbolRow[]>;
  /** The same rows as arrays in `SYMBOL_COLUMNS` order (broker first): what the columnar index is built from. */
  loadBrokerArrays(broker: string): Promise<unknown[][]>;
  countByExchange(broker: string): Promise<Record<string, number>>;

  /** The broker's status record as stored (`pending` when there is none). */
  getStatus(broker: string): Promise<MasterStatus>;
  /** Writes a status change that carries no rows (downloading, error). */
  updateStatus(broker: string, update: StatusUpdate): Promise<void>;
  /**
   * Marks a refresh as started by `owner` unless another live owner holds it.
   * `isStale` decides whether a recorded `downloading` may be taken over (dead owner, too old).
   */
  claimRefresh(broker: string, owner: string, startedAt: string, isStale: (holder: MasterStatus) => boolean): Promise<RefreshClaim>;

  /** Subscribes to contracts committed by other processes, where the backend can tell (PostgreSQL LISTEN). */
  watchContracts?(listener: ContractListener): Promise<() => Promise<void>>;

  close(): Promise<void>;
}

/** Everything a gateway process keeps in its database. */
export type GatewayStore = SymbolStore & ApiKeyStore & CandleStore & PaperStore;
