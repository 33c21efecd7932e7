import type Database from "better-sqlite3";
import type { RefreshClaim } from "../symbol-store.js";
import { nextStatusValues, statusFromRow, upsertStatusSql, type StatusRow } from "../status-row.js";
import { pendingStatus, type MasterStatus, type StatusUpdate } from "../status-types.js";

export function readStatus(db: Database.Database, broker: string): MasterStatus {
  const row = db.prepare("SELECT * FROM master_contract_status WHERE broker = ?").get(broker) as StatusRow | undefined;
  return row === undefined ? pendingStatus(broker) : statusFromRow(row);
}

/** Upserts the status; call inside the transaction that holds the rows it describes. */
export function writeStatus(db: Database.Database, broker: string, update: StatusUpdate): void {
  const counts =
    update.status === "success"
      ? Object.fromEntries(
          (db.prepare("SELECT exchange, COUNT(*) AS n FROM symbol_token WHERE broker = ? GROUP BY exchange ORDER BY exchange").all(broker) as { exchange: string; n: number }[]).map(
            (r) => [r.exchange, r.n],
          ),
        )
      : null;
  db.prepare(upsertStatusSql(() => "?")).run(...nextStatusValues(readStatus(db, broker), update, counts, new Date().toISOString()));
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
      writeStatus(db, broker, { status: "downloading", message: `downloading (started by ${owner})`, startedAt, finishedAt: null, durationMs: null, owner });
      return { acquired: true, release: async () => undefined };
    })
    .immediate();
}
