import { buildApp } from "../src/api/app.js";
import { appDeps, createGateway } from "../src/cli/gateway.js";
import { loadConfig } from "../src/config.js";
import { silentLogger } from "../src/logger.js";
import type { OrderRequest } from "../src/orders/openalgo-types.js";
import { orderTagFor, RequestIds } from "../src/orders/order-tag.js";
import { toXtsPlaceOrder } from "../src/orders/translate.js";
import { SANDBOX_DEFAULTS } from "../src/sandbox/sandbox-options.js";
import { Resolver } from "../src/resolver/resolver.js";
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { GatewayStore } from "../src/store/symbol-store.js";
import { fmt, report, summary, type BenchResult } from "./stats.js";

const requestIds = new RequestIds();
const newRequestId = (): string => requestIds.next();

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Issue 5: resolve + validate + translate one OpenAlgo order into its XTS payload, no I/O. */
export async function translationBench(store: GatewayStore): Promise<BenchResult> {
  const resolver = new Resolver(store, "jainam_prop", silentLogger());
  await resolver.load();
  const rows = resolver.current.allRows().filter((r) => r.exchange !== "NSE_INDEX" && r.exchange !== "BSE_INDEX");
  const orders: OrderRequest[] = Array.from({ length: 4096 }, (_, i) => {
    const row = rows[(i * 7919) % rows.length]!;
    const limit = i % 2 === 0;
    return {
      symbol: row.symbol,
      exchange: row.exchange,
      action: i % 3 === 0 ? "SELL" : "BUY",
      quantity: row.lotsize * (1 + (i % 3)),
      pricetype: limit ? "LIMIT" : "MARKET",
      product: row.exchange === "NSE" || row.exchange === "BSE" ? "CNC" : "NRML",
      price: limit ? row.tick_size * 1000 : 0,
      trigger_price: 0,
      disclosed_quantity: 0,
    };
  });
  const tags = Array.from({ length: 4096 }, () => orderTagFor(newRequestId()));
  let sink = 0;
  for (let i = 0; i < 100_000; i += 1) {
    const o = orders[i & 4095]!;
    sink += toXtsPlaceOrder(o, resolver.resolve(o.symbol, o.exchange), tags[i & 4095]!).orderQuantity;
  }
  const samples: number[] = [];
  for (let i = 0; i < 200_000; i += 1) {
    const o = orders[i & 4095]!;
    const t0 = process.hrtime.bigint();
    sink += toXtsPlaceOrder(o, resolver.resolve(o.symbol, o.exchange), tags[i & 4095]!).orderQuantity;
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const s = summary(samples);
  return report("order translation + validation + resolution (no I/O)", [
    `p50 ${fmt(s.p50, 2)} µs, p99 ${fmt(s.p99, 2)} µs, max ${fmt(s.max, 0)} µs over ${fmt(s.n, 0)} orders of every exchange (checksum ${sink % 997})`,
  ]);
}

/**
 * Issue 6: placeorder over real HTTP against the in-process sandbox at a fixed rate. The gateway's
 * own overhead is the client's latency minus the time the XTS POST took, matched by order tag.
 */
export async function httpOrderBench(store: GatewayStore, rate = 200, seconds = 10): Promise<BenchResult> {
  // The sandbox runs in its own process, as Jainam would, so it does not share the gateway's event loop.
  const sandbox = await startSandboxProcess(20_000);
  const xtsMs = new Map<string, number>();
  const timedFetch: typeof fetch = async (input, init) => {
    const started = performance.now();
    const response = await fetch(input, init);
    const body = typeof init?.body === "string" ? init.body : "";
    const tag = /"orderUniqueIdentifier":"([^"]+)"/.exec(body)?.[1];
    if (tag !== undefined && init?.method === "POST") xtsMs.set(tag, performance.now() - started);
    return response;
  };
  try {
    // The production root over this store, talking to the sandbox process as it would to Jainam.
    const gw = await createGateway(
      loadConfig({
        JAINAM_SERVER: sandbox.url,
        JAINAM_INTERACTIVE_API_KEY: SANDBOX_DEFAULTS.interactiveKey,
        JAINAM_INTERACTIVE_API_SECRET: SANDBOX_DEFAULTS.interactiveSecret,
        JAINAM_MARKET_API_KEY: SANDBOX_DEFAULTS.marketKey,
        JAINAM_MARKET_API_SECRET: SANDBOX_DEFAULTS.marketSecret,
      }),
      silentLogger(),
      { store, fetch: timedFetch },
    );
    const { resolver } = gw;
    const refreshed = await gw.master.refresh({ force: true });
    if (refreshed.status !== "success") throw new Error(refreshed.message);
    const { key } = await gw.apiKeys.create("bench");
    const app = buildApp(appDeps(gw, { limits: { ordersPerSecond: 100_000, othersPerSecond: 100_000 } }));
    // Time inside the gateway, from the request's arrival to its answer, without the client's own work.
    const serverMs = new Map<string, number>();
    app.addHook("onResponse", async (request, reply) => {
      serverMs.set(request.id, reply.elapsedTime);
    });
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    const cash = resolver.current.allRows().filter((r) => r.exchange === "NSE" && r.lotsize === 1 && r.instrumenttype === "EQ").slice(0, 50);
    const send = async (n: number): Promise<{ total: number; overhead: number | null; inside: number | null; ok: boolean }> => {
      const i = cash[n % cash.length]!;
      const started = performance.now();
      const response = await fetch(`${url}/api/v1/placeorder`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ apikey: key, strategy: "bench", symbol: i.symbol, exchange: "NSE", action: "BUY", quantity: "1", pricetype: "MARKET", product: "MIS" }),
      });
      await response.text();
      const total = performance.now() - started;
      const id = response.headers.get("x-request-id") ?? "";
      const xtsTime = xtsMs.get(orderTagFor(id));
      const server = serverMs.get(id);
      return {
        total,
        overhead: xtsTime === undefined ? null : total - xtsTime,
        inside: xtsTime === undefined || server === undefined ? null : server - xtsTime,
        ok: response.status === 200,
      };
    };
    for (let n = 0; n < 200; n += 1) await send(n);
    const results: Promise<{ total: number; overhead: number | null; inside: number | null; ok: boolean }>[] = [];
    const count = rate * seconds;
    const started = performance.now();
    for (let n = 0; n < count; n += 1) {
      const due = started + (n * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      results.push(send(n));
    }
    const done = await Promise.all(results);
    const elapsed = (performance.now() - started) / 1000;
    await app.close();
    await gw.close();
    const total = summary(done.map((d) => d.total));
    const overhead = summary(done.flatMap((d) => (d.overhead === null ? [] : [d.overhead])));
    const inside = summary(done.flatMap((d) => (d.inside === null ? [] : [d.inside])));
    return report(`placeorder over HTTP, gateway in this process, sandbox in another (${rate} requests/s offered for ${seconds} s)`, [
      `${done.length} orders, ${done.filter((d) => !d.ok).length} errors, ${fmt(done.length / elapsed, 0)} requests/s achieved`,
      `end to end (client → gateway → sandbox → back): p50 ${fmt(total.p50, 2)} ms, p99 ${fmt(total.p99, 2)} ms, max ${fmt(total.max, 1)} ms`,
      `gateway's own overhead, seen by the client (end to end minus the XTS POST): p50 ${fmt(overhead.p50, 2)} ms, p99 ${fmt(overhead.p99, 2)} ms (n=${overhead.n})`,
      `gateway's own overhead inside the server (arrival to answer minus the XTS POST): p50 ${fmt(inside.p50, 2)} ms, p99 ${fmt(inside.p99, 2)} ms, max ${fmt(inside.max, 1)} ms`,
    ]);
  } finally {
    sandbox.close();
  }
}

async function startSandboxProcess(instruments: number): Promise<{ url: string; close: () => void }> {
  const child = spawn(process.execPath, [join(ROOT, "bin", "xtsbridge.js"), "sandbox", "--port", "0", "--instruments", String(instruments), "--reference-date", "2026-11-25"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding("utf8").on("data", (text: string) => {
      out += text;
      const found = /XTS-protocol server on (http:\/\/\S+)/.exec(out)?.[1];
      if (found !== undefined) resolve(found);
    });
    child.once("exit", (code) => reject(new Error(`sandbox exited with ${code}: ${out}`)));
  });
  return { url, close: () => child.kill("SIGTERM") };
}
