import type { SymbolRow } from "../../src/store/types.js";

/**
 * Yesterday's contract as it would have been stored, for a refresh to bring up to date: every
 * price band different (a band moves every trading day), and one row in twenty another contract
 * (expired since, its place taken by a new listing).
 */
export function yesterdayOf(today: readonly SymbolRow[]): SymbolRow[] {
  return today.map((r, i) =>
    i % 20 === 0
      ? { ...r, symbol: `${r.symbol}OLD`, token: r.token + 500_000_000 }
      : { ...r, lower_circuit: r.lower_circuit === null ? null : r.lower_circuit * 0.99, upper_circuit: r.upper_circuit === null ? 1 : r.upper_circuit + 0.05 },
  );
}
