import { openPostgresStore } from "../src/store/open-store.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { masterBench, sqliteStore } from "./master-bench.js";
import { refreshBench, separateSandboxRefreshBench } from "./refresh-bench.js";
import { httpOrderBench, translationBench } from "./orders-bench.js";
import { instrumentsBench } from "./instruments-bench.js";
import { generatorBench } from "./generator-bench.js";
import { marketBench } from "./market-bench.js";
import { streamBench } from "./stream-bench.js";
import { optionsBench } from "./options-bench.js";
import { dashboardBench } from "./dashboard-bench.js";
import { startupBench } from "./startup-bench.js";
import { throughputBench } from "./throughput-bench.js";
import { importBench } from "./import-bench.js";
import { refreshMemoryBench } from "./refresh-memory-bench.js";
import pg from "pg";

/**
 * `npm run bench [-- NAME...]`: prints numbers, asserts nothing. Names: generator, master, import, refresh, refresh-memory, orders, instruments, market, stream, options, dashboard, postgres, startup, throughput (default: all).
 * Results are copied into docs/benchmarks.md by hand, with the machine they ran on.
 */
const wanted = new Set(process.argv.slice(2));
const run = (name: string): boolean => wanted.size === 0 || wanted.has(name);

console.log(`# xtsbridge benchmarks — node ${process.version}, ${new Date().toISOString()}`);
const dir = mkdtempSync(join(tmpdir(), "xtsbridge-bench-"));
try {
  // First, while the process is fresh: generation is measured cold, as the sandbox pays it.
  if (run("generator")) await generatorBench();
  if (run("master")) {
    const store = await sqliteStore(join(dir, "bench.db"));
    await masterBench(store, "SQLite");
    await store.close();
  }
  if (run("orders")) {
    const store = await sqliteStore(join(dir, "orders.db"));
    const { buildContract } = await import("./master-bench.js");
    await store.replaceBroker("jainam_prop", (await buildContract(150_000)).built.rows);
    await translationBench(store);
    await store.close();
    const httpStore = await sqliteStore(join(dir, "http.db"));
    await httpOrderBench(httpStore, Number(process.env["BENCH_RATE"] ?? 200), Number(process.env["BENCH_SECONDS"] ?? 10));
    await httpStore.close();
  }
  if (run("instruments")) {
    const store = await sqliteStore(join(dir, "instruments.db"));
    await instrumentsBench(store);
    await store.close();
  }
  if (run("market")) {
    const store = await sqliteStore(join(dir, "market.db"));
    await marketBench(store, "SQLite");
    await store.close();
  }
  if (run("stream")) {
    const store = await sqliteStore(join(dir, "stream.db"));
    await streamBench(store);
    await store.close();
  }
  if (run("options")) {
    const store = await sqliteStore(join(dir, "options.db"));
    await optionsBench(store);
    await store.close();
  }
  if (run("dashboard")) {
    const store = await sqliteStore(join(dir, "dashboard.db"));
    await dashboardBench(store);
    await store.close();
  }
  if (run("postgres")) {
    // Same store benchmarks on PostgreSQL, in a throw-away schema of $BENCH_PG_URL (default: the local server).
    const base = process.env["BENCH_PG_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";
    const schema = `bench_${process.pid}`;
    const store = await openPostgresStore(`${base}${base.includes("?") ? "&" : "?"}schema=${schema}`);
    try {
      await masterBench(store, "PostgreSQL");
      await refreshBench(store, "PostgreSQL");
      await marketBench(store, "PostgreSQL");
    } finally {
      await store.close();
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }
  if (run("import")) await importBench(dir);
  if (run("startup")) await startupBench(dir);
  if (run("throughput")) await throughputBench();
  if (run("refresh")) {
    const store = await sqliteStore(join(dir, "refresh.db"));
    await refreshBench(store, "SQLite");
    await store.close();
    await separateSandboxRefreshBench((mode) => `sqlite:${join(dir, `refresh-${mode.replace(/\W+/g, "-")}.db`)}`);
  }
  if (run("refresh-memory")) await refreshMemoryBench(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
