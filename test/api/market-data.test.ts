import { beforeEach, describe, expect, it } from "vitest";
import { apiFixture, expectError, expectSuccess, MARKET_GATEWAY, type Candle } from "./harness.js";



describe("quotes, depth and multiquotes against the sandbox", () => {
  const h = apiFixture({ gateway: MARKET_GATEWAY });
  beforeEach(() => {
    h.gw.sandbox.control.clearFaults();
    h.gw.sandbox.control.clearRequests();
  });
  const quotesRequests = (code: number) => h.gw.sandbox.control.requests().filter((r) => r.path === "/instruments/quotes" && (r.body as { xtsMessageCode: number }).xtsMessageCode === code);
  const today = async (symbol: string, exchange: string): Promise<Candle> =>
    (expectSuccess(await h.post("history", { apikey: h.key, symbol, exchange, interval: "D", start_date: "2026-11-25", end_date: "2026-11-25" }))["data"] as Candle[])[0]!;

  it("a quote agrees with today's candle; a future's carries its open interest (1510), an equity's is 0 without asking", async () => {
    const fut = h.picks.future;
    const quote = expectSuccess(await h.post("quotes", { apikey: h.key, symbol: fut.symbol, exchange: "NFO" }))["data"] as Record<string, number>;
    const candle = await today(fut.symbol, "NFO");
    expect(quote).toMatchObject({ open: candle.open, high: candle.high, low: candle.low, ltp: candle.close, volume: candle.volume, oi: candle.oi });
    expect(quote["oi"]).toBeGreaterThan(0);
    expect(quotesRequests(1510)).toHaveLength(1);
    h.gw.sandbox.control.clearRequests();
    expect((expectSuccess(await h.post("quotes", { apikey: h.key, symbol: h.picks.equity.symbol, exchange: "NSE" }))["data"] as Record<string, number>)["oi"]).toBe(0);
    expect(quotesRequests(1510)).toHaveLength(0);
  });

  it("depth: five levels a side with quantity and orders, the totals, ltq, OI and the master's circuit limits; an index has no levels or limits, none made up", async () => {
    const depth = expectSuccess(await h.post("depth", { apikey: h.key, symbol: h.picks.future.symbol, exchange: "NFO" }))["data"] as {
      bids: { price: number; quantity: number; orders: number }[];
      asks: { price: number; quantity: number; orders: number }[];
      totalbuyqty: number;
      totalsellqty: number;
      ltp: number;
      ltq: number;
      oi: number;
      lower_circuit: number | null;
      upper_circuit: number | null;
    };
    expect(depth.bids).toHaveLength(5);
    expect(depth.asks).toHaveLength(5);
    expect(depth.totalbuyqty).toBe(depth.bids.reduce((s, l) => s + l.quantity, 0));
    expect(depth.totalsellqty).toBe(depth.asks.reduce((s, l) => s + l.quantity, 0));
    expect(depth.bids[0]!.price).toBeLessThan(depth.ltp);
    expect(depth.asks[0]!.price).toBeGreaterThan(depth.ltp);
    expect(depth.bids.every((l) => l.orders > 0)).toBe(true);
    expect(depth.ltq).toBe(h.picks.future.lotsize);
    expect(depth.oi).toBeGreaterThan(0);
    expect(h.picks.future.lower_circuit).toEqual(expect.any(Number));
    expect(depth.lower_circuit).toBe(h.picks.future.lower_circuit);
    expect(depth.upper_circuit).toBe(h.picks.future.upper_circuit);
    expect(depth.lower_circuit!).toBeLessThan(depth.ltp);
    expect(depth.upper_circuit!).toBeGreaterThan(depth.ltp);
    const index = expectSuccess(await h.post("depth", { apikey: h.key, symbol: h.picks.index.symbol, exchange: "NSE_INDEX" }))["data"] as { bids: unknown[]; asks: unknown[]; lower_circuit: unknown; upper_circuit: unknown };
    expect(index.bids).toEqual([]);
    expect(index.asks).toEqual([]);
    expect(index).toMatchObject({ lower_circuit: null, upper_circuit: null });
  });

  it("holdings XTS sends without a last price get one from a quote: P&L from it, or null when the quote fails", async () => {
    type Holdings = { holdings: { symbol: string; exchange: string; quantity: number; pnl: number | null; pnlpercent: number | null }[]; statistics: Record<string, number | null> };
    const priced = expectSuccess(await h.post("holdings", { apikey: h.key }))["data"] as Holdings;
    expect(priced.holdings.length).toBeGreaterThan(0);
    let value = 0;
    for (const row of priced.holdings) {
      const ltp = (expectSuccess(await h.post("quotes", { apikey: h.key, symbol: row.symbol, exchange: row.exchange }))["data"] as { ltp: number }).ltp;
      value += row.quantity * ltp;
      expect(row.pnl).toEqual(expect.any(Number));
    }
    expect(priced.statistics["totalholdingvalue"]).toBeCloseTo(value, 2);
    expect(priced.statistics["totalprofitandloss"]).toBeCloseTo(value - priced.statistics["totalinvvalue"]!, 2);
    expect(priced.statistics["totalprofitandloss"]).toBeCloseTo(priced.holdings.reduce((sum, r) => sum + r.pnl!, 0), 1);

    h.gw.sandbox.control.inject({ match: { path: "/instruments/quotes" }, times: 5, action: { type: "status", status: 503 } });
    const unpriced = expectSuccess(await h.post("holdings", { apikey: h.key }))["data"] as Holdings;
    expect(unpriced.holdings.map((r) => [r.symbol, r.quantity])).toEqual(priced.holdings.map((r) => [r.symbol, r.quantity]));
    for (const row of unpriced.holdings) expect(row).toMatchObject({ pnl: null, pnlpercent: null });
    expect(unpriced.statistics).toMatchObject({ totalholdingvalue: null, totalprofitandloss: null, totalinvvalue: priced.statistics["totalinvvalue"] });
  });

  it("an XTS error on depth or quotes is an error, never an all-zero success", async () => {
    h.gw.sandbox.control.inject({ match: { path: "/instruments/quotes" }, times: 5, action: { type: "status", status: 503 } });
    expectError(await h.post("depth", { apikey: h.key, symbol: h.picks.equity.symbol, exchange: "NSE" }), 502, "XTS_UNAVAILABLE");
    h.gw.sandbox.control.clearFaults();
    h.gw.sandbox.control.inject({ match: { path: "/instruments/quotes" }, times: 5, action: { type: "status", status: 429 } });
    expectError(await h.post("quotes", { apikey: h.key, symbol: h.picks.equity.symbol, exchange: "NSE" }), 429, "XTS_RATE_LIMITED");
  });

  it("multiquotes: 200 symbols in the order asked, in batches of 50, an unknown one reported in its place", async () => {
    const rows = h.gw.resolver.current.allRows().filter((r) => r.exchange === "NSE" || r.exchange === "NFO").slice(0, 199);
    const symbols = [...rows.slice(0, 100).map((r) => ({ symbol: r.symbol, exchange: r.exchange })), { symbol: "NOSUCHSYMBOL", exchange: "NSE" }, ...rows.slice(100).map((r) => ({ symbol: r.symbol, exchange: r.exchange }))];
    const body = expectSuccess(await h.post("multiquotes", { apikey: h.key, symbols }));
    const results = body["results"] as { symbol: string; exchange: string; data?: { ltp: number; oi: number }; error?: string; code?: string }[];
    expect(results.map((r) => r.symbol)).toEqual(symbols.map((s) => s.symbol));
    expect(results[100]).toEqual({ symbol: "NOSUCHSYMBOL", exchange: "NSE", error: expect.stringMatching(/not found on exchange NSE/), code: "SYMBOL_NOT_FOUND" });
    expect(results.filter((r) => r.data !== undefined)).toHaveLength(199);
    expect(quotesRequests(1502)).toHaveLength(4);
    for (const r of results.filter((x) => x.exchange === "NSE" && x.data !== undefined)) expect(r.data!.oi).toBe(0);
    const single = (expectSuccess(await h.post("quotes", { apikey: h.key, symbol: rows[0]!.symbol, exchange: rows[0]!.exchange }))["data"] as { ltp: number }).ltp;
    expect(results[0]!.data!.ltp).toBe(single);
    expectError(await h.post("multiquotes", { apikey: h.key, symbols: [] }), 400, "VALIDATION_ERROR", /symbols must not be empty/);
    expectError(await h.post("multiquotes", { apikey: h.key, symbols: Array.from({ length: 501 }, () => symbols[0]) }), 400, "VALIDATION_ERROR", /at most 500/);
  });
});

