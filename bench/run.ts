import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { masterBench, sqliteStore } from "./master-bench.js";
import { refreshBench } from "./refresh-bench.js";

/**
 * `npm run bench [-- NAME...]`: prints numbers, asserts nothing. Names: master, refresh (default: all).
 * Results are copied into docs/benchmarks.md by hand, with the machine they ran on.
 */
const wanted = new Set(process.argv.slice(2));
const run = (name: string): boolean => wanted.size === 0 || wanted.has(name);

console.log(`# xtsbridge benchmarks — node ${process.version}, ${new Date().toISOString()}`);
const dir = mkdtempSync(join(tmpdir(), "xtsbridge-bench-"));
try {
  if (run("master")) {
    const store = await sqliteStore(join(dir, "bench.db"));
    await masterBench(store, "SQLite");
    await store.close();
  }
  if (run("refresh")) {
    const store = await sqliteStore(join(dir, "refresh.db"));
    await refreshBench(store, "SQLite");
    await store.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
