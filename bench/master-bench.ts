import { openSqliteStore } from "../src/store/open-store.js";
import type { SqlStore } from "../src/store/sql-store.js";
import { ContractBuilder } from "../src/mastercontract/contract-builder.js";
import { Resolver } from "../src/resolver/resolver.js";
import { SymbolIndex } from "../src/resolver/symbol-index.js";
import { detachedRow } from "../src/resolver/contract-columns.js";
import { silentLogger } from "../src/logger.js";
import { generateMaster, masterText } from "../src/sandbox/master/master-generator.js";
import type { SymbolStore } from "../src/store/symbol-store.js";
import type { SymbolRow } from "../src/store/types.js";
import { parseIndexEntry, parseMasterStream } from "../src/xts/master-parser.js";
import { MASTER_SEGMENTS } from "../src/xts/segments.js";
import { fmt, mb, report, settledHeap, summary, type BenchResult } from "./stats.js";

/** Splits a body into 64 KiB chunks, as a streamed HTTP body would arrive. */
function* chunks(text: string, size = 64 * 1024): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

export async function buildContract(instruments: number) {
  const master = generateMaster({ instruments, seed: 7, referenceDate: "2026-11-25" });
  const texts = MASTER_SEGMENTS.map((s) => masterText(master, s));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const lines = MASTER_SEGMENTS.reduce((n, s) => n + master.lines[s].length, 0);
  const started = performance.now();
  const builder = new ContractBuilder("jainam_prop");
  for (const code of [1, 11] as const) {
    master.indexLists[code].forEach((e, i) => {
      const entry = parseIndexEntry(e, code);
      if (!("error" in entry)) builder.addIndexEntry(entry, i + 1);
    });
  }
  for (const text of texts) for await (const batch of parseMasterStream(chunks(text))) for (const parsed of batch) builder.addParsed(parsed);
  const built = builder.finish();
  return { master, built, bytes, lines, parseMs: performance.now() - started };
}

/** Issue 2: parse + store throughput for a 150,000-line master, and lookup latency. */
export async function masterBench(store: SymbolStore, label: string): Promise<BenchResult[]> {
  const { built, bytes, lines, parseMs } = await buildContract(150_000);
  const storeStarted = performance.now();
  await store.replaceBroker("jainam_prop", built.rows);
  const storeMs = performance.now() - storeStarted;
  const results = [
    report(`master parse + build (150,000-instrument generated master)`, [
      `${fmt(lines, 0)} lines, ${mb(bytes)} of text → ${fmt(built.rows.length, 0)} rows, ${built.totals.unparseable} unparseable`,
      `parse + symbology + unique-key checks: ${fmt(parseMs, 0)} ms (${fmt(lines / (parseMs / 1000), 0)} lines/s)`,
    ]),
    report(`store: replaceBroker in one transaction (${label})`, [
      `${fmt(built.rows.length, 0)} rows in ${fmt(storeMs, 0)} ms (${fmt(built.rows.length / (storeMs / 1000), 0)} rows/s)`,
    ]),
  ];

  const loadRuns: number[] = [];
  const objectLoadRuns: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    let started = performance.now();
    await new Resolver(store, "jainam_prop", silentLogger()).load();
    loadRuns.push(performance.now() - started);
    started = performance.now();
    mapIndex(await store.loadBroker("jainam_prop"));
    objectLoadRuns.push(performance.now() - started);
  }
  results.push(
    report(`index load from the database at start-up (${label})`, [
      `columnar index from the store's arrays, best of 3: ${fmt(Math.min(...loadRuns), 0)} ms for ${fmt(built.rows.length, 0)} rows`,
      `baseline, a row object each in two Maps (the index before issue 17): ${fmt(Math.min(...objectLoadRuns), 0)} ms`,
    ]),
  );
  results.push(lookupBench(built.rows));
  results.push(searchBench(built.rows));
  return results;
}

