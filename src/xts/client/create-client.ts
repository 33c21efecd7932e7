import type { Logger } from "../../logger.js";
import { silentLogger } from "../../logger.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./backoff.js";
import { XtsHttp } from "./http.js";
import { fetchTransport, undiciTransport, type FetchFunction, type Transport } from "./transport.js";
import { XtsInteractiveClient } from "./interactive-client.js";
import type { JainamConfig } from "./jainam-config.js";
import { XtsMarketDataClient } from "./market-client.js";
import { DEFAULT_TIMEOUTS, type XtsTimeouts } from "./timeouts.js";

export interface CreateXtsClientOptions {
  readonly jainam: JainamConfig;
  readonly logger?: Logger;
  readonly timeouts?: Partial<XtsTimeouts>;
  readonly retry?: Partial<RetryPolicy>;
  /** How requests reach XTS; defaults to undici's pooled `request` (transport.ts). */
  readonly transport?: Transport;
  /** A `fetch` to use instead (tests rewrite or observe exchanges with one); `transport` wins. */
  readonly fetch?: FetchFunction;
  /** Clock for Retry-After dates; defaults to Date.now. */
  readonly now?: () => number;
}

export interface XtsClient {
  readonly interactive: XtsInteractiveClient;
  readonly market: XtsMarketDataClient;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

/**
 * Builds the XTS clients for one Jainam account. Each client owns its session, so create them
 * once per process: a second pair logging in with the same keys ends the first pair's sessions
 * (xts-protocol.md §1.6).
 */
export function createXtsClient(options: CreateXtsClientOptions): XtsClient {
  const timeouts: XtsTimeouts = Object.freeze({ ...DEFAULT_TIMEOUTS, ...options.timeouts });
  for (const [name, value] of Object.entries(timeouts)) positive(`timeouts.${name}`, value);
  const retry: RetryPolicy = Object.freeze({ ...DEFAULT_RETRY_POLICY, ...options.retry });
  if (!Number.isSafeInteger(retry.maxAttempts) || retry.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be an integer ≥ 1, got ${retry.maxAttempts}`);
  }
  const http = new XtsHttp({
    transport: options.transport ?? (options.fetch === undefined ? undiciTransport() : fetchTransport(options.fetch)),
    logger: (options.logger ?? silentLogger()).child({ component: "xts" }),
    retry,
    now: options.now ?? Date.now,
  });
  const deps = { http, config: options.jainam, timeouts };
  return Object.freeze({ interactive: new XtsInteractiveClient(deps), market: new XtsMarketDataClient(deps) });
}
