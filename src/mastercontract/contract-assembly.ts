import { ContractBuilder, type SegmentReport } from "./contract-builder.js";
import type { StatusUpdate } from "../store/status-types.js";
import type { SymbolStore } from "../store/symbol-store.js";
import type { ContractColumns } from "../resolver/contract-columns.js";
import { SymbolIndex } from "../resolver/symbol-index.js";
import { storeContract, type StoredContract } from "./store-contract.js";
import { LineSplitter, parseIndexEntry, parseMasterLine } from "../xts/master-parser.js";

/** What the refresh needs to judge a built contract before storing it. */
export interface AssembledContract {
  readonly total: number;
  readonly exchangeCounts: Record<string, number>;
}

export type { StoredContract } from "./store-contract.js";

/**
 * Where a refresh's downloads become a stored contract: master text in (by segment, in chunks),
 * rows built, the whole set checked, stored in one transaction, and the columns of the new index
 * handed back. `InlineAssembly` does it on the calling thread; `WorkerAssembly` in a worker
 * thread with its own database connection, so the request loop never waits on the parse or the
 * replace.
 */
export interface ContractAssembly {
  /** About how many rows to expect (the stored contract's count): room is made for them up front. */
  reserve(rows: number): Promise<void>;
  addIndexList(code: 1 | 11, entries: readonly string[]): Promise<SegmentReport>;
  /** Feeds one chunk of a segment's master text; resolves when more may be sent. */
  write(segment: string, chunk: string): Promise<void>;
  /** The segment's lines and rows so far (for progress). */
  progress(segment: string): { readonly lines: number; readonly rows: number };
  /** Ends a segment: its last line is parsed only when the download completed (`complete`). */
  endSegment(segment: string, complete: boolean): Promise<SegmentReport>;
  finish(): Promise<AssembledContract>;
  /** Replaces the broker's rows (with `status`, in one transaction) and builds the new index's columns. */
  store(status: StatusUpdate): Promise<StoredContract>;
  close(): Promise<void>;
}

/** A copy that can be posted or kept after the builder moves on. */
function snapshot(report: SegmentReport): SegmentReport {
  return { ...report, skipped: { ...report.skipped }, issues: report.issues.slice(0, 5), collisions: report.collisions.slice(0, 5) };
}

/** Parses and builds on the calling thread, storing through `store`. */
export class InlineAssembly implements ContractAssembly {
  // Let go of after finish(): its unique-key maps are not needed to store the rows.
  private builder: ContractBuilder;
  private readonly splitters = new Map<string, { splitter: LineSplitter; lineNumber: number }>();
  private built: ContractColumns | undefined;

  constructor(
    private readonly storeTo: SymbolStore,
    private readonly broker: string,
  ) {
    this.builder = new ContractBuilder(broker);
  }

  reserve(rows: number): Promise<void> {
    // A little over: a contract grows by a few hundred rows a day.
    this.builder.reserve(Math.ceil(rows * 1.02) + 1024);
    return Promise.resolve();
  }

  addIndexList(code: 1 | 11, entries: readonly string[]): Promise<SegmentReport> {
    const segment = `INDEX${code}`;
    entries.forEach((text, i) => {
      const entry = parseIndexEntry(text, code);
      if ("error" in entry) this.builder.addIssue({ segment, lineNumber: i + 1, reason: entry.error, line: text.slice(0, 300) });
      else this.builder.addIndexEntry(entry, i + 1);
    });
    return Promise.resolve(snapshot(this.builder.report(segment)));
  }

  write(segment: string, chunk: string): Promise<void> {
    this.feed(segment, this.stateOf(segment).splitter.push(chunk));
    return Promise.resolve();
  }

  progress(segment: string): { lines: number; rows: number } {
    const { lines, rows } = this.builder.report(segment);
    return { lines, rows };
  }

  endSegment(segment: string, complete: boolean): Promise<SegmentReport> {
    const state = this.stateOf(segment);
    if (complete) this.feed(segment, state.splitter.end());
    this.splitters.delete(segment);
    return Promise.resolve(snapshot(this.builder.report(segment)));
  }

  finish(): Promise<AssembledContract> {
    const { columns } = this.builder.finish();
    this.built = columns;
    this.builder = new ContractBuilder(this.broker);
    return Promise.resolve({ total: columns.count, exchangeCounts: SymbolIndex.fromColumns(columns).countByExchange() });
  }

  async store(status: StatusUpdate): Promise<StoredContract> {
    const built = this.built;
    if (built === undefined) throw new Error("store() before finish()");
    const stored = await storeContract(this.storeTo, this.broker, built, status);
    this.built = undefined;
    return stored;
  }

  close(): Promise<void> {
    this.built = undefined;
    return Promise.resolve();
  }

  private stateOf(segment: string): { splitter: LineSplitter; lineNumber: number } {
    let state = this.splitters.get(segment);
    if (state === undefined) {
      state = { splitter: new LineSplitter(), lineNumber: 0 };
      this.splitters.set(segment, state);
      this.builder.report(segment);
    }
    return state;
  }

  private feed(segment: string, lines: Iterable<string>): void {
    const state = this.stateOf(segment);
    for (const line of lines) {
      state.lineNumber += 1;
      if (line.trim() === "") continue;
      const parsed = parseMasterLine(line, state.lineNumber);
      // Whatever a line claims, it came in this segment's download and is counted against it.
      if (!parsed.ok) this.builder.addIssue({ ...parsed.issue, segment });
      else if (parsed.instrument.ExchangeSegment !== segment) {
        this.builder.addIssue({ segment, lineNumber: parsed.lineNumber, reason: `line of segment ${parsed.instrument.ExchangeSegment} in the ${segment} master`, line: "" });
      } else this.builder.addParsed(parsed);
    }
  }
}