/** The index as it was before issue 17: a row object each, in Maps by exchange and symbol / token. */
function mapIndex(rows: readonly SymbolRow[]): { bySymbol: Map<string, Map<string, SymbolRow>>; byToken: Map<string, Map<number, SymbolRow>> } {
  const bySymbol = new Map<string, Map<string, SymbolRow>>();
  const byToken = new Map<string, Map<number, SymbolRow>>();
  for (const row of rows) {
    let symbols = bySymbol.get(row.exchange);
    if (symbols === undefined) {
      symbols = new Map();
      bySymbol.set(row.exchange, symbols);
      byToken.set(row.exchange, new Map());
    }
    symbols.set(row.symbol, row);
    byToken.get(row.exchange)!.set(row.token, row);
  }
  return { bySymbol, byToken };
}

/** Heap plus memory outside it (typed arrays, external strings), after two full collections. */
function settledMemory(): number {
  settledHeap();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** Milliseconds of one full (major) collection with whatever the caller holds alive. */
function fullGcMs(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return Number.NaN;
  const runs: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    gc();
    runs.push(performance.now() - started);
  }
  return Math.min(...runs);
}

function timeLookups(lookup: (symbol: string, exchange: string) => number, sample: readonly SymbolRow[]): { p50: number; p99: number; max: number; perCall: number; sink: number } {
  let sink = 0;
  // Warm up first, so the JIT has settled before anything is timed.
  for (let i = 0; i < 200_000; i += 1) sink += lookup(sample[i & 4095]!.symbol, sample[i & 4095]!.exchange);
  // One lookup costs less than reading the clock twice, so time batches of 32 and divide.
  const batches: number[] = [];
  for (let b = 0; b < 20_000; b += 1) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < 32; k += 1) {
      const row = sample[(b * 32 + k) & 4095]!;
      sink += lookup(row.symbol, row.exchange);
    }
    batches.push(Number(process.hrtime.bigint() - t0) / 32);
  }
  const perBatch = summary(batches);
  const started = process.hrtime.bigint();
  for (let i = 0; i < 1_000_000; i += 1) sink += lookup(sample[i & 4095]!.symbol, sample[i & 4095]!.exchange);
  return { ...perBatch, perCall: Number(process.hrtime.bigint() - started) / 1_000_000, sink };
}

function lookupBench(rows: readonly SymbolRow[]): BenchResult {
  // Copies, so that neither index shares strings with the builder's rows.
  const copies = (): SymbolRow[] => rows.map(detachedRow);
  const emptyGc = fullGcMs();
  const sample = Array.from({ length: 4096 }, (_, i) => rows[(i * 7919) % rows.length]!);
  // In a function of its own, so that the columnar index is garbage before the baseline is built.
  // Each index is built in a function of its own, so the copied rows it was built from are garbage
  // (not held by the caller's frame) when its memory is measured.
  const buildColumnar = (): SymbolIndex => SymbolIndex.build(copies());
  const buildMaps = (): ReturnType<typeof mapIndex> => mapIndex(copies());
  const measureColumnar = (): { heap: number; gc: number; timing: ReturnType<typeof timeLookups> } => {
    const before = settledMemory();
    const resolver = new Resolver({} as SymbolStore, "jainam_prop", silentLogger());
    resolver.swap(buildColumnar());
    const heap = settledMemory() - before;
    return { heap, gc: fullGcMs(), timing: timeLookups((s, e) => resolver.getTokenFromSymbol(s, e), sample) };
  };
  const { heap: columnarHeap, gc: columnarGc, timing: columnar } = measureColumnar();

  const before = settledMemory();
  const maps = buildMaps();
  const mapHeap = settledMemory() - before;
  const mapGc = fullGcMs();
  const baseline = timeLookups((s, e) => maps.bySymbol.get(e)!.get(s)!.token, sample);
  const gcNote = Number.isNaN(emptyGc) ? " (run with --expose-gc)" : "";
  return report("cached lookup getTokenFromSymbol (150,000-row index)", [
    `columnar index, per call in batches of 32 (20,000 batches): p50 ${fmt(columnar.p50, 0)} ns, p99 ${fmt(columnar.p99, 0)} ns, max ${fmt(columnar.max, 0)} ns; 1,000,000 back-to-back: ${fmt(columnar.perCall, 0)} ns per call`,
    `baseline, two Map gets on row objects (no resolver around it): p50 ${fmt(baseline.p50, 0)} ns, p99 ${fmt(baseline.p99, 0)} ns; back-to-back ${fmt(baseline.perCall, 0)} ns per call`,
    `memory held (heap + typed arrays): columnar ${mb(columnarHeap)}, row objects in Maps ${mb(mapHeap)}${gcNote}`,
    `one full GC: ${fmt(emptyGc, 1)} ms with only the bench's source rows alive, ${fmt(columnarGc, 1)} ms holding the columnar index, ${fmt(mapGc, 1)} ms holding the row objects in Maps${gcNote}`,
    `checksum ${(columnar.sink + baseline.sink) % 1000}`,
  ]);
}

