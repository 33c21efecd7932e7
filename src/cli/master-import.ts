import type { Collision } from "../mastercontract/contract-builder.js";
import type { ImportReport } from "../mastercontract/import-files.js";
import type { MasterLineIssue } from "../xts/master-types.js";
import { table } from "./format.js";

/** The per-segment part both `master import` and `master download` print. */
export interface SegmentLine {
  readonly segment: string;
  readonly lines: number;
  readonly rows: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly unparseable: number;
  readonly issues: readonly MasterLineIssue[];
  readonly collisions: readonly Collision[];
}

/** A table of segments (extra columns appended per row), then each reported bad line and collision. */
export function formatSegments<S extends SegmentLine>(
  segments: readonly S[],
  extra: { readonly headers: readonly string[]; readonly cells: (s: S) => (string | number)[] } = { headers: [], cells: () => [] },
): string {
  const rows = segments.map((s) => [
    s.segment,
    s.lines,
    s.rows,
    Object.entries(s.skipped)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(", ") || "-",
    s.unparseable,
    ...extra.cells(s),
  ]);
  let text = table(["segment", "lines", "rows", "skipped", "unparseable", ...extra.headers], rows);
  for (const s of segments) {
    for (const issue of s.issues) text += `  ${s.segment} line ${issue.lineNumber}: ${issue.reason}\n`;
    for (const c of s.collisions) {
      text += `  ${s.segment} collision on ${c.key} ${c.exchange} ${c.value}: kept ${c.kept.segment} line ${c.kept.lineNumber} (${c.kept.brsymbol}, token ${c.kept.token}), dropped ${c.dropped.segment} line ${c.dropped.lineNumber} (${c.dropped.brsymbol}, token ${c.dropped.token})\n`;
    }
  }
  return text;
}

export function formatImportReport(report: ImportReport): string {
  const t = report.totals;
  return (
    formatSegments(report.segments) +
    `total: ${t.lines} lines, ${t.rows} rows ${report.stored ? `stored for ${report.broker}` : "NOT stored"}, ${t.skipped} skipped, ${t.unparseable} unparseable, ${t.collisions} collisions (${Math.round(report.durationMs)} ms${writtenNote(report)})\n`
  );
}

/** How much of a stored contract was written: said only when not every row was. */
export function writtenNote(stored: { readonly written: "changes" | "whole" | null; readonly deleted: number; readonly inserted: number; readonly updated: number }): string {
  return stored.written === "changes" ? `; only the changes written: ${stored.updated} updated, ${stored.deleted} deleted, ${stored.inserted} inserted` : "";
}
