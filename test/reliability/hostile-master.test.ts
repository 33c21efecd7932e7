import { openSqliteStore } from "../../src/store/open-store.js";
import { readFileSync, writeFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ContractBuilder } from "../../src/mastercontract/contract-builder.js";
import { importMasterFiles } from "../../src/mastercontract/import-files.js";
import type { SymbolRow } from "../../src/store/types.js";
import { parseMasterLine, parseMasterStream, type ParsedLine } from "../../src/xts/master-parser.js";
import { sampleFiles } from "../support/samples.js";
import { tempDir } from "../support/temp-dir.js";

/**
 * The master is input from the network: any line may be garbage, cut short, padded, huge or
 * not even UTF-8. The parser and the builder report such lines and carry on; nothing thrown
 * may escape an import or a refresh, and whatever rows come out still satisfy the store's
 * unique keys, so a hostile master cannot make the replace transaction fail either.
 */

const dir = tempDir("xtsbridge-hostile-");
afterAll(() => dir.remove());

// A few real lines of every layout the samples hold, as the seeds the mutations start from.
const REAL_LINES = sampleFiles().flatMap((file) =>
  readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.replace(/\r$/, ""))
    .filter((line) => line.includes("|"))
    .filter((_, i) => i % 97 === 0),
);

const hostileValue = fc.oneof(
  fc.constantFrom(
    "", " ", "NaN", "Infinity", "-Infinity", "-1", "0", "-0", "1e309", "0x1F", "１２", "1_000", "3", "4", "2", "1", "8", "16", "4294967297",
    "9007199254740993", "2026-02-30T14:30:00", "2026-13-01", "0000-02-29", "9999-12-31T23:59:59", "2026-06-30T14:30:00Z", "__proto__",
    "constructor", "toString", "\u0000", "\uFFFD", "\uD800", "\uDC00x", "NSEFO", "NSECM", "BSECM", "BSEFO", "NSECD", "MCXFO", "NSECO", "COMDTY", "SPOT",
  ),
  fc.string({ unit: "binary", maxLength: 24 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 12 }),
  fc.double().map(String),
  fc.integer().map(String),
);

type Mutation =
  | { op: "replace" | "insert"; at: number; value: string }
  | { op: "delete"; at: number }
  | { op: "cut"; at: number }
  | { op: "append"; value: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom("replace" as const, "insert" as const), at: fc.nat(), value: hostileValue }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("append" as const), value: hostileValue }),
);

function mutate(line: string, mutations: readonly Mutation[]): string {
  let fields = line.split("|");
  for (const m of mutations) {
    switch (m.op) {
      case "replace":
        fields[m.at % fields.length] = m.value;
        break;
      case "insert":
        fields.splice(m.at % (fields.length + 1), 0, m.value);
        break;
      case "delete":
        if (fields.length > 1) fields.splice(m.at % fields.length, 1);
        break;
      case "cut": {
        const text = fields.join("|");
        fields = text.slice(0, m.at % (text.length + 1)).split("|");
        break;
      }
      case "append":
        fields[fields.length - 1] += m.value;
        break;
    }
  }
  return fields.join("|");
}

const mutatedLine = fc.tuple(fc.constantFrom(...REAL_LINES), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([line, ms]) => mutate(line, ms));
const anyLine = fc.oneof(
  { weight: 3, arbitrary: mutatedLine },
  { weight: 2, arbitrary: fc.constantFrom(...REAL_LINES) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
  { weight: 1, arbitrary: fc.array(hostileValue, { maxLength: 30 }).map((fs) => fs.join("|")) },
);

/** A parse result must describe its line: an instrument, or an issue with a bounded copy of the line. */
function expectWellFormed(result: ParsedLine, lineNumber: number): void {
  if (result.ok) {
    expect(result.lineNumber).toBe(lineNumber);
    expect(Number.isSafeInteger(result.instrument.ExchangeInstrumentID) && result.instrument.ExchangeInstrumentID > 0).toBe(true);
    return;
  }
  expect(result.issue.lineNumber).toBe(lineNumber);
  expect(result.issue.reason.length).toBeGreaterThan(0);
  expect(result.issue.line.length).toBeLessThanOrEqual(301);
  expect(result.issue.segment.length).toBeLessThanOrEqual(16);
}

/** The store's keys hold over built rows: (exchange, symbol) and (brexchange, token) are unique. */
function expectUniqueKeys(rows: readonly SymbolRow[]): void {
  expect(new Set(rows.map((r) => `${r.exchange}\u0000${r.symbol}`)).size).toBe(rows.length);
  expect(new Set(rows.map((r) => `${r.brexchange}\u0000${r.token}`)).size).toBe(rows.length);
}

function* chunked(text: string, cuts: readonly number[]): Generator<string> {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const at of points) {
    yield text.slice(from, at);
    from = at;
  }
  yield text.slice(from);
}

