import { ApiKeys } from "../api/api-keys.js";
import type { Config } from "../config.js";
import { ConfigError, XtsBridgeError } from "../errors.js";
import type { Logger } from "../logger.js";
import { MasterContractService } from "../mastercontract/refresh.js";
import { WorkerAssembly } from "../mastercontract/worker-assembly.js";
import type { RefreshOptions } from "../mastercontract/refresh-types.js";
import { HistoryService, type HistoryOptions } from "../marketdata/history.js";
import { LiveBooks } from "../orders/live-books.js";
import { OrderService, type OrderServiceOptions } from "../orders/order-service.js";
import { StreamService, type StreamOptions } from "../streaming/stream-service.js";
import { QuoteService } from "../orders/quote-service.js";
import { Resolver } from "../resolver/resolver.js";
import type { Sandbox } from "../sandbox/create-sandbox.js";
import { SANDBOX_DEFAULTS, type SandboxOptions } from "../sandbox/sandbox-options.js";
import { openStore } from "../store/open-store.js";
import { DEFAULT_PROFILE, findProfile, type BrokerProfile } from "../xts/profiles.js";
import { isInMemoryDatabase } from "../store/database-url.js";
import type { GatewayStore } from "../store/symbol-store.js";
import type { SymbolRow } from "../store/types.js";
import type { AppDeps } from "../api/app-deps.js";
import { EXCHANGE_CALENDAR, type ExchangeCalendar } from "../calendar/exchange-calendar.js";
import { MarginService } from "../orders/margin-service.js";
import { MultiOrders } from "../orders/multi-orders.js";
import { OptionsService } from "../options/options-service.js";
import { Analyzer } from "../analyzer/analyzer.js";
import { DashboardSessions } from "../api/dashboard-sessions.js";
import { RequestLog } from "../api/request-log.js";
import { PaperEngine, type PaperOptions } from "../analyzer/paper-engine.js";
import { httpForwarder } from "../api/forward.js";
import type { RetryPolicy } from "../xts/client/backoff.js";
import { createXtsClient, type XtsClient } from "../xts/client/create-client.js";
import type { FetchFunction } from "../xts/client/transport.js";
import { Secret, type JainamConfig } from "../xts/client/jainam-config.js";
import type { XtsTimeouts } from "../xts/client/timeouts.js";

/**
 * Stands in for the XTS client on a replica, which must never log in (a second login would end
 * the primary's session): every broker call is forwarded by the API before it gets here, so
 * reaching this is a wiring bug and fails loudly.
 */
function primaryOnly(): never {
  throw new XtsBridgeError("PRIMARY_ONLY", "this process is a replica: broker calls go to the primary (XTSBRIDGE_PRIMARY_URL)");
}

const REPLICA_CLIENT = {
  interactive: new Proxy({}, { get: () => primaryOnly }),
  market: new Proxy({}, { get: () => primaryOnly }),
} as unknown as XtsClient;

/** Everything a gateway process runs on, built once from the config (the composition root). */
export interface Gateway {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: GatewayStore;
  readonly resolver: Resolver;
  readonly xts: XtsClient;
  readonly master: MasterContractService;
  readonly options: OptionsService;
  readonly multi: MultiOrders;
  readonly margin: MarginService;
  readonly calendar: ExchangeCalendar;
  /** The analyzer switch and paper engine; null on a replica. */
  readonly analyzer: Analyzer | null;
  /** Signed-in dashboard browsers (the API and the WebSocket share them) and the recent API requests. */
  readonly sessions: DashboardSessions;
  readonly requestLog: RequestLog;
  readonly orders: OrderService;
  readonly quotes: QuoteService;
  readonly history: HistoryService;
  readonly apiKeys: ApiKeys;
  /**
   * The XTS sockets, the market feed and the live books; null on a replica (the primary owns the
   * sockets). Built here, started by `serve` (tests start it when they stream).
   */
  readonly streams: StreamService | null;
  /** The in-process sandbox, when no broker credentials were configured and it was allowed. */
  readonly sandbox: Sandbox | null;
  /** Set on a replica: the primary that owns the XTS session. */
  readonly primaryUrl: string | null;
  close(): Promise<void>;
}

/**
 * The seams of the composition root: what a test, a benchmark or an embedding process may put in
 * place of what the config would build. Everything not given is built from the config.
 */
