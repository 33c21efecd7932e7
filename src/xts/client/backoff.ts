/**
 * Retry timing for the calls that may be repeated (GETs, logins, master, index list, quotes):
 * exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"), and the server's Retry-After when it sends one.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included; 1 disables retries. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  /** Cap on a computed delay; a Retry-After longer than this is not waited for. */
  readonly maxDelayMs: number;
  /** Injected so tests need not sleep. */
  readonly delay: (ms: number) => Promise<void>;
  /** Injected so tests get deterministic jitter; returns [0, 1). */
  readonly random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  delay: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
});

/** Full jitter: uniform in [0, min(cap, base · 2^(attempt−1))]. `attempt` counts from 1 (the attempt that failed). */
export function backoffDelayMs(attempt: number, policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs" | "random">): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 30));
  return Math.floor(policy.random() * ceiling);
}

/**
 * Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3), in milliseconds from `now`.
 * Null when absent or unreadable; never negative.
 */
export function parseRetryAfterMs(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === "") return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * How long to wait before the next attempt, or null to stop. A Retry-After beyond the cap stops
 * the retries: the error then carries it to the caller rather than holding this call open.
 */
export function nextRetryDelayMs(
  attempt: number,
  retryAfterMs: number | null,
  policy: Pick<RetryPolicy, "maxAttempts" | "baseDelayMs" | "maxDelayMs" | "random">,
): number | null {
  if (attempt >= policy.maxAttempts) return null;
  if (retryAfterMs !== null) return retryAfterMs > policy.maxDelayMs ? null : retryAfterMs;
  return backoffDelayMs(attempt, policy);
}
