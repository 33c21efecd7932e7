import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis } from "rate-limiter-flexible";
import { memoryLimiters, type LimiterFactory } from "../api/rate-limits.js";
import type { Config } from "../config.js";
import { ConfigError } from "../errors.js";

export interface LimiterStore {
  readonly kind: Config["rateLimitStore"]["kind"];
  readonly limiters: LimiterFactory;
  close(): Promise<void>;
}

/** rate-limiter-flexible's own table layout; created here, once, rather than by each limiter racing to. */
const RATE_LIMIT_TABLE = "rate_limits";

/**
 * Opens where the rate-limit counters of this deployment live. A shared store that is unreachable
 * at start-up stops the start with the variable named; one that fails later falls back to counting
 * in this process (rate-limiter-flexible's insurance limiter) instead of refusing every request.
 */
export async function openLimiterStore(store: Config["rateLimitStore"], namespace: string): Promise<LimiterStore> {
  const opened = await open(store);
  // Counters are keyed by API-key id, which another deployment sharing the Redis also has: the
  // namespace (its database) keeps them apart.
  return { ...opened, limiters: (options) => opened.limiters({ ...options, keyPrefix: `${namespace}:${options.keyPrefix}` }) };
}

async function open(store: Config["rateLimitStore"]): Promise<LimiterStore> {
  switch (store.kind) {
    case "memory":
      return { kind: "memory", limiters: memoryLimiters, close: async () => undefined };
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
      return {
        kind: "redis",
        limiters: (options) => new RateLimiterRedis({ ...options, storeClient: client, insuranceLimiter: new RateLimiterMemory(options) }),
        close: async () => {
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
      return {
        kind: "postgres",
        limiters: (options) =>
          new RateLimiterPostgres({
            ...options,
            storeClient: pool,
            storeType: "pool",
            tableName: RATE_LIMIT_TABLE,
            schemaName: target.schema,
            tableCreated: true,
            clearExpiredByTimeout: true,
            insuranceLimiter: new RateLimiterMemory(options),
          }),
        close: () => pool.end(),
      };
    }
    default:
      throw new ConfigError("RATE_LIMIT_STORE", "unknown store");
  }
}