export interface GatewayOverrides {
  /** Start the built-in sandbox when no Jainam credentials are set (npm start); otherwise that is an error. */
  readonly allowSandbox?: boolean;
  /** Options for that sandbox (instruments, seed, reference date, account); implies allowSandbox. */
  readonly sandbox?: SandboxOptions;
  readonly databaseUrl?: string;
  readonly broker?: string;
  /** A store to use instead of opening DATABASE_URL; the caller keeps it (the gateway does not close it). */
  readonly store?: GatewayStore;
  readonly refresh?: Partial<RefreshOptions>;
  readonly timeouts?: Partial<XtsTimeouts>;
  readonly retry?: Partial<RetryPolicy>;
  readonly fetch?: FetchFunction;
  /** The clock the XTS client reads Retry-After dates with. */
  readonly now?: () => number;
  readonly orders?: Partial<OrderServiceOptions>;
  /** OHLC windows and pacing (a test need not wait a second between requests). */
  readonly history?: Partial<HistoryOptions>;
  readonly streams?: Partial<StreamOptions>;
  /** The clock options Greeks count time to expiry by, and the calendar's "today" (a test's fixed day). */
  readonly clock?: () => number;
  /** The analyzer's paper engine: starting capital, how often open paper orders are checked. */
  readonly paper?: Partial<PaperOptions>;
}

/** The XTS settings for the built-in sandbox: its URL, its published demo credentials, and the roots of the profile it impersonates. */
export function sandboxJainamConfig(url: string, profile: BrokerProfile = findProfile(DEFAULT_PROFILE)!): JainamConfig {
  return {
    server: url,
    interactiveApiKey: new Secret(SANDBOX_DEFAULTS.interactiveKey),
    interactiveApiSecret: new Secret(SANDBOX_DEFAULTS.interactiveSecret),
    marketApiKey: new Secret(SANDBOX_DEFAULTS.marketKey),
    marketApiSecret: new Secret(SANDBOX_DEFAULTS.marketSecret),
    clientId: null,
    hostlookup: profile.login.hostlookup,
    hostlookupUrl: `${url}/hostlookup`,
    marketDataRoot: profile.marketDataRoot,
    marketSocketRoot: profile.marketSocketRoot,
    accessToken: profile.login.mode === "access-token" ? new Secret(SANDBOX_DEFAULTS.accessToken) : null,
  };
}

