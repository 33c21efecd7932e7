import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { StoreError, XtsBridgeError } from "../errors.js";
import type { SegmentReport } from "./contract-builder.js";
import type { Logger } from "../logger.js";
import type { Resolver } from "../resolver/resolver.js";
import { SymbolIndex } from "../resolver/symbol-index.js";
import type { SymbolStore } from "../store/symbol-store.js";
import { exchangeOfSegment, type Exchange } from "../instruments/exchanges.js";
import type { MasterStatus } from "../store/status-types.js";
import type { MasterSegment } from "../xts/segments.js";
import { InlineAssembly, type AssembledContract, type ContractAssembly } from "./contract-assembly.js";
import {
  DEFAULT_REFRESH_OPTIONS,
  type MasterSource,
  type RefreshOptions,
  type RefreshProgress,
  type RefreshReport,
  type SegmentRefreshReport,
} from "./refresh-types.js";

export class RefreshInProgressError extends XtsBridgeError {
  constructor(holder: MasterStatus) {
    super(
      "REFRESH_IN_PROGRESS",
      `a master-contract refresh for ${holder.broker} is already running (${holder.owner ?? "unknown owner"}, started ${holder.startedAt ?? "?"}); wait for it or check 'xtsbridge master status'`,
      { retry: "safe", details: { owner: holder.owner, startedAt: holder.startedAt } },
    );
  }
}

/** Raised inside a refresh to fail it with a reason; never escapes `refresh()`. */
class RefreshRejected extends Error {}

export interface MasterContractServiceDeps {
  readonly store: SymbolStore;
  readonly resolver: Resolver;
  readonly source: MasterSource;
  readonly logger: Logger;
  readonly options?: Partial<RefreshOptions>;
  /**
   * Where the downloads are parsed, built and stored: on this thread through `store` (the
   * default), or elsewhere (a worker with its own connection; see WorkerAssembly).
   */
  readonly assembly?: (broker: string) => ContractAssembly;
}

/**
 * The master-contract refresh: download every segment and index list, parse, build rows,
 * validate the whole set, replace the broker's rows in one transaction (with the status),
 * then swap the resolver's index. Any failure leaves the previous rows and index serving,
 * and the status says why (DESIGN invariant 1).
 */
export class MasterContractService {
  private readonly options: RefreshOptions;
  private running: Promise<RefreshReport> | undefined;
  private runningForced = false;
  // host:pid:instance — the pid lets another process see that a crashed owner is gone.
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(private readonly deps: MasterContractServiceDeps) {
    this.options = { ...DEFAULT_REFRESH_OPTIONS, ...deps.options };
  }

  get broker(): string {
    return this.deps.resolver.broker;
  }

