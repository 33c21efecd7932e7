import { Worker, type ResourceLimits } from "node:worker_threads";
import { StoreError, XtsBridgeError, type ErrorCode } from "../errors.js";
import type { SegmentReport } from "./contract-builder.js";
import type { StatusUpdate } from "../store/status-types.js";
import type { AssembledContract, ContractAssembly, StoredContract } from "./contract-assembly.js";
import { receivedColumns, type PostedColumns } from "../resolver/contract-columns.js";

export interface AssemblyWorkerData {
  readonly broker: string;
  readonly databaseUrl: string;
}

export type AssemblyRequest =
  | { readonly id: number; readonly op: "reserve"; readonly rows: number }
  | { readonly id: number; readonly op: "index"; readonly code: 1 | 11; readonly entries: readonly string[] }
  | { readonly id: number; readonly op: "chunk"; readonly segment: string; readonly chunk: string }
  | { readonly id: number; readonly op: "end"; readonly segment: string; readonly complete: boolean }
  | { readonly id: number; readonly op: "finish" }
  | { readonly id: number; readonly op: "store"; readonly status: StatusUpdate }
  | { readonly id: number; readonly op: "close" };

/** The worker's answer to `store`: the stored contract with its columns as `postableColumns` sends them. */
export interface PostedStoredContract extends Omit<StoredContract, "columns"> {
  readonly columns: PostedColumns;
}

export type AssemblyReply = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly code: string | null; readonly message: string };

/** A request as a caller writes it: each kind without the id `call` adds. */
type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;
type Request = WithoutId<AssemblyRequest>;

/**
 * Chunks sent and not yet parsed, at most: enough to keep the worker busy while the next one
 * downloads, few enough that a fast download never queues a whole segment's text in memory.
 */
const MAX_CHUNKS_IN_FLIGHT = 4;

/**
 * The refresh worker's young generation, capped (V8's own default lets it grow to ~48 MB). The
 * parse makes its garbage young and the process's peak during a refresh was mostly that space
 * committed: with 6 MB, twelve refreshes of 147,612 rows peaked at a median 258 MB against 299 MB
 * uncapped, in the same time (docs/benchmarks.md, issue 17).
 */
const WORKER_YOUNG_GENERATION_MB = 6;

/**
 * The refresh worker's old generation, capped. Not for the cap itself (the worker holds 12–45 MB
 * of heap for 150,000 rows; its columns are buffers outside the heap): how far V8 lets a heap grow
 * past what survived its last major collection scales with the heap's ceiling, which uncapped is
 * a share of the machine's memory. Uncapped, the worker's heap grew to 63 MB with 12–15 MB live;
 * at 256 MB it is collected at 25–42 MB, and the process's peak during a refresh fell by a median
 * 16 MB over nine refreshes (docs/benchmarks.md, issue 17). A contract that ever needs more fails
 * its refresh with the worker's out-of-memory error, and the previous contract keeps serving.
 */
const WORKER_OLD_GENERATION_MB = 256;

/**
 * A compiled worker beside this module: tsc's in dist/mastercontract/, or the bundled one in
 * dist/bundle/ when this module runs inside the bundle (scripts/bundle.mjs); tsc's in dist/ when
 * this module runs as TypeScript source (the test runner).
 */
export function workerUrl(file: string): URL {
  const here = import.meta.url;
  return here.endsWith(".ts") ? new URL(`../../dist/mastercontract/${file}`, here) : new URL(`./${file}`, here);
}

/** A worker's failure as it crosses the thread boundary: its code, when it is one of ours, and its message. */
export function replyOfError(error: unknown): { readonly ok: false; readonly code: string | null; readonly message: string } {
  return { ok: false, code: error instanceof XtsBridgeError ? error.code : null, message: error instanceof Error ? error.message : String(error) };
}

