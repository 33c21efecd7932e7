import { chromium } from "playwright-core";
import { ApiKeys } from "../src/api/api-keys.js";
import { buildApp } from "../src/api/app.js";
import { appDeps, createGateway } from "../src/cli/gateway.js";
import { startWebSocket, type RunningWebSocket } from "../src/cli/websocket.js";
import { loadConfig } from "../src/config.js";
import { silentLogger } from "../src/logger.js";
import type { GatewayStore } from "../src/store/symbol-store.js";
import { fmt, report, summary, type BenchResult } from "./stats.js";

/**
 * Issue 16: how fast the dashboard loads in Debian's Chromium on loopback (target: under a second).
 * Cold: a fresh browser context to the sign-in form; signed in: the overview with its funds, orders
 * and positions; the orders page; the bytes the page pulls. The baseline is GET /api/v1/ping.
 */
export async function dashboardBench(store: GatewayStore): Promise<BenchResult> {
  const gw = await createGateway(loadConfig({ WEBSOCKET_PORT: "0", LOG_LEVEL: "silent" }), silentLogger(), { store, sandbox: { instruments: 20_000 } });
  const app = buildApp(appDeps(gw, { logger: silentLogger(), limits: { ordersPerSecond: 1e6, smartOrdersPerSecond: 1e6, othersPerSecond: 1e6, invalidKeysPerMinute: 1e6 } }));
  const browser = await chromium.launch({ executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
  let ws: RunningWebSocket | null = null;
  try {
    await gw.master.refresh({ force: true });
    const { key } = await new ApiKeys(gw.store).create("bench");
    await app.listen({ host: "127.0.0.1", port: 0 });
    ws = await startWebSocket(gw, app);
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const cold: number[] = [];
    const overview: number[] = [];
    const orders: number[] = [];
    const ping: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 10; i += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      let pulled = 0;
      page.on("response", (r) => void r.body().then((b) => (pulled += b.length)).catch(() => undefined));
      let started = performance.now();
      await page.goto(url);
      await page.getByLabel("API key").waitFor();
      cold.push(performance.now() - started);
      await page.getByLabel("API key").fill(key);
      started = performance.now();
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("Available cash").waitFor();
      overview.push(performance.now() - started);
      started = performance.now();
      await page.goto(`${url}/#/orders`);
      await page.getByRole("heading", { name: "Open orders" }).waitFor();
      orders.push(performance.now() - started);
      bytes = Math.max(bytes, pulled);
      started = performance.now();
      await page.evaluate("fetch('/api/v1/ping', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apikey: '" + key + "' }) }).then((r) => r.json())");
      ping.push(performance.now() - started);
      await context.close();
    }
    const [c, o, r, p] = [summary(cold), summary(overview), summary(orders), summary(ping)];
    return report("dashboard in Debian's Chromium, loopback (10 fresh contexts)", [
      `cold load to the sign-in form: p50 ${fmt(c.p50, 0)} ms, max ${fmt(c.max, 0)} ms (target < 1,000 ms)`,
      `sign-in to the overview with funds, orders and positions: p50 ${fmt(o.p50, 0)} ms, max ${fmt(o.max, 0)} ms`,
      `orders page: p50 ${fmt(r.p50, 0)} ms, max ${fmt(r.max, 0)} ms`,
      `bytes the page pulls: ${fmt(bytes / 1024, 0)} KiB; baseline, one API call from the page (ping): p50 ${fmt(p.p50, 1)} ms`,
    ]);
  } finally {
    await browser.close();
    await ws?.close();
    await app.close();
    await gw.close();
  }
}
