import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { StoreError } from "../errors.js";
import { postableColumns } from "../resolver/contract-columns.js";
import { redactDatabaseUrl } from "../store/database-url.js";
import { openStore } from "../store/open-store.js";
import type { SqlStore } from "../store/sql-store.js";
import { InlineAssembly } from "./contract-assembly.js";
import { replyOfError, type AssemblyReply, type AssemblyRequest, type AssemblyWorkerData, type PostedStoredContract } from "./worker-assembly.js";

/**
 * The refresh's worker thread: parses the master text the main thread downloads, builds the rows,
 * stores them over its own database connection, and hands back the new index's columns (moved,
 * not copied). One request at a time, in the order sent.
 */
const port = parentPort;
if (port === null) throw new Error("refresh-worker.js runs as a worker thread only");
const { broker, databaseUrl } = workerData as AssemblyWorkerData;

// On Linux a nice value is a thread's own: this one yields the core to the request thread when
// both want it (a one-core server), and costs nothing when a core is free. Not raised again.
try {
  setPriority(19);
} catch {
  // Not allowed here (some containers): the refresh runs at normal priority.
}

let store: SqlStore | undefined;
let assembly: InlineAssembly | undefined;
// The contract's commit leaves its WAL to be checkpointed after the reply (below), off the refresh's critical path.
const opened = openStore(databaseUrl, { deferCheckpoints: true }).then(
  (s) => {
    store = s;
    assembly = new InlineAssembly(s, broker);
  },
  (error: unknown) => {
    throw new StoreError(`the refresh worker cannot open the database ${redactDatabaseUrl(databaseUrl)}: ${(error as Error).message}`, error);
  },
);
// Failing to open is answered on every request; the rejection itself is not an unhandled one.
opened.catch(() => undefined);

async function handle(request: AssemblyRequest): Promise<void> {
  try {
    await opened;
    const a = assembly!;
    switch (request.op) {
      case "reserve":
        await a.reserve(request.rows);
        return reply({ id: request.id, ok: true, value: null });
      case "index":
        return reply({ id: request.id, ok: true, value: await a.addIndexList(request.code, request.entries) });
      case "chunk":
        await a.write(request.segment, request.chunk);
        return reply({ id: request.id, ok: true, value: a.progress(request.segment) });
      case "end":
        return reply({ id: request.id, ok: true, value: await a.endSegment(request.segment, request.complete) });
      case "finish":
        return reply({ id: request.id, ok: true, value: await a.finish() });
      case "store": {
        const stored = await a.store(request.status);
        const { posted, transfer } = postableColumns(stored.columns);
        port!.postMessage({ id: request.id, ok: true, value: { ...stored, columns: posted } satisfies PostedStoredContract } satisfies AssemblyReply, transfer);
        // The new contract is committed and its index on its way; the database file catches up
        // with the WAL now, on this thread, while the request thread swaps the index in. The reply
        // is sent: a checkpoint that fails loses nothing (the WAL holds the commit; the next
        // connection to commit or close finishes it) and must not answer the request twice.
        await store!.checkpoint().catch(() => undefined);
        return;
      }
      case "close":
        await a.close();
        await store?.close();
        store = undefined;
        return reply({ id: request.id, ok: true, value: null });
      default: {
        const never: never = request;
        throw new Error(`unknown request ${JSON.stringify(never)}`);
      }
    }
  } catch (error) {
    reply({ id: request.id, ...replyOfError(error) });
  }
}

function reply(message: AssemblyReply): void {
  port!.postMessage(message);
}

let queue = Promise.resolve();
port.on("message", (request: AssemblyRequest) => {
  queue = queue.then(() => handle(request));
});
