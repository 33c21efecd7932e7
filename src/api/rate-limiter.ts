/**
 * A sliding-window limiter keyed by anything (an API key's id, a client address). OpenAlgo's
 * limits are per second per key; a library limiter keys on the address before the body is
 * read, while ours key on the API key inside the body and must count only failed logins.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    readonly max: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a hit; returns 0 when allowed, else the milliseconds until one is allowed again. */
  take(key: string): number {
    const now = this.now();
    this.sweep(now);
    const since = now - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (list.length >= this.max) {
      this.hits.set(key, list);
      return Math.max(1, list[0]! + this.windowMs - now);
    }
    list.push(now);
    this.hits.set(key, list);
    return 0;
  }

  /** How long `key` must wait, without counting a hit. */
  blockedFor(key: string): number {
    const now = this.now();
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    return list.length >= this.max ? Math.max(1, list[0]! + this.windowMs - now) : 0;
  }

  /** Drops idle keys once per window so the map cannot grow without bound. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, list] of this.hits) if (list.every((t) => t <= now - this.windowMs)) this.hits.delete(key);
  }
}
