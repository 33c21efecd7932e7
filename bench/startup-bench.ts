import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { columnsOfRows } from "../src/resolver/columns-writer.js";
import { encodeSnapshot } from "../src/resolver/contract-snapshot.js";
import { openSqliteStore } from "../src/store/open-store.js";
import { buildContract } from "./master-bench.js";
import { fmt, report, summary, type BenchResult } from "./stats.js";

const BIN = fileURLToPath(new URL("../../bin/xtsbridge.js", import.meta.url));

/** Milliseconds from spawning `command` to the first stderr/stdout line matching `ready`; the process is then stopped. */
async function timeToLine(args: readonly string[], env: Record<string, string>, ready: RegExp): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let seen = "";
  try {
    return await new Promise<number>((resolve, reject) => {
      const look = (chunk: Buffer): void => {
        seen += chunk.toString();
        if (ready.test(seen)) resolve(performance.now() - started);
      };
      child.stdout.on("data", look);
      child.stderr.on("data", look);
      child.once("exit", (code) => reject(new Error(`exited (${code}) before it was ready:\n${seen.slice(-2000)}`)));
    });
  } finally {
    child.kill("SIGTERM");
    if (child.exitCode === null) await once(child, "exit");
  }
}

async function median(runs: number, measure: () => Promise<number>): Promise<{ p50: number; all: number[] }> {
  const all: number[] = [];
  for (let i = 0; i < runs; i += 1) all.push(await measure());
  return { p50: summary(all).p50, all };
}

/**
 * Issue 17: start-up to serving on a stored 150,000-instrument contract. The built CLI
 * (`bin/xtsbridge.js serve`) as a replica, so it serves the stored contract without an XTS login:
 * time from spawn to the "serving" line, with the contract's snapshot and without it (the rows
 * read instead), next to a bare Fastify process listening (the floor: Node, one import, listen).
 */
export async function startupBench(dir: string): Promise<BenchResult> {
  const path = `${dir}/startup.db`;
  const { built } = await buildContract(150_000);
  const store = openSqliteStore(path);
  const status = { status: "success" as const, message: "bench", finishedAt: new Date().toISOString(), durationMs: 0 };
  await store.replaceBroker("jainam_prop", built.rows, status, encodeSnapshot(columnsOfRows("jainam_prop", built.rows)));
  const env = {
    DATABASE_URL: `sqlite:${path}`,
    XTSBRIDGE_PRIMARY_URL: "http://127.0.0.1:9",
    XTSBRIDGE_REPLICA_SECRET: "bench-replica-secret-0123456789abcdef",
    PORT: "0",
    WEBSOCKET_PORT: "off",
    LOG_LEVEL: "warn",
  };
  const serving = /xtsbridge is serving/;
  const withSnapshot = await median(5, () => timeToLine([BIN, "serve"], env, serving));
  await store.replaceBroker("jainam_prop", built.rows, status);
  const withoutSnapshot = await median(5, () => timeToLine([BIN, "serve"], env, serving));
  await store.close();
  const fastify = fileURLToPath(new URL("../../node_modules/fastify/fastify.js", import.meta.url));
  const bare = await median(5, () =>
    timeToLine(["--input-type=module", "-e", `const { default: f } = await import(${JSON.stringify(fastify)}); const app = f(); app.get("/", async () => "ok"); await app.listen({ port: 0, host: "127.0.0.1" }); console.log("listening");`], {}, /listening/),
  );
  const node = await median(5, () => timeToLine(["-e", "console.log('up')"], {}, /up/));
  const runs = (r: { all: number[] }): string => r.all.map((n) => fmt(n, 0)).join(", ");
  return report(`start-up to serving on a stored contract (${fmt(built.rows.length, 0)} rows, SQLite), median of 5`, [
    `with the contract snapshot: ${fmt(withSnapshot.p50, 0)} ms (runs ${runs(withSnapshot)}; target ≤ 500 ms)`,
    `without it (the rows read instead): ${fmt(withoutSnapshot.p50, 0)} ms (runs ${runs(withoutSnapshot)})`,
    `baseline, a bare Fastify process to listening: ${fmt(bare.p50, 0)} ms; node printing one line: ${fmt(node.p50, 0)} ms`,
  ]);
}
