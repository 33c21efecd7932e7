import { isIP } from "node:net";
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { RouteGroup } from "./handlers.js";

export interface RateLimits {
  /** placeorder, modifyorder, cancelorder (OpenAlgo ORDER_RATE_LIMIT, 10/s). */
  readonly ordersPerSecond: number;
  /** placesmartorder (SMART_ORDER_RATE_LIMIT, 10/s). */
  readonly smartOrdersPerSecond: number;
  /** everything else (API_RATE_LIMIT, 10/s in OpenAlgo's code). */
  readonly othersPerSecond: number;
  /** failed API-key checks allowed per client network, and per key prefix tried, per minute. */
  readonly invalidKeysPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = Object.freeze({
  ordersPerSecond: 10,
  smartOrdersPerSecond: 10,
  othersPerSecond: 10,
  invalidKeysPerMinute: 20,
});

/**
 * Makes one counter. The composition root chooses where counters live: in this process
 * (RateLimiterMemory), or in Redis or PostgreSQL when several processes serve one deployment and
 * the limits must hold across them.
 */
export type LimiterFactory = (options: { readonly keyPrefix: string; readonly points: number; readonly duration: number }) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

/** The first block after too many bad keys lasts a minute; each repeat within a day doubles it, up to an hour. */
const FIRST_BLOCK_S = 60;
const LONGEST_BLOCK_S = 3_600;

/**
 * The key one client network counts under. Loopback is one network (an attacker on the machine
 * can use every 127.x address), IPv6 counts by /64 (one host's allocation), IPv4-mapped addresses
 * as their IPv4 address.
 */
export function networkOf(address: string): string {
  const v4 = address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith("127.") ? "loopback" : v4;
  const v6 = v4.split("%")[0]!;
  if (isIP(v6) !== 6) return `other:${v6.slice(0, 64)}`;
  if (v6 === "::1") return "loopback";
  return `${expandV6(v6).slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/** The eight groups of an IPv6 address, "::" filled in. */
function expandV6(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const front = head === "" ? [] : head.split(":");
  if (tail === undefined) return front;
  const back = tail === "" ? [] : tail.split(":");
  return [...front, ...Array<string>(8 - front.length - back.length).fill("0"), ...back];
}

/** Milliseconds to wait, or 0 when the point was granted. A store failure (no insurance left) propagates. */
async function take(limiter: RateLimiterAbstract, key: string): Promise<{ waitMs: number; consumed: number }> {
  try {
    const res = await limiter.consume(key);
    return { waitMs: 0, consumed: res.consumedPoints };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { waitMs: Math.max(1, rejection.msBeforeNext), consumed: rejection.consumedPoints };
    throw rejection;
  }
}

/**
 * OpenAlgo's per-second limits per API key, and a brake on guessing keys. A request with a valid
 * key is never refused because of other requests' bad keys: the brake applies only to requests
 * whose key fails, per client network and per key prefix tried (so rotating addresses does not
 * help), with a block that grows on each repeat.
 */
export class RequestLimits {
  private readonly perGroup: Record<RouteGroup, RateLimiterAbstract>;
  private readonly invalid: RateLimiterAbstract;
  private readonly strikes: RateLimiterAbstract;

  constructor(
    private readonly limits: RateLimits,
    make: LimiterFactory = memoryLimiters,
  ) {
    this.perGroup = {
      order: make({ keyPrefix: "xtsb:order", points: limits.ordersPerSecond, duration: 1 }),
      smart: make({ keyPrefix: "xtsb:smart", points: limits.smartOrdersPerSecond, duration: 1 }),
      other: make({ keyPrefix: "xtsb:other", points: limits.othersPerSecond, duration: 1 }),
    };
    this.invalid = make({ keyPrefix: "xtsb:badkey", points: limits.invalidKeysPerMinute, duration: 60 });
    this.strikes = make({ keyPrefix: "xtsb:strikes", points: 1_000_000, duration: 86_400 });
  }

  /** Counts a request of a valid key; milliseconds to wait, 0 when allowed. */
  async forKey(group: RouteGroup, keyId: number): Promise<number> {
    return (await take(this.perGroup[group], String(keyId))).waitMs;
  }

  /** How long requests with a bad key from this network, or trying this prefix, must wait; 0 when not blocked. */
  async badKeyWait(address: string, tried: string): Promise<number> {
    let wait = 0;
    for (const key of this.badKeyKeys(address, tried)) {
      const res = await this.invalid.get(key);
      if (res !== null && res.consumedPoints > this.limits.invalidKeysPerMinute) wait = Math.max(wait, res.msBeforeNext);
    }
    return wait;
  }

  /** Counts a failed key check; the block it starts, in milliseconds, or 0 while under the limit. */
  async recordBadKey(address: string, tried: string): Promise<number> {
    let wait = 0;
    for (const key of this.badKeyKeys(address, tried)) {
      const { waitMs, consumed } = await take(this.invalid, key);
      if (waitMs === 0) continue;
      if (consumed === this.limits.invalidKeysPerMinute + 1) {
        const strikes = (await this.strikes.penalty(key, 1)).consumedPoints;
        const seconds = Math.min(FIRST_BLOCK_S * 2 ** (strikes - 1), LONGEST_BLOCK_S);
        await this.invalid.block(key, seconds);
        wait = Math.max(wait, seconds * 1000);
      } else {
        wait = Math.max(wait, waitMs);
      }
    }
    return wait;
  }

  private badKeyKeys(address: string, tried: string): string[] {
    return [`net:${networkOf(address)}`, `prefix:${tried.slice(0, 12).toLowerCase()}`];
  }
}
