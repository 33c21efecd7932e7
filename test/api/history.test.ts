import { beforeEach, describe, expect, it } from "vitest";
import { apiFixture, expectError, expectSuccess, ltpOf, MARKET_GATEWAY, MARKET_NOW, type Candle } from "./harness.js";

const utc = (day: number, hh: number, mm: number): number => Date.UTC(2026, 10, day, hh, mm) / 1000;
/** An IST time on a November 2026 day, as epoch seconds. */
const ist = (day: number, hh: number, mm: number): number => utc(day, hh, mm) - 19_800;


describe("history and intervals against the sandbox's price path", () => {
  const h = apiFixture({ gateway: MARKET_GATEWAY });
  beforeEach(() => {
    h.gw.sandbox.control.clearFaults();
    h.gw.sandbox.control.clearRequests();
  });
  const history = async (fields: Record<string, string>, symbol = h.picks.equity.symbol, exchange = "NSE"): Promise<Candle[]> =>
    expectSuccess(await h.post("history", { apikey: h.key, symbol, exchange, ...fields }))["data"] as Candle[];
  const ohlcRequests = () => h.gw.sandbox.control.requests().filter((r) => r.path === "/instruments/ohlc");

  it("1m: a trading day's 375 bars from 09:15 to 15:29 IST in epoch seconds, ascending, each bar consistent", async () => {
    const bars = await history({ interval: "1m", start_date: "2026-11-23", end_date: "2026-11-23" });
    expect(bars).toHaveLength(375);
    expect(bars[0]!.timestamp).toBe(ist(23, 9, 15));
    expect(bars.at(-1)!.timestamp).toBe(ist(23, 15, 29));
    for (const [i, b] of bars.entries()) {
      expect(Object.keys(b).sort()).toEqual(["close", "high", "low", "oi", "open", "timestamp", "volume"]);
      expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
      expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
      if (i > 0) expect(b.timestamp - bars[i - 1]!.timestamp).toBe(60);
    }
  });

  it("a range longer than one XTS window is fetched in windows and stitched: no gap, no duplicate, no weekend, the day rolls from 15:15 to 09:15", async () => {
    const bars = await history({ interval: "15m", start_date: "2026-11-12", end_date: "2026-11-24" });
    expect(ohlcRequests()).toHaveLength(2);
    const times = bars.map((b) => b.timestamp);
    expect(new Set(times).size).toBe(times.length);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const days = new Set(times.map((t) => new Date((t + 19_800) * 1000).getUTCDate()));
    // The 24th is Guru Nanak Jayanti on the exchange calendar: no session, no bars.
    expect([...days]).toEqual([12, 13, 16, 17, 18, 19, 20, 23]);
    expect(bars.filter((b) => new Date((b.timestamp + 19_800) * 1000).getUTCDate() === 16)).toHaveLength(25);
    const roll = times.indexOf(ist(16, 9, 15));
    expect(times[roll - 1]).toBe(ist(13, 15, 15));
  });

  it("D: one bar a trading day at IST midnight; today's is complete up to now and closes at the quote", async () => {
    const bars = await history({ interval: "D", start_date: "2026-11-21", end_date: "2026-11-25" });
    expect(bars.map((b) => b.timestamp)).toEqual([ist(23, 0, 0), ist(25, 0, 0)]);
    expect(bars.at(-1)!.close).toBe(await ltpOf(h, h.picks.equity));
    const today = await history({ interval: "1m", start_date: "2026-11-25", end_date: "2026-11-25" });
    expect(today.at(-1)!.timestamp).toBe(ist(25, 11, 0));
    expect(today).toHaveLength(106);
  });

  it("a fill lies inside the bar it happened in", async () => {
    const placed = expectSuccess(await h.post("placeorder", { apikey: h.key, strategy: "t", symbol: h.picks.equity.symbol, exchange: "NSE", action: "BUY", quantity: "1" }));
    const trade = (expectSuccess(await h.post("tradebook", { apikey: h.key }))["data"] as { orderid: string; average_price: number }[]).find((t) => t.orderid === placed["orderid"])!;
    const [bar] = await history({ interval: "1m", start_date: "2026-11-25", end_date: "2026-11-25" }).then((b) => b.slice(-1));
    expect(trade.average_price).toBeGreaterThanOrEqual(bar!.low);
    expect(trade.average_price).toBeLessThanOrEqual(bar!.high);
  });

  it("indices have history too (no volume)", async () => {
    const bars = await history({ interval: "1h", start_date: "2026-11-23", end_date: "2026-11-23" }, h.picks.index.symbol, "NSE_INDEX");
    expect(bars.map((b) => b.timestamp)).toEqual([9, 10, 11, 12, 13, 14, 15].map((hour) => ist(23, hour, 15)));
    expect(bars.every((b) => b.volume === 0)).toBe(true);
  });

  it("an interval XTS does not serve is refused naming the allowed ones, never mapped to another; so are bad dates", async () => {
    for (const interval of ["10m", "1s", "W", "4h", "60m"]) {
      const body = expectError(await h.post("history", { apikey: h.key, symbol: h.picks.equity.symbol, exchange: "NSE", interval, start_date: "2026-11-23", end_date: "2026-11-23" }), 400, "VALIDATION_ERROR");
      expect(body["message"]).toBe(`interval '${interval}' is not served by Jainam XTS; allowed: 1m, 2m, 3m, 5m, 15m, 30m, 1h, D`);
    }
    const bad = (fields: Record<string, string>) => h.post("history", { apikey: h.key, symbol: h.picks.equity.symbol, exchange: "NSE", interval: "D", start_date: "2026-11-23", end_date: "2026-11-23", ...fields });
    expect(expectError(await bad({ start_date: "2026-02-30" }), 400, "VALIDATION_ERROR")["message"]).toMatch(/start_date: start_date is not a calendar date/);
    expect(expectError(await bad({ end_date: "23-11-2026" }), 400, "VALIDATION_ERROR")["message"]).toMatch(/end_date must be a date YYYY-MM-DD/);
    expect(expectError(await bad({ start_date: "2026-11-24" }), 400, "VALIDATION_ERROR")["message"]).toMatch(/start_date 2026-11-24 is after end_date 2026-11-23/);
    expect(ohlcRequests()).toHaveLength(0);
  });

  it("XTS refusing or failing is an error, never an empty success", async () => {
    const ask = () => h.post("history", { apikey: h.key, symbol: h.picks.equity.symbol, exchange: "NSE", interval: "5m", start_date: "2026-11-23", end_date: "2026-11-23" });
    h.gw.sandbox.control.inject({ match: { path: "/instruments/ohlc" }, times: 5, action: { type: "status", status: 429 } });
    expectError(await ask(), 429, "XTS_RATE_LIMITED");
    h.gw.sandbox.control.clearFaults();
    h.gw.sandbox.control.inject({ match: { path: "/instruments/ohlc" }, times: 5, action: { type: "status", status: 500 } });
    expectError(await ask(), 502, "XTS_UNAVAILABLE");
    h.gw.sandbox.control.clearFaults();
    // A body cut short is a bad response, not a shorter history.
    h.gw.sandbox.control.inject({ match: { path: "/instruments/ohlc" }, times: 5, action: { type: "truncate-body" } });
    expectError(await ask(), 502, "XTS_BAD_RESPONSE");
    h.gw.sandbox.control.clearFaults();
    // Invalid Token: the market-data session is renewed once and the read repeated.
    h.gw.sandbox.control.inject({ match: { path: "/instruments/ohlc" }, action: { type: "invalid-token", httpStatus: 200 } });
    expect((await history({ interval: "5m", start_date: "2026-11-23", end_date: "2026-11-23" })).length).toBe(75);
    expect(h.gw.sandbox.control.requests().filter((r) => r.path === "/auth/login")).toHaveLength(1);
  });

  it("the candle store: a repeated or overlapping call asks XTS only for the days it lacks, today always, and a contract refresh keeps them", async () => {
    const ask = (start: string, end: string) => history({ interval: "30m", start_date: start, end_date: end });
    const first = await ask("2026-11-09", "2026-11-13");
    expect(ohlcRequests()).toHaveLength(1);
    h.gw.sandbox.control.clearRequests();
    expect(await ask("2026-11-09", "2026-11-13")).toEqual(first);
    expect(ohlcRequests()).toHaveLength(0);
    // Overlapping: only 14–20 November are new (one window), and the stored days come back unchanged.
    const wider = await ask("2026-11-11", "2026-11-20");
    expect(ohlcRequests()).toHaveLength(1);
    expect(ohlcRequests()[0]!.query).toMatchObject({ startTime: "Nov 14 2026 000000", endTime: "Nov 20 2026 235959" });
    expect(wider.filter((c) => c.timestamp < ist(14, 0, 0))).toEqual(first.filter((c) => c.timestamp >= ist(11, 0, 0)));
    // Today is never complete: asked again each time.
    h.gw.sandbox.control.clearRequests();
    await ask("2026-11-25", "2026-11-25");
    await ask("2026-11-25", "2026-11-25");
    expect(ohlcRequests()).toHaveLength(2);
    h.gw.sandbox.control.clearRequests();
    const refreshed = await h.gw.master.refresh({ force: true });
    expect(refreshed.status, refreshed.message).toBe("success");
    expect(await ask("2026-11-09", "2026-11-13")).toEqual(first);
    expect(ohlcRequests()).toHaveLength(0);
  });

  it("ticker: GET /ticker/EXCHANGE:SYMBOL as JSON rows like history, or txt lines for Amibroker", async () => {
    const url = (q: string) => `/api/v1/ticker/NSE:${h.picks.equity.symbol}?apikey=${h.key}&${q}`;
    const json = await h.app.inject({ method: "GET", url: url("interval=D&from=2026-11-23&to=2026-11-24") });
    expect(json.statusCode, json.body).toBe(200);
    const rows = (json.json() as { data: Candle[] }).data;
    expect(rows).toEqual(await history({ interval: "D", start_date: "2026-11-23", end_date: "2026-11-24" }));
    const txt = await h.app.inject({ method: "GET", url: url("interval=5m&from=2026-11-23&to=2026-11-23&format=txt") });
    expect(txt.headers["content-type"]).toBe("text/plain; charset=utf-8");
    const lines = txt.body.split("\n");
    expect(lines).toHaveLength(75);
    expect(lines[0]).toMatch(new RegExp(`^NSE:${h.picks.equity.symbol},2026-11-23,09:15:00,[\\d.]+,[\\d.]+,[\\d.]+,[\\d.]+,\\d+$`));
    const daily = await h.app.inject({ method: "GET", url: url("from=2026-11-23&to=2026-11-23&format=txt") });
    expect(daily.body).toMatch(new RegExp(`^NSE:${h.picks.equity.symbol},2026-11-23,[\\d.]+,`));
    const bad = await h.app.inject({ method: "GET", url: `/api/v1/ticker/${h.picks.equity.symbol}?apikey=${h.key}&from=2026-11-23&to=2026-11-23` });
    expectError(bad, 400, "VALIDATION_ERROR", /symbol must be EXCHANGE:SYMBOL/);
  });

  it("intervals lists exactly what history serves", async () => {
    expect(expectSuccess(await h.post("intervals", { apikey: h.key }))["data"]).toEqual({ seconds: [], minutes: ["1m", "2m", "3m", "5m", "15m", "30m"], hours: ["1h"], days: ["D"], weeks: [], months: [] });
  });
});

