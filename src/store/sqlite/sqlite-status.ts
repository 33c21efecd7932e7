import type Database from "better-sqlite3";
import type { RefreshClaim } from "../symbol-store.js";
import { statusFromRow, type StatusRow } from "../status-row.js";
import { pendingStatus, type MasterStatus, type StatusUpdate } from "../status-types.js";

export function readStatus(db: Database.Database, broker: string): MasterStatus {
  const row = db.prepare("SELECT * FROM master_contract_status WHERE broker = ?").get(broker) as StatusRow | undefined;
  return row === undefined ? pendingStatus(broker) : statusFromRow(row);
}

/**
 * Upserts the status. A success also records the committed contract: its per-exchange counts
 * (counted inside the same transaction as the rows) and a new contract version.
 */
export function writeStatus(db: Database.Database, broker: string, update: StatusUpdate): void {
  const now = new Date().toISOString();
  const previous = readStatus(db, broker);
  let counts = previous.exchangeCounts;
  let total = previous.totalSymbols;
  let version = previous.contractVersion;
  let lastSuccessAt = previous.lastSuccessAt;
  if (update.status === "success") {
    const rows = db
      .prepare("SELECT exchange, COUNT(*) AS n FROM symbol_token WHERE broker = ? GROUP BY exchange ORDER BY exchange")
      .all(broker) as { exchange: string; n: number }[];
    counts = Object.fromEntries(rows.map((r) => [r.exchange, r.n]));
    total = rows.reduce((sum, r) => sum + r.n, 0);
    version += 1;
    lastSuccessAt = update.finishedAt ?? now;
  }
  db.prepare(
    `INSERT INTO master_contract_status
       (broker, status, message, started_at, finished_at, duration_ms, total_symbols, exchange_counts, report, last_success_at, contract_version, owner, updated_at)
     VALUES (@broker, @status, @message, @started_at, @finished_at, @duration_ms, @total_symbols, @exchange_counts, @report, @last_success_at, @contract_version, @owner, @updated_at)
     ON CONFLICT (broker) DO UPDATE SET
       status = excluded.status, message = excluded.message, started_at = excluded.started_at,
       finished_at = excluded.finished_at, duration_ms = excluded.duration_ms, total_symbols = excluded.total_symbols,
       exchange_counts = excluded.exchange_counts, report = excluded.report, last_success_at = excluded.last_success_at,
       contract_version = excluded.contract_version, owner = excluded.owner, updated_at = excluded.updated_at`,
  ).run({
    broker,
    status: update.status,
    message: update.message,
    started_at: update.startedAt === undefined ? previous.startedAt : update.startedAt,
    finished_at: update.finishedAt === undefined ? previous.finishedAt : update.finishedAt,
    duration_ms: update.durationMs === undefined ? previous.durationMs : update.durationMs,
    total_symbols: total,
    exchange_counts: JSON.stringify(counts),
    report: update.report === undefined ? (previous.report === null ? null : JSON.stringify(previous.report)) : JSON.stringify(update.report),
    last_success_at: lastSuccessAt,
    contract_version: version,
    owner: update.owner === undefined ? null : update.owner,
    updated_at: now,
  });
}

export function claimRefresh(
  db: Database.Database,
  broker: string,
  owner: string,
  startedAt: string,
  isStale: (holder: MasterStatus) => boolean,
): RefreshClaim {
  // IMMEDIATE takes the write lock before reading, so two processes cannot both see "free".
  return db
    .transaction((): RefreshClaim => {
      const current = readStatus(db, broker);
      if (current.status === "downloading" && !isStale(current)) return { acquired: false, holder: current };
      writeStatus(db, broker, {
        status: "downloading",
        message: `downloading (started by ${owner})`,
        startedAt,
        finishedAt: null,
        durationMs: null,
        owner,
      });
      return { acquired: true };
    })
    .immediate();
}
