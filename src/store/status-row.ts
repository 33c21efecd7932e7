import type { MasterStatus, MasterStatusState } from "./status-types.js";

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