async function parseAll(chunks: Iterable<string> | AsyncIterable<string>): Promise<ParsedLine[]> {
  const out: ParsedLine[] = [];
  for await (const batch of parseMasterStream(chunks)) out.push(...batch);
  return out;
}

describe("parseMasterLine on hostile lines", () => {
  it("never throws on any string, and reports what it cannot read", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 400 }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 400 })), fc.nat(), (line, n) => {
        expectWellFormed(parseMasterLine(line, n), n);
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws on real lines with fields replaced, inserted, deleted, cut or padded; the builder takes every result", () => {
    fc.assert(
      fc.property(mutatedLine, (line) => {
        const result = parseMasterLine(line, 1);
        expectWellFormed(result, 1);
        const builder = new ContractBuilder("jainam_prop");
        builder.addParsed(result);
        const built = builder.finish();
        expect(built.totals.lines).toBe(1);
        expect(built.totals.rows + built.totals.skipped + built.totals.unparseable).toBe(1);
      }),
      { numRuns: 3000 },
    );
  });

  it("reports a 1 MB line in bounded time and space", () => {
    const megabyte = 1024 * 1024;
    const [valid] = REAL_LINES;
    const fields = valid!.split("|");
    const lines = [
      "x".repeat(megabyte),
      "|".repeat(megabyte),
      `NSEFO|${"9".repeat(megabyte)}|1|NIFTY`,
      fields.map((f, i) => (i === 4 ? f + "|".repeat(megabyte / 2) : f)).join("|"),
    ];
    for (const line of lines) {
      const started = performance.now();
      const result = parseMasterLine(line, 3);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(result.ok).toBe(false);
      expectWellFormed(result, 3);
    }
    // A valid layout with one huge text field is an instrument: big, but nothing breaks.
    const hugeName = fields.map((f, i) => (i === 4 ? "D".repeat(megabyte) : f)).join("|");
    expect(parseMasterLine(hugeName, 4).ok).toBe(true);
  });
});

