import { describe, expect, it } from "vitest";
import { pendingStatus } from "../store/status-types.js";
import { needsRefresh, todaysCutoff, tradingDayCutoff } from "./schedule.js";

const at = (iso: string) => new Date(iso);

describe("todaysCutoff", () => {
  it("is 08:00 IST (02:30 UTC) of the same day once that time has passed", () => {
    expect(todaysCutoff(at("2026-11-26T05:00:00Z")).toISOString()).toBe("2026-11-26T02:30:00.000Z");
  });
  it("is yesterday's 08:00 IST before 08:00 IST", () => {
    expect(todaysCutoff(at("2026-11-26T02:00:00Z")).toISOString()).toBe("2026-11-25T02:30:00.000Z");
    // 23:00 UTC is already the next day in IST (04:30), still before 08:00 there.
    expect(todaysCutoff(at("2026-11-25T23:00:00Z")).toISOString()).toBe("2026-11-25T02:30:00.000Z");
  });
});

describe("needsRefresh", () => {
  const success = (lastSuccessAt: string) => ({ ...pendingStatus("jainam_prop"), status: "success" as const, lastSuccessAt });
  it("is due when nothing is stored", () => {
    expect(needsRefresh(pendingStatus("jainam_prop"), 0)).toBe(true);
    expect(needsRefresh(success("2026-11-26T03:00:00Z"), 0, at("2026-11-26T04:00:00Z"))).toBe(true);
  });
  it("is due when the contract predates today's cutoff, not after", () => {
    expect(needsRefresh(success("2026-11-26T02:00:00Z"), 10, at("2026-11-26T04:00:00Z"))).toBe(true);
    expect(needsRefresh(success("2026-11-26T02:45:00Z"), 10, at("2026-11-26T04:00:00Z"))).toBe(false);
    // Yesterday evening's contract is still today's before 08:00 IST.
    expect(needsRefresh(success("2026-11-25T12:00:00Z"), 10, at("2026-11-26T01:00:00Z"))).toBe(false);
  });
});

describe("the trading-day cutoff (exchange calendar)", () => {
  const success = (lastSuccessAt: string) => ({ ...pendingStatus("jainam_prop"), status: "success" as const, lastSuccessAt });
  it("over a weekend, Friday's contract stays current; on Monday after 08:00 IST it is due", () => {
    // Friday 2026-11-27 09:00 IST download; Sunday 29th noon IST: nothing new to fetch.
    expect(needsRefresh(success("2026-11-27T03:30:00Z"), 10, at("2026-11-29T06:30:00Z"))).toBe(false);
    expect(tradingDayCutoff(at("2026-11-29T06:30:00Z")).toISOString()).toBe("2026-11-27T02:30:00.000Z");
    expect(needsRefresh(success("2026-11-27T03:30:00Z"), 10, at("2026-11-30T03:00:00Z"))).toBe(true);
  });
  it("Christmas (every exchange shut) is no trading day, but Guru Nanak Jayanti (MCX's evening session) is", () => {
    expect(tradingDayCutoff(at("2026-12-25T06:30:00Z")).toISOString()).toBe("2026-12-24T02:30:00.000Z");
    expect(tradingDayCutoff(at("2026-11-24T06:30:00Z")).toISOString()).toBe("2026-11-24T02:30:00.000Z");
  });
  it("a year the calendar does not hold falls back to weekdays", () => {
    expect(tradingDayCutoff(at("2031-01-04T06:30:00Z")).toISOString()).toBe("2031-01-03T02:30:00.000Z");
  });
});
