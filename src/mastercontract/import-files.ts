import { createReadStream } from "node:fs";
import { ContractBuilder, type BuiltContract } from "./contract-builder.js";
import type { SymbolStore } from "../store/symbol-store.js";
import { parseMasterStream } from "../xts/master-parser.js";
import { storeContract } from "./store-contract.js";
import { StreamedReplace } from "./streamed-replace.js";
import { encodeSnapshot } from "../resolver/contract-snapshot.js";
import { isInMemoryDatabase } from "../store/database-url.js";
import type { StatusUpdate } from "../store/status-types.js";

export interface ImportReport extends Omit<BuiltContract, "rows" | "columns"> {
  readonly broker: string;
  readonly files: readonly string[];
  /** True when rows were written; false when nothing parseable was found (the store is untouched). */
  readonly stored: boolean;
  readonly deleted: number;
  /** Rows inserted: every row, or only the changed and new ones when the rest were already stored. */
  readonly inserted: number;
  readonly updated: number;
  readonly written: "changes" | "whole" | null;
  readonly durationMs: number;
}

export interface ImportOptions {
  /**
   * The store's own database URL. Given (and not in-memory), a first import (the broker has no
   * rows yet, so the whole contract is written either way) is inserted by a worker thread over its
   * own connection while the files are still being parsed, inside the one transaction.
   */
  readonly databaseUrl?: string;
}

/**
 * Imports saved master text (the `result` string of /instruments/master, one or more
 * segments per file; each line names its segment). Files are streamed, never read whole.
 * Rows replace the broker's rows in one transaction, and only if at least one row was built.
 */
export async function importMasterFiles(store: SymbolStore, broker: string, files: readonly string[], options: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const builder = new ContractBuilder(broker);
  const { databaseUrl } = options;
  const first = databaseUrl !== undefined && !isInMemoryDatabase(databaseUrl) && Object.keys(await store.countByExchange(broker)).length === 0;
  let streamed = first ? new StreamedReplace(broker, databaseUrl) : null;
  try {
    for (const file of files) {
      const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 256 * 1024 });
      for await (const batch of parseMasterStream(stream)) {
        for (const parsed of batch) builder.addParsed(parsed);
        streamed?.send(builder);
      }
    }
    // The columns, not the rows: the contract is never held as an object per row.
    const { columns, segments, totals } = builder.finish();
    const count = columns.count;
    let deleted = 0;
    let inserted = 0;
    let updated = 0;
    let written: ImportReport["written"] = null;
    if (count > 0) {
      const durationMs = Math.round(performance.now() - started);
      const status: StatusUpdate = {
        status: "success",
        message: `imported ${count} rows from ${files.length} file(s)`,
        startedAt: new Date(Date.now() - durationMs).toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs,
        report: { source: "import", files, segments, totals },
      };
      // With the index's snapshot, so the next start-up reads one blob instead of every row.
      if (streamed !== null) {
        const replace = streamed;
        streamed = null;
        ({ deleted, inserted, updated } = await replace.commit(builder, status, encodeSnapshot(columns)));
        written = "whole";
      } else ({ deleted, inserted, updated, written } = await storeContract(store, broker, columns, status));
    }
    return { segments, totals, broker, files, stored: count > 0, deleted, inserted, updated, written, durationMs: performance.now() - started };
  } finally {
    // Nothing to store, or the parse failed: the worker's transaction is rolled back.
    await streamed?.abort();
  }
}
