import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIndexEntry, parseMasterLine } from "../xts/master-parser.js";
import type { XtsIndexEntry } from "../xts/master-types.js";
import { ContractBuilder } from "./contract-builder.js";

function build(lines: readonly string[], indexEntries: readonly [string, number][] = []) {
  const builder = new ContractBuilder("jainam_prop");
  lines.forEach((line, i) => builder.addParsed(parseMasterLine(line, i + 1)));
  indexEntries.forEach(([text, code], i) => builder.addIndexEntry(parseIndexEntry(text, code) as XtsIndexEntry, i + 1));
  return builder.finish();
}

const fut = (segment: string, token: number, name: string, expiry: string, type = 1) =>
  `${segment}|${token}|${type}|${name}|${name}D|FUTSTK|${name}-FUTSTK|1|2|1|10|0.05|50|1|-1|${name}|${expiry}T14:30:00|${name} D|1|1|${name}D`;

describe("ContractBuilder", () => {
  it("keeps equal tokens in different segments: tokens are unique only within a segment", () => {
    const built = build([fut("NSEFO", 1001, "AAA", "2025-01-30"), "MCXFO|1001|1|GOLD|GOLDD|FUTCOM|GOLD-FUTCOM|x|0|0|0|1|1|1|-1|GOLD|2025-01-30T00:00:00|GOLD D|1|1|GOLDD"]);
    expect(built.rows.map((r) => [r.brexchange, r.token])).toEqual([
      ["NSEFO", 1001],
      ["MCXFO", 1001],
    ]);
    expect(built.totals.collisions).toBe(0);
  });

  it("reports a token collision within a segment with both lines and keeps the first", () => {
    const built = build([fut("NSEFO", 7, "AAA", "2025-01-30"), fut("NSEFO", 7, "BBB", "2025-01-30")]);
    expect(built.rows.map((r) => r.symbol)).toEqual(["AAA30JAN25FUT"]);
    const report = built.segments.find((s) => s.segment === "NSEFO")!;
    expect(report.skipped).toEqual({ collision: 1 });
    expect(report.collisions[0]).toMatchObject({
      key: "token",
      exchange: "NSEFO",
      value: "7",
      kept: { lineNumber: 1, brsymbol: "AAAD" },
      dropped: { lineNumber: 2, brsymbol: "BBBD" },
    });
  });

  it("reports both lines of a collision with a row kept many thousand lines earlier, and keeps every row exactly", () => {
    const names = Array.from({ length: 9_000 }, (_, i) => `U${i.toString(36).toUpperCase()}`);
    const lines = names.map((n, i) => fut("NSEFO", 100 + i, n, "2025-01-30"));
    const built = build([...lines, fut("NSEFO", 110, "LATE", "2025-01-30")]);
    expect(built.rows).toHaveLength(9_000);
    expect(built.rows[8_999]).toMatchObject({ symbol: `${names[8_999]}30JAN25FUT`, token: 9_099, brsymbol: `${names[8_999]}D` });
    expect(built.segments[0]!.collisions[0]).toMatchObject({ key: "token", kept: { lineNumber: 11, token: 110, brsymbol: `${names[10]}D` }, dropped: { lineNumber: 9_001, brsymbol: "LATED" } });
  });

  it("reports a symbol collision between two tokens", () => {
    const built = build([fut("NSEFO", 7, "AAA", "2025-01-30"), fut("NSEFO", 8, "AAA", "2025-01-30")]);
    expect(built.totals.collisions).toBe(1);
    expect(built.segments[0]!.collisions[0]).toMatchObject({ key: "symbol", value: "AAA30JAN25FUT" });
  });

  it("counts the same instrument twice as a duplicate, not a collision (BSE index in BSECM and the index list)", () => {
    const built = build(
      ["BSECM|26065|8|SENSEX|SENSEX-SPOT|SPOT|SENSEX-SPOT|11100100026065|||0|1|1|1|SENSEX||1|1|SENSEX-SPOT|-1|-1|-1"],
      [["SENSEX_26065", 11]],
    );
    expect(built.rows).toHaveLength(1);
    expect(built.segments.find((s) => s.segment === "INDEX11")!.skipped).toEqual({ duplicate: 1 });
    expect(built.totals.collisions).toBe(0);
  });

  it("never lets a spread shadow the real future", () => {
    const built = build([
      "NSEFO|9574506|4|BERGEPAINT|BERGEPAINT25JAN25FEBFUT|FUTSTK|BERGEPAINT-FUTSTK|2100110000000|11.3|-11.3|52801|0.05|1320|1|-1||2025-01-30T14:30:00|BERGEPAINT 30JAN27FEB SPD|1|1|BERGEPAINT25JAN25FEBFUT",
      "NSEFO|37262|1|BERGEPAINT|BERGEPAINT25JANFUT|FUTSTK|BERGEPAINT-FUTSTK|2503000037262|496|405.85|52801|0.05|1320|1|1100100000404|BERGEPAINT|2025-01-30T14:30:00|BERGEPAINT 30JAN2025|1|1|BERGEPAINT25JANFUT",
    ]);
    expect(built.rows.map((r) => [r.symbol, r.token])).toEqual([["BERGEPAINT30JAN25FUT", 37262]]);
    expect(built.segments[0]!.skipped).toEqual({ spread: 1 });
  });

  it("counts unparseable lines per segment with examples", () => {
    const built = build([fut("NSEFO", 7, "AAA", "2025-01-30"), "NSEFO|x|1"]);
    expect(built.totals.unparseable).toBe(1);
    expect(built.segments[0]!.issues[0]).toMatchObject({ segment: "NSEFO", lineNumber: 2 });
  });
});

