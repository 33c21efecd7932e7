import { createHash } from "node:crypto";
import type { SymbolStore } from "../../../src/store/symbol-store.js";
import { SYMBOL_COLUMNS, type SymbolRow } from "../../../src/store/types.js";

/** What identifies a stored contract: its row count and a hash of every row's every column. */
export interface ContractFingerprint {
  readonly rows: number;
  readonly checksum: string;
}

export function fingerprint(rows: readonly SymbolRow[]): ContractFingerprint {
  const keys = rows.map((r) => SYMBOL_COLUMNS.map((c) => String(r[c])).join("|")).sort();
  return { rows: keys.length, checksum: createHash("sha256").update(keys.join("\n")).digest("hex") };
}

export async function storedFingerprint(store: SymbolStore, broker = "jainam_prop"): Promise<ContractFingerprint> {
  return fingerprint(await store.loadBroker(broker));
}

/** The environment that points `xtsbridge` at a sandbox (what `xtsbridge sandbox` prints). */
export function sandboxEnv(
  url: string,
  credentials: { interactiveKey: string; interactiveSecret: string; marketKey: string; marketSecret: string },
): Record<string, string> {
  return {
    JAINAM_SERVER: url,
    JAINAM_INTERACTIVE_API_KEY: credentials.interactiveKey,
    JAINAM_INTERACTIVE_API_SECRET: credentials.interactiveSecret,
    JAINAM_MARKET_API_KEY: credentials.marketKey,
    JAINAM_MARKET_API_SECRET: credentials.marketSecret,
  };
}

export { until } from "../../support/poll.js";
