import type { RefreshReport, SegmentRefreshReport } from "../mastercontract/refresh-types.js";
import { mb } from "./format.js";
import { formatSegments, writtenNote } from "./master-import.js";

const BAR = 20;

/**
 * A segment's bar: full only when it is done. A failed segment keeps what it had received and
 * shows the rest as `x`, so a failure never looks like a finished download.
 */
export function bar(segment: Pick<SegmentRefreshReport, "phase" | "lines">, widest: number): string {
  if (segment.phase === "done") return `[${"#".repeat(BAR)}]`;
  const partial = segment.lines > 0 ? Math.round((Math.min(segment.lines, widest) / Math.max(1, widest)) * BAR * 0.95) : 0;
  if (segment.phase === "failed") return `[${"#".repeat(partial)}${"x".repeat(BAR - partial)}]`;
  const filled = segment.phase === "downloading" ? partial : 0;
  return `[${"#".repeat(filled)}${".".repeat(BAR - filled)}]`;
}

function line(s: SegmentRefreshReport, widest: number): string {
  const state = s.phase === "failed" ? `FAILED ${s.error ?? ""}` : s.phase;
  return `${s.segment.padEnd(8)} ${bar(s, widest)} ${mb(s.bytes).padStart(9)} ${String(s.lines).padStart(7)} lines ${String(s.rows).padStart(7)} rows  ${state}`;
}

/**
 * Live per-segment progress. On a terminal the block is redrawn in place; elsewhere a line is
 * printed when a segment finishes, so logs stay readable.
 */
export function progressPrinter(write: (text: string) => void, isTTY: boolean): (segments: readonly SegmentRefreshReport[]) => void {
  let drawn = 0;
  const printed = new Set<string>();
  let last = 0;
  return (segments) => {
    if (!isTTY) {
      for (const s of segments) {
        if ((s.phase === "done" || s.phase === "failed") && !printed.has(s.segment)) {
          printed.add(s.segment);
          write(`${line(s, s.lines)}\n`);
        }
      }
      return;
    }
    const now = Date.now();
    const finished = segments.every((s) => s.phase === "done" || s.phase === "failed" || s.phase === "queued");
    if (now - last < 100 && !finished) return;
    last = now;
    const widest = Math.max(...segments.map((s) => s.lines), 1);
    const up = drawn > 0 ? `\x1b[${drawn}A` : "";
    write(up + segments.map((s) => `\x1b[2K${line(s, widest)}`).join("\n") + "\n");
    drawn = segments.length;
  };
}

export function formatRefreshReport(report: RefreshReport): string {
  let text = formatSegments(report.segments, { headers: ["ms", "error"], cells: (s) => [s.durationMs, s.error ?? ""] });
  text +=
    report.status === "success"
      ? `success: ${report.total} instruments stored in ${report.durationMs} ms (store ${Math.round(report.storeMs)} ms, index ${Math.round(report.indexMs)} ms${writtenNote(report)})\n`
      : `FAILED: ${report.message}\nThe previous contract (${report.previousTotal} instruments) is still in use.\n`;
  return text;
}
