import type { ChildProcess } from "node:child_process";
import { procStatusKb, sandboxSettings, serveFlags, servingAt, startNode, stopProcess, type Started } from "../bench/processes.js";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

/**
 * `npm run load [-- --rate 100 --seconds 60 --instruments 150000 --concurrency 32 --sandbox builtin|process --refresh-worker on|off]`
 * (`LOAD_PROF=1` also writes a CPU profile of the server to /tmp/xtsbridge-load-prof when it exits;
 * with `--trace-gc`, `--gc-lines FILE` appends every collection line, reason included, to FILE.)
 *
 * Starts the real server (`node bin/xtsbridge.js serve`, built-in sandbox, temp SQLite file,
 * a free loopback port), reads its first-run API key from stderr, then drives placeorder,
 * symbol and orderbook in turn at a fixed rate with bounded concurrency, forces a master
 * refresh half-way, and prints throughput, latency percentiles and errors per endpoint and the
 * server's RSS. It stops by itself and stops the server; it talks to 127.0.0.1 only.
 *
 * `--sandbox process` runs the sandbox as its own process (`xtsbridge sandbox`) and points the
 * server at it with JAINAM_* variables, as a real broker would be: the server's numbers are
 * then the gateway's alone, not shared with an XTS simulator on the same event loop.
 */

const { values: args } = parseArgs({
  options: {
    rate: { type: "string", default: "100" },
    seconds: { type: "string", default: "60" },
    instruments: { type: "string", default: "150000" },
    concurrency: { type: "string", default: "32" },
    sandbox: { type: "string", default: "builtin" },
    "refresh-worker": { type: "string", default: "on" },
    // Issue 19's setting: the server on one core (taskset -c N), its collections traced.
    "pin-server": { type: "string" },
    "trace-gc": { type: "boolean", default: false },
    "gc-lines": { type: "string" },
  },
});

function positive(name: string, text: string, max: number): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`--${name} must be a number from 1 to ${max}, got '${text}'`);
  return n;
}

const RATE = positive("rate", args.rate, 10_000);
const SECONDS = positive("seconds", args.seconds, 3600);
const INSTRUMENTS = Math.round(positive("instruments", args.instruments, 2_000_000));
const CONCURRENCY = Math.round(positive("concurrency", args.concurrency, 1000));
if (args.sandbox !== "builtin" && args.sandbox !== "process") throw new Error(`--sandbox must be builtin or process, got '${args.sandbox}'`);
const SEPARATE_SANDBOX = args.sandbox === "process";
if (args["refresh-worker"] !== "on" && args["refresh-worker"] !== "off") throw new Error(`--refresh-worker must be on or off, got '${args["refresh-worker"]}'`);
const GC_LINES_FILE = args["gc-lines"];
if (GC_LINES_FILE !== undefined && args["trace-gc"] !== true) throw new Error("--gc-lines needs --trace-gc");
const STARTUP_DEADLINE_MS = 180_000;
const DRAIN_DEADLINE_MS = 30_000;

// .bench-dist/scripts/load.js → the repository root.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = join(ROOT, "bin", "xtsbridge.js");

type Endpoint = "placeorder" | "symbol" | "orderbook" | "mastercontract/refresh";

interface Sample {
  readonly endpoint: Endpoint;
  readonly startedAt: number;
  readonly ms: number;
  readonly outcome: string; // "ok", an error code, "HTTP 500" or "network: …"
}

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
  readonly apikey: string;
  /** The request thread's isolate in --trace-gc lines. */
  readonly mainIsolate: string | undefined;
  readonly exited: Promise<number | null>;
  /** `--trace-gc` lines, each with when the load script read it. */
  readonly gcs: GcEvent[];
}

interface GcEvent {
  readonly at: number;
  readonly kind: "Scavenge" | "Mark-Compact" | "other";
  /** The pause on the main thread, as --trace-gc prints it: the atomic part, or the longest incremental marking step before it, whichever is longer. */
  readonly ms: number;
  /** Which isolate (the line's `[pid:0x…]`): the request thread's, or the refresh worker's. */
  readonly isolate: string;
}

// e.g. "[12:0x5f…]   8123 ms: Mark-Compact 61.2 (75.0) -> 40.3 (74.1) MB, pooled: 0 MB, 14.21 / 0.00 ms  (+ 15.2 ms in 61 steps since start of marking, biggest step 12.3 ms, …"
const GC_LINE = /^\[\d+:(0x[0-9a-f]+)\][^\n]*?ms: (Scavenge|Mark-Compact|Minor Mark-Compact|Mark-Compact \(reduce\))[^\n]*? MB, (?:pooled: [\d.]+ MB, )?([\d.]+) \/ [\d.]+ ms(?:[^\n]*?biggest step ([\d.]+) ms)?/;

