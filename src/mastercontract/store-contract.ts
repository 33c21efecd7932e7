import { columnsOfRows } from "../resolver/columns-writer.js";
import { CODES, RECORD, reorderColumns, type ContractColumns } from "../resolver/contract-columns.js";
import { decodeSnapshot, encodeSnapshot, SnapshotError } from "../resolver/contract-snapshot.js";
import { SymbolIndex } from "../resolver/symbol-index.js";
import type { StatusUpdate } from "../store/status-types.js";
import { type ReplaceResult, type SymbolKey, type SymbolStore } from "../store/symbol-store.js";
import type { SymbolRow } from "../store/types.js";

/**
 * Past this share of the new contract's size in rows written (deleted, inserted or updated), the
 * whole replace (one bulk insert into a fresh table, its indexes built once) is the cheaper write.
 * Measured: an update in place by key costs about what a row of the whole replace does (147,612
 * rows: 140,231 updates and 14,762 deletes and inserts stored in 1.8 s, the whole replace in
 * 1.3 s), so a new day, when every price band moves, is written whole.
 */
export const MAX_CHANGED_SHARE = 0.25;

/**
 * Rows of the new contract looked up in the stored one before the diff: when more than twice
 * MAX_CHANGED_SHARE of them differ (a new day: every price band moved), the contract is written
 * whole without diffing it, which would have examined a quarter of it (~37,000 rows, 27–57 ms)
 * before giving up. Only the choice of write rests on the sample; both leave the same table.
 */
const SAMPLED_ROWS = 1_024;

/** The stored contract: its version, the new index's columns, how long it took and what was written. */
export interface StoredContract {
  readonly contractVersion: number;
  /** The new index's columns (what the snapshot was encoded from). */
  readonly columns: ContractColumns;
  /** Building the columns and their snapshot. */
  readonly indexMs: number;
  /** Reading the stored contract, comparing, and the write transaction. */
  readonly storeMs: number;
  /** `changes`: only the rows that differ were written; `whole`: every row was. */
  readonly written: "changes" | "whole";
  readonly deleted: number;
  readonly inserted: number;
  readonly updated: number;
}

/** What turns the stored contract into a new one, and the new one in the order the table will hold it. */
export interface ContractDiff {
  /** Keys to delete: gone, or changed in an indexed column. */
  readonly removed: SymbolKey[];
  /** Rows to insert: new, or the new values of those changed in an indexed column. */
  readonly added: SymbolRow[];
  /** Rows changed only in columns no index covers: updated in place. */
  readonly updated: SymbolRow[];
  /**
   * The new contract's rows (their positions in it) as the table holds them after the write: the
   * rows that stay, in their stored order, then the inserted ones (a row's id is its place). The
   * index is built in this order, so it and the table agree row for row.
   */
  readonly order: Int32Array;
}

/**
 * The difference between the stored contract and the new one, compared in place on both sets of
 * columns; rows are made only for those to write. Null as soon as more than `limit` rows are to be
 * written (the whole replace is then cheaper).
 */
export function diffContract(previous: SymbolIndex, next: SymbolIndex, limit = Infinity): ContractDiff | null {
  // Position in the new contract + 1 of each stored row that stays (0: removed).
  const staying = new Int32Array(previous.size);
  const addedAt: number[] = [];
  const updated: SymbolRow[] = [];
  let kept = 0;
  const guess = new SegmentCursors(previous, next);
  for (let j = 0; j < next.size; j += 1) {
    // Most rows are where the segment's previous row was, one further on: then no lookup is made.
    const guessed = guess.guessFor(j);
    const guessedDifference = guessed < 0 ? "keys" : previous.difference(guessed, next, j);
    const at = guessedDifference !== "keys" ? guessed : previous.findRowOf(next, j);
    const difference = at < 0 ? "keys" : at === guessed ? guessedDifference : previous.difference(at, next, j);
    if (difference === "keys") addedAt.push(j);
    else {
      guess.matched(at);
      staying[at] = j + 1;
      kept += 1;
      if (difference === "values") updated.push(next.row(j));
    }
    // Each previous row not kept is a delete: at least those beyond what is left to match.
    const removedAtLeast = previous.size - kept - (next.size - j - 1);
    if (addedAt.length + updated.length + Math.max(0, removedAtLeast) > limit) return null;
  }
  const removed: SymbolKey[] = [];
  const order = new Int32Array(next.size);
  let placed = 0;
  for (let i = 0; i < previous.size; i += 1) {
    const j = staying[i]!;
    if (j !== 0) order[placed++] = j - 1;
    else {
      const { exchange, symbol } = previous.row(i);
      removed.push({ exchange, symbol });
    }
  }
  if (removed.length + addedAt.length + updated.length > limit) return null;
  for (const j of addedAt) order[placed++] = j;
  return { removed, added: addedAt.map((j) => next.row(j)), updated, order };
}

/**
 * Where row j of the new contract probably is in the stored one. Segments download at the same
 * time, so the two contracts interleave their segments differently, but within a segment both
 * list the rows in the master's line order. So the stored rows of each XTS segment (brexchange)
 * are kept in stored order, with a cursor each: the guess for a new row is its segment's next
 * stored row. A guess is only a guess: the caller takes it when the two rows have the same keys
 * (then it is the row a lookup would find: keys are unique), and looks the row up otherwise.
 */
class SegmentCursors {
  /** Stored row positions of each segment (by the stored brexchange code), in stored order. */
  private readonly rowsOf: Int32Array[] = [];
  /** Each segment's next stored row to guess, as a place in `rowsOf`. */
  private readonly cursor: number[] = [];
  /** Each stored row's segment code and its place among that segment's rows. */
  private readonly codes: Uint8Array;
  private readonly places: Int32Array;
  /** The new contract's brexchange code → the stored one's (-1: no such segment stored). */
  private readonly codeOf: number[];

