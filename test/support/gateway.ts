import { createGateway, type Gateway, type GatewayOverrides } from "../../src/cli/gateway.js";
import { loadConfig } from "../../src/config.js";
import { silentLogger, type Logger } from "../../src/logger.js";
import { openSqliteStore } from "../../src/store/open-store.js";
import type { SqliteOptions } from "../../src/store/sqlite/sqlite-dialect.js";
import type { Sandbox } from "../../src/sandbox/create-sandbox.js";
import { tempDir } from "./temp-dir.js";

/** A gateway on its built-in sandbox, as `npm start` builds it, with the sandbox always there. */
export interface TestGateway extends Gateway {
  readonly sandbox: Sandbox;
  readonly dbPath: string;
}

/**
 * The production composition root (`createGateway`) on a temp SQLite file and a sandbox on a free
 * loopback port, with test-friendly timeouts, retries and reconciliation delays. Nothing is wired
 * by hand here: what `serve` builds is what the tests exercise.
 */
export async function startTestGateway(
  options: GatewayOverrides & {
    readonly logger?: Logger;
    /** Connection settings of the SQLite store (a shorter busy timeout, a page cap standing in for a full disk). */
    readonly sqlite?: SqliteOptions;
    /** Another gateway's database file, to run a second process's view of it. */
    readonly dbPath?: string;
    /** More environment for loadConfig (MASTER_REFRESH_WORKER, …). */
    readonly env?: Readonly<Record<string, string>>;
  } = {},
): Promise<TestGateway> {
  const dir = tempDir("xtsbridge-gw-");
  const { logger, sqlite, dbPath = dir.file("gateway.db"), env = {}, ...overrides } = options;
  // WEBSOCKET_PORT 0: test gateways run side by side; 8765 can be held by one only.
  const config = loadConfig({ DATABASE_URL: `sqlite:${dbPath}`, LOG_LEVEL: "silent", WEBSOCKET_PORT: "0", ...env });
  const store = sqlite === undefined ? undefined : openSqliteStore(dbPath, sqlite);
  const gw = await createGateway(config, logger ?? silentLogger(), {
    ...overrides,
    ...(store === undefined ? {} : { store }),
    sandbox: { instruments: 3000, referenceDate: "2026-11-25", ...overrides.sandbox },
    timeouts: { orderMs: 1000, readMs: 2000, ...overrides.timeouts },
    retry: { baseDelayMs: 5, maxDelayMs: 20, ...overrides.retry },
    orders: { reconcileDelayMs: 50, ...overrides.orders },
    history: { paceMs: 0, ...overrides.history },
  });
  if (gw.sandbox === null) throw new Error("the test gateway has no sandbox");
  return {
    ...gw,
    sandbox: gw.sandbox,
    dbPath,
    async close() {
      await gw.close();
      // The gateway does not close a store handed to it: the one opened here for `sqlite` is closed here.
      await store?.close();
      dir.remove();
    },
  };
}