function gcEvent(line: string, at: number): GcEvent | undefined {
  const m = GC_LINE.exec(line);
  if (m === null) return undefined;
  const kind = m[2] === "Scavenge" ? "Scavenge" : m[2]!.startsWith("Mark-Compact") ? "Mark-Compact" : "other";
  return { at, kind, ms: Math.max(Number(m[3]), Number(m[4] ?? 0)), isolate: m[1]! };
}

const mb = (kb: number | null): string => (kb === null ? "n/a" : `${(kb / 1024).toFixed(1)} MB`);

type Child = Started<unknown>;

/** Spawns a CLI command and resolves once `ready` finds what it needs in the output it has printed so far. */
function startCli<T>(command: readonly string[], env: Record<string, string>, ready: (output: string) => T | undefined): Promise<Started<T>> {
  const serving = command[0] === "serve";
  const nodeFlags = serving ? [...serveFlags(args["pin-server"]), ...(process.env["LOAD_PROF"] ? ["--cpu-prof", "--cpu-prof-dir=/tmp/xtsbridge-load-prof"] : []), ...(args["trace-gc"] === true ? ["--trace-gc"] : []), ...(process.env["LOAD_NODE_FLAGS"]?.split(/\s+/).filter((f) => f !== "") ?? [])] : [];
  const pin = serving ? args["pin-server"] : undefined;
  return startNode({ argv: [...nodeFlags, BIN, ...command], env, cwd: ROOT, deadlineMs: STARTUP_DEADLINE_MS, ...(pin === undefined ? {} : { cpus: pin }) }, ready);
}

async function startSandbox(): Promise<Child & { env: Record<string, string> }> {
  const sandbox = await startCli(["sandbox", "--port", "0", "--instruments", String(INSTRUMENTS)], {}, sandboxSettings);
  return { ...sandbox, env: sandbox.found };
}

async function startServer(dbDir: string, jainam: Record<string, string>): Promise<Server> {
  const started = await startCli(
    ["serve"],
    {
      ...jainam,
      HOST: "127.0.0.1",
      PORT: "0",
      DATABASE_URL: `sqlite:${join(dbDir, "load.db")}`,
      SANDBOX_INSTRUMENTS: String(INSTRUMENTS),
      LOG_LEVEL: "warn",
      MASTER_REFRESH_WORKER: args["refresh-worker"]!,
      // As `npm start` sets it (docs/deployment.md › Memory).
      MALLOC_MMAP_THRESHOLD_: "131072",
      // The gateway's per-key limits (10/s by default, as OpenAlgo) would answer most of this load
      // with RATE_LIMITED; the point here is what the gateway itself sustains.
      ORDER_RATE_LIMIT: "100000",
      SMART_ORDER_RATE_LIMIT: "100000",
      API_RATE_LIMIT: "100000",
    },
    (output) => {
      const serving = servingAt(output);
      // The first collection printed is the request thread's (the refresh worker starts later).
      const mainIsolate = /^\[\d+:(0x[0-9a-f]+)\][^\n]*?ms: (?:Scavenge|Mark-Compact)/m.exec(output)?.[1];
      return serving === undefined ? undefined : { ...serving, mainIsolate };
    },
  );
  // Drain the pipes from here on, so a chatty server never blocks on a full pipe; keep the GC trace.
  const gcs: GcEvent[] = [];
  let partial = "";
  started.child.stdout!.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    const at = performance.now();
    for (const line of lines) {
      const event = gcEvent(line, at);
      if (event !== undefined) gcs.push(event);
      if (event !== undefined && GC_LINES_FILE !== undefined) appendFileSync(GC_LINES_FILE, `${(at / 1000).toFixed(3)} ${line}\n`);
    }
  });
  started.child.stderr!.resume();
  return { child: started.child, exited: started.exited, gcs, ...started.found };
}

const stopServer = stopProcess;