describe("history under XTS's OHLC rate limit (about one request a second)", () => {
  const paced = apiFixture({ gateway: { sandbox: { now: () => MARKET_NOW, ohlcPerSecond: 1 }, history: { now: () => MARKET_NOW, paceMs: 1_100 } } });
  const unpaced = apiFixture({ gateway: { sandbox: { now: () => MARKET_NOW, ohlcPerSecond: 1 }, history: { now: () => MARKET_NOW, paceMs: 0 } } });
  const ask = (api: typeof paced) => api.post("history", { apikey: api.key, symbol: api.picks.equity.symbol, exchange: "NSE", interval: "1h", start_date: "2026-11-02", end_date: "2026-11-20" });

  it("paced under the limit, a three-window range is served whole without a 429", async () => {
    const res = await ask(paced);
    expect(res.statusCode, res.body).toBe(200);
    // 15 weekdays, less Diwali Balipratipada (10 November).
    expect((res.json() as { data: unknown[] }).data).toHaveLength(14 * 7);
    expect(paced.gw.sandbox.control.requests().filter((r) => r.path === "/instruments/ohlc" && r.status === 429)).toHaveLength(0);
  });

  it("unpaced, the broker's 429 is passed on as XTS_RATE_LIMITED, not a short answer", async () => {
    expectError(await ask(unpaced), 429, "XTS_RATE_LIMITED");
    expect(unpaced.gw.sandbox.control.requests().filter((r) => r.path === "/instruments/ohlc" && r.status === 429).length).toBeGreaterThan(0);
  });
});

