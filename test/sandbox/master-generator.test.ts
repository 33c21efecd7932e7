import { openSqliteStore } from "../../src/store/open-store.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContractBuilder, type BuiltContract } from "../../src/mastercontract/contract-builder.js";
import { importMasterFiles } from "../../src/mastercontract/import-files.js";
import { parseIndexEntry, parseMasterLine } from "../../src/xts/master-parser.js";
import { MASTER_SEGMENTS, type MasterSegment } from "../../src/xts/segments.js";
import { generateMaster, masterText, type GeneratedInstrument, type GeneratedKind, type GeneratedMaster } from "../../src/sandbox/master/master-generator.js";

/** A Tuesday: NIFTY's weekly expiry that day, the next on 17 Feb, the monthly on 24 Feb (last Tuesday). */
const REFERENCE = "2026-02-10";
const BROKER = "jainam_prop";

const EXPECTED_KINDS: Readonly<Record<MasterSegment, readonly GeneratedKind[]>> = {
  NSECM: ["cash", "index"],
  BSECM: ["cash", "index"],
  NSEFO: ["future", "option", "spread"],
  BSEFO: ["future", "option", "spread"],
  NSECD: ["future", "option", "spread"],
  MCXFO: ["future", "option", "spot"],
};

const FIELD_COUNT: Readonly<Record<string, number>> = { cash: 22, future: 21, spread: 21, option: 23, spot: 18 };

const cache = new Map<number, GeneratedMaster>();
function master(instruments: number): GeneratedMaster {
  let m = cache.get(instruments);
  if (m === undefined) {
    m = generateMaster({ seed: 42, instruments, referenceDate: REFERENCE });
    cache.set(instruments, m);
  }
  return m;
}

/** The real pipeline: parser, symbology and the builder's unique-key checks, over every line and index entry. */
function build(m: GeneratedMaster): BuiltContract {
  const builder = new ContractBuilder(BROKER);
  for (const segment of MASTER_SEGMENTS) {
    m.lines[segment].forEach((line, i) => builder.addParsed(parseMasterLine(line, i + 1)));
  }
  for (const code of [1, 11] as const) {
    m.indexLists[code].forEach((text, i) => {
      const entry = parseIndexEntry(text, code);
      if ("error" in entry) throw new Error(entry.error);
      builder.addIndexEntry(entry, i + 1);
    });
  }
  return builder.finish();
}

function stored(m: GeneratedMaster): GeneratedInstrument[] {
  return m.instruments.filter((i) => i.exchange !== null);
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
function expiryColumn(iso: string | null): string {
  if (iso === null) return "";
  return `${iso.slice(8, 10)}-${MONTHS[Number(iso.slice(5, 7)) - 1]}-${iso.slice(2, 4)}`;
}

function weekday(iso: string): number {
  return new Date(`${iso}T00:00:00Z`).getUTCDay();
}

/** Up to ten descriptions of what failed, so one assertion reports them all. */
function problems<T>(items: readonly T[], check: (item: T) => string | undefined): string[] {
  const out: string[] = [];
  for (const item of items) {
    const problem = check(item);
    if (problem !== undefined && out.push(problem) >= 10) break;
  }
  return out;
}

function count<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
}

