import type { Logger } from "../logger.js";
import type { SymbolStore } from "../store/symbol-store.js";
import { columnsOfArrays } from "./columns-writer.js";
import type { ContractColumns } from "./contract-columns.js";
import { decodeSnapshot, SnapshotError } from "./contract-snapshot.js";
import { SymbolIndex } from "./symbol-index.js";

/**
 * A broker's stored contract as an index: from the snapshot stored with the rows when there is one
 * (one blob, tens of milliseconds), else from the rows themselves. The version is read before the
 * rows: if a refresh commits in between, the rows are newer than the version recorded and the next
 * version check simply loads again. A snapshot carries its own version, written in the same
 * transaction as its rows. A damaged snapshot is logged and the rows are read instead.
 */
export async function loadIndex(store: SymbolStore, broker: string, logger: Logger): Promise<{ index: SymbolIndex; version: number }> {
  let version = (await store.getStatus(broker)).contractVersion;
  let columns: ContractColumns | undefined;
  const snapshot = await store.loadSnapshot(broker);
  if (snapshot !== null && snapshot.contractVersion >= version) {
    try {
      columns = decodeSnapshot(snapshot.bytes);
      if (columns.broker !== broker) throw new SnapshotError(`snapshot is of broker '${columns.broker}'`);
      version = snapshot.contractVersion;
    } catch (error) {
      columns = undefined;
      logger.warn({ broker, reason: (error as Error).message }, "contract snapshot unreadable; loading the rows instead");
    }
  }
  columns ??= columnsOfArrays(broker, await store.loadBrokerArrays(broker));
  return { index: SymbolIndex.fromColumns(columns), version };
}
