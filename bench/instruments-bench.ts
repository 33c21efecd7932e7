import { request } from "node:http";
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { ApiKeys } from "../src/api/api-keys.js";
import type { AppDeps } from "../src/api/app-deps.js";
import { buildApp } from "../src/api/app.js";
import { symbolData } from "../src/api/instruments-cache.js";
import { silentLogger } from "../src/logger.js";
import { Resolver } from "../src/resolver/resolver.js";
import type { GatewayStore } from "../src/store/symbol-store.js";
import { buildContract } from "./master-bench.js";
import { fmt, mb, report, type BenchResult } from "./stats.js";

/** RSS, and the JavaScript heap plus Buffers (what this code holds; RSS also counts freed pages not yet returned). */
interface Memory {
  readonly rss: number;
  readonly held: number;
}
const rss = (): Memory => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, held: m.heapUsed + m.external };
};
const delta = (to: Memory, from: Memory): string => `RSS ${mb(to.rss - from.rss)}, heap + buffers ${mb(to.held - from.held)}`;

/** Opens `count` GET requests whose answers are never read, and waits until each has its headers. */
async function stalled(port: number, paths: readonly string[]): Promise<() => void> {
  const requests = await Promise.all(
    paths.map(
      (path) =>
        new Promise<() => void>((resolve, reject) => {
          const req = request({ host: "127.0.0.1", port, path }, (res) => {
            res.pause();
            resolve(() => req.destroy());
          });
          req.on("error", reject);
          req.end();
        }),
    ),
  );
  // Let the server write whatever the sockets take before it is held back.
  await new Promise((r) => setTimeout(r, 2_000));
  return () => requests.forEach((destroy) => destroy());
}

/**
 * Issue 11 item 7: `GET /instruments` (every exchange, JSON, 150,000 instruments) by clients that do
 * not read their answers. Baseline in the same run: the same list answered the naive way (each
 * request serialises its own body), with fewer requests since each costs a whole body.
 */
export async function instrumentsBench(store: GatewayStore): Promise<BenchResult> {
  const { built } = await buildContract(150_000);
  await store.replaceBroker("jainam_prop", built.rows);
  const resolver = new Resolver(store, "jainam_prop", silentLogger());
  await resolver.load();
  const apiKeys = new ApiKeys(store);
  const keys = await Promise.all(Array.from({ length: 60 }, (_, i) => apiKeys.create(`bench-${i}`).then((k) => k.key)));

  const app = buildApp({ logger: silentLogger(), apiKeys, resolver, limits: { othersPerSecond: 100_000 } } as unknown as AppDeps);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  const idle = rss();
  const first = await fetch(`http://127.0.0.1:${port}/api/v1/instruments?apikey=${keys[0]}`);
  const size = (await first.arrayBuffer()).byteLength;
  const cached = rss();
  const count = 120;
  const release = await stalled(port, Array.from({ length: count }, (_, i) => `/api/v1/instruments?apikey=${keys[Math.floor(i / 2)]}`));
  const held = rss();
  release();
  await app.close();
  const naive = Fastify();
  naive.get("/all", async () => ({ status: "success", message: "", data: resolver.current.allRows().map(symbolData) }));
  await naive.listen({ host: "127.0.0.1", port: 0 });
  const naiveCount = 20;
  const naiveBefore = rss();
  const releaseNaive = await stalled((naive.server.address() as AddressInfo).port, Array.from({ length: naiveCount }, () => "/all"));
  const naiveAfter = rss();
  releaseNaive();
  await naive.close();

  return report(`GET /instruments (all exchanges, JSON, ${fmt(resolver.current.size, 0)} instruments, ${mb(size)}) by clients that never read`, [
    `${count} unread downloads (60 keys × 2): ${delta(held, cached)} over the served state (target: under +300 MB)`,
    `serialising the list once (kept for the contract version): ${delta(cached, idle)}`,
    `baseline, each request serialising its own body: ${naiveCount} unread downloads ${delta(naiveAfter, naiveBefore)} (${mb((naiveAfter.held - naiveBefore.held) / naiveCount)} held each)`,
  ]);
}
