import { ApiKeys } from "../api/api-keys.js";
import type { Config } from "../config.js";
import { ConfigError, XtsBridgeError } from "../errors.js";
import type { Logger } from "../logger.js";
import { MasterContractService } from "../mastercontract/refresh.js";
import type { RefreshOptions } from "../mastercontract/refresh-types.js";
import { OrderService } from "../orders/order-service.js";
import { QuoteService } from "../orders/quote-service.js";
import { Resolver } from "../resolver/resolver.js";
import { createSandbox, type Sandbox } from "../sandbox/create-sandbox.js";
import { SANDBOX_DEFAULTS } from "../sandbox/sandbox-options.js";
import { openStore } from "../store/open-store.js";
import type { GatewayStore } from "../store/symbol-store.js";
import { createXtsClient, type XtsClient } from "../xts/client/create-client.js";
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
  readonly orders: OrderService;
  readonly quotes: QuoteService;
  readonly apiKeys: ApiKeys;
  /** The in-process sandbox, when no broker credentials were configured and it was allowed. */
  readonly sandbox: Sandbox | null;
  /** Set on a replica: the primary that owns the XTS session. */
  readonly primaryUrl: string | null;
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** Start the built-in sandbox when no Jainam credentials are set (npm start); otherwise that is an error. */
  readonly allowSandbox?: boolean;
  readonly sandboxInstruments?: number;
  readonly databaseUrl?: string;
  readonly broker?: string;
  readonly refresh?: Partial<RefreshOptions>;
  readonly timeouts?: Partial<XtsTimeouts>;
}

/** The XTS settings for the built-in sandbox: its URL and its published demo credentials. */
export function sandboxJainamConfig(url: string): JainamConfig {
  return {
    server: url,
    interactiveApiKey: new Secret(SANDBOX_DEFAULTS.interactiveKey),
    interactiveApiSecret: new Secret(SANDBOX_DEFAULTS.interactiveSecret),
    marketApiKey: new Secret(SANDBOX_DEFAULTS.marketKey),
    marketApiSecret: new Secret(SANDBOX_DEFAULTS.marketSecret),
    clientId: null,
    hostlookup: "auto",
    hostlookupUrl: `${url}/hostlookup`,
    marketDataRoot: "/apibinarymarketdata",
  };
}

export async function createGateway(config: Config, logger: Logger, options: GatewayOptions = {}): Promise<Gateway> {
  let sandbox: Sandbox | null = null;
  let jainam = config.jainam;
  const replica = config.primaryUrl !== null;
  if (jainam === null && !replica) {
    if (options.allowSandbox !== true) {
      throw new ConfigError(
        "JAINAM_INTERACTIVE_API_KEY",
        "no Jainam credentials are set; set JAINAM_SERVER and the four JAINAM_*_API_KEY/SECRET variables (for a sandbox started with 'xtsbridge sandbox', use the values it prints)",
      );
    }
    sandbox = await createSandbox({ port: 0, ...(options.sandboxInstruments === undefined ? {} : { instruments: options.sandboxInstruments }) });
    jainam = sandboxJainamConfig(sandbox.url);
    logger.info({ url: sandbox.url }, "no broker credentials: using the built-in XTS sandbox");
  }
  let store: GatewayStore | undefined;
  let resolver: Resolver;
  try {
    store = await openStore(options.databaseUrl ?? config.databaseUrl);
    resolver = new Resolver(store, options.broker ?? config.broker, logger.child({ component: "resolver" }));
    await resolver.load();
  } catch (error) {
    // Whatever started before the failure must stop, or the process lingers (the sandbox listens).
    await store?.close().catch(() => undefined);
    await sandbox?.close();
    throw error;
  }
  const xts =
    replica || jainam === null ? REPLICA_CLIENT : createXtsClient({ jainam, logger, ...(options.timeouts === undefined ? {} : { timeouts: options.timeouts }) });
  const master = new MasterContractService({
    store,
    resolver,
    source: xts.market,
    logger: logger.child({ component: "mastercontract" }),
    ...(options.refresh === undefined ? {} : { options: options.refresh }),
  });
  const orders = new OrderService(xts.interactive, resolver, logger.child({ component: "orders" }));
  const quotes = new QuoteService(xts.market, resolver);
  return {
    config,
    logger,
    store,
    resolver,
    xts,
    master,
    orders,
    quotes,
    apiKeys: new ApiKeys(store),
    sandbox,
    primaryUrl: config.primaryUrl,
    async close() {
      await store.close();
      await sandbox?.close();
    },
  };
}
