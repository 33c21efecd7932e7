import type { MasterStatus, MasterStatusState, StatusUpdate } from "./status-types.js";

/** `master_contract_status` as both backends return it (snake_case columns). */
export interface StatusRow {
  broker: string;
  status: MasterStatusState;
  message: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | string | null;
  total_symbols: number;
  exchange_counts: string;
  report: string | null;
  last_success_at: string | null;
  contract_version: number;
  owner: string | null;
  updated_at: string;
}

export function statusFromRow(row: StatusRow): MasterStatus {
  return {
    broker: row.broker,
    status: row.status,
    message: row.message,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    totalSymbols: Number(row.total_symbols),
    exchangeCounts: JSON.parse(row.exchange_counts) as Record<string, number>,
    report: row.report === null ? null : (JSON.parse(row.report) as unknown),
    lastSuccessAt: row.last_success_at,
    contractVersion: Number(row.contract_version),
    owner: row.owner,
    updatedAt: row.updated_at,
  };
}

export const UPSERT_STATUS_COLUMNS = [
  "broker",
  "status",
  "message",
  "started_at",
  "finished_at",
  "duration_ms",
  "total_symbols",
  "exchange_counts",
  "report",
  "last_success_at",
  "contract_version",
  "owner",
  "updated_at",
] as const;

/** `INSERT … ON CONFLICT (broker) DO UPDATE`, the same text for both dialects; `param(i)` writes a placeholder. */
export function upsertStatusSql(param: (i: number) => string): string {
  const cols = UPSERT_STATUS_COLUMNS;
  return `INSERT INTO master_contract_status (${cols.join(", ")}) VALUES (${cols.map((_, i) => param(i)).join(", ")})
     ON CONFLICT (broker) DO UPDATE SET ${cols
       .slice(1)
       .map((c) => `${c} = excluded.${c}`)
       .join(", ")}`;
}

/**
 * The record after `update`, from the previous one. A success also records the committed
 * contract: per-exchange counts (counted inside the same transaction as the rows) and a new
 * contract version. Values come back in UPSERT_STATUS_COLUMNS order.
 */
export function nextStatusValues(
  previous: MasterStatus,
  update: StatusUpdate,
  committedCounts: Readonly<Record<string, number>> | null,
  now: string,
): unknown[] {
  const success = update.status === "success" && committedCounts !== null;
  const counts = success ? committedCounts : previous.exchangeCounts;
  const total = success ? Object.values(committedCounts).reduce((a, b) => a + b, 0) : previous.totalSymbols;
  const pick = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);
  return [
    previous.broker,
    update.status,
    update.message,
    pick(update.startedAt, previous.startedAt),
    pick(update.finishedAt, previous.finishedAt),
    pick(update.durationMs, previous.durationMs),
    total,
    JSON.stringify(counts),
    update.report === undefined ? (previous.report === null ? null : JSON.stringify(previous.report)) : JSON.stringify(update.report),
    success ? (update.finishedAt ?? now) : previous.lastSuccessAt,
    success ? previous.contractVersion + 1 : previous.contractVersion,
    update.owner ?? null,
    now,
  ];
}
