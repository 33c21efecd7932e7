import { io } from "socket.io-client";
import WebSocket from "ws";
import { buildApp } from "../src/api/app.js";
import { appDeps, createGateway } from "../src/cli/gateway.js";
import { startWebSocket } from "../src/cli/websocket.js";
import { loadConfig } from "../src/config.js";
import { silentLogger } from "../src/logger.js";
import type { GatewayStore } from "../src/store/symbol-store.js";
import { fmt, report, settledHeap, summary, type BenchResult } from "./stats.js";

const CLIENTS = 100;
const INSTRUMENTS = 1000;
const PER_CLIENT = 100;
const PROBES = 300;

const progress = (text: string): void => void process.stderr.write(`  stream bench: ${text}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function open(url: string, key: string, onMessage: (text: string) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("error", reject);
    socket.once("open", () => {
      socket.send(JSON.stringify({ action: "authenticate", api_key: key }));
      socket.on("message", (data) => onMessage(data.toString()));
      resolve(socket);
    });
  });
}

/**
 * Issue 14: a price move in the sandbox to the OpenAlgo client, through the XTS market-data socket,
 * the feed and the WebSocket — 1,000 instruments streaming at XTS, 100 clients of 100 symbols each
 * (every instrument watched by 10 clients), the sandbox re-sending every subscribed quote each
 * second. Baseline from the same run: the same moves seen by a bare socket.io client on the
 * sandbox's market socket (what any XTS client pays before the gateway). Then the memory a
 * client costs, and orderbook answered from the live books against the REST fetch it replaces.
 */
export async function streamBench(store: GatewayStore): Promise<BenchResult> {
  const lines: string[] = [];
  const gw = await createGateway(loadConfig({ WEBSOCKET_PORT: "0", WEBSOCKET_HOST: "127.0.0.1" }), silentLogger(), {
    store,
    sandbox: { instruments: 40_000, streamIntervalMs: 1000 },
    orders: { reconcileDelayMs: 50 },
  });
  const app = buildApp(appDeps(gw, { limits: { ordersPerSecond: 100_000, smartOrdersPerSecond: 100_000, othersPerSecond: 100_000, invalidKeysPerMinute: 100_000 } }));
  try {
    const refreshed = await gw.master.refresh({ force: true });
    if (refreshed.status !== "success") throw new Error(refreshed.message);
    await app.listen({ host: "127.0.0.1", port: 0 });
    const ws = await startWebSocket(gw, app, { limits: { connectionsPerKey: 1000, symbolsPerKey: 1_000_000 } });
    if (ws === null || ws.url === null) throw new Error("no websocket");
    const { key } = await gw.apiKeys.create("bench");
    const rows = gw.resolver.current.allRows().filter((r) => r.exchange === "NSE" && r.instrumenttype === "EQ").slice(0, INSTRUMENTS);
    if (rows.length < INSTRUMENTS) throw new Error(`only ${rows.length} NSE equities`);
    const sandbox = gw.sandbox!;

    // Latency probes: a moved price, stamped when it was set, is looked for in every client's ticks.
    const probes = new Map<string, number>();
    const gateway: number[] = [];
    // Only the first sight of a move per receiver counts: the periodic re-sends carry the same price.
    const seen = new Set<string>();
    const record = (sink: number[], receiver: number, symbol: string, ltp: number) => {
      const probe = `${symbol}|${ltp}`;
      const at = probes.get(probe);
      if (at === undefined || seen.has(`${receiver}|${probe}`)) return;
      seen.add(`${receiver}|${probe}`);
      sink.push(performance.now() - at);
    };

    progress(`opening ${CLIENTS} clients`);
    const heapBefore = settledHeap();
    const sockets: WebSocket[] = [];
    for (let c = 0; c < CLIENTS; c += 1) {
      const socket = await open(ws.url, key, (text) => {
        if (!text.startsWith('{"type":"market_data"')) return;
        const m = JSON.parse(text) as { symbol: string; data: { ltp: number } };
        record(gateway, c, m.symbol, m.data.ltp);
      });
      const mine = Array.from({ length: PER_CLIENT }, (_, i) => rows[(c * PER_CLIENT + i) % INSTRUMENTS]!);
      socket.send(JSON.stringify({ action: "subscribe", symbols: mine.map((r) => ({ symbol: r.symbol, exchange: "NSE" })), mode: 1 }));
      sockets.push(socket);
      if ((c + 1) % 25 === 0) progress(`${c + 1} clients open`);
    }
    for (let waited = 0; gw.streams!.feed.stats().upstream < INSTRUMENTS; waited += 1) {
      if (waited % 40 === 0) progress(`${JSON.stringify(gw.streams!.feed.stats())}, market socket ${gw.streams!.market.status().state}`);
      await sleep(50);
    }
    await sleep(1500);
    const perClient = (settledHeap() - heapBefore) / CLIENTS;

    // The bare XTS client: the sandbox's own market socket, on the gateway's session, no gateway in between.
    const endpoint = await gw.xts.market.streamEndpoint();
    const raw: number[] = [];
    const bySegmentToken = new Map(rows.map((r) => [r.token, r.symbol]));
    const bare = io(endpoint.origin, { path: endpoint.path, query: { ...endpoint.query }, transports: ["websocket"], reconnection: false, forceNew: true });
    bare.on("1501-json-full", (data: string) => {
      const q = JSON.parse(data) as { ExchangeInstrumentID: number; Touchline: { LastTradedPrice: number } };
      const symbol = bySegmentToken.get(q.ExchangeInstrumentID);
      if (symbol !== undefined) record(raw, -1, symbol, q.Touchline.LastTradedPrice);
    });
    await new Promise<void>((resolve) => bare.once("connect", () => resolve()));

    progress(`probing with ${PROBES} price moves`);
    for (let i = 0; i < PROBES; i += 1) {
      const row = rows[(i * 37) % INSTRUMENTS]!;
      const price = sandbox.control.price("NSECM", row.token) + row.tick_size * (i % 2 === 0 ? 1 : -1);
      const at = performance.now();
      // Set synchronously after the move: no tick can be read before this turn of the event loop ends.
      probes.set(`${row.symbol}|${sandbox.control.setPrice("NSECM", row.token, price).price}`, at);
      await sleep(20);
    }
    await sleep(500);
    bare.close();
    const missed = [...probes.keys()].filter((probe) => !seen.has(`-1|${probe}`));
    if (missed.length > 0) progress(`moves no receiver saw: ${missed.length}, e.g. ${missed.slice(0, 3).join(", ")}`);
    const g = summary(gateway);
    const r = summary(raw);
    const rss = process.memoryUsage().rss;
    lines.push(
      `tick latency, price move → OpenAlgo client (${CLIENTS} clients × ${PER_CLIENT} symbols, ${INSTRUMENTS} instruments streaming, all in one process on 2 cores): p50 ${fmt(g.p50, 2)} ms, p99 ${fmt(g.p99, 2)} ms, max ${fmt(g.max, 1)} ms over ${fmt(g.n, 0)} deliveries (${PROBES} moves × 10 watchers)`,
      `  baseline, the same moves seen by a bare socket.io client on the sandbox's market socket: p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms over ${fmt(r.n, 0)}`,
      `memory per WebSocket client with ${PER_CLIENT} subscriptions: ${fmt(perClient / 1024, 1)} KiB of heap (process RSS ${fmt(rss / 1024 / 1024, 0)} MB with all ${CLIENTS})`,
    );
    for (const socket of sockets) socket.close();

    // orderbook: the live books against the REST fetch (the sandbox's book mapped as today).
    const row = rows[0]!;
    // Inside the day's band, below the market: the orders rest.
    const restingPrice = Number((Math.ceil((row.lower_circuit ?? 1) / row.tick_size) * row.tick_size).toFixed(2));
    let placed = 0;
    for (const size of process.env["BENCH_STREAM_BOOKS"] === "0" ? [] : [100, 1000, 5000]) {
      while (placed < size) {
        const burst = Array.from({ length: Math.min(50, size - placed) }, (_, i) =>
          gw.xts.interactive.placeOrder({
            exchangeSegment: "NSECM", exchangeInstrumentID: row.token, productType: "MIS", orderType: "LIMIT", orderSide: "BUY", timeInForce: "DAY",
            disclosedQuantity: 0, orderQuantity: 1, limitPrice: restingPrice, stopPrice: 0, orderUniqueIdentifier: `bench${placed + i}`,
          }),
        );
        await Promise.all(burst);
        placed += burst.length;
      }
      progress(`orderbook at ${size} orders`);
      while (gw.streams!.status().interactive.orders < size) await sleep(20);
      const time = async (n: number) => {
        const samples: number[] = [];
        for (let i = 0; i < n; i += 1) {
          const started = performance.now();
          const book = await gw.orders.orderBook();
          samples.push(performance.now() - started);
          if (book.orders.length !== size) throw new Error(`orderbook has ${book.orders.length} orders, expected ${size}`);
        }
        return summary(samples);
      };
      const live = await time(size >= 5000 ? 50 : 200);
      // A read right after one order changed (an event came in): one row is mapped again, nothing sorted.
      const books = gw.streams!.books;
      const changed: number[] = [];
      for (let i = 0; i < 50; i += 1) {
        const entry = books.orders()![i % size]!;
        books.applyOrder({ ...entry, LastUpdateDateTime: `bench ${i}` });
        const started = performance.now();
        await gw.orders.orderBook();
        changed.push(performance.now() - started);
      }
      const afterChange = summary(changed);
      gw.streams!.interactive.stop();
      const rest = await time(size >= 5000 ? 10 : 50);
      gw.streams!.interactive.start();
      while (!gw.streams!.status().interactive.booksHealthy) await sleep(20);
      lines.push(
        `orderbook at ${fmt(size, 0)} orders: live books, unchanged p50 ${fmt(live.p50, 3)} ms (p99 ${fmt(live.p99, 2)}), right after one order changed p50 ${fmt(afterChange.p50, 2)} ms (p99 ${fmt(afterChange.p99, 2)}); REST fallback (baseline, today's path) p50 ${fmt(rest.p50, 1)} ms (p99 ${fmt(rest.p99, 1)})`,
      );
    }
    await ws.close();
    return report("streaming (issue 14)", lines);
  } finally {
    await app.close();
    await gw.close();
  }
}
