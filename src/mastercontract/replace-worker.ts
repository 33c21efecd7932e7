import { on } from "node:events";
import { parentPort, workerData } from "node:worker_threads";
import { rowAt, type ColumnRows, type ContractDictionaries } from "../resolver/contract-columns.js";
import { openStore } from "../store/open-store.js";
import type { ReplaceEnding } from "../store/symbol-store.js";
import type { RowSource } from "../store/types.js";
import type { ReplaceMessage, ReplaceReply, ReplaceWorkerData } from "./streamed-replace.js";
import { replyOfError } from "./worker-assembly.js";

/**
 * The store side of a `StreamedReplace`: one whole replace over its own connection, its rows
 * written part by part as the parsing thread sends them, committed on `end`, rolled back on
 * `abort`. Replies once, with the result or the error, after closing its connection.
 */
const port = parentPort;
if (port === null) throw new Error("replace-worker.js runs as a worker thread only");
const { broker, databaseUrl } = workerData as ReplaceWorkerData;

// Listening before the store opens: parts sent meanwhile wait in order.
const messages = on(port, "message");
const dictionaries: { [K in keyof ContractDictionaries]: string[] } = { exchanges: [], brexchanges: [], instrumenttypes: [], expiries: [], names: [] };
let ending: ReplaceEnding | null = null;

function rowsOf(message: Extract<ReplaceMessage, { op: "rows" }>): RowSource {
  for (const name of Object.keys(dictionaries) as (keyof ContractDictionaries)[]) dictionaries[name].push(...message.added[name]);
  const part: ColumnRows = { broker, count: message.count, text: message.text, records: message.records, numbers: message.numbers, dictionaries };
  return { length: part.count, broker, at: (i) => (i >= 0 && i < part.count ? rowAt(part, i) : undefined) };
}

async function* batches(): AsyncGenerator<RowSource> {
  for await (const [message] of messages as AsyncIterable<[ReplaceMessage]>) {
    if (message.op === "rows") yield rowsOf(message);
    else {
      ending = message.op === "end" ? { status: message.status, snapshot: message.snapshot } : null;
      return;
    }
  }
}

async function run(): Promise<ReplaceReply> {
  try {
    const store = await openStore(databaseUrl);
    try {
      return { ok: true, value: await store.replaceBrokerStreamed(broker, batches(), () => ending) };
    } finally {
      await store.close();
    }
  } catch (error) {
    return replyOfError(error);
  }
}

port.postMessage(await run());
port.close();