const SEARCHES = ["NIFTY FUT", "RELIANCE", "BANKNIFTY CE", "GOLD", "26000", "INFY 27"];

/**
 * Issue 19: symbol search's text, built on the first search and then held for as long as the
 * index, against the same held as a string per row (the search before this change), in one run.
 */
function indexOfCopies(rows: readonly SymbolRow[]): SymbolIndex {
  return SymbolIndex.build(rows.map(detachedRow));
}

function searchBench(rows: readonly SymbolRow[]): BenchResult {
  // Built in a function of its own, so the copied rows it was built from are garbage here.
  const index = indexOfCopies(rows);
  const before = settledMemory();
  const gcBefore = fullGcMs();
  let started = performance.now();
  let sink = index.search(SEARCHES[0]!).length;
  const firstMs = performance.now() - started;
  const held = settledMemory() - before;
  const gcHeld = fullGcMs();
  const timed = (search: (query: string) => number): number => {
    const runs: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      const t0 = performance.now();
      for (const q of SEARCHES) sink += search(q);
      runs.push((performance.now() - t0) / SEARCHES.length);
    }
    return summary(runs).p50;
  };
  const flatMs = timed((q) => index.search(q).length);

  // The baseline: a string per row, each term looked for with includes() in every row's string.
  const baselineBefore = settledMemory();
  started = performance.now();
  const perRow = Array.from({ length: index.size }, (_, i) => {
    const r = index.row(i);
    return `${r.symbol}\u0001${r.brsymbol.toUpperCase()}\u0001${r.name.toUpperCase()}\u0001${r.token}`;
  });
  const perRowBuildMs = performance.now() - started;
  const perRowHeld = settledMemory() - baselineBefore;
  const perRowGc = fullGcMs();
  const perRowMs = timed((q) => {
    const terms = q.split(" ");
    let n = 0;
    for (const text of perRow) if (terms.every((t) => text.includes(t))) n += 1;
    return n;
  });
  return report("symbol search over the 150,000-row index", [
    `search text, one flat string and a line offset each: built on the first search in ${fmt(firstMs, 0)} ms, holds ${mb(held)}; a search ${fmt(flatMs, 1)} ms (median over ${SEARCHES.length} queries, ranking and rows included)`,
    `baseline, a string per row: built in ${fmt(perRowBuildMs, 0)} ms, holds ${mb(perRowHeld)}; a scan of every row's string ${fmt(perRowMs, 1)} ms (matching only)`,
    `one full GC: ${fmt(gcBefore, 1)} ms before any search, ${fmt(gcHeld, 1)} ms holding the flat text, ${fmt(perRowGc, 1)} ms holding the strings per row`,
    `checksum ${(sink + perRow.length) % 1000}`,
  ]);
}

export async function sqliteStore(path: string): Promise<SqlStore> {
  return openSqliteStore(path);
}
