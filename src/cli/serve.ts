import { createHash } from "node:crypto";
import type { Command } from "commander";
import type { FastifyInstance } from "fastify";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { SymbolIndex } from "../resolver/symbol-index.js";
import { DailyRefresh, needsRefresh } from "../mastercontract/schedule.js";
import { CliExit, EXIT, type CliIo } from "./io.js";
import type { LimiterStore } from "./rate-limit-store.js";
import type { Gateway } from "./gateway.js";
import type { FeedSource, RunningWebSocket } from "./websocket.js";
import { formatRefreshReport, progressPrinter } from "./progress.js";

async function firstRunKey(gw: Gateway): Promise<string | null> {
  const keys = await gw.apiKeys.list();
  if (keys.some((k) => k.revokedAt === null)) return null;
  return (await gw.apiKeys.create("default")).key;
}

/**
 * `npm start`: with no broker credentials, the built-in sandbox; then a master refresh when
 * the stored contract is missing or older than today's 08:00 IST (always, for a sandbox, whose
 * contract is new each start); a first-run API key; the API until SIGINT/SIGTERM.
 */
export async function serve(config: Config, io: CliIo, until: () => Promise<unknown>): Promise<number> {
  const [{ createLogger }, { appDeps, createGateway }, { buildApp }, { ContractWatcher }, { openLimiterStore }, { startWebSocket }] = await Promise.all([
    import("../logger.js"),
    import("./gateway.js"),
    import("../api/app.js"),
    import("../resolver/contract-watcher.js"),
    import("./rate-limit-store.js"),
    import("./websocket.js"),
  ]);
  const logger: Logger = createLogger({ level: config.logLevel });
  const say = (text: string): void => io.err(`${text}\n`);
  if (config.primaryUrl !== null) say(`Replica: broker calls go to the primary at ${config.primaryUrl}; the contract comes from the shared database.`);
  else if (config.jainam === null) say(`No broker credentials set: starting the built-in XTS sandbox as ${config.profile.title} (${config.sandboxInstruments} instruments).`);
  const gw = await createGateway(config, logger, { allowSandbox: true });
  const watcher = new ContractWatcher(gw.store, gw.resolver, logger.child({ component: "contract-watcher" }), config.contractCheckMs);
  let limiterStore: LimiterStore | null = null;
  let app: FastifyInstance | null = null;
  let daily: DailyRefresh | null = null;
  let websocket: RunningWebSocket | null = null;
  const bridges: { close(): Promise<void> }[] = [];
  let replicaCount = (): number | null => null;
  try {
    const limitsLog = logger.child({ component: "rate-limits" });
    // One deployment's processes share one database and broker: they share rate limits and streams.
    const namespace = createHash("sha256").update(`${config.databaseUrl}|${config.broker}`).digest("hex").slice(0, 12);
    limiterStore = await openLimiterStore(config.rateLimitStore, namespace, (change) => {
      if (change.state === "local") limitsLog.warn({ store: change.store }, `the ${change.store} rate-limit store is failing: counting in this process until it answers (each process allows the full budget meanwhile)`);
      else limitsLog.info({ store: change.store, localMs: change.localMs }, `the ${change.store} rate-limit store answers again: limits are shared across processes`);
    });
    const streamStatus = (): Record<string, unknown> =>
      gw.streams === null ? { enabled: false, message: "this process is a replica: the primary owns the XTS sockets" } : { enabled: true, ...gw.streams.status(), websocket: websocket?.server.stats() ?? null, replicas: replicaCount() };
    app = buildApp(appDeps(gw, { limiters: limiterStore.limiters, streamStatus }));
    // Bind before the download: a busy port is found in a second, not after the whole contract.
    // Until a contract is loaded, requests that need one are told so (503), not answered wrongly.
    const address = await listen(app, config.http.host, config.http.port);
    const url = address.replace("[::1]", "localhost");
    say(`Listening on ${url} (rate limits kept in ${limiterStore.kind}).`);

    const status = await gw.master.status();
    if (gw.primaryUrl !== null) {
      say(`Serving the stored contract: ${gw.resolver.current.size} instruments (version ${gw.resolver.version}).`);
    } else if (gw.sandbox !== null || needsRefresh(status, gw.resolver.current.size)) {
      say("Downloading the master contract…");
      // The built-in sandbox makes a new master each start, and it is the whole truth: force it in.
      const report = await gw.master.refresh({ force: gw.sandbox !== null, onProgress: progressPrinter(io.err, io.isTTY) });
      say(formatRefreshReport(report).trimEnd());
      if (report.status !== "success" && gw.resolver.current.size === 0) {
        say("No master contract is available: orders cannot be resolved. Fix the cause above and restart.");
        return 1;
      }
    } else {
      say(`Master contract from ${status.lastSuccessAt} is current (${gw.resolver.current.size} instruments).`);
    }
    await watcher.start();
    // Only the process that owns the XTS session downloads; replicas follow through the watcher.
    daily = gw.primaryUrl === null ? new DailyRefresh(gw.master, () => gw.resolver.current.size, logger.child({ component: "daily-refresh" })) : null;
    daily?.start();
    let source: FeedSource | undefined;
    if (config.redisUrl !== null) {
      const { PrimaryBridge, RemoteFeed } = await import("../streaming/redis-bridge.js");
      if (gw.streams !== null) {
        const primary = new PrimaryBridge(config.redisUrl, namespace, gw.streams.feed, gw.streams.orders, logger.child({ component: "redis-streams" }));
        await primary.start();
        bridges.push(primary);
        replicaCount = () => primary.replicaCount();
      } else {
        const remote = new RemoteFeed(config.redisUrl, namespace, gw.resolver, logger.child({ component: "redis-streams" }));
        await remote.start();
        bridges.push(remote);
        source = { feed: remote, orders: remote.orders };
      }
    }
    websocket = await startWebSocket(gw, app, source === undefined ? {} : { source });
    const key = gw.primaryUrl === null ? await firstRunKey(gw) : null;
    say(`\nxtsbridge is serving the OpenAlgo API at ${url}/api/v1 (docs: ${url}/docs)`);
    say(`Dashboard: ${url}/ (sign in with an API key)`);
    if (websocket !== null) say(`OpenAlgo WebSocket (live ticks and order updates): ${websocket.url ?? "WEBSOCKET_PORT off"} and ${url.replace(/^http/, "ws")}/ws`);
    else say("OpenAlgo WebSocket: not served here (a replica streams through the primary over Redis: set REDIS_URL).");
    // A symbol that is in this contract, so the printed example works as pasted (the sandbox's names are synthetic).
    const example = exampleSymbol(gw.resolver.current);
    if (key !== null) {
      say(`Your API key (shown once; only its hash is stored): ${key}`);
      say(`Try: curl -s ${url}/api/v1/placeorder -H 'content-type: application/json' \\\n  -d '{"apikey":"${key}","strategy":"test","symbol":"${example}","exchange":"NSE","action":"BUY","quantity":"1","pricetype":"MARKET","product":"MIS"}'`);
    } else {
      say("Use an API key you created before ('xtsbridge apikey create' makes a new one).");
    }
    const signal = await until();
    say(`\n${String(signal)}: finishing in-flight requests and shutting down…`);
    return 0;
  } finally {
    daily?.stop();
    await websocket?.close();
    for (const bridge of bridges) await bridge.close();
    await app?.close();
    await watcher.stop();
    await limiterStore?.close();
    await gw.close();
  }
}

