import type { Collision } from "./contract-builder.js";
import type { MasterLineIssue } from "../xts/master-types.js";
import { MASTER_SEGMENTS, type MasterSegment } from "../xts/segments.js";

/** What the refresh needs from XTS: the market-data client satisfies it. */
export interface MasterSource {
  downloadMaster(segment: MasterSegment, options?: { onProgress?: (progress: { bytes: number }) => void }): AsyncIterable<string>;
  indexList(segmentCode: 1 | 11): Promise<readonly string[]>;
}

export interface RefreshOptions {
  /** Segments to download; default all six. */
  readonly segments: readonly MasterSegment[];
  /** Segments allowed to come back empty (Jainam serves NSECD and MCXFO empty to Prop accounts). */
  readonly optionalSegments: readonly MasterSegment[];
  /** Index lists to download (1 = NSE, 11 = BSE). */
  readonly indexLists: readonly (1 | 11)[];
  /** Segments downloaded at once. */
  readonly concurrency: number;
  /** Accept a contract smaller than `minRatio` of the last good one. */
  readonly force: boolean;
  /** A contract with fewer rows than this share of the previous one is refused (unless forced). */
  readonly minRatio: number;
  /** Unparseable lines tolerated per segment: max(absolute, ratio × lines). */
  readonly maxUnparseable: { readonly absolute: number; readonly ratio: number };
  /** A `downloading` status older than this reads as error and may be taken over. */
  readonly staleAfterMs: number;
}

export const DEFAULT_REFRESH_OPTIONS: RefreshOptions = Object.freeze<RefreshOptions>({
  segments: MASTER_SEGMENTS,
  optionalSegments: ["NSECD", "MCXFO"],
  indexLists: [1, 11],
  concurrency: 3,
  force: false,
  minRatio: 0.5,
  maxUnparseable: { absolute: 10, ratio: 0.001 },
  staleAfterMs: 10 * 60_000,
});

export type SegmentPhase = "queued" | "downloading" | "done" | "failed";

/** Per-segment line of the report (index lists appear as INDEX1 and INDEX11). */
export interface SegmentRefreshReport {
  readonly segment: string;
  phase: SegmentPhase;
  optional: boolean;
  bytes: number;
  lines: number;
  rows: number;
  skipped: Record<string, number>;
  unparseable: number;
  durationMs: number;
  error: string | null;
  issues: MasterLineIssue[];
  collisions: Collision[];
}

export interface RefreshReport {
  readonly broker: string;
  readonly status: "success" | "error";
  readonly message: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly forced: boolean;
  readonly previousTotal: number;
  readonly total: number;
  readonly exchangeCounts: Readonly<Record<string, number>>;
  readonly segments: readonly SegmentRefreshReport[];
  /** Time spent in the single replace transaction and in building the new index. */
  readonly storeMs: number;
  readonly indexMs: number;
  /** `changes` when only the rows that differ from the stored contract were written; null when nothing was stored. */
  readonly written: "changes" | "whole" | null;
  /** Rows deleted, inserted and updated in place by the write (`whole` deletes and inserts every row). */
  readonly deleted: number;
  readonly inserted: number;
  readonly updated: number;
  readonly contractVersion: number | null;
}

/** Live progress for a terminal or a log: sent whenever a segment's numbers change. */
export type RefreshProgress = (segments: readonly SegmentRefreshReport[]) => void;