async function post(server: Server, endpoint: Endpoint, body: Record<string, unknown>): Promise<Sample> {
  const startedAt = performance.now();
  let outcome: string;
  try {
    const res = await fetch(`${server.url}/api/v1/${endpoint}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ apikey: server.apikey, ...body }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (res.status === 200) outcome = "ok";
    else {
      let code: unknown;
      try {
        code = (JSON.parse(text) as { code?: unknown }).code;
      } catch {
        code = undefined;
      }
      outcome = typeof code === "string" ? `${code} (HTTP ${res.status})` : `HTTP ${res.status}`;
    }
  } catch (error) {
    outcome = `network: ${(error as Error).name}`;
  }
  return { endpoint, startedAt, ms: performance.now() - startedAt, outcome };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(cells[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.slice(1).map(line)].join("\n");
}

function summarise(samples: readonly Sample[], seconds: number, endpoints: readonly Endpoint[]): string {
  const rows = endpoints.map((endpoint) => {
    const mine = samples.filter((s) => s.endpoint === endpoint);
    const ms = mine.map((s) => s.ms).sort((a, b) => a - b);
    const ok = mine.filter((s) => s.outcome === "ok").length;
    return [endpoint, mine.length, ok, mine.length - ok, (mine.length / seconds).toFixed(1), percentile(ms, 50).toFixed(1), percentile(ms, 99).toFixed(1), (ms.at(-1) ?? Number.NaN).toFixed(1)];
  });
  return table(["endpoint", "requests", "ok", "errors", "req/s", "p50 ms", "p99 ms", "max ms"], rows);
}

async function main(): Promise<void> {
  const dbDir = mkdtempSync(join(tmpdir(), "xtsbridge-load-"));
  console.log(`# npm run load — rate ${RATE}/s for ${SECONDS} s, concurrency ≤ ${CONCURRENCY}, sandbox ${INSTRUMENTS} instruments`);
  const load = (): string => loadavg().map((n) => n.toFixed(2)).join(" ");
  console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? "?"}), ${new Date().toISOString()}, load average ${load()}`);
  const startupStarted = performance.now();
  const sandbox = SEPARATE_SANDBOX ? await startSandbox() : null;
  let server: Server;
  try {
    server = await startServer(dbDir, sandbox?.env ?? {});
  } catch (error) {
    if (sandbox !== null) await stopServer(sandbox);
    throw error;
  }
  const pid = server.child.pid!;
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) return;
    stopping = true;
    void stopServer(server)
      .then(() => (sandbox === null ? undefined : stopServer(sandbox)))
      .finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    console.log(
      `server pid ${pid} at ${server.url}, ready in ${((performance.now() - startupStarted) / 1000).toFixed(1)} s (sandbox, master refresh, API key); ` +
        (sandbox === null ? "sandbox built in (same process and event loop)" : `sandbox in its own process (pid ${sandbox.child.pid}) at ${sandbox.env["JAINAM_SERVER"]}`) + `; refresh worker ${args["refresh-worker"]}`,
    );

    const list = await fetch(`${server.url}/api/v1/search`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ apikey: server.apikey, query: "A", exchange: "NSE" }),
    });
    const found = ((await list.json()) as { data?: { symbol: string; instrumenttype: string; lotsize: number }[] }).data ?? [];
    const stocks = found.filter((r) => r.instrumenttype === "EQ").slice(0, 50);
    if (stocks.length === 0) throw new Error("no NSE equities found through /search");

    const rssBefore = procStatusKb(pid, "VmRSS");
    const samples: Sample[] = [];
    const endpoints: Endpoint[] = ["placeorder", "symbol", "orderbook"];
    const inflight = new Set<Promise<void>>();
    let capped = 0;
    let refresh: Sample | null = null;
    let refreshPromise: Promise<void> | null = null;
    const started = performance.now();
    const total = Math.round(RATE * SECONDS);
    let issued = 0;
    let rssPeakDuring = rssBefore ?? 0;
    let rssSampledAt = 0;

    // Open loop: request n is due at n / RATE seconds; a tick starts every request that is due.
    while (issued < total) {
      const elapsed = performance.now() - started;
      if (refreshPromise === null && elapsed >= (SECONDS * 1000) / 2) {
        refreshPromise = post(server, "mastercontract/refresh", { force: true }).then((s) => {
          refresh = s;
        });
      }
      const due = Math.min(total, Math.floor((elapsed / 1000) * RATE) + 1);
      for (; issued < due; issued += 1) {
        if (inflight.size >= CONCURRENCY) {
          capped += 1;
          continue;
        }
        const stock = stocks[issued % stocks.length]!;
        const endpoint = endpoints[issued % endpoints.length]!;
        const body: Record<string, unknown> =
          endpoint === "placeorder"
            ? { strategy: "load", symbol: stock.symbol, exchange: "NSE", action: issued % 2 === 0 ? "BUY" : "SELL", quantity: String(stock.lotsize), pricetype: "MARKET", product: "MIS" }
            : endpoint === "symbol"
              ? { symbol: stock.symbol, exchange: "NSE" }
              : {};
        const request = post(server, endpoint, body).then((s) => {
          samples.push(s);
          inflight.delete(request);
        });
        inflight.add(request);
      }
      if (elapsed - rssSampledAt >= 1000) {
        rssSampledAt = elapsed;
        rssPeakDuring = Math.max(rssPeakDuring, procStatusKb(pid, "VmRSS") ?? 0);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const drainDeadline = performance.now() + DRAIN_DEADLINE_MS;
    // Unref'd: a deadline that is not reached must not keep the finished script alive.
    while (inflight.size > 0 && performance.now() < drainDeadline) await Promise.race([...inflight, new Promise((r) => setTimeout(r, 100).unref())]);
    if (refreshPromise !== null) await Promise.race([refreshPromise, new Promise((r) => setTimeout(r, DRAIN_DEADLINE_MS).unref())]);
    const seconds = (performance.now() - started) / 1000;
    const rssAfter = procStatusKb(pid, "VmRSS");
    const rssPeak = procStatusKb(pid, "VmHWM");

    console.log(`\n${samples.length} requests answered in ${seconds.toFixed(1)} s (${(samples.length / seconds).toFixed(1)} req/s); ${inflight.size} still open at the end; ${capped} not sent (concurrency cap)`);
    console.log(summarise(samples, seconds, endpoints));
    const r = refresh as Sample | null;
    if (r !== null) {
      const inRefresh = (s: Sample): boolean => s.startedAt + s.ms >= r.startedAt && s.startedAt <= r.startedAt + r.ms;
      const during = samples.filter(inRefresh);
      const outside = samples.filter((s) => !inRefresh(s));
      console.log(
        `\nmastercontract/refresh (force) at ${((r.startedAt - started) / 1000).toFixed(1)} s: ${r.outcome}, ${(r.ms / 1000).toFixed(2)} s; ` +
          `${during.length} requests overlapped it, with ${during.filter((s) => s.outcome !== "ok").length} errors`,
      );
      console.log(`\nrequests that did not overlap the refresh (${(seconds - r.ms / 1000).toFixed(1)} s):`);
      console.log(summarise(outside, seconds - r.ms / 1000, endpoints));
      console.log(`\nrequests that overlapped the refresh (${(r.ms / 1000).toFixed(1)} s):`);
      console.log(summarise(during, r.ms / 1000, endpoints));
    } else console.log("\nmastercontract/refresh did not answer in time");
    const errors = new Map<string, number>();
    for (const s of samples) if (s.outcome !== "ok") errors.set(`${s.endpoint}: ${s.outcome}`, (errors.get(`${s.endpoint}: ${s.outcome}`) ?? 0) + 1);
    console.log(`\nerrors by code: ${errors.size === 0 ? "none" : ""}`);
    for (const [what, n] of [...errors].sort((a, b) => b[1] - a[1])) console.log(`  ${what}: ${n}`);
    console.log(`load average at the end: ${load()}`);
    if (args["trace-gc"] === true) console.log(gcSummary(server.gcs.filter((g) => g.at >= started), r, server.mainIsolate));
    console.log(`\nserver RSS: before ${mb(rssBefore)}, after ${mb(rssAfter)}, highest sampled during ${mb(rssPeakDuring)}, peak since start (VmHWM) ${mb(rssPeak)}`);
    if (sandbox !== null) console.log(`sandbox RSS at the end: ${mb(procStatusKb(sandbox.child.pid!, "VmRSS"))} (not part of the server's)`);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await stopServer(server);
    if (sandbox !== null) await stopServer(sandbox);
    rmSync(dbDir, { recursive: true, force: true });
  }
}

