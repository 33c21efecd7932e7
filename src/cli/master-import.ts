import type { ImportReport } from "../mastercontract/import-files.js";
import { table } from "./format.js";

export function formatImportReport(report: ImportReport): string {
  const rows = report.segments.map((s) => [
    s.segment,
    s.lines,
    s.rows,
    Object.entries(s.skipped)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(", ") || "-",
    s.unparseable,
  ]);
  let text = table(["segment", "lines", "rows", "skipped", "unparseable"], rows);
  for (const s of report.segments) {
    for (const issue of s.issues) text += `  ${s.segment} line ${issue.lineNumber}: ${issue.reason}\n`;
    for (const c of s.collisions) {
      text += `  ${s.segment} collision on ${c.key} ${c.exchange} ${c.value}: kept ${c.kept.segment} line ${c.kept.lineNumber} (${c.kept.brsymbol}, token ${c.kept.token}), dropped ${c.dropped.segment} line ${c.dropped.lineNumber} (${c.dropped.brsymbol}, token ${c.dropped.token})\n`;
    }
  }
  const t = report.totals;
  text += `total: ${t.lines} lines, ${t.rows} rows ${report.stored ? `stored for ${report.broker}` : "NOT stored"}, ${t.skipped} skipped, ${t.unparseable} unparseable, ${t.collisions} collisions (${Math.round(report.durationMs)} ms)\n`;
  return text;
}