/** Random instruments, serialised into the real wire layouts. */
const name = fc.stringMatching(/^[A-Z][A-Z0-9&]{0,11}$/);
const date = fc.date({ min: new Date("2019-01-01T00:00:00Z"), max: new Date("2036-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const strike = fc.oneof(fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 1, max: 2_000_000 }).map((n) => n / 1000));
const fnoSegment = fc.constantFrom("NSEFO", "BSEFO", "NSECD", "MCXFO");

const instrument = fc.oneof(
  fc.record({ kind: fc.constant("future" as const), segment: fnoSegment, name, expiry: date }),
  fc.record({ kind: fc.constant("option" as const), segment: fnoSegment, name, expiry: date, strike, type: fc.constantFrom(3, 4), legacy: fc.constantFrom(0, 18, 19) }),
  fc.record({ kind: fc.constant("cash" as const), segment: fc.constantFrom("NSECM", "BSECM"), name, series: fc.constantFrom("EQ", "BE", "SM", "SG", "P1", "N1", "GS", "A", "B", "F") }),
);
type Generated = typeof instrument extends fc.Arbitrary<infer T> ? T : never;

function identity(i: Generated): string {
  switch (i.kind) {
    case "future":
      return `${i.segment}|F|${i.name}|${i.expiry}`;
    case "option":
      return `${i.segment}|O|${i.name}|${i.expiry}|${i.strike}|${i.type}`;
    case "cash":
      // OpenAlgo shows BSE series as the bare name, so two BSE series of one name are one symbol by design.
      return i.segment === "BSECM" ? `${i.segment}|${i.name}` : `${i.segment}|${i.name}|${["EQ", "BE", "SM"].includes(i.series) ? "" : i.series}`;
  }
}

function line(i: Generated, token: number): string {
  switch (i.kind) {
    case "future":
      return `${i.segment}|${token}|1|${i.name}|${i.name}F|FUT|${i.name}-FUT|1|2|1|10|0.05|25|1|-1|${i.name}|${i.expiry}T14:30:00|${i.name} F|1|1|${i.name}F`;
    case "option":
      if (i.legacy === 18) return `${i.segment}|${token}|2|${i.name}|${i.name}O|OPT|${i.name}-OPT|1|2|1|10|0.0001|1|-1||${i.expiry}T14:30:00|${i.strike}|${i.type}`;
      if (i.legacy === 19) return `${i.segment}|${token}|2|${i.name}|${i.name}O|OPT|${i.name}-OPT|1|2|1|10|0.01|1|1000|-1||${i.expiry}T14:30:00|${i.strike}|${i.type}`;
      return `${i.segment}|${token}|2|${i.name}|${i.name}O|OPT|${i.name}-OPT|1|2|1|10|0.05|25|1|-1|${i.name}|${i.expiry}T00:00:00|${i.strike}|${i.type}|${i.name} O|1|1|${i.name}O`;
    case "cash":
      return `${i.segment}|${token}|8|${i.name}|${i.name}-${i.series}|${i.series}|${i.name}-${i.series}|1|2|1|10|0.05|1|1|${i.name}|ISIN|1|1|${i.name} LTD|0|-1|-1`;
  }
}

describe("symbology properties", () => {
  it("parse → symbol → row is deterministic and distinct instruments never share (exchange, symbol)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(instrument, { selector: identity, maxLength: 60 }), (instruments) => {
        const lines = instruments.map((i, n) => line(i, n + 1));
        const first = build(lines);
        const second = build(lines);
        expect(second.rows).toEqual(first.rows);
        expect(first.totals.unparseable).toBe(0);
        expect(first.totals.collisions).toBe(0);
        expect(first.rows).toHaveLength(instruments.length);
        expect(new Set(first.rows.map((r) => `${r.exchange}|${r.symbol}`)).size).toBe(first.rows.length);
      }),
      { numRuns: 300 },
    );
  });

  it("a symbol always names its own expiry, strike and type", () => {
    fc.assert(
      fc.property(instrument, (i) => {
        const [row] = build([line(i, 1)]).rows;
        if (i.kind === "cash") return;
        const [y, m, d] = i.expiry.split("-");
        const month = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"][Number(m) - 1];
        const tail = i.kind === "future" ? "FUT" : `${String(i.strike)}${i.type === 3 ? "CE" : "PE"}`;
        expect(row!.symbol).toBe(`${i.name}${d}${month}${y!.slice(2)}${tail}`);
        expect(row!.expiry).toBe(`${d}-${month}-${y!.slice(2)}`);
      }),
      { numRuns: 500 },
    );
  });
});
