import { describe, expect, it } from "vitest";
import { backoffDelayMs, nextRetryDelayMs, parseRetryAfterMs } from "./backoff.js";

const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };

describe("backoffDelayMs", () => {
  it("doubles the ceiling each attempt, up to the cap", () => {
    const top = { ...policy, random: () => 0.999999 };
    expect([1, 2, 3, 4, 5, 40].map((attempt) => backoffDelayMs(attempt, top))).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it("spreads delays over [0, ceiling] (full jitter)", () => {
    expect(backoffDelayMs(3, { ...policy, random: () => 0 })).toBe(0);
    expect(backoffDelayMs(3, { ...policy, random: () => 0.5 })).toBe(200);
  });
});

describe("nextRetryDelayMs", () => {
  const half = { ...policy, random: () => 0.5 };

  it("stops when the attempts are spent", () => {
    expect(nextRetryDelayMs(3, null, half)).toBe(200);
    expect(nextRetryDelayMs(4, null, half)).toBeNull();
    expect(nextRetryDelayMs(1, null, { ...half, maxAttempts: 1 })).toBeNull();
  });

  it("honours Retry-After in place of the backoff, and stops when it is beyond the cap", () => {
    expect(nextRetryDelayMs(1, 700, half)).toBe(700);
    expect(nextRetryDelayMs(1, 0, half)).toBe(0);
    expect(nextRetryDelayMs(1, 1_001, half)).toBeNull();
  });
});

describe("parseRetryAfterMs", () => {
  const now = Date.parse("2025-01-02T03:04:05Z");

  it.each([
    [null, null],
    ["", null],
    ["2", 2_000],
    [" 0 ", 0],
    ["1.5", null],
    ["-1", null],
    ["soon", null],
    ["Thu, 02 Jan 2025 03:04:08 GMT", 3_000],
    ["Thu, 02 Jan 2025 03:04:00 GMT", 0],
  ])("reads %j as %j", (value, expected) => {
    expect(parseRetryAfterMs(value, now)).toBe(expected);
  });
});
