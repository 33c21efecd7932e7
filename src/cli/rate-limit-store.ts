import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis } from "rate-limiter-flexible";
import { memoryLimiters, type LimiterFactory } from "../api/rate-limits.js";
import type { Config } from "../config.js";
import { ConfigError } from "../errors.js";

export interface LimiterStore {
  readonly kind: Config["rateLimitStore"]["kind"];
  readonly limiters: LimiterFactory;
  /** False while the shared store fails and each process counts on its own. */
  shared(): boolean;
  close(): Promise<void>;
}

/** A change in where the counters are kept, for the operator's log. */
export type LimiterStoreChange =
  | { readonly state: "local"; readonly store: "redis" | "postgres" }
  | { readonly state: "shared"; readonly store: "redis" | "postgres"; readonly localMs: number };

/** How often a failed shared store is asked whether it answers again. */
const PROBE_EVERY_MS = 2_000;

/**
 * Watches the insurance limiter: the first request it counts means the shared store has failed, and
 * the limits are per process from then on (a deployment of N processes allows up to N times the
 * budget). That is said once, not silently; then the store is probed until it answers, and that is
 * said too. Between the two, requests are still limited, never refused for the outage.
 */
class FallbackWatch {
  private localSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: "redis" | "postgres",
    private readonly probe: () => Promise<unknown>,
    private readonly report: (change: LimiterStoreChange) => void,
  ) {}

  shared(): boolean {
    return this.localSince === null;
  }

  /** An in-process limiter to stand in for the store, telling this watch when it is used. */
  insurance(options: ConstructorParameters<typeof RateLimiterMemory>[0]): RateLimiterMemory {
    const lost = (): void => this.lost();
    return new (class extends RateLimiterMemory {
      override consume(...args: Parameters<RateLimiterMemory["consume"]>): ReturnType<RateLimiterMemory["consume"]> {
        lost();
        return super.consume(...args);
      }
    })(options);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private lost(): void {
    if (this.localSince !== null) return;
    this.localSince = Date.now();
    this.report({ state: "local", store: this.store });
    let probing = false;
    this.timer = setInterval(() => {
      if (probing) return;
      probing = true;
      this.probe().then(
        () => {
          const localMs = Date.now() - (this.localSince ?? Date.now());
          this.localSince = null;
          this.stop();
          this.report({ state: "shared", store: this.store, localMs });
        },
        () => undefined,
      ).finally(() => (probing = false));
    }, PROBE_EVERY_MS);
    this.timer.unref();
  }
}

/** rate-limiter-flexible's own table layout; created here, once, rather than by each limiter racing to. */
const RATE_LIMIT_TABLE = "rate_limits";

/**
 * Opens where the rate-limit counters of this deployment live. A shared store that is unreachable
 * at start-up stops the start with the variable named; one that fails later falls back to counting
 * in this process (rate-limiter-flexible's insurance limiter) instead of refusing every request.
 */
export async function openLimiterStore(store: Config["rateLimitStore"], namespace: string, report: (change: LimiterStoreChange) => void = () => undefined): Promise<LimiterStore> {
  const opened = await open(store, report);
  // Counters are keyed by API-key id, which another deployment sharing the Redis also has: the
  // namespace (its database) keeps them apart.
  return { ...opened, limiters: (options) => opened.limiters({ ...options, keyPrefix: `${namespace}:${options.keyPrefix}` }) };
}

async function open(store: Config["rateLimitStore"], report: (change: LimiterStoreChange) => void): Promise<LimiterStore> {
  switch (store.kind) {
    case "memory":
      return { kind: "memory", limiters: memoryLimiters, shared: () => true, close: async () => undefined };
    case "redis": {
      const { Redis } = await import("ioredis");
      const client = new Redis(store.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
      // ioredis reconnects by itself; an error event nobody listens for would crash the process.
      client.on("error", () => undefined);
      try {
        await client.connect();
      } catch (error) {
        client.disconnect();
        throw new ConfigError("REDIS_URL", `cannot reach Redis for the rate limits (${(error as Error).message})`);
      }
      const watch = new FallbackWatch("redis", () => client.ping(), report);
      return {
        kind: "redis",
        limiters: (options) => new RateLimiterRedis({ ...options, storeClient: client, insuranceLimiter: watch.insurance(options) }),
        shared: () => watch.shared(),
        close: async () => {
          watch.stop();
          await client.quit().catch(() => client.disconnect());
        },
      };
    }
    case "postgres": {
      const { createPool, parsePgUrl } = await import("../store/postgres/pg-connection.js");
      const target = parsePgUrl(store.url);
      const pool = createPool(target, "xtsbridge-rate-limits");
      try {
        await pool.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
        await pool.query(`CREATE TABLE IF NOT EXISTS "${target.schema}"."${RATE_LIMIT_TABLE}" (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`);
      } catch (error) {
        // Two processes starting at once may both create it; the loser's unique violation is harmless.
        if (!["23505", "42P06"].includes((error as { code?: string }).code ?? "")) {
          await pool.end().catch(() => undefined);
          throw new ConfigError("DATABASE_URL", `cannot prepare the rate-limit table (${(error as Error).message})`);
        }
      }
      const watch = new FallbackWatch("postgres", () => pool.query("SELECT 1"), report);
      return {
        kind: "postgres",
        shared: () => watch.shared(),
        limiters: (options) =>
          new RateLimiterPostgres({
            ...options,
            storeClient: pool,
            storeType: "pool",
            tableName: RATE_LIMIT_TABLE,
            schemaName: target.schema,
            tableCreated: true,
            clearExpiredByTimeout: true,
            insuranceLimiter: watch.insurance(options),
          }),
        close: async () => {
          watch.stop();
          await pool.end();
        },
      };
    }
    default:
      throw new ConfigError("RATE_LIMIT_STORE", "unknown store");
  }
}