/** The error a worker reported, as the class the caller would have seen had the work run on its own thread. */
export function errorOfReply(reply: { readonly code: string | null; readonly message: string }): Error {
  return reply.code === "STORE_ERROR" ? new StoreError(reply.message) : reply.code !== null ? new XtsBridgeError(reply.code as ErrorCode, reply.message) : new Error(reply.message);
}

/**
 * A `ContractAssembly` in a worker thread with its own connection to `databaseUrl`: the parse,
 * the row building, the replace transaction and the index columns all run there; the main thread
 * only forwards the downloaded text and receives the columns. A worker that dies fails the
 * refresh (with the previous contract kept, as any failure does).
 */
export class WorkerAssembly implements ContractAssembly {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly progressOf = new Map<string, { lines: number; rows: number }>();
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private stopped: Error | undefined;
  /** The first chunk the worker could not take: the segment is incomplete, so the refresh must fail. */
  private chunkFailure: Error | undefined;

  /** `limits` caps the worker's heap (a worker past it dies, failing only the refresh). */
  constructor(broker: string, databaseUrl: string, limits?: ResourceLimits) {
    this.worker = new Worker(workerUrl("refresh-worker.js"), {
      workerData: { broker, databaseUrl } satisfies AssemblyWorkerData,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB, ...limits },
    });
    this.worker.on("message", (reply: AssemblyReply) => this.settle(reply));
    this.worker.on("error", (error) => this.stop(new Error(`the refresh worker failed: ${error.message}`)));
    this.worker.on("exit", (code) => this.stop(new Error(`the refresh worker exited (code ${code})`)));
  }

  async reserve(rows: number): Promise<void> {
    await this.call({ op: "reserve", rows });
  }

  addIndexList(code: 1 | 11, entries: readonly string[]): Promise<SegmentReport> {
    return this.call({ op: "index", code, entries }) as Promise<SegmentReport>;
  }

  async write(segment: string, chunk: string): Promise<void> {
    while (this.inFlight >= MAX_CHUNKS_IN_FLIGHT && this.stopped === undefined) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.stopped !== undefined) throw this.stopped;
    if (this.chunkFailure !== undefined) throw this.chunkFailure;
    this.inFlight += 1;
    this.call({ op: "chunk", segment, chunk }).then(
      (progress) => {
        this.progressOf.set(segment, progress as { lines: number; rows: number });
        this.release();
      },
      (error: Error) => {
        this.chunkFailure ??= error;
        this.release();
      },
    );
  }

  progress(segment: string): { lines: number; rows: number } {
    return this.progressOf.get(segment) ?? { lines: 0, rows: 0 };
  }

  async endSegment(segment: string, complete: boolean): Promise<SegmentReport> {
    // Replies come in order, so every chunk of the segment has been answered before this one.
    const report = (await this.call({ op: "end", segment, complete })) as SegmentReport;
    if (this.chunkFailure !== undefined) throw this.chunkFailure;
    return report;
  }

  finish(): Promise<AssembledContract> {
    return this.call({ op: "finish" }) as Promise<AssembledContract>;
  }

  async store(status: StatusUpdate): Promise<StoredContract> {
    const stored = (await this.call({ op: "store", status })) as PostedStoredContract;
    return { ...stored, columns: receivedColumns(stored.columns) };
  }

  /** Closes the worker's connection and ends the thread (its heap goes with it). */
  async close(): Promise<void> {
    if (this.stopped === undefined) await this.call({ op: "close" }).catch(() => undefined);
    await this.worker.terminate();
  }

  private call(request: Request): Promise<unknown> {
    if (this.stopped !== undefined) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private settle(reply: AssemblyReply): void {
    const waiter = this.pending.get(reply.id);
    if (waiter === undefined) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(errorOfReply(reply));
  }

  private release(): void {
    this.inFlight -= 1;
    this.waiting.shift()?.();
  }

  private stop(error: Error): void {
    this.stopped ??= error;
    for (const waiter of this.pending.values()) waiter.reject(this.stopped);
    this.pending.clear();
    for (const resume of this.waiting.splice(0)) resume();
  }
}