describe("generateMaster: determinism and options", () => {
  it("gives byte-identical output for the same options and different output for another seed", () => {
    const a = generateMaster({ seed: 7, instruments: 5_000, referenceDate: REFERENCE });
    const b = generateMaster({ seed: 7, instruments: 5_000, referenceDate: REFERENCE });
    const c = generateMaster({ seed: 8, instruments: 5_000, referenceDate: REFERENCE });
    for (const segment of MASTER_SEGMENTS) expect(masterText(a, segment)).toBe(masterText(b, segment));
    expect(a.instruments).toEqual(b.instruments);
    expect(a.indexLists).toEqual(b.indexLists);
    expect(MASTER_SEGMENTS.some((s) => masterText(a, s) !== masterText(c, s))).toBe(true);
  });

  it("joins a segment's lines with newlines and no trailing newline", () => {
    const m = master(2_000);
    const text = masterText(m, "NSEFO");
    expect(text.split("\n")).toEqual(m.lines.NSEFO);
    expect(text.endsWith("\n")).toBe(false);
  });

  it("defaults the reference date to today in India", () => {
    const today = (): string => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Kolkata" }).format(new Date());
    const before = today();
    const m = generateMaster({ instruments: 2_000 });
    expect([before, today()]).toContain(m.referenceDate);
    expect(m.seed).toBe(1);
  });

  it("refuses options it cannot honour", () => {
    expect(() => generateMaster({ referenceDate: "2026-02-30" })).toThrow(RangeError);
    expect(() => generateMaster({ referenceDate: "10-02-2026" })).toThrow(RangeError);
    expect(() => generateMaster({ instruments: 0 })).toThrow(RangeError);
    expect(() => generateMaster({ instruments: 1.5 })).toThrow(RangeError);
    expect(() => generateMaster({ seed: 0.5 })).toThrow(RangeError);
  });
});

describe.each([2_000, 150_000])("generateMaster with %i instruments", (size) => {
  it("writes lines that parse, in the field count of their layout, under the segment that lists them", () => {
    const m = master(size);
    for (const segment of MASTER_SEGMENTS) {
      const found = problems(m.lines[segment], (line) => {
        const parsed = parseMasterLine(line, 1);
        if (!parsed.ok) return `${parsed.issue.reason}: ${line}`;
        if (parsed.instrument.ExchangeSegment !== segment) return `listed under ${segment}: ${line}`;
        if (line.split("|").length !== FIELD_COUNT[parsed.instrument.kind]) return `not ${FIELD_COUNT[parsed.instrument.kind]} fields: ${line}`;
        return undefined;
      });
      expect(found, segment).toEqual([]);
    }
  });

  it("has every kind in every segment", () => {
    const m = master(size);
    for (const segment of MASTER_SEGMENTS) {
      const kinds = new Set(m.instruments.filter((i) => i.segment === segment).map((i) => i.kind));
      expect([...kinds].sort(), segment).toEqual([...EXPECTED_KINDS[segment]].sort());
    }
  });

  it("keeps (segment, token) unique and (exchange, symbol) unique, and shares some tokens across segments", () => {
    const m = master(size);
    const most = (counts: Map<string, number>): number => [...counts.values()].reduce((a, b) => Math.max(a, b), 0);
    expect(most(count(m.instruments, (i) => `${i.segment}:${i.token}`))).toBe(1);
    const rows = stored(m);
    expect(most(count(rows, (i) => `${i.exchange}:${i.symbol}`))).toBe(1);
    const segmentsByToken = new Map<number, Set<string>>();
    for (const i of rows) segmentsByToken.set(i.token, (segmentsByToken.get(i.token) ?? new Set()).add(i.segment));
    const shared = [...segmentsByToken.values()].filter((s) => s.size > 1);
    expect(shared.length).toBeGreaterThan(0);
    expect(shared.some((s) => s.has("NSECM") && s.has("MCXFO"))).toBe(true);
    expect(shared.some((s) => s.has("NSECM") && s.has("NSECD"))).toBe(true);
  });

  it("gives through the real parser and symbology exactly the expected (exchange, symbol, token) rows", () => {
    const m = master(size);
    const built = build(m);
    expect(built.totals.unparseable).toBe(0);
    expect(built.totals.collisions).toBe(0);
    const skipped = (reason: string): number => built.segments.reduce((n, s) => n + (s.skipped[reason] ?? 0), 0);
    expect(skipped("spread")).toBe(m.instruments.filter((i) => i.kind === "spread").length);
    expect(skipped("spot")).toBe(m.instruments.filter((i) => i.kind === "spot").length);
    // Each BSE index-list entry is the SPOT row again (same token, same symbol): a duplicate, not a collision.
    expect(skipped("duplicate")).toBe(m.indexLists[11].length);

    const key = (exchange: string | null, symbol: string | null, token: number): string => `${exchange}|${symbol}|${token}`;
    const actual = built.rows.map((r) => key(r.exchange, r.symbol, r.token)).sort();
    const expected = stored(m).map((i) => key(i.exchange, i.symbol, i.token)).sort();
    expect(actual.length).toBe(expected.length);
    expect(actual).toEqual(expected);

    const bySymbol = new Map(stored(m).map((i) => [`${i.exchange}|${i.symbol}`, i]));
    const disagreements = problems(built.rows, (row) => {
      const i = bySymbol.get(`${row.exchange}|${row.symbol}`)!;
      const same =
        row.expiry === expiryColumn(i.expiry) &&
        row.lotsize === i.lotSize &&
        row.strike === (i.strike ?? 0) &&
        (i.kind === "index" || (row.tick_size === i.tickSize && row.brsymbol === i.description && row.freeze_qty === i.freezeQty));
      return same ? undefined : `${JSON.stringify(row)} vs ${JSON.stringify(i)}`;
    });
    expect(disagreements).toEqual([]);
  });

  it("prices every instrument on its tick and inside its band", () => {
    const found = problems(master(size).instruments, (i) => {
      const ticks = i.referencePrice / i.tickSize;
      if (Math.abs(ticks - Math.round(ticks)) > 1e-6) return `${i.description} price ${i.referencePrice} is off tick ${i.tickSize}`;
      if (i.priceBandLow !== null && i.priceBandHigh !== null && !(i.priceBandLow <= i.referencePrice && i.referencePrice <= i.priceBandHigh)) {
        return `${i.description} price ${i.referencePrice} outside ${i.priceBandLow}–${i.priceBandHigh}`;
      }
      if (i.kind !== "spread" && i.referencePrice <= 0) return `${i.description} price ${i.referencePrice} is not positive`;
      return undefined;
    });
    expect(found).toEqual([]);
  });
});

