import { Worker } from "node:worker_threads";
import type { ColumnRows, ContractDictionaries } from "../resolver/contract-columns.js";
import type { StatusUpdate } from "../store/status-types.js";
import type { ReplaceResult } from "../store/symbol-store.js";
import type { ContractBuilder } from "./contract-builder.js";
import { errorOfReply, workerUrl } from "./worker-assembly.js";

export interface ReplaceWorkerData {
  readonly broker: string;
  readonly databaseUrl: string;
}

/** The dictionary values added since the previous part: dictionaries only ever grow. */
export type DictionaryAdditions = { readonly [K in keyof ContractDictionaries]: readonly string[] };

export type ReplaceMessage =
  | { readonly op: "rows"; readonly count: number; readonly text: string; readonly records: Uint32Array; readonly numbers: Float64Array; readonly added: DictionaryAdditions }
  | { readonly op: "end"; readonly status: StatusUpdate; readonly snapshot: Uint8Array }
  | { readonly op: "abort" };

export type ReplaceReply = { readonly ok: true; readonly value: ReplaceResult | null } | { readonly ok: false; readonly code: string | null; readonly message: string };

const DICTIONARIES = ["exchanges", "brexchanges", "instrumenttypes", "expiries", "names"] as const;

/**
 * A whole replace written by a worker thread while this thread is still parsing: the worker opens
 * its own connection to `databaseUrl`, begins the one transaction and inserts each part of kept
 * rows as it arrives, so the inserts overlap the parse instead of following it. Nothing is
 * committed before `commit`, which waits for the last insert and the indexes; `abort`, a worker that
 * fails, or a process that dies leave the previous rows, as any failed replace does.
 */
export class StreamedReplace {
  private readonly worker: Worker;
  private readonly outcome: Promise<ReplaceResult | null>;
  private sentRows = 0;
  private readonly sentValues: Record<keyof ContractDictionaries, number> = { exchanges: 0, brexchanges: 0, instrumenttypes: 0, expiries: 0, names: 0 };

  constructor(broker: string, databaseUrl: string) {
    this.worker = new Worker(workerUrl("replace-worker.js"), { workerData: { broker, databaseUrl } satisfies ReplaceWorkerData });
    this.outcome = new Promise((resolve, reject) => {
      this.worker.once("message", (reply: ReplaceReply) => (reply.ok ? resolve(reply.value) : reject(errorOfReply(reply))));
      this.worker.once("error", (error) => reject(new Error(`the store worker failed: ${error.message}`)));
      this.worker.once("exit", (code) => reject(new Error(`the store worker exited (code ${code}) before the replace was written`)));
    });
    // Seen by `commit` or `abort`; a worker that fails before either is not an unhandled rejection.
    this.outcome.catch(() => undefined);
  }

  /** Sends the builder's rows kept since the last call: whole blocks of them, or every one when `last`. */
  send(builder: ContractBuilder, last = false): void {
    const to = last ? builder.rowCount : builder.completedRows;
    if (to <= this.sentRows) return;
    const part = builder.part(this.sentRows, to);
    this.sentRows = to;
    const message: ReplaceMessage = { op: "rows", count: part.count, text: part.text, records: part.records, numbers: part.numbers, added: this.additions(part) };
    this.worker.postMessage(message, [part.records.buffer as ArrayBuffer, part.numbers.buffer as ArrayBuffer]);
  }

  /** Sends the rest, then commits with `status` and `snapshot` once the worker has written every row. */
  async commit(builder: ContractBuilder, status: StatusUpdate, snapshot: Uint8Array): Promise<ReplaceResult> {
    this.send(builder, true);
    // Moved, not copied, when the bytes are a buffer of their own (encodeSnapshot's always are).
    const own = snapshot.byteOffset === 0 && snapshot.byteLength === snapshot.buffer.byteLength;
    this.worker.postMessage({ op: "end", status, snapshot } satisfies ReplaceMessage, own ? [snapshot.buffer as ArrayBuffer] : []);
    try {
      const result = await this.outcome;
      if (result === null) throw new Error("the store worker wrote nothing");
      return result;
    } finally {
      await this.worker.terminate();
    }
  }

  /** Rolls the transaction back: the stored rows stay as they were. */
  async abort(): Promise<void> {
    this.worker.postMessage({ op: "abort" } satisfies ReplaceMessage);
    await this.outcome.catch(() => undefined);
    await this.worker.terminate();
  }

  private additions(part: ColumnRows): DictionaryAdditions {
    const added = {} as Record<keyof ContractDictionaries, readonly string[]>;
    for (const name of DICTIONARIES) {
      const values = part.dictionaries[name];
      added[name] = values.slice(this.sentValues[name]);
      this.sentValues[name] = values.length;
    }
    return added;
  }
}
