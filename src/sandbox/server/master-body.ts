import type { BodySink } from "./envelope.js";
import type { FaultAction } from "./faults.js";

/** One segment's part of a master answer. */
export interface MasterPart {
  readonly segment: string;
  readonly lines: readonly string[];
}

const PREFIX = '{"type":"success","code":"s-instrument-0001","description":"Instrument master","result":"';
const SUFFIX = '"}';
/** Lines per write: about 100–200 KB, large enough to be cheap, small enough never to hold a whole segment twice. */
const CHUNK_LINES = 1000;

/** Lines the malformed-master fault mixes in; each one is something the master parser must report, not skip. */
const GARBAGE_LINES = [
  "#### sandbox: not a master line ####",
  "NSEFO|not-a-token|2|GARBAGE|GARBAGE",
  "XXXX|1|8|BAD|SEGMENT",
  "NSECM|12345|8|SHORT|ROW",
] as const;

export type MasterFault = { readonly action: FaultAction; readonly segment: string | undefined } | undefined;

/** Applies empty-segment and malformed-master to the parts; truncation happens while writing. */
export function applyMasterFault(parts: readonly MasterPart[], fault: MasterFault): readonly MasterPart[] {
  if (fault === undefined) return parts;
  const { action, segment } = fault;
  if (action.type === "empty-segment") {
    return parts.map((part) => (segment === undefined || part.segment === segment ? { segment: part.segment, lines: [] } : part));
  }
  if (action.type === "malformed-master") {
    const target = parts.find((part) => (segment === undefined ? part.lines.length > 0 : part.segment === segment)) ?? parts[0];
    if (target === undefined) return parts;
    const count = action.lines ?? 3;
    return parts.map((part) => (part === target ? { segment: part.segment, lines: withGarbage(part.lines, count) } : part));
  }
  return parts;
}

/** Spreads `count` garbage lines evenly through the segment (one copy: only the faulted answer pays for it). */
function withGarbage(lines: readonly string[], count: number): string[] {
  const result: string[] = [];
  const step = Math.max(1, Math.floor(lines.length / (count + 1)));
  let inserted = 0;
  for (let i = 0; i < lines.length; i += 1) {
    if (inserted < count && i > 0 && i % step === 0) {
      result.push(GARBAGE_LINES[inserted % GARBAGE_LINES.length]!);
      inserted += 1;
    }
    result.push(lines[i]!);
  }
  for (; inserted < count; inserted += 1) result.push(GARBAGE_LINES[inserted % GARBAGE_LINES.length]!);
  return result;
}

/** A run of lines as they appear inside the JSON string `result`. */
function escaped(lines: readonly string[]): string {
  return JSON.stringify(lines.join("\n")).slice(1, -1);
}

/**
 * Streams the master envelope: `result` is every part's lines joined by `\n`, written a chunk at
 * a time. With a truncate fault the stream stops part-way through a line and the response ends
 * without closing the JSON.
 */
export async function writeMaster(sink: BodySink, parts: readonly MasterPart[], truncateFraction: number | undefined): Promise<void> {
  const total = parts.reduce((sum, part) => sum + part.lines.length, 0);
  const cutoff = truncateFraction === undefined ? Number.POSITIVE_INFINITY : Math.floor(total * truncateFraction);
  if (!(await sink.write(PREFIX))) return;
  let written = 0;
  for (const part of parts) {
    for (let start = 0; start < part.lines.length; start += CHUNK_LINES) {
      const end = Math.min(part.lines.length, start + CHUNK_LINES, start + (cutoff - written));
      if (end > start) {
        const separator = written === 0 ? "" : "\\n";
        if (!(await sink.write(separator + escaped(part.lines.slice(start, end))))) return;
        written += end - start;
      }
      if (written >= cutoff) {
        const next = part.lines[end] ?? "";
        await sink.write(`\\n${escaped([next.slice(0, Math.ceil(next.length / 2))])}`);
        sink.end();
        return;
      }
    }
  }
  if (written >= cutoff) {
    sink.end();
    return;
  }
  if (await sink.write(SUFFIX)) sink.end();
}
