import type { SymbolRow } from "../../src/store/types.js";

/**
 * An earlier contract of the same instruments, as a refresh would find it stored: one row in
 * `rolledEvery` another contract (expired since, its place taken by a new listing), and one in
 * `bandEvery` of the rest with another price band. `bandEvery: 1` is the day before (every band
 * moves each trading day); a larger one, a revision within the day.
 */
export function earlierContract(today: readonly SymbolRow[], { rolledEvery, bandEvery }: { rolledEvery: number; bandEvery: number }): SymbolRow[] {
  return today.map((r, i) => {
    if (i % rolledEvery === 0) return { ...r, symbol: `${r.symbol}OLD`, token: r.token + 500_000_000 };
    if (i % bandEvery !== 0) return r;
    return { ...r, lower_circuit: r.lower_circuit === null ? null : r.lower_circuit * 0.99, upper_circuit: r.upper_circuit === null ? 1 : r.upper_circuit + 0.05 };
  });
}