describe("options in the sandbox follow their underlying", () => {
  const h = apiFixture({ gateway: MARKET_GATEWAY });
  const closes = async (symbol: string, exchange: string): Promise<number[]> =>
    (expectSuccess(await h.post("history", { apikey: h.key, symbol, exchange, interval: "1m", start_date: "2026-11-23", end_date: "2026-11-23" }))["data"] as Candle[]).map((c) => c.close);
  const moves = (x: number[]) => x.slice(1).map((v, i) => Math.sign(v - x[i]!));

  it("a NIFTY call rises with NIFTY and a put falls, minute by minute", async () => {
    const options = h.gw.resolver.current.allRows().filter((r) => r.exchange === "NFO" && r.name === "NIFTY" && (r.instrumenttype === "CE" || r.instrumenttype === "PE"));
    // Near the money, where an option is well above its tick and moves every minute.
    const ltp = async (symbol: string) => (expectSuccess(await h.post("quotes", { apikey: h.key, symbol, exchange: "NFO" }))["data"] as { ltp: number }).ltp;
    const spotNow = (expectSuccess(await h.post("quotes", { apikey: h.key, symbol: "NIFTY", exchange: "NSE_INDEX" }))["data"] as { ltp: number }).ltp;
    const calls = options.filter((r) => r.instrumenttype === "CE" && options.some((p) => p.instrumenttype === "PE" && p.expiry === r.expiry && p.strike === r.strike));
    const call = calls.reduce((best, r) => (Math.abs(r.strike - spotNow) < Math.abs(best.strike - spotNow) ? r : best));
    const put = options.find((r) => r.instrumenttype === "PE" && r.expiry === call.expiry && r.strike === call.strike)!;
    expect(await ltp(call.symbol)).toBeGreaterThan(0);
    const [spot, c, p] = [moves(await closes("NIFTY", "NSE_INDEX")), moves(await closes(call.symbol, "NFO")), moves(await closes(put.symbol, "NFO"))];
    const agree = (a: number[], b: number[]) => a.filter((v, i) => v !== 0 && v === b[i]).length / a.filter((v) => v !== 0).length;
    expect(agree(c, spot)).toBeGreaterThan(0.8);
    expect(agree(p.map((v) => -v), spot)).toBeGreaterThan(0.8);
  });
});