/** XTS as it may answer on the day: daily bars up to yesterday, none yet for today. */
const TODAY_WALL = Date.UTC(2026, 10, 25) / 1000;
const withoutTodaysDailyBar: typeof fetch = async (input, init) => {
  const answer = await fetch(input, init);
  const url = new URL(String(input));
  if (!url.pathname.endsWith("/instruments/ohlc") || url.searchParams.get("compressionValue") !== "D" || answer.status !== 200) return answer;
  const body = (await answer.json()) as { result: { dataReponse: string } };
  body.result.dataReponse = body.result.dataReponse
    .split(",")
    .filter((bar) => bar !== "" && Number(bar.split("|")[0]) !== TODAY_WALL)
    .join(",");
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
};

describe("today's daily bar when XTS has none yet", () => {
  const h = apiFixture({ gateway: { ...MARKET_GATEWAY, fetch: withoutTodaysDailyBar } });
  const todaysBar = async (symbol: string, exchange: string): Promise<Candle> =>
    (expectSuccess(await h.post("history", { apikey: h.key, symbol, exchange, interval: "D", start_date: "2026-11-24", end_date: "2026-11-25" }))["data"] as Candle[]).at(-1)!;

  it("is made from the quote, with the future's open interest from XTS's 1510 and none for an equity", async () => {
    const fut = h.picks.future;
    const quote = expectSuccess(await h.post("quotes", { apikey: h.key, symbol: fut.symbol, exchange: "NFO" }))["data"] as Record<string, number>;
    const bar = await todaysBar(fut.symbol, "NFO");
    expect(bar.timestamp).toBe(ist(25, 0, 0));
    expect(bar).toMatchObject({ open: quote["open"], high: quote["high"], low: quote["low"], close: quote["ltp"], volume: quote["volume"], oi: quote["oi"] });
    expect(bar.oi).toBeGreaterThan(0);
    const equity = await todaysBar(h.picks.equity.symbol, "NSE");
    expect(equity).toMatchObject({ timestamp: ist(25, 0, 0), close: await ltpOf(h, h.picks.equity), oi: 0 });
  });
});
