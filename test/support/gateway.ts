import { silentLogger, type Logger } from "../../src/logger.js";
import { MasterContractService } from "../../src/mastercontract/refresh.js";
import type { RefreshOptions } from "../../src/mastercontract/refresh-types.js";
import { OrderService } from "../../src/orders/order-service.js";
import { QuoteService } from "../../src/orders/quote-service.js";
import { Resolver } from "../../src/resolver/resolver.js";
import { createSandbox, type Sandbox } from "../../src/sandbox/create-sandbox.js";
import type { SandboxOptions } from "../../src/sandbox/sandbox-options.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import type { GatewayStore } from "../../src/store/symbol-store.js";
import { createXtsClient, type XtsClient } from "../../src/xts/client/create-client.js";
import type { XtsTimeouts } from "../../src/xts/client/timeouts.js";
import { sandboxJainamConfig } from "../../src/cli/gateway.js";
import { tempDir } from "./temp-dir.js";

export interface TestGateway {
  readonly sandbox: Sandbox;
  readonly store: GatewayStore;
  readonly resolver: Resolver;
  readonly xts: XtsClient;
  readonly master: MasterContractService;
  readonly orders: OrderService;
  readonly quotes: QuoteService;
  readonly dbPath: string;
  close(): Promise<void>;
}

/** A sandbox on a free loopback port and the gateway's pieces wired to it, on a temp SQLite file. */
export async function startTestGateway(
  options: {
    sandbox?: SandboxOptions;
    refresh?: Partial<RefreshOptions>;
    timeouts?: Partial<XtsTimeouts>;
    logger?: Logger;
    store?: GatewayStore;
    broker?: string;
  } = {},
): Promise<TestGateway> {
  const sandbox = await createSandbox({ port: 0, instruments: 3000, referenceDate: "2026-11-25", ...options.sandbox });
  const dir = tempDir("xtsbridge-gw-");
  const dbPath = dir.file("gateway.db");
  const store = options.store ?? SqliteStore.open(dbPath);
  const logger = options.logger ?? silentLogger();
  const resolver = new Resolver(store, options.broker ?? "jainam_prop", logger);
  await resolver.load();
  const xts = createXtsClient({
    jainam: sandboxJainamConfig(sandbox.url),
    logger,
    timeouts: { orderMs: 1000, readMs: 2000, ...options.timeouts },
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
  });
  const master = new MasterContractService({ store, resolver, source: xts.market, logger, options: options.refresh ?? {} });
  const orders = new OrderService(xts.interactive, resolver, logger, { reconcileDelayMs: 50 });
  const quotes = new QuoteService(xts.market, resolver);
  return {
    sandbox,
    store,
    resolver,
    xts,
    master,
    orders,
    quotes,
    dbPath,
    async close() {
      await store.close();
      await sandbox.close();
      dir.remove();
    },
  };
}
