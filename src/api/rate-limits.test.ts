import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { networkOf, RequestLimits } from "./rate-limits.js";

describe("the network a client address counts under", () => {
  it("folds loopback into one, IPv4-mapped into IPv4, IPv6 into its /64", () => {
    expect(["127.0.0.1", "127.45.3.2", "::1", "::ffff:127.0.0.9"].map(networkOf)).toEqual(["loopback", "loopback", "loopback", "loopback"]);
    expect(networkOf("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(networkOf("192.0.2.7")).toBe("192.0.2.7");
    expect(networkOf("2001:db8:0:1::5")).toBe("2001:db8:0:1::/64");
    expect(networkOf("2001:db8:0:1:ffff:1:2:3")).toBe("2001:db8:0:1::/64");
    expect(networkOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(networkOf("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });
});

describe("the brake on invalid API keys", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-01T09:00:00Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const limits = () => new RequestLimits({ ordersPerSecond: 10, smartOrdersPerSecond: 10, othersPerSecond: 10, invalidKeysPerMinute: 3 });

  it("blocks for a minute after the limit, then twice as long each time it is hit again, up to an hour", async () => {
    const l = limits();
    const blocks: number[] = [];
    for (let round = 0; round < 8; round += 1) {
      for (let i = 0; i < 3; i += 1) expect(await l.recordBadKey("192.0.2.1", `${round}${i}`.padEnd(64, "a"))).toBe(0);
      const block = await l.recordBadKey("192.0.2.1", `${round}x`.padEnd(64, "b"));
      blocks.push(Math.round(block / 1000));
      expect(await l.badKeyWait("192.0.2.1", "c".repeat(64))).toBe(block);
      // Still blocked just before the end, free just after it.
      vi.setSystemTime(Date.now() + block - 1000);
      expect(await l.badKeyWait("192.0.2.1", "c".repeat(64))).toBeGreaterThan(0);
      vi.setSystemTime(Date.now() + 2000);
      expect(await l.badKeyWait("192.0.2.1", "c".repeat(64))).toBe(0);
    }
    expect(blocks).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
  });

  it("a valid key's own budget is untouched by bad keys from its network", async () => {
    const l = limits();
    for (let i = 0; i < 10; i += 1) await l.recordBadKey("127.0.0.1", `${i}`.repeat(64));
    for (let i = 0; i < 10; i += 1) expect(await l.forKey("order", 1)).toBe(0);
    expect(await l.forKey("order", 1)).toBeGreaterThan(0);
    expect(await l.forKey("other", 1)).toBe(0);
  });
});