describe("generateMaster: size", () => {
  it("comes within 10% of the default 150,000 with NSEFO the largest segment", () => {
    const m = generateMaster({ referenceDate: REFERENCE });
    expect(m.instruments.length).toBeGreaterThanOrEqual(135_000);
    expect(m.instruments.length).toBeLessThanOrEqual(165_000);
    const perSegment = count(m.instruments, (i) => i.segment);
    const nsefo = perSegment.get("NSEFO")!;
    for (const [segment, n] of perSegment) if (segment !== "NSEFO") expect(n).toBeLessThan(nsefo);
    expect(nsefo / m.instruments.length).toBeGreaterThan(0.5);
  });

  it("scales with the requested size", () => {
    expect(master(2_000).instruments.length).toBeLessThan(3_000);
    const m = generateMaster({ seed: 3, instruments: 20_000, referenceDate: REFERENCE });
    expect(Math.abs(m.instruments.length - 20_000)).toBeLessThan(2_000);
  });
});

describe("generateMaster: symbology and calendar", () => {
  let m: GeneratedMaster;
  beforeAll(() => {
    m = master(150_000);
  });
  const find = (exchange: string, symbol: string): GeneratedInstrument | undefined => m.instruments.find((i) => i.exchange === exchange && i.symbol === symbol);

  it("describes NIFTY weeklies as YYMDD and monthlies as YYMMM, with the real expiry day in the symbol", () => {
    const weekly = m.instruments.find((i) => i.name === "NIFTY" && i.kind === "option" && i.expiry === "2026-02-17" && i.optionType === "PE")!;
    expect(weekly.description).toBe(`NIFTY26217${weekly.strike}PE`);
    expect(weekly.symbol).toBe(`NIFTY17FEB26${weekly.strike}PE`);
    const monthly = m.instruments.find((i) => i.name === "NIFTY" && i.kind === "option" && i.expiry === "2026-02-24" && i.optionType === "CE")!;
    expect(monthly.description).toBe(`NIFTY26FEB${monthly.strike}CE`);
    expect(find("NFO", "NIFTY24FEB26FUT")?.description).toBe("NIFTY26FEBFUT");
    expect(m.lines.NSEFO.find((l) => l.includes("|NIFTY26FEBFUT|"))).toContain("|2026-02-24T14:30:00|NIFTY 24FEB2026|1|1|NIFTY26FEBFUT");
  });

  it("puts NSE equity expiries on Tuesdays, BSE ones on Thursdays, with each segment's expiration time", () => {
    const expected: Partial<Record<MasterSegment, number>> = { NSEFO: 2, BSEFO: 4 };
    const found = problems(m.instruments, (i) => {
      const day = expected[i.segment];
      if (i.expiry === null || day === undefined || i.name === "061NSETEST") return undefined;
      return weekday(i.expiry) === day ? undefined : `${i.description} expires ${i.expiry}`;
    });
    expect(found).toEqual([]);
    const time = (segment: MasterSegment): Set<string> => new Set(m.lines[segment].filter((l) => /\|\d{4}-\d\d-\d\dT/.test(l)).map((l) => /T(\d\d:\d\d:\d\d)\|/.exec(l)![1]!));
    expect(time("NSEFO")).toEqual(new Set(["14:30:00"]));
    expect(time("BSEFO")).toEqual(new Set(["00:00:00"]));
    expect(time("MCXFO")).toEqual(new Set(["23:30:00"]));
  });

  it("writes decimal strikes in their shortest form and whole ones without decimals", () => {
    const currency = m.instruments.filter((i) => i.exchange === "CDS" && i.kind === "option");
    expect(currency.some((i) => /^USDINR\d\d[A-Z]{3}\d\d\d+\.25CE$/.test(i.symbol!))).toBe(true);
    expect(currency.some((i) => /^EURINR\d\d[A-Z]{3}\d\d\d+\.5PE$/.test(i.symbol!))).toBe(true);
    expect(m.instruments.some((i) => i.exchange === "NFO" && /\d\.5CE$/.test(i.symbol!))).toBe(true);
    expect(m.instruments.filter((i) => i.kind === "option").every((i) => !/\.\d*0(CE|PE)$/.test(i.symbol!))).toBe(true);
    expect(currency.every((i) => i.tickSize === 0.0025 && i.lotSize === 1)).toBe(true);
  });

  it("keeps the contract specs", () => {
    expect(find("NFO", "NIFTY24FEB26FUT")?.lotSize).toBe(75);
    expect(find("NFO", "BANKNIFTY24FEB26FUT")?.lotSize).toBe(35);
    expect(find("BFO", "SENSEX26FEB26FUT")?.lotSize).toBe(20);
    expect(find("BFO", "BANKEX26FEB26FUT")?.lotSize).toBe(30);
    expect(m.instruments.filter((i) => i.exchange === "NFO").every((i) => i.tickSize === 0.05)).toBe(true);
    expect(find("NFO", "M&M24FEB26FUT")).toBeDefined();
    expect(find("NFO", "BAJAJ-AUTO24FEB26FUT")).toBeDefined();
  });

  it("names indices as OpenAlgo does and lists BSE indices under their SPOT tokens", () => {
    const nse = new Map(m.indexLists[1].map((e) => [e, m.instruments.find((i) => i.exchange === "NSE_INDEX" && i.description === e)?.symbol]));
    expect(nse.get("NIFTY 50_26000")).toBe("NIFTY");
    expect(nse.get("NIFTY BANK_26001")).toBe("BANKNIFTY");
    expect(nse.get("NIFTY FIN SERVICE_26034")).toBe("FINNIFTY");
    expect(nse.get("NIFTY MID SELECT_26121")).toBe("MIDCPNIFTY");
    expect(nse.get("HANGSENG BEES-NAV_26044")).toBe("HANGSENGBEESNAV");
    const spot = (code: string): GeneratedInstrument => m.instruments.find((i) => i.exchange === "BSE_INDEX" && i.name === code)!;
    expect(spot("SNSX50").symbol).toBe("SENSEX50");
    expect(spot("BSE CG").symbol).toBe("BSECAPITALGOODS");
    expect(spot("OILGAS").symbol).toBe("BSEOIL&GAS");
    expect(spot("BSEQUI").symbol).toBe("BSEQUI");
    expect(m.indexLists[11]).toContain("SENSEX_26065");
    for (const entry of m.indexLists[11]) {
      const at = entry.lastIndexOf("_");
      expect(spot(entry.slice(0, at)).token).toBe(Number(entry.slice(at + 1)));
    }
    // A BSE ETF called METAL and the METAL index both exist, on different exchanges.
    expect(find("BSE", "METAL")).toBeDefined();
    expect(find("BSE_INDEX", "BSEMETAL")).toBeDefined();
  });

  it("shows NSE series as the bare name only for EQ, BE, BZ, SM, ST and SZ", () => {
    const cash = m.instruments.filter((i) => i.exchange === "NSE");
    const found = problems(cash, (i) => {
      const series = i.description.slice(i.name.length + 1);
      const expected = ["EQ", "BE", "BZ", "SM", "ST", "SZ"].includes(series) ? i.name : i.description;
      return i.symbol === expected ? undefined : `${i.description} got ${i.symbol}`;
    });
    expect(found).toEqual([]);
    const seriesSeen = new Set(cash.map((i) => i.description.slice(i.name.length + 1)));
    for (const series of ["EQ", "BE", "SM", "ST", "BZ", "SG", "GS", "MF", "T0", "NA"]) expect(seriesSeen).toContain(series);
  });
});

