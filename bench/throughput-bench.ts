import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";
import { sandboxSettings, serveFlags, servingAt, startNode, stopProcess, type Started } from "./processes.js";
import { fmt, report, summary, type BenchResult } from "./stats.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin", "xtsbridge.js");
const BARE = fileURLToPath(new URL("./bare-fastify.js", import.meta.url));
/** Alternating runs per measurement (the median is reported). */
const ROUNDS = 3;
/** Issue 19's rate for the order latency target. */
const ORDER_RATE = 500;

interface WrkResult {
  readonly rps: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

function hasWrk(): boolean {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its version.
    return (error as { status?: number }).status === 1;
  }
}

const millis = (value: string, unit: string): number => Number(value) * (unit === "us" ? 0.001 : unit === "s" ? 1000 : 1);

/** One wrk run (closed loop, `connections` keep-alive connections) posting `body` to `url`. */
async function wrk(url: string, body: string, seconds: number, connections: number, cpu: string | undefined, dir: string): Promise<WrkResult> {
  const script = join(dir, "post.lua");
  writeFileSync(script, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ${JSON.stringify(body)}\n`);
  const argv = ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "-s", script, url];
  const child = cpu === undefined ? spawn("wrk", argv) : spawn("taskset", ["-c", cpu, "wrk", ...argv]);
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
  if (code !== 0 || rps === null || p99 === null) throw new Error(`wrk failed (${code}):\n${out}`);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = socketErrors === null ? 0 : socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0);
  return { rps: Number(rps[1]), p99Ms: millis(p99[1]!, p99[2]!), non2xx, errors };
}

interface OpenLoopResult {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly sent: number;
  readonly failed: number;
}

/**
 * Open loop at a fixed rate (request n is due at n / rate seconds, whether or not the earlier ones
 * have been answered), from this process over one keep-alive pool: the latency each request saw.
 */
async function openLoop(url: string, body: (n: number) => string, rate: number, seconds: number): Promise<OpenLoopResult> {
  const { origin, pathname } = new URL(url);
  const pool = new Pool(origin, { connections: 128 });
  const latencies: number[] = [];
  let failed = 0;
  const pending = new Set<Promise<void>>();
  const total = Math.round(rate * seconds);
  const started = performance.now();
  try {
    for (let n = 0; n < total; ) {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
      for (; n < due; n += 1) {
        const sentAt = performance.now();
        const one = pool
          .request({ method: "POST", path: pathname, headers: { "content-type": "application/json" }, body: body(n) })
          .then(async (answer) => {
            await answer.body.text();
            if (answer.statusCode === 200) latencies.push(performance.now() - sentAt);
            else failed += 1;
          })
          .catch(() => {
            failed += 1;
          })
          .finally(() => pending.delete(one));
        pending.add(one);
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(pending);
  } finally {
    await pool.close();
  }
  const s = summary(latencies);
  return { p50: s.p50, p99: s.p99, max: s.max, sent: total, failed };
}

/** Waits until the start-up refresh has loaded the contract (a symbol resolves), then lets the streams connect. */
async function settled(url: string, apikey: string): Promise<void> {
  const deadline = performance.now() + 120_000;
  for (;;) {
    const answer = await fetch(`${url}/api/v1/symbol`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ apikey, symbol: "RELIANCE", exchange: "NSE" }) });
    await answer.arrayBuffer();
    if (answer.status === 200) break;
    if (performance.now() > deadline) throw new Error(`the server did not load its contract within 120 s (symbol answered ${answer.status})`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await new Promise((r) => setTimeout(r, 5_000));
}

/**
 * Issue 19: saturated throughput of xtsbridge's ping, symbol, quotes and placeorder against a bare
 * Fastify 5 process in the same run (bare-fastify.ts: a constant answer, and one XTS call over
 * fetch and over undici to the same sandbox). The server under test and the baseline run on CPU 0
 * in turn; wrk and the sandbox share CPU 1. xtsbridge runs as `npm start` runs it: LOG_LEVEL=info
 * (one line per request), the per-key rate limits raised out of the way. Needs wrk (Debian's
 * package: `apt-get install -y wrk`).
 */
export async function throughputBench(seconds = Number(process.env["BENCH_SECONDS"] ?? 5), connections = 32): Promise<BenchResult> {
  if (!hasWrk()) return report("Throughput (issue 19)", ["skipped: needs wrk on the PATH (apt-get install -y wrk)"]);
  const twoCores = cpus().length >= 2;
  const serverCpu = twoCores ? "0" : undefined;
  const loadCpu = twoCores ? "1" : undefined;
  const dir = mkdtempSync(join(tmpdir(), "xtsbridge-throughput-"));
  const running: Started<unknown>[] = [];
  try {
    const sandbox = await startNode({ argv: [BIN, "sandbox", "--port", "0", "--instruments", "150000"], env: {}, cwd: ROOT, ...(loadCpu === undefined ? {} : { cpus: loadCpu }) }, sandboxSettings);
    running.push(sandbox);
    const xts = sandbox.found["JAINAM_SERVER"];
    if (xts === undefined) throw new Error("the sandbox did not print JAINAM_SERVER");

    const bare = await startNode({ argv: [BARE], env: { BARE_XTS: xts }, cwd: ROOT, ...(serverCpu === undefined ? {} : { cpus: serverCpu }) }, (output) => /bare fastify at (\S+)/.exec(output)?.[1]);
    running.push(bare);
    const server = await startNode(
      {
        argv: [...serveFlags(serverCpu), BIN, "serve"],
        env: {
          ...sandbox.found,
          HOST: "127.0.0.1",
          PORT: "0",
          WEBSOCKET_PORT: "0",
          DATABASE_URL: `sqlite:${join(dir, "throughput.db")}`,
          LOG_LEVEL: "info",
          MALLOC_MMAP_THRESHOLD_: "131072",
          ORDER_RATE_LIMIT: "100000 per second",
          SMART_ORDER_RATE_LIMIT: "100000 per second",
          API_RATE_LIMIT: "100000 per second",
        },
        cwd: ROOT,
        ...(serverCpu === undefined ? {} : { cpus: serverCpu }),
      },
      servingAt,
    );
    running.push(server);
    // The request log goes to stdout; read it so the pipe never fills.
    server.child.stdout!.resume();
    const { url, apikey } = server.found;
    await settled(url, apikey);

    // Both servers stay up (each on CPU 0, only one under load at a time) and every measurement is
    // taken ROUNDS times, alternating between them, the median kept: on this VM a server's rate
    // drifts by a third from one minute to the next, and a baseline measured minutes before its
    // comparison moved the ratio by more than the targets' margins.
    const bareUrl = (path: string): string => `${bare.found}${path}`;
    const ourUrl = (endpoint: string): string => `${url}/api/v1/${endpoint}`;
    const stock = { symbol: "RELIANCE", exchange: "NSE" };
    const ours = (fields: Record<string, string>): string => JSON.stringify({ apikey, ...fields });
    // Each comparison's runs are neighbours within a round.
    const targets = {
      barePing: [bareUrl("/ping"), "{}"],
      ping: [ourUrl("ping"), ours({})],
      symbol: [ourUrl("symbol"), ours(stock)],
      quoteFetch: [bareUrl("/quote-fetch"), "{}"],
      quoteUndici: [bareUrl("/quote-undici"), "{}"],
      quotes: [ourUrl("quotes"), ours(stock)],
      orderFetch: [bareUrl("/order-fetch"), "{}"],
      orderUndici: [bareUrl("/order-undici"), "{}"],
      placeorder: [ourUrl("placeorder"), ours({ strategy: "bench", ...stock, action: "BUY", quantity: "1", pricetype: "MARKET", product: "MIS" })],
    } as const satisfies Record<string, readonly [string, string]>;
    type Target = keyof typeof targets;
    const samples = new Map<Target, WrkResult[]>();
    for (const [name, [target, body]] of Object.entries(targets) as [Target, readonly [string, string]][]) {
      await wrk(target, body, 2, connections, loadCpu, dir);
      samples.set(name, []);
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, [target, body]] of Object.entries(targets) as [Target, readonly [string, string]][]) samples.get(name)!.push(await wrk(target, body, seconds, connections, loadCpu, dir));
    }
    const median = (name: Target): WrkResult => {
      const runs = [...samples.get(name)!].sort((a, b) => a.rps - b.rps);
      return runs[Math.floor(runs.length / 2)]!;
    };
    const bareRuns = { ping: median("barePing"), orderFetch: median("orderFetch"), orderUndici: median("orderUndici"), quoteFetch: median("quoteFetch"), quoteUndici: median("quoteUndici") };
    const runs = { ping: median("ping"), symbol: median("symbol"), quotes: median("quotes"), placeorder: median("placeorder") };
    const spread = (name: Target): string => samples.get(name)!.map((r) => fmt(r.rps, 0)).join(" / ");

    await openLoop(`${bare.found}/order-undici`, () => "{}", ORDER_RATE, 2);
    const bareOrders = await openLoop(`${bare.found}/order-undici`, () => "{}", ORDER_RATE, seconds);

    const orderBody = (n: number): string => JSON.stringify({ apikey, strategy: "bench", ...stock, action: n % 2 === 0 ? "BUY" : "SELL", quantity: "1", pricetype: "MARKET", product: "MIS" });
    await openLoop(`${url}/api/v1/placeorder`, orderBody, ORDER_RATE, 2);
    const orders = await openLoop(`${url}/api/v1/placeorder`, orderBody, ORDER_RATE, seconds);
    const openLoopLine = (name: string, r: OpenLoopResult): string => `${name}: p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms, max ${fmt(r.max, 1)} ms${r.failed > 0 ? `, ${r.failed} of ${r.sent} failed` : ""}`;

    const row = (name: string, run: WrkResult, base: WrkResult, baseName: string, target: number): string => {
      const ratio = run.rps / base.rps;
      const failed = run.non2xx + run.errors > 0 ? `, ${run.non2xx} non-2xx, ${run.errors} socket errors` : "";
      return `${name.padEnd(10)} ${fmt(run.rps, 0).padStart(7)} req/s (p99 ${fmt(run.p99Ms, 2)} ms${failed}) = ${ratio.toFixed(2)} of ${baseName} (${fmt(base.rps, 0)} req/s) — target ≥ ${target} ${ratio >= target ? "met" : "NOT met"}`;
    };
    return report(`Throughput (issue 19): wrk -c${connections}, ${seconds} s each after 2 s warm-up, median of ${ROUNDS} alternating rounds; servers on CPU ${serverCpu ?? "any"}, wrk and sandbox on CPU ${loadCpu ?? "any"}`, [
      row("ping", runs.ping, bareRuns.ping, "bare Fastify", 0.3),
      row("symbol", runs.symbol, bareRuns.ping, "bare Fastify", 0.3),
      row("quotes", runs.quotes, bareRuns.quoteFetch, "bare + one fetch quote call", 0.6),
      row("", runs.quotes, bareRuns.quoteUndici, "bare + one undici quote call", 0.6),
      row("placeorder", runs.placeorder, bareRuns.orderFetch, "bare + one fetch order call", 0.6),
      row("", runs.placeorder, bareRuns.orderUndici, "bare + one undici order call", 0.6),
      `placeorder at ${ORDER_RATE} req/s (open loop, ${seconds} s): ${openLoopLine("xtsbridge", orders)}; ${openLoopLine("bare + one undici order call", bareOrders)}`,
      `placeorder p99 overhead over the bare route: ${fmt(orders.p99 - bareOrders.p99, 2)} ms (target ≤ 2 ms ${orders.p99 - bareOrders.p99 <= 2 ? "met" : "NOT met"}); p50 ${fmt(orders.p50 - bareOrders.p50, 2)} ms`,
      `each rate is the median of ${ROUNDS} alternating runs: placeorder ${spread("placeorder")} against bare + undici ${spread("orderUndici")}; quotes ${spread("quotes")} against ${spread("quoteUndici")}; ping ${spread("ping")} against ${spread("barePing")}`,
      `baselines' p99: ping ${fmt(bareRuns.ping.p99Ms, 2)} ms, order fetch ${fmt(bareRuns.orderFetch.p99Ms, 2)} / undici ${fmt(bareRuns.orderUndici.p99Ms, 2)} ms, quote fetch ${fmt(bareRuns.quoteFetch.p99Ms, 2)} / undici ${fmt(bareRuns.quoteUndici.p99Ms, 2)} ms`,
    ]);
  } finally {
    for (const started of running.reverse()) await stopProcess(started);
    rmSync(dir, { recursive: true, force: true });
  }
}
