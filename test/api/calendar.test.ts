import { describe, expect, it } from "vitest";
import { apiFixture, expectError, expectSuccess } from "./harness.js";

const IST = 19_800_000;
const istClock = (ms: number): string => new Date(ms + IST).toISOString().slice(0, 16).replace("T", " ");

describe("market calendar: holidays and timings", () => {
  const h = apiFixture({ today: "2026-11-25" });

  it("holidays: the year's trading holidays, NSE/BSE/F&O closed, MCX either shut or open for its evening session", async () => {
    const body = expectSuccess(await h.post("market/holidays", { apikey: h.key }));
    expect(body).toMatchObject({ year: 2026, timezone: "Asia/Kolkata" });
    const data = body["data"] as { date: string; description: string; closed_exchanges: string[]; open_exchanges: { exchange: string; start_time: number; end_time: number }[] }[];
    expect(data.map((d) => d.date)).toEqual([...data.map((d) => d.date)].sort());
    const republic = data.find((d) => d.date === "2026-01-26")!;
    expect(republic).toMatchObject({ description: "Republic Day", closed_exchanges: ["NSE", "BSE", "NFO", "BFO", "CDS", "BCD", "MCX"], open_exchanges: [] });
    const holi = data.find((d) => d.date === "2026-03-03")!;
    expect(holi.closed_exchanges).not.toContain("MCX");
    expect(holi.open_exchanges.map((o) => [o.exchange, istClock(o.start_time), istClock(o.end_time)])).toEqual([["MCX", "2026-03-03 17:00", "2026-03-03 23:55"]]);
    expect(data.every((d) => new Date(`${d.date}T00:00:00Z`).getUTCDay() % 6 !== 0)).toBe(true);
    expectError(await h.post("market/holidays", { apikey: h.key, year: 2027 }), 400, "VALIDATION_ERROR", /holds 2026; 2027 is not in it/);
    expectError(await h.post("market/holidays", { apikey: h.key, year: 1999 }), 400, "VALIDATION_ERROR", /year must be/);
  });

  it("timings: each exchange's session on a trading day, MCX's close moving with US daylight saving; nothing on a weekend or a full holiday", async () => {
    const sessions = async (date: string) =>
      ((expectSuccess(await h.post("market/timings", { apikey: h.key, date }))["data"]) as { exchange: string; start_time: number; end_time: number }[]).map((s) => [s.exchange, istClock(s.start_time).slice(11), istClock(s.end_time).slice(11)]);
    expect(await sessions("2026-11-25")).toEqual([
      ["NSE", "09:15", "15:30"],
      ["BSE", "09:15", "15:30"],
      ["NFO", "09:15", "15:30"],
      ["BFO", "09:15", "15:30"],
      ["CDS", "09:00", "17:00"],
      ["BCD", "09:00", "17:00"],
      ["MCX", "09:00", "23:55"],
    ]);
    expect((await sessions("2026-07-15")).at(-1)).toEqual(["MCX", "09:00", "23:30"]);
    expect(await sessions("2026-11-24")).toEqual([["MCX", "17:00", "23:55"]]);
    expect(await sessions("2026-12-25")).toEqual([]);
    expect(await sessions("2026-11-28")).toEqual([]);
    expectError(await h.post("market/timings", { apikey: h.key, date: "2026-02-30" }), 400, "VALIDATION_ERROR", /date is not a calendar date/);
    expectError(await h.post("market/timings", { apikey: h.key, date: "2027-01-04" }), 400, "VALIDATION_ERROR", /date: .*2027 is not in it|2027 is not in it/);
  });
});
