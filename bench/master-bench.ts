import { openSqliteStore } from "../src/store/open-store.js";
import type { SqlStore } from "../src/store/sql-store.js";
import { ContractBuilder } from "../src/instruments/contract-builder.js";
import { Resolver } from "../src/resolver/resolver.js";
import { SymbolIndex } from "../src/resolver/symbol-index.js";
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
  for (let i = 0; i < 3; i += 1) {
    const started = performance.now();
    SymbolIndex.build(await store.loadBroker("jainam_prop"));
    loadRuns.push(performance.now() - started);
  }
  results.push(report(`index load from the database at start-up (${label})`, [`best of 3: ${fmt(Math.min(...loadRuns), 0)} ms for ${fmt(built.rows.length, 0)} rows`]));
  results.push(lookupBench(built.rows));
  return results;
}

function lookupBench(rows: readonly SymbolRow[]): BenchResult {
  const before = settledHeap();
  const index = SymbolIndex.build(rows.map((r) => ({ ...r })));
  const after = settledHeap();
  const resolver = new Resolver({} as SymbolStore, "jainam_prop", silentLogger());
  resolver.swap(index);
  const sample = Array.from({ length: 4096 }, (_, i) => rows[(i * 7919) % rows.length]!);
  let sink = 0;
  // Warm up first, so the JIT has settled before anything is timed.
  for (let i = 0; i < 200_000; i += 1) sink += resolver.getTokenFromSymbol(sample[i & 4095]!.symbol, sample[i & 4095]!.exchange);
  // One lookup costs less than reading the clock twice, so time batches of 32 and divide.
  const batches: number[] = [];
  for (let b = 0; b < 20_000; b += 1) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < 32; k += 1) {
      const row = sample[(b * 32 + k) & 4095]!;
      sink += resolver.getTokenFromSymbol(row.symbol, row.exchange);
    }
    batches.push(Number(process.hrtime.bigint() - t0) / 32);
  }
  const perBatch = summary(batches);
  const batchStarted = process.hrtime.bigint();
  for (let i = 0; i < 1_000_000; i += 1) sink += resolver.getTokenFromSymbol(sample[i & 4095]!.symbol, sample[i & 4095]!.exchange);
  const batchNs = Number(process.hrtime.bigint() - batchStarted) / 1_000_000;
  return report("cached lookup getTokenFromSymbol (150,000-row index)", [
    `per call, timed in batches of 32 (20,000 batches): p50 ${fmt(perBatch.p50, 0)} ns, p99 ${fmt(perBatch.p99, 0)} ns, max ${fmt(perBatch.max, 0)} ns`,
    `1,000,000 back-to-back calls: ${fmt(batchNs, 0)} ns per call`,
    `heap held by the index (rows + maps): ${mb(after - before)}${(globalThis as { gc?: unknown }).gc ? "" : " (run with --expose-gc for a settled number)"}`,
    `checksum ${sink % 1000}`,
  ]);
}

export async function sqliteStore(path: string): Promise<SqlStore> {
  return openSqliteStore(path);
}