export async function createGateway(config: Config, logger: Logger, overrides: GatewayOverrides = {}): Promise<Gateway> {
  let sandbox: Sandbox | null = null;
  let jainam = config.jainam;
  const replica = config.primaryUrl !== null;
  if (jainam === null && !replica) {
    if (overrides.allowSandbox !== true && overrides.sandbox === undefined) {
      throw new ConfigError(
        "JAINAM_INTERACTIVE_API_KEY",
        "no Jainam credentials are set; set JAINAM_SERVER and the four JAINAM_*_API_KEY/SECRET variables (for a sandbox started with 'xtsbridge sandbox', use the values it prints)",
      );
    }
    // Loaded only here: a gateway talking to Jainam never loads the sandbox and its generator.
    const { createSandbox } = await import("../sandbox/create-sandbox.js");
    sandbox = await createSandbox({ port: 0, instruments: config.sandboxInstruments, profile: config.profile, ...overrides.sandbox });
    jainam = sandboxJainamConfig(sandbox.url, config.profile);
    logger.info({ url: sandbox.url }, "no broker credentials: using the built-in XTS sandbox");
  }
  const ownsStore = overrides.store === undefined;
  const broker = overrides.broker ?? config.broker;
  let store: GatewayStore | undefined = overrides.store;
  // Whatever started before a failure must stop, or the process lingers (the sandbox listens).
  const abandon = async (error: unknown): Promise<never> => {
    if (ownsStore) await store?.close().catch(() => undefined);
    await sandbox?.close();
    throw error;
  };
  let resolver: Resolver;
  try {
    store ??= await openStore(overrides.databaseUrl ?? config.databaseUrl);
    resolver = new Resolver(store, broker, logger.child({ component: "resolver" }));
    await resolver.load();
  } catch (error) {
    return abandon(error);
  }
  const xts =
    replica || jainam === null
      ? REPLICA_CLIENT
      : createXtsClient({
          jainam,
          logger,
          ...(overrides.timeouts === undefined ? {} : { timeouts: overrides.timeouts }),
          ...(overrides.retry === undefined ? {} : { retry: overrides.retry }),
          ...(overrides.fetch === undefined ? {} : { fetch: overrides.fetch }),
          ...(overrides.now === undefined ? {} : { now: overrides.now }),
        });
  const databaseUrl = overrides.databaseUrl ?? config.databaseUrl;
  // A worker needs a database it can open itself: not a store handed in, not an in-memory one.
  const workerDatabase = ownsStore && config.refreshWorker && !isInMemoryDatabase(databaseUrl) ? databaseUrl : null;
  const master = new MasterContractService({
    store,
    resolver,
    ...(workerDatabase === null ? {} : { assembly: (b: string) => new WorkerAssembly(b, workerDatabase) }),
    source: xts.market,
    logger: logger.child({ component: "mastercontract" }),
    // The profile's segments and index lists, unless a test says otherwise.
    options: { segments: config.profile.segments, optionalSegments: config.profile.optionalSegments, indexLists: config.profile.indexLists, ...overrides.refresh },
  });
  const quotes = new QuoteService(xts.market, resolver);
  const live = replica ? undefined : new LiveBooks();
  // The streams are built after the orders (they need the same books): prices are looked up through them late.
  // Only while the market socket is up: a price kept from before a drop is not live.
  const lastPrice = (row: SymbolRow): number | null => (streams?.market.connected === true ? streams.feed.lastPrice(row) : null);
  const orders = new OrderService(xts.interactive, resolver, logger.child({ component: "orders" }), overrides.orders, (rows) => quotes.lastPrices(rows), live === undefined ? undefined : { books: live, lastPrice });
  const streams: StreamService | null =
    live === undefined
      ? null
      : new StreamService(xts, resolver, live, logger.child({ component: "streams" }), {
          broker,
          ltpCode: config.websocket.ltpCode,
          reconcileMs: 60_000,
          ...overrides.streams,
        });
  const history = new HistoryService(xts.market, resolver, store, overrides.history);
  const options = new OptionsService(resolver, quotes, overrides.clock);
  const multi = new MultiOrders(resolver);
  const margin = new MarginService(xts.interactive, resolver, sandbox !== null || config.marginDetails);
  let analyzer: Analyzer | null = null;
  if (!replica) {
    const analyzerLog = logger.child({ component: "analyzer" });
    analyzer = new Analyzer(store, broker, new PaperEngine(store, broker, resolver, (rows) => quotes.lastPrices(rows), analyzerLog, overrides.paper, overrides.clock), analyzerLog);
    await analyzer.load().catch(abandon);
  }
  const opened = store;
  return {
    config,
    logger,
    store: opened,
    resolver,
    xts,
    master,
    orders,
    quotes,
    history,
    options,
    multi,
    margin,
    calendar: EXCHANGE_CALENDAR,
    analyzer,
    sessions: new DashboardSessions(),
    requestLog: new RequestLog(),
    apiKeys: new ApiKeys(opened),
    streams,
    sandbox,
    primaryUrl: config.primaryUrl,
    async close() {
      streams?.stop();
      analyzer?.stop();
      if (ownsStore) await opened.close();
      await sandbox?.close();
    },
  };
}

/**
 * What the REST API is built on, from a gateway: the one place `serve` and the tests get their
 * `buildApp` dependencies, so both run the same wiring. `extra` adds or replaces (limits, a
 * forwarder, a clock).
 */
export function appDeps(gw: Gateway, extra: Partial<AppDeps> = {}): AppDeps {
  const { config } = gw;
  return {
    logger: gw.logger,
    apiKeys: gw.apiKeys,
    resolver: gw.resolver,
    orders: gw.orders,
    quotes: gw.quotes,
    history: gw.history,
    master: gw.master,
    options: gw.options,
    multi: gw.multi,
    margin: gw.margin,
    calendar: gw.calendar,
    ...(gw.analyzer === null ? {} : { analyzer: gw.analyzer }),
    sessions: gw.sessions,
    requestLog: gw.requestLog,
    limits: config.rateLimits,
    replicaSecret: config.replicaSecret,
    ...(gw.streams === null ? {} : { streamStatus: () => ({ enabled: true, ...gw.streams!.status() }) }),
    ...(gw.primaryUrl === null || config.replicaSecret === null ? {} : { forward: httpForwarder(gw.primaryUrl, config.replicaSecret) }),
    ...extra,
  };
}

