import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { beforeAll, describe, expect, it } from "vitest";
import { detachedRow } from "../../src/resolver/contract-columns.js";
import { SymbolIndex } from "../../src/resolver/symbol-index.js";
import type { SymbolRow } from "../../src/store/types.js";
import { sampleContractRows } from "../support/samples.js";

/** What a search promises, checked row by row: every term in the symbol, brsymbol, name or token. */
function matches(row: SymbolRow, terms: readonly string[]): boolean {
  const fields = [row.symbol, row.brsymbol.toUpperCase(), row.name.toUpperCase(), String(row.token)];
  return terms.every((t) => fields.some((f) => f.includes(t)));
}

const key = (r: SymbolRow): string => `${r.exchange}:${r.symbol}`;

describe("SymbolIndex.search over the real sample contract", () => {
  let rows: SymbolRow[];
  let index: SymbolIndex;
  beforeAll(async () => {
    rows = await sampleContractRows();
    index = SymbolIndex.build(rows);
  });

  it.each([
    ["NIFTY FUT", undefined],
    ["sensex 84700", "BFO"],
    ["suzlon", undefined],
    ["2885", undefined],
    ["GOLD", "MCX"],
    ["CE 27MAR25", "NFO"],
    ["eurusd", undefined],
  ])("'%s' (exchange %s) finds exactly the rows that hold every term", (query, exchange) => {
    const terms = query.toUpperCase().split(/\s+/);
    const expected = rows.filter((r) => (exchange === undefined || r.exchange === exchange) && matches(r, terms)).map(key).sort();
    const found = index.search(query, { ...(exchange === undefined ? {} : { exchange }), limit: 1_000_000 }).map(key);
    expect(expected.length).toBeGreaterThan(0);
    expect(new Set(found).size).toBe(found.length); // a row is found once, however often a term occurs in it
    expect([...found].sort()).toEqual(expected);
  });

  it("a term never matches across two fields or two rows, and control characters count as blanks", () => {
    const row = rows.find((r) => r.exchange === "NSE" && r.symbol === "SUZLON")!;
    // The end of one field and the start of the next, and the end of one row and the start of the next.
    expect(index.search(`${row.symbol.slice(-2)}${row.brsymbol.slice(0, 2)}`, { exchange: "NSE", limit: 1_000_000 }).map(key)).not.toContain(key(row));
    expect(index.search(`${row.token}${rows[rows.indexOf(row) + 1]!.symbol.slice(0, 3)}`, { limit: 1_000_000 })).toEqual([]);
    expect(index.search("SUZLON\u0001EQ", { exchange: "NSE" }).map(key)).toEqual(index.search("SUZLON EQ", { exchange: "NSE" }).map(key));
  });

  it("ranks the exact symbol first, keeps to the limit and the exchange, and answers an unknown exchange or blank query with nothing", () => {
    expect(index.search("SUZLON", { limit: 3 })[0]).toMatchObject({ symbol: "SUZLON" });
    expect(index.search("NIFTY", { limit: 7 })).toHaveLength(7);
    expect(index.search("NIFTY", { exchange: "NFO", limit: 500 }).every((r) => r.exchange === "NFO")).toBe(true);
    expect(index.search("NIFTY", { exchange: "NOPE" })).toEqual([]);
    expect(index.search("  \t ")).toEqual([]);
  });
});

describe("a row kept past its index", () => {
  // vitest's workers run without --expose-gc; the flag can still be set and gc() taken from a fresh context.
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const heapAfter = <T>(keep: () => T): { heap: number; row: T } => {
    const row = keep();
    gc();
    gc();
    return { heap: process.memoryUsage().heapUsed, row };
  };
  /** One row of an index whose text is ~9 MB; the index itself is garbage once this returns. */
  const rowOfLargeIndex = (detach: boolean): SymbolRow => {
    const index = SymbolIndex.build(
      Array.from({ length: 100_000 }, (_, i) => ({
        broker: "jainam_prop", symbol: `NIFTY28MAR24${20_000 + i}CE`, brsymbol: `NIFTY 28MAR2024 CE ${20_000 + i} ${"X".repeat(40)}`, name: "NIFTY", exchange: "NFO",
        brexchange: "NSEFO", token: 40_000 + i, expiry: "28-MAR-24", strike: 20_000 + i, lotsize: 75, instrumenttype: "CE", tick_size: 0.05, freeze_qty: 1801, lower_circuit: null, upper_circuit: null,
      })),
    );
    const row = index.get("NIFTY28MAR2450000CE", "NFO")!;
    return detach ? detachedRow(row) : row;
  };

  it("holds its index's whole text while it slices it; a detached copy holds only itself", () => {
    const before = heapAfter(() => null);
    const detached = heapAfter(() => rowOfLargeIndex(true));
    const plain = heapAfter(() => rowOfLargeIndex(false)); // the detached row is still held here too
    expect(detached.row).toEqual(plain.row);
    expect(detached.heap - before.heap).toBeLessThan(1024 * 1024);
    expect(plain.heap - detached.heap).toBeGreaterThan(5 * 1024 * 1024);
  });
});