/** Listens, or fails with the address named: a port in use is the commonest start-up failure. */
async function listen(app: FastifyInstance, host: string, port: number): Promise<string> {
  try {
    return await app.listen({ host, port });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE") throw new CliExit(EXIT.failed, `error: port ${port} on ${host} is already in use: stop the process that holds it, or set PORT to another port`);
    if (code === "EACCES") throw new CliExit(EXIT.failed, `error: not allowed to listen on ${host}:${port} (ports below 1024 need privileges): set PORT to 1024 or above`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new CliExit(EXIT.usage, `error: HOST ${host} is not an address of this machine`);
    throw error;
  }
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

export function addServeCommand(program: Command, io: CliIo, config: () => Config, exit: (code: number) => void): void {
  program
    .command("serve")
    .description("serve the OpenAlgo-compatible REST API (npm start); without JAINAM_* credentials it runs against the built-in sandbox")
    .addHelpText(
      "after",
      "\nEnvironment: HOST (127.0.0.1), PORT (5000), DATABASE_URL, JAINAM_SERVER and JAINAM_*_API_KEY/SECRET,\nORDER_RATE_LIMIT / SMART_ORDER_RATE_LIMIT / API_RATE_LIMIT (10 per second), LOG_LEVEL, SANDBOX_INSTRUMENTS,\nWEBSOCKET_HOST / WEBSOCKET_PORT (OpenAlgo's WebSocket; 8765, 'off' for none; also at /ws), XTS_LTP_MESSAGE_CODE (1501).",
    )
    .action(async () => {
      exit(await serve(config(), io, untilSignal));
    });
}

/** The first NSE equity of lot 1 in the contract (rows are made one at a time until one fits). */
function exampleSymbol(index: SymbolIndex): string {
  for (let i = 0; i < index.size; i += 1) {
    const row = index.row(i);
    if (row.exchange === "NSE" && row.instrumenttype === "EQ" && row.lotsize === 1) return row.symbol;
  }
  return "SBIN";
}
