import { beforeAll, describe, expect, it } from "vitest";
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
