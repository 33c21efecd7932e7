/** The master-contract status record, one per broker (pending | downloading | success | error). */
export type MasterStatusState = "pending" | "downloading" | "success" | "error";

export interface MasterStatus {
  readonly broker: string;
  readonly status: MasterStatusState;
  readonly message: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  /** Rows of the contract currently stored (the last successful one). */
  readonly totalSymbols: number;
  readonly exchangeCounts: Readonly<Record<string, number>>;
  /** The per-segment report of the last attempt, as JSON-able data. */
  readonly report: unknown;
  readonly lastSuccessAt: string | null;
  /** Increases with every committed contract; other processes compare it to know when to reload. */
  readonly contractVersion: number;
  /** Who is downloading (`host:pid`), while status is downloading. */
  readonly owner: string | null;
  readonly updatedAt: string;
}

/** What a finished refresh writes; applied in the same transaction as the rows on success. */
export interface StatusUpdate {
  readonly status: Exclude<MasterStatusState, "pending">;
  readonly message: string;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
  readonly durationMs?: number | null;
  readonly report?: unknown;
  readonly owner?: string | null;
}

export function pendingStatus(broker: string): MasterStatus {
  return {
    broker,
    status: "pending",
    message: "no master contract downloaded yet",
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    totalSymbols: 0,
    exchangeCounts: {},
    report: null,
    lastSuccessAt: null,
    contractVersion: 0,
    owner: null,
    updatedAt: new Date(0).toISOString(),
  };
}