await main();

/** What the server's collections cost during the run: per kind, and the major ones over 10 ms, in and out of the refresh. */
function gcSummary(all: readonly GcEvent[], refresh: Sample | null, mainIsolate: string | undefined): string {
  // The refresh worker's own collections stop only the worker, not a request.
  const gcs = all.filter((g) => g.isolate === mainIsolate);
  const lines = [`\nserver GC during the run (--trace-gc${args["pin-server"] === undefined ? "" : `, server pinned to CPU ${args["pin-server"]}`}):`];
  const inRefresh = (g: GcEvent): boolean => refresh !== null && g.at >= refresh.startedAt && g.at <= refresh.startedAt + refresh.ms + 1000;
  const describe = (events: readonly GcEvent[]): string => {
    const ms = events.map((g) => g.ms).sort((a, b) => a - b);
    return `${ms.length} pauses, p50 ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms, max ${ms[ms.length - 1]!.toFixed(1)} ms, total ${ms.reduce((a, b) => a + b, 0).toFixed(0)} ms`;
  };
  for (const kind of ["Scavenge", "Mark-Compact", "other"] as const) {
    const of = gcs.filter((g) => g.kind === kind);
    if (of.length === 0) continue;
    const outside = of.filter((g) => !inRefresh(g));
    lines.push(`  ${kind}: ${describe(of)}; outside the refresh: ${outside.length === 0 ? "none" : describe(outside)}`);
  }
  const long = gcs.filter((g) => g.kind === "Mark-Compact" && g.ms > 10);
  lines.push(`  major pauses over 10 ms: ${long.length} (${long.filter(inRefresh).length} during the refresh or the second after it)${long.length === 0 ? "" : `: ${long.map((g) => `${g.ms.toFixed(1)} ms`).join(", ")}`}`);
  return lines.join("\n");
}