describe("parseMasterStream and ContractBuilder on hostile text", () => {
  it("give the same lines whatever the chunking, never throw, account for every line, and keep the unique keys", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(anyLine, fc.constantFrom("\n", "\r\n", "\n\n")), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (lines, cuts) => {
          const text = lines.map(([line, end]) => line + end).join("");
          const whole = await parseAll([text]);
          const split = await parseAll(chunked(text, cuts));
          expect(split).toEqual(whole);
          // Every line that is not blank once its \r is gone is one result; blank lines are counted, not parsed.
          const expected = text.split("\n").slice(0, -1).map((l) => l.replace(/\r$/, ""));
          expect(whole.map((p) => (p.ok ? p.lineNumber : p.issue.lineNumber))).toEqual(
            expected.flatMap((l, i) => (l.trim() === "" ? [] : [i + 1])),
          );
          const builder = new ContractBuilder("jainam_prop");
          for (const parsed of split) {
            expectWellFormed(parsed, parsed.ok ? parsed.lineNumber : parsed.issue.lineNumber);
            builder.addParsed(parsed);
          }
          const built = builder.finish();
          expect(built.totals.lines).toBe(split.length);
          expect(built.totals.rows + built.totals.skipped + built.totals.unparseable).toBe(split.length);
          expect(built.rows).toHaveLength(built.totals.rows);
          expectUniqueKeys(built.rows);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("stores whatever rows a hostile master yields in one transaction: the database's unique keys never refuse them", async () => {
    const store = openSqliteStore(":memory:");
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(anyLine, { minLength: 1, maxLength: 60 }), async (lines) => {
          const builder = new ContractBuilder("jainam_prop");
          for (const parsed of await parseAll([lines.join("\n")])) builder.addParsed(parsed);
          const { rows } = builder.finish();
          const result = await store.replaceBroker("jainam_prop", rows);
          expect(result.inserted).toBe(rows.length);
          expect(await store.loadBroker("jainam_prop")).toHaveLength(rows.length);
        }),
        { numRuns: 150 },
      );
    } finally {
      await store.close();
    }
  });

  it("survives bytes that are not UTF-8, decoded as a stream in any chunking", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 64 }), mutatedLine.map((l) => new TextEncoder().encode(`${l}\n`))), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (parts, cuts) => {
          const bytes = Buffer.concat(parts);
          const decoder = new TextDecoder("utf-8");
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let from = 0;
          for (const at of [...points, bytes.length]) {
            chunks.push(decoder.decode(bytes.subarray(from, at), { stream: at < bytes.length }));
            from = at;
          }
          const builder = new ContractBuilder("jainam_prop");
          for (const parsed of await parseAll(chunks)) builder.addParsed(parsed);
          expectUniqueKeys(builder.finish().rows);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("importMasterFiles on files of garbage", () => {
  const kept: SymbolRow = {
    broker: "jainam_prop", symbol: "SBIN", brsymbol: "SBIN-EQ", name: "SBIN", exchange: "NSE", brexchange: "NSECM",
    token: 3045, expiry: "", strike: 0, lotsize: 1, instrumenttype: "EQ", tick_size: 0.05, freeze_qty: 0, lower_circuit: null, upper_circuit: null,
  };

  it("returns a report with stored:false and leaves the stored contract alone", async () => {
    const garbage = dir.file("garbage.txt");
    // Deterministic junk: random-looking bytes (NULs, invalid UTF-8, pipes), CR-only line ends and a 1 MB line.
    const bytes = Buffer.alloc(3 * 1024 * 1024);
    let x = 0x2545f491;
    for (let i = 0; i < bytes.length; i += 1) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      bytes[i] = x & 0xff;
    }
    bytes.fill("|".charCodeAt(0), 1024 * 1024, 2 * 1024 * 1024);
    writeFileSync(garbage, Buffer.concat([bytes, Buffer.from("\r\r\r\n\n\u0000|NSEFO|\n")]));
    const empty = dir.file("empty.txt");
    writeFileSync(empty, "");

    const store = openSqliteStore(dir.file("garbage.db"));
    try {
      await store.replaceBroker("jainam_prop", [kept]);
      const report = await importMasterFiles(store, "jainam_prop", [garbage, empty]);
      expect(report.stored).toBe(false);
      expect(report.totals.rows).toBe(0);
      expect(report.totals.unparseable).toBeGreaterThan(0);
      expect(report.totals.lines).toBe(report.totals.unparseable);
      expect(report.segments.flatMap((s) => s.issues).every((i) => i.line.length <= 301)).toBe(true);
      expect(await store.loadBroker("jainam_prop")).toEqual([kept]);
    } finally {
      await store.close();
    }
  });

  it("keeps the good lines of a file that is mostly garbage, and counts the rest", async () => {
    const mixed = dir.file("mixed.txt");
    const good = REAL_LINES.slice(0, 40);
    const junk = Array.from({ length: 200 }, (_, i) => `${"#".repeat(i)}|${i}|\u0000|\uFFFD`);
    writeFileSync(mixed, [...junk.slice(0, 100), ...good, ...junk.slice(100)].join("\n"));
    const store = openSqliteStore(dir.file("mixed.db"));
    try {
      const report = await importMasterFiles(store, "jainam_prop", [mixed]);
      expect(report.stored).toBe(true);
      expect(report.totals.unparseable).toBe(200);
      expect(report.totals.lines).toBe(240);
      expect(await store.loadBroker("jainam_prop")).toHaveLength(report.totals.rows);
    } finally {
      await store.close();
    }
  });
});