  /**
   * Runs a refresh. A second call while one runs in this process joins it (same report);
   * one running in another process makes this call fail with REFRESH_IN_PROGRESS.
   */
  refresh(options: { force?: boolean; onProgress?: RefreshProgress } = {}): Promise<RefreshReport> {
    const force = options.force ?? this.options.force;
    if (this.running !== undefined && this.runningForced !== force) {
      // Joining would hand a forced request an unforced answer (or the reverse).
      return Promise.reject(
        new XtsBridgeError("REFRESH_IN_PROGRESS", `a ${this.runningForced ? "forced" : "normal"} master-contract refresh is already running; ask again when it ends`, { retry: "safe" }),
      );
    }
    this.runningForced = force;
    this.running ??= this.run(options).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** The stored status, with a `downloading` whose owner died or went quiet shown as the error it is. */
  async status(): Promise<MasterStatus> {
    return presentStatus(await this.deps.store.getStatus(this.broker), this.isStale);
  }

  /** True while this service holds the refresh claim (from a successful claim to its release). */
  private claimed = false;

  /** Our own record is stale unless we hold the claim now: it was left by a run of ours that could not write its end. */
  private isStale = (holder: MasterStatus): boolean => {
    if (holder.owner === this.owner) return !this.claimed;
    return isAbandoned(holder, this.options.staleAfterMs);
  };

  private async run(request: { force?: boolean; onProgress?: RefreshProgress }): Promise<RefreshReport> {
    const { store, logger } = this.deps;
    const force = request.force ?? this.options.force;
    const started = performance.now();
    const startedAt = new Date().toISOString();
    // A database that cannot even record the claim (locked, full) is a STORE_ERROR, not an internal error.
    const claim = await store.claimRefresh(this.broker, this.owner, startedAt, this.isStale).catch((error: unknown) => {
      throw error instanceof XtsBridgeError ? error : new StoreError(`cannot start the master refresh: ${(error as Error).message}`, error);
    });
    if (!claim.acquired) throw new RefreshInProgressError(claim.holder);
    this.claimed = true;
    try {
      return await this.runClaimed(request, force, started, startedAt);
    } finally {
      this.claimed = false;
      await claim.release().catch((error: unknown) => logger.warn({ err: error }, "could not release the refresh claim"));
    }
  }

  private async runClaimed(request: { onProgress?: RefreshProgress }, force: boolean, started: number, startedAt: string): Promise<RefreshReport> {
    const { store, logger } = this.deps;

    let previousTotal = 0;
    let previousCounts: Record<string, number> = {};
    const segments = this.initialReports();
    const emit = (): void => request.onProgress?.(segments);
    const assembly = this.deps.assembly?.(this.broker) ?? new InlineAssembly(store, this.broker);
    let storeMs = 0;
    let indexMs = 0;
    try {
      // Inside the try: a store that fails here fails the refresh with a report, like any later step.
      previousCounts = await store.countByExchange(this.broker);
      previousTotal = Object.values(previousCounts).reduce((a, b) => a + b, 0);
      await assembly.reserve(previousTotal);
      logger.info({ broker: this.broker, segments: this.options.segments, force }, "master refresh started");
      emit();
      await this.downloadIndexLists(assembly, segments, emit);
      await this.downloadSegments(assembly, segments, emit);
      const built = await assembly.finish();
      this.validate(built, previousCounts, force, segments);

      const durationMs = Math.round(performance.now() - started);
      const finishedAt = new Date().toISOString();
      const message = `stored ${built.total} instruments${force ? " (forced)" : ""}`;
      const stored = await assembly.store({
        status: "success",
        message,
        startedAt,
        finishedAt,
        durationMs,
        report: { segments, previousTotal, forced: force },
        owner: null,
      });
      ({ storeMs, indexMs } = stored);
      const written = { written: stored.written, deleted: stored.deleted, inserted: stored.inserted, updated: stored.updated };
      const index = SymbolIndex.fromColumns(stored.columns);
      this.deps.resolver.swap(index, indexMs, stored.contractVersion);
      const report = this.report("success", message, startedAt, started, force, previousTotal, segments, storeMs, indexMs, written, stored.contractVersion, index.countByExchange());
      logger.info({ broker: this.broker, total: report.total, durationMs: report.durationMs, storeMs, indexMs, ...written }, "master refresh succeeded");
      return report;
    } catch (error) {
      const message = error instanceof RefreshRejected || error instanceof XtsBridgeError ? error.message : `unexpected failure: ${(error as Error).message}`;
      const report = this.report("error", message, startedAt, started, force, previousTotal, segments, storeMs, indexMs, { written: null, deleted: 0, inserted: 0, updated: 0 }, null, {});
      logger.error({ broker: this.broker, reason: message }, "master refresh failed; previous contract kept");
      await store
        .updateStatus(this.broker, {
          status: "error",
          message,
          startedAt,
          finishedAt: report.finishedAt,
          durationMs: report.durationMs,
          report: { segments, previousTotal, forced: force },
          owner: null,
        })
        .catch((statusError: unknown) => logger.error({ err: statusError }, "could not record the failed refresh in the status table"));
      return report;
    } finally {
      await assembly.close().catch((error: unknown) => logger.warn({ err: error }, "could not close the contract assembly"));
    }
  }

  private initialReports(): SegmentRefreshReport[] {
    const blank = (segment: string, optional: boolean): SegmentRefreshReport => ({
      segment,
      phase: "queued",
      optional,
      bytes: 0,
      lines: 0,
      rows: 0,
      skipped: {},
      unparseable: 0,
      durationMs: 0,
      error: null,
      issues: [],
      collisions: [],
    });
    return [
      ...this.options.indexLists.map((code) => blank(`INDEX${code}`, false)),
      ...this.options.segments.map((s) => blank(s, this.options.optionalSegments.includes(s))),
    ];
  }

  private async downloadIndexLists(assembly: ContractAssembly, reports: SegmentRefreshReport[], emit: () => void): Promise<void> {
    // Index lists go first so that a BSE index seen again as a BSECM SPOT row is the duplicate.
    for (const code of this.options.indexLists) {
      const report = reports.find((r) => r.segment === `INDEX${code}`)!;
      const started = performance.now();
      report.phase = "downloading";
      emit();
      try {
        this.finishSegment(report, await assembly.addIndexList(code, await this.deps.source.indexList(code)), started, null);
      } catch (error) {
        this.finishSegment(report, { lines: 0, rows: 0, skipped: {}, unparseable: 0, issues: [], collisions: [] }, started, error);
      }
      emit();
    }
    const failed = reports.find((r) => r.phase === "failed");
    if (failed !== undefined) throw new RefreshRejected(`${failed.segment}: ${failed.error}`);
  }

  private async downloadSegments(assembly: ContractAssembly, reports: SegmentRefreshReport[], emit: () => void): Promise<void> {
    const queue = [...this.options.segments];
    let firstError: RefreshRejected | undefined;
    const worker = async (): Promise<void> => {
      for (let segment = queue.shift(); segment !== undefined && firstError === undefined; segment = queue.shift()) {
        const report = reports.find((r) => r.segment === segment)!;
        const error = await this.downloadSegment(segment, assembly, report, emit);
        if (error !== null) firstError ??= new RefreshRejected(`${segment}: ${error}`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.options.concurrency, queue.length)) }, worker));
    if (firstError !== undefined) throw firstError;
  }

  /** Downloads one segment into the shared assembly; returns the error text, or null. */
  private async downloadSegment(segment: MasterSegment, assembly: ContractAssembly, report: SegmentRefreshReport, emit: () => void): Promise<string | null> {
    const started = performance.now();
    report.phase = "downloading";
    emit();
    let lastEmit = 0;
    let complete = false;
    try {
      const chunks = this.deps.source.downloadMaster(segment, {
        onProgress: ({ bytes }) => {
          report.bytes = bytes;
        },
      });
      for await (const chunk of chunks) {
        await assembly.write(segment, chunk);
        const progress = assembly.progress(segment);
        if (progress.lines - lastEmit >= 5000) {
          lastEmit = progress.lines;
          Object.assign(report, progress);
          emit();
        }
      }
      complete = true;
    } catch (error) {
      this.finishSegment(report, await assembly.endSegment(segment, false), started, error);
    }
    if (complete) {
      const counts = await assembly.endSegment(segment, true);
      this.finishSegment(report, counts, started, null);
      if (counts.rows === 0 && !report.optional) report.error = "returned no instruments (mandatory segment)";
      const tolerated = Math.max(this.options.maxUnparseable.absolute, this.options.maxUnparseable.ratio * counts.lines);
      if (counts.unparseable > tolerated) report.error = `${counts.unparseable} unparseable lines (more than ${Math.floor(tolerated)} tolerated)`;
      if (report.error !== null) report.phase = "failed";
    }
    emit();
    return report.error;
  }

  private finishSegment(report: SegmentRefreshReport, counts: Omit<SegmentReport, "segment">, started: number, error: unknown): void {
    Object.assign(report, {
      lines: counts.lines,
      rows: counts.rows,
      skipped: { ...counts.skipped },
      unparseable: counts.unparseable,
      issues: counts.issues.slice(0, 5),
      collisions: counts.collisions.slice(0, 5),
      durationMs: Math.round(performance.now() - started),
      phase: error === null ? "done" : "failed",
      error: error === null ? null : describe(error),
    });
  }

  /**
   * Refuses a contract much smaller than the one stored, as a whole and per exchange: a short but
   * well-formed NSECM answer would otherwise pass while NSEFO keeps the total up. Exchanges fed by
   * optional segments (Jainam serves NSECD and MCXFO empty to Prop accounts) are exempt per exchange.
   */
  private validate(built: AssembledContract, previous: Readonly<Record<string, number>>, force: boolean, segments: readonly SegmentRefreshReport[]): void {
    const total = built.total;
    if (total === 0) throw new RefreshRejected("the download produced no instruments");
    const percent = `${Math.round(this.options.minRatio * 100)}%`;
    const previousTotal = Object.values(previous).reduce((a, b) => a + b, 0);
    if (!force && previousTotal > 0 && total < this.options.minRatio * previousTotal) {
      throw new RefreshRejected(`the new contract has ${total} instruments, fewer than ${percent} of the ${previousTotal} stored; refusing it (use --force to accept)`);
    }
    if (!force) {
      const optional = new Set(this.options.optionalSegments.map((s) => exchangeOfSegment(s)));
      for (const [exchange, before] of Object.entries(previous)) {
        const now = built.exchangeCounts[exchange] ?? 0;
        if (!optional.has(exchange as Exchange) && now < this.options.minRatio * before) {
          throw new RefreshRejected(`${exchange} has ${now} instruments, fewer than ${percent} of the ${before} stored; refusing the contract (use --force to accept)`);
        }
      }
    }
    const collisions = segments.reduce((n, s) => n + (s.skipped["collision"] ?? 0), 0);
    if (collisions > 0) this.deps.logger.warn({ collisions }, "master contains instruments that collide on symbol or token; the first of each was kept");
  }

  private report(
    status: "success" | "error",
    message: string,
    startedAt: string,
    started: number,
    forced: boolean,
    previousTotal: number,
    segments: readonly SegmentRefreshReport[],
    storeMs: number,
    indexMs: number,
    written: Pick<RefreshReport, "written" | "deleted" | "inserted" | "updated">,
    contractVersion: number | null,
    exchangeCounts: Record<string, number>,
  ): RefreshReport {
    return {
      broker: this.broker,
      status,
      message,
      startedAt,
      finishedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
      forced,
      previousTotal,
      total: status === "success" ? Object.values(exchangeCounts).reduce((a, b) => a + b, 0) : 0,
      exchangeCounts,
      segments,
      storeMs,
      indexMs,
      ...written,
      contractVersion,
    };
  }
}

/** A refresh claim whose owner ran too long or, on this host, is no longer alive. */
export function isAbandoned(holder: MasterStatus, staleAfterMs: number, now: number = Date.now()): boolean {
  const started = holder.startedAt === null ? 0 : Date.parse(holder.startedAt);
  if (now - started > staleAfterMs) return true;
  const [host, pid] = (holder.owner ?? "").split(":");
  return host === hostname() && pid !== undefined && !processAlive(Number(pid));
}

/** What a reader should be told: an abandoned `downloading` is an error, not a download in progress. */
export function presentStatus(status: MasterStatus, isStale: (holder: MasterStatus) => boolean): MasterStatus {
  if (status.status !== "downloading" || !isStale(status)) return status;
  return { ...status, status: "error", message: `download did not finish (${status.owner ?? "unknown owner"} started ${status.startedAt ?? "?"}); run a refresh again` };
}

function describe(error: unknown): string {
  if (error instanceof XtsBridgeError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
