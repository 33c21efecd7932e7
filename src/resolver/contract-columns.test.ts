import { MessageChannel } from "node:worker_threads";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sampleContractRows } from "../../test/support/samples.js";
import { SYMBOL_COLUMNS, UNINDEXED_COLUMNS, type SymbolRow } from "../store/types.js";
import { BLOCK_ROWS, ColumnsWriter, columnsOfArrays, columnsOfRows } from "./columns-writer.js";
import { postableColumns, receivedColumns, reorderColumns, rowAt, type ColumnRows, type PostedColumns } from "./contract-columns.js";
import { SymbolIndex } from "./symbol-index.js";

const base: SymbolRow = {
  broker: "b",
  symbol: "SBIN",
  brsymbol: "SBIN",
  name: "SBIN",
  exchange: "NSE",
  brexchange: "NSECM",
  token: 3045,
  expiry: "",
  strike: 0,
  lotsize: 1,
  instrumenttype: "EQ",
  tick_size: 0.05,
  freeze_qty: 0,
  lower_circuit: null,
  upper_circuit: null,
};

describe("the columnar contract index", () => {
  it("tells a row changed only in columns no store index covers from one changed in any other, column by column", () => {
    const stored = { ...base, expiry: "28-MAR-24", strike: 20_800, lower_circuit: 1.5, upper_circuit: 99 };
    const index = SymbolIndex.build([stored]);
    // Row 0 of an index holding just `row`.
    const against = (row: SymbolRow): [SymbolIndex, number] => [SymbolIndex.build([row]), 0];
    expect(index.difference(0, ...against(stored))).toBe("none");
    const changed: Record<(typeof SYMBOL_COLUMNS)[number], unknown> = {
      broker: "c",
      symbol: "SBIN1",
      brsymbol: "SBIN-EQ",
      name: "STATE BANK",
      exchange: "BSE",
      brexchange: "BSECM",
      token: 3046,
      expiry: "",
      strike: 20_850,
      lotsize: 2,
      instrumenttype: "FUT",
      tick_size: 0.1,
      freeze_qty: 10,
      lower_circuit: null,
      upper_circuit: 100,
    };
    for (const column of SYMBOL_COLUMNS) {
      const expected = (UNINDEXED_COLUMNS as readonly string[]).includes(column) ? "values" : "keys";
      expect(index.difference(0, ...against({ ...stored, [column]: changed[column] } as SymbolRow)), column).toBe(expected);
    }
    // A band that was missing and now is given (and back) is a change too.
    const unbanded = SymbolIndex.build([{ ...stored, upper_circuit: null }]);
    expect(unbanded.difference(0, ...against(stored))).toBe("values");
    expect(unbanded.difference(0, ...against({ ...stored, upper_circuit: null }))).toBe("none");
  });

  it("gives back every real sample row exactly, by symbol, by token and by position", async () => {
    const rows = await sampleContractRows();
    expect(rows.length).toBeGreaterThan(20_000);
    const index = SymbolIndex.build(rows);
    expect(index.size).toBe(rows.length);
    expect(index.allRows()).toEqual(rows);
    for (const row of rows) {
      expect(index.get(row.symbol, row.exchange)).toEqual(row);
      expect(index.getByToken(row.token, row.exchange)).toEqual(row);
    }
  });

  it("builds the same index from the store's arrays as from row objects", async () => {
    const rows = (await sampleContractRows()).slice(0, 3000);
    const fromArrays = SymbolIndex.fromColumns(columnsOfArrays("jainam_prop", rows.map((r) => SYMBOL_COLUMNS.map((c) => r[c]))));
    expect(fromArrays.allRows()).toEqual(rows);
  });

  it("misses cleanly: wrong exchange, unknown exchange, a prefix or an extension of a real symbol, a token on another exchange", () => {
    const index = SymbolIndex.build([base, { ...base, symbol: "SBINX", token: 9, brsymbol: "SBINX" }]);
    expect(index.get("SBIN", "BSE")).toBeUndefined();
    expect(index.get("SBIN", "NOPE")).toBeUndefined();
    expect(index.get("SBI", "NSE")).toBeUndefined();
    expect(index.get("SBINXY", "NSE")).toBeUndefined();
    expect(index.get("SBINX", "NSE")?.token).toBe(9);
    expect(index.getByToken(3045, "BSE")).toBeUndefined();
    expect(index.getByToken(3045.5, "NSE")).toBeUndefined();
  });

  it("keeps null circuits null, real bands as numbers, and text outside Latin-1 intact", () => {
    const rows = [
      { ...base, lower_circuit: 0, upper_circuit: 812.35 },
      { ...base, symbol: "NIFTY", exchange: "NSE_INDEX", token: 26000, brsymbol: "Nifty 50 — ₹", name: "NIFTY" },
    ];
    expect(SymbolIndex.build(rows).allRows()).toEqual(rows);
  });

  it("answers like a Map for any set of rows: the last row of a repeated key wins", () => {
    const row = fc.record({
      symbol: fc.stringMatching(/^[A-Z0-9&-]{1,12}$/),
      exchange: fc.constantFrom("NSE", "BSE", "NFO", "MCX"),
      token: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      strike: fc.double({ min: 0, max: 1e6, noNaN: true }),
      lower: fc.option(fc.double({ min: 0, max: 1e5, noNaN: true })),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 200 }), (specs) => {
        const rows = specs.map((s) => ({ ...base, symbol: s.symbol, brsymbol: s.symbol.toLowerCase(), exchange: s.exchange, token: s.token, strike: s.strike, lower_circuit: s.lower }));
        const index = SymbolIndex.build(rows);
        const bySymbol = new Map(rows.map((r) => [`${r.exchange}|${r.symbol}`, r]));
        const byToken = new Map(rows.map((r) => [`${r.exchange}|${r.token}`, r]));
        for (const r of rows) {
          expect(index.get(r.symbol, r.exchange)).toEqual(bySymbol.get(`${r.exchange}|${r.symbol}`));
          expect(index.getByToken(r.token, r.exchange)).toEqual(byToken.get(`${r.exchange}|${r.token}`));
        }
        const counts: Record<string, number> = {};
        for (const r of rows) counts[r.exchange] = (counts[r.exchange] ?? 0) + 1;
        expect(index.countByExchange()).toEqual(counts);
      }),
      { numRuns: 200 },
    );
  });

  it("reordered, answers every lookup as an index built from the rows in the new order: the later of a repeated token wins", () => {
    const row = fc.record({
      symbol: fc.stringMatching(/^[A-Z0-9&-]{1,12}$/),
      exchange: fc.constantFrom("NSE", "BSE", "NFO", "MCX"),
      // Few tokens, so that they repeat within an exchange.
      token: fc.integer({ min: 1, max: 40 }),
      lower: fc.option(fc.double({ min: 0, max: 1e5, noNaN: true })),
    });
    fc.assert(
      fc.property(fc.uniqueArray(row, { maxLength: 300, selector: (r) => `${r.exchange}|${r.symbol}` }), fc.array(fc.double({ noNaN: true }), { minLength: 300, maxLength: 300 }), (specs, keys) => {
        const rows = specs.map((s) => ({ ...base, symbol: s.symbol, brsymbol: s.symbol.toLowerCase(), exchange: s.exchange, token: s.token, lower_circuit: s.lower }));
        const order = Int32Array.from(rows.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b));
        const reordered = SymbolIndex.fromColumns(reorderColumns(columnsOfRows("b", rows), order));
        const rebuilt = SymbolIndex.build(Array.from(order, (i) => rows[i]!));
        expect(reordered.allRows()).toEqual(rebuilt.allRows());
        for (const r of rows) {
          expect(reordered.findSymbol(r.symbol, r.exchange)).toBe(rebuilt.findSymbol(r.symbol, r.exchange));
          expect(reordered.getByToken(r.token, r.exchange)).toEqual(rebuilt.getByToken(r.token, r.exchange));
        }
        expect(reordered.findSymbol("NOSUCH-SYMBOL", "NSE")).toBe(-1);
      }),
      { numRuns: 200 },
    );
    const columns = columnsOfRows("b", [base, { ...base, symbol: "INFY", token: 1594 }]);
    expect(() => reorderColumns(columns, Int32Array.from([0, 0]))).toThrow(/not a permutation/);
    expect(() => reorderColumns(columns, Int32Array.from([0]))).toThrow(/an order of 1 rows/);
  });

  it("hands out the rows built so far in parts, whole blocks at a time, that together are every row once", async () => {
    const rows = (await sampleContractRows()).slice(0, 10_000);
    const writer = new ColumnsWriter("jainam_prop");
    const parts: ColumnRows[] = [];
    let sent = 0;
    for (const r of rows) {
      writer.append(r.symbol, r.brsymbol, r.name, r.exchange, r.brexchange, r.token, r.expiry, r.strike, r.lotsize, r.instrumenttype, r.tick_size, r.freeze_qty, r.lower_circuit, r.upper_circuit);
      if (writer.completedRows > sent) {
        parts.push(writer.part(sent, writer.completedRows));
        sent = writer.completedRows;
      }
    }
    // Mid-block, only whole blocks are ready; the rest comes once the last row is in.
    expect(() => writer.part(sent, writer.rowCount - 1)).toThrow(/do not start and end on blocks/);
    expect(() => writer.part(1, sent)).toThrow(/do not start and end on blocks/);
    parts.push(writer.part(sent, writer.rowCount));
    const whole = Math.floor(10_000 / BLOCK_ROWS);
    expect(whole).toBeGreaterThan(1);
    expect(parts.map((p) => p.count)).toEqual([...Array.from({ length: whole }, () => BLOCK_ROWS), 10_000 - whole * BLOCK_ROWS]);
    const out = parts.flatMap((p) => Array.from({ length: p.count }, (_, i) => rowAt(p, i)));
    expect(out).toEqual(rows);
    // Each part's text is its own rows' text only.
    expect(parts.reduce((n, p) => n + p.text.length, 0)).toBe(rows.reduce((n, r) => n + r.symbol.length + r.brsymbol.length, 0));
  });

  it("refuses rows of two brokers in one index", () => {
    expect(() => columnsOfRows("b", [base, { ...base, broker: "other", symbol: "X" }])).toThrow(/belongs to broker 'other'/);
  });

  it.each([
    ["Latin-1", (r: SymbolRow): SymbolRow => r],
    ["UTF-16 (a brsymbol beyond Latin-1)", (r: SymbolRow, i: number): SymbolRow => (i === 7 ? { ...r, brsymbol: `${r.brsymbol}\u20b9` } : r)],
  ])("crosses a thread boundary with its buffers and %s text moved, not copied, and still answers", async (_, change) => {
    const rows = (await sampleContractRows()).slice(0, 500).map(change);
    const columns = columnsOfRows("jainam_prop", rows);
    const { posted, transfer } = postableColumns(columns);
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<PostedColumns>((resolve) => port2.once("message", resolve));
    port1.postMessage(posted, transfer);
    const moved = await received;
    port1.close();
    port2.close();
    expect(columns.numbers.byteLength).toBe(0);
    expect(posted.textBytes.byteLength).toBe(0);
    expect(SymbolIndex.fromColumns(receivedColumns(moved)).allRows()).toEqual(rows);
  });
});