describe("generateMaster: storage", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("imports through the file importer into a real SQLite store, keeping both rows of a shared token", async () => {
    const m = master(150_000);
    const dir = mkdtempSync(join(tmpdir(), "xtsbridge-generator-"));
    dirs.push(dir);
    const files = MASTER_SEGMENTS.map((segment) => {
      const file = join(dir, `${segment}.txt`);
      writeFileSync(file, masterText(m, segment));
      return file;
    });
    const store = openSqliteStore(join(dir, "db", "symbols.db"));
    try {
      const report = await importMasterFiles(store, BROKER, files);
      expect(report.totals.unparseable).toBe(0);
      expect(report.totals.collisions).toBe(0);
      // NSE index rows come from the index list, which the file importer does not read.
      const expected = Object.fromEntries(count(stored(m).filter((i) => i.exchange !== "NSE_INDEX"), (i) => i.exchange!));
      expect(await store.countByExchange(BROKER)).toEqual(expected);

      const sample = m.instruments.filter((i) => i.exchange !== null && i.exchange !== "NSE_INDEX").filter((_, n) => n % 997 === 0);
      for (const i of sample) {
        const row = await store.findBySymbol(BROKER, i.exchange!, i.symbol!);
        expect(row?.token, i.symbol!).toBe(i.token);
      }
      const nseTokens = new Set(m.instruments.filter((i) => i.exchange === "NSE").map((i) => i.token));
      const shared = m.instruments.find((i) => i.exchange === "MCX" && nseTokens.has(i.token))!;
      expect((await store.findByToken(BROKER, "MCX", shared.token))?.symbol).toBe(shared.symbol);
      expect((await store.findByToken(BROKER, "NSE", shared.token))?.exchange).toBe("NSE");
    } finally {
      await store.close();
    }
  });

  it("stores the full contract, index lists included, through replaceBroker", async () => {
    const m = master(2_000);
    const built = build(m);
    const dir = mkdtempSync(join(tmpdir(), "xtsbridge-generator-"));
    dirs.push(dir);
    const store = openSqliteStore(join(dir, "symbols.db"));
    try {
      const result = await store.replaceBroker(BROKER, built.rows);
      expect(result.inserted).toBe(stored(m).length);
      expect(await store.countByExchange(BROKER)).toEqual(Object.fromEntries(count(stored(m), (i) => i.exchange!)));
      expect((await store.findBySymbol(BROKER, "NSE_INDEX", "NIFTY"))?.token).toBe(26000);
      expect((await store.findBySymbol(BROKER, "BSE_INDEX", "SENSEX"))?.token).toBe(26065);
    } finally {
      await store.close();
    }
  });
});