  constructor(
    previous: SymbolIndex,
    private readonly incoming: SymbolIndex,
  ) {
    const stored = previous.columns;
    this.codes = new Uint8Array(stored.count);
    this.places = new Int32Array(stored.count);
    const counts: number[] = stored.dictionaries.brexchanges.map(() => 0);
    for (let i = 0; i < stored.count; i += 1) {
      const code = (stored.records[i * RECORD + CODES]! >>> 8) & 0xff;
      this.codes[i] = code;
      this.places[i] = counts[code]!;
      counts[code]! += 1;
    }
    for (const count of counts) {
      this.rowsOf.push(new Int32Array(count));
      this.cursor.push(0);
    }
    for (let i = 0; i < stored.count; i += 1) this.rowsOf[this.codes[i]!]![this.places[i]!] = i;
    this.codeOf = incoming.columns.dictionaries.brexchanges.map((name) => stored.dictionaries.brexchanges.indexOf(name));
  }

  /** The stored row to try for new row j, or -1. */
  guessFor(j: number): number {
    const code = this.codeOf[(this.incoming.columns.records[j * RECORD + CODES]! >>> 8) & 0xff] ?? -1;
    if (code < 0) return -1;
    return this.rowsOf[code]![this.cursor[code]!] ?? -1;
  }

  /** Stored row `at` was matched (guessed or looked up): its segment's guesses go on after it. */
  matched(at: number): void {
    this.cursor[this.codes[at]!] = this.places[at]! + 1;
  }
}

/**
 * Stores a built contract (its columns, or rows) with its status and snapshot in one transaction.
 * When the stored contract's snapshot reads back and the two differ in few rows (a second refresh
 * the same day: revised price bands are updated in place, new and withdrawn contracts inserted and
 * deleted), only those rows are written; otherwise (a new day, or when the stored contract changed
 * in between) every row is, read from the columns one at a time. Either way the table ends up
 * holding exactly the contract's rows, and the returned columns are of them in the table's order.
 */
export async function storeContract(store: SymbolStore, broker: string, contract: ContractColumns | readonly SymbolRow[], status: StatusUpdate | undefined): Promise<StoredContract> {
  const started = performance.now();
  const built = isRows(contract) ? columnsOfRows(broker, contract) : contract;
  if (built.broker !== broker) throw new RangeError(`a contract of broker '${built.broker}' stored as '${broker}'`);
  const next = SymbolIndex.fromColumns(built);
  const stored = await storedIndex(store, broker);
  const diff = stored === null || sampledChangeShare(stored.index, next) > 2 * MAX_CHANGED_SHARE ? null : diffContract(stored.index, next, MAX_CHANGED_SHARE * next.size);
  const small = diff !== null;
  // Nothing changed: the stored index is the new one, row for row and in order, and so is its snapshot.
  const unchanged = small && diff.removed.length + diff.added.length + diff.updated.length === 0;
  const indexStarted = performance.now();
  const columns = unchanged ? stored!.index.columns : small ? reorderColumns(built, diff.order) : built;
  const snapshot = unchanged ? "unchanged" : encodeSnapshot(columns);
  const indexMs = performance.now() - indexStarted;
  if (small) {
    const { removed, added, updated } = diff;
    const result = await store.updateBroker(broker, { base: stored!.bytes, removed, added, updated }, status, snapshot);
    if (result !== null) return { contractVersion: result.contractVersion, columns, indexMs, storeMs: performance.now() - started - indexMs, written: "changes", ...counts(result) };
  }
  // Whole, in the order of the columns, so the index and the table still agree.
  const result = await store.replaceBroker(broker, SymbolIndex.fromColumns(columns).rows(), status, snapshot === "unchanged" ? encodeSnapshot(columns) : snapshot);
  return { contractVersion: result.contractVersion, columns, indexMs, storeMs: performance.now() - started - indexMs, written: "whole", ...counts(result) };
}

/** The share of SAMPLED_ROWS rows of `next`, evenly spaced, that `previous` lacks or holds otherwise. */
export function sampledChangeShare(previous: SymbolIndex, next: SymbolIndex): number {
  const samples = Math.min(SAMPLED_ROWS, next.size);
  if (samples === 0) return 0;
  let changed = 0;
  for (let k = 0; k < samples; k += 1) {
    const j = Math.floor((k * next.size) / samples);
    const at = previous.findRowOf(next, j);
    if (at < 0 || previous.difference(at, next, j) !== "none") changed += 1;
  }
  return changed / samples;
}

function isRows(contract: ContractColumns | readonly SymbolRow[]): contract is readonly SymbolRow[] {
  return Array.isArray(contract);
}

function counts({ deleted, inserted, updated }: ReplaceResult): Pick<StoredContract, "deleted" | "inserted" | "updated"> {
  return { deleted, inserted, updated };
}

/**
 * The stored contract's index and the snapshot bytes it was decoded from, or null when there is no
 * snapshot or it is damaged (the whole replace then writes a good one). Read from the database,
 * the bytes are a buffer of their own and the index's columns views of it (decodeSnapshot), so
 * keeping them costs nothing; `updateBroker` compares them with the stored ones before it writes.
 */
async function storedIndex(store: SymbolStore, broker: string): Promise<{ index: SymbolIndex; bytes: Uint8Array } | null> {
  const base = await store.loadSnapshot(broker);
  if (base === null) return null;
  try {
    return { index: SymbolIndex.fromColumns(decodeSnapshot(base.bytes)), bytes: base.bytes };
  } catch (error) {
    if (error instanceof SnapshotError) return null;
    throw error;
  }
}
