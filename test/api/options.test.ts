import { beforeEach, describe, expect, it } from "vitest";
import { isoOfExpiry } from "../../src/instruments/expiry.js";
import { black76Price } from "../../src/options/black76.js";
import type { SymbolRow } from "../../src/store/types.js";
import { apiFixture, expectError, expectSuccess, json, MARKET_NOW } from "./harness.js";

/** The options services on the sandbox at a fixed clock, driven as OpenAlgo's Python client drives them. */
describe("options: optionsymbol, optionsorder, optionsmultiorder, syntheticfuture, optionchain, greeks", () => {
  const h = apiFixture({ gateway: { sandbox: { now: () => MARKET_NOW }, history: { now: () => MARKET_NOW }, clock: () => MARKET_NOW } });
  beforeEach(() => {
    h.gw.sandbox.control.reset();
    h.gw.sandbox.control.clearFaults();
  });

  const rows = (): readonly SymbolRow[] => h.gw.resolver.current.allRows();
  /** The nearest NIFTY weekly in the contract, as DDMMMYY and as the stored column. */
  const expiry = (): { compact: string; column: string } => {
    const today = new Date(MARKET_NOW + 19_800_000).toISOString().slice(0, 10);
    const column = rows()
      .filter((r) => r.exchange === "NFO" && r.name === "NIFTY" && r.instrumenttype === "CE" && isoOfExpiry(r.expiry) >= today)
      .map((r) => r.expiry)
      .sort((a, b) => isoOfExpiry(a).localeCompare(isoOfExpiry(b)))[0]!;
    return { compact: column.replace(/-/g, ""), column };
  };
  /** Listed strikes of one side of an expiry, ascending: what the offsets must walk. */
  const strikes = (kind: "CE" | "PE", column: string): SymbolRow[] =>
    rows()
      .filter((r) => r.exchange === "NFO" && r.name === "NIFTY" && r.expiry === column && r.instrumenttype === kind)
      .sort((a, b) => a.strike - b.strike);
  const quote = async (symbol: string, exchange: string): Promise<Record<string, number>> =>
    expectSuccess(await h.post("quotes", { apikey: h.key, symbol, exchange }))["data"] as Record<string, number>;
  const spot = async (): Promise<number> => (await quote("NIFTY", "NSE_INDEX"))["ltp"]!;
  const atmOf = (ladder: SymbolRow[], price: number): number => {
    let best = 0;
    ladder.forEach((r, i) => {
      if (Math.abs(r.strike - price) < Math.abs(ladder[best]!.strike - price)) best = i;
    });
    return best;
  };
  const ask = (extra: Record<string, unknown>) => ({ apikey: h.key, underlying: "NIFTY", exchange: "NSE_INDEX", expiry_date: expiry().compact, ...extra });
  const placed = () => h.gw.sandbox.control.requests().filter((r) => r.method === "POST" && r.path === "/orders" && r.status === 200);

  it("optionsymbol: ATM is the listed strike nearest the index, ITMn/OTMn walk the listed strikes (down for an ITM call, up for an ITM put)", async () => {
    const { column } = expiry();
    const price = await spot();
    for (const [offset, kind, steps] of [["ATM", "CE", 0], ["ITM2", "CE", -2], ["OTM3", "CE", 3], ["ITM2", "PE", 2], ["OTM1", "PE", -1]] as const) {
      const ladder = strikes(kind, column);
      const want = ladder[atmOf(ladder, price) + steps]!;
      const body = expectSuccess(await h.post("optionsymbol", ask({ offset: offset.toLowerCase(), option_type: kind.toLowerCase() })));
      expect(body).toEqual({ status: "success", symbol: want.symbol, exchange: "NFO", lotsize: want.lotsize, tick_size: want.tick_size, freeze_qty: want.freeze_qty, underlying_ltp: price });
    }
    // The expiry may come inside the underlying instead, as a future's symbol.
    const fromFuture = expectSuccess(await h.post("optionsymbol", { apikey: h.key, underlying: `NIFTY${expiry().compact}FUT`, exchange: "NFO", offset: "ATM", option_type: "CE" }));
    expect(fromFuture["symbol"]).toBe(strikes("CE", column)[atmOf(strikes("CE", column), price)]!.symbol);
  });

  it("optionsymbol refuses what it cannot resolve, naming the field: an unknown offset, one past the listed strikes, an expiry not in the contract, a missing expiry, an exchange without options", async () => {
    expectError(await h.post("optionsymbol", ask({ offset: "ATM1", option_type: "CE" })), 400, "VALIDATION_ERROR", /offset.*ATM, ITM1…ITM50 or OTM1…OTM50/);
    expectError(await h.post("optionsymbol", ask({ offset: "OTM51", option_type: "CE" })), 400, "VALIDATION_ERROR", /offset/);
    const beyond = expectError(await h.post("optionsymbol", ask({ offset: "OTM50", option_type: "CE" })), 400, "VALIDATION_ERROR", /OTM50 is beyond the listed strikes/);
    expect((beyond["errors"] as Record<string, string[]>)["offset"]).toBeDefined();
    const wrong = expectError(await h.post("optionsymbol", ask({ expiry_date: "31DEC26", offset: "ATM", option_type: "CE" })), 400, "VALIDATION_ERROR", /no options expiring 31DEC26.*expiries in the contract: /);
    expect(wrong["message"]).toContain(expiry().compact);
    expectError(await h.post("optionsymbol", ask({ expiry_date: "30FEB26", offset: "ATM", option_type: "CE" })), 400, "VALIDATION_ERROR", /expiry_date '30FEB26' is not a calendar date/);
    expectError(await h.post("optionsymbol", { apikey: h.key, underlying: "NIFTY", exchange: "NSE_INDEX", offset: "ATM", option_type: "CE" }), 400, "VALIDATION_ERROR", /expiry_date is required/);
    expectError(await h.post("optionsymbol", ask({ exchange: "NCDEX", offset: "ATM", option_type: "CE" })), 400, "VALIDATION_ERROR", /exchange must be one of/);
    expectError(await h.post("optionsymbol", ask({ underlying: "NOSUCHINDEX", offset: "ATM", option_type: "CE" })), 404, "SYMBOL_NOT_FOUND", /NOSUCHINDEX/);
    expect(placed()).toHaveLength(0);
  });

  it("optionsorder: buys the resolved contract and says which; with splitsize, parts each under the freeze quantity", async () => {
    const { column } = expiry();
    const price = await spot();
    const ladder = strikes("CE", column);
    const atm = ladder[atmOf(ladder, price)]!;
    const body = expectSuccess(await h.post("optionsorder", { ...ask({ offset: "ATM", option_type: "CE" }), strategy: "Python", action: "BUY", quantity: String(atm.lotsize), pricetype: "MARKET", product: "NRML" }));
    expect(body).toMatchObject({ symbol: atm.symbol, exchange: "NFO", offset: "ATM", option_type: "CE", underlying: "NIFTY", underlying_ltp: price, orderid: expect.stringMatching(/^\d+$/) });
    expect(placed().map((r) => (r.body as { exchangeInstrumentID: number }).exchangeInstrumentID)).toEqual([atm.token]);

    h.gw.sandbox.control.clearRequests();
    const split = expectSuccess(await h.post("optionsorder", { ...ask({ offset: "ITM1", option_type: "CE" }), strategy: "Python", action: "BUY", quantity: 5 * atm.lotsize, splitsize: 2 * atm.lotsize, product: "MIS" }));
    expect(split).toMatchObject({ total_quantity: 5 * atm.lotsize, split_size: 2 * atm.lotsize });
    expect((split["results"] as { quantity: number; status: string }[]).map((r) => [r.quantity, r.status])).toEqual([
      [2 * atm.lotsize, "success"],
      [2 * atm.lotsize, "success"],
      [atm.lotsize, "success"],
    ]);
    expect(placed()).toHaveLength(3);

    h.gw.sandbox.control.clearRequests();
    const tooBig = Math.ceil(atm.freeze_qty / atm.lotsize) * atm.lotsize;
    expectError(await h.post("optionsorder", { ...ask({ offset: "ATM", option_type: "CE" }), strategy: "Python", action: "BUY", quantity: 2 * tooBig, splitsize: tooBig }), 400, "VALIDATION_ERROR", /splitsize .* reaches the freeze quantity/);
    expectError(await h.post("optionsorder", { ...ask({ offset: "ATM", option_type: "CE" }), strategy: "Python", action: "BUY", quantity: 1, product: "CNC" }), 400, "VALIDATION_ERROR", /product must be one of MIS, NRML/);
    expect(placed()).toHaveLength(0);
  });

  it("optionsmultiorder: BUY legs go first, each leg answers in its place, and a leg that cannot resolve fails alone", async () => {
    const { column } = expiry();
    const lot = strikes("CE", column)[0]!.lotsize;
    const legs = [
      { offset: "OTM2", option_type: "CE", action: "SELL", quantity: lot },
      { offset: "OTM50", option_type: "PE", action: "SELL", quantity: lot },
      { offset: "OTM4", option_type: "CE", action: "BUY", quantity: lot },
      { offset: "OTM4", option_type: "PE", action: "BUY", quantity: lot },
    ];
    const body = json(await h.post("optionsmultiorder", { ...ask({}), strategy: "Python", legs }));
    expect(body["status"]).toBe("success");
    const results = body["results"] as Record<string, unknown>[];
    expect(results.map((r) => [r["leg"], r["action"], r["status"]])).toEqual([
      [1, "SELL", "success"],
      [2, "SELL", "error"],
      [3, "BUY", "success"],
      [4, "BUY", "success"],
    ]);
    expect(results[1]).toMatchObject({ code: "VALIDATION_ERROR", message: expect.stringMatching(/OTM50 is beyond the listed strikes/) });
    // What reached the broker, in order: both BUYs, then the one SELL that resolved.
    const tokens = placed().map((r) => r.body as { orderSide: string; exchangeInstrumentID: number });
    expect(tokens.map((t) => t.orderSide)).toEqual(["BUY", "BUY", "SELL"]);
    const bySymbol = new Map(rows().map((r) => [r.symbol, r.token]));
    expect(tokens.map((t) => t.exchangeInstrumentID)).toEqual([bySymbol.get(results[2]!["symbol"] as string), bySymbol.get(results[3]!["symbol"] as string), bySymbol.get(results[0]!["symbol"] as string)]);

    const none = await h.post("optionsmultiorder", { ...ask({}), strategy: "Python", legs: [{ offset: "ITM50", option_type: "CE", action: "BUY", quantity: lot }] });
    expectError(none, 400, "VALIDATION_ERROR", /every leg failed/);
    expectError(await h.post("optionsmultiorder", { ...ask({}), strategy: "Python", legs: [] }), 400, "VALIDATION_ERROR", /legs must hold 1 to 20 legs/);
  });

  it("syntheticfuture is the ATM strike plus the call less the put, at their quoted prices", async () => {
    const { column } = expiry();
    const price = await spot();
    const body = expectSuccess(await h.post("syntheticfuture", ask({})));
    const ce = strikes("CE", column);
    const atm = ce[atmOf(ce, price)]!;
    const put = strikes("PE", column).find((r) => r.strike === atm.strike)!;
    const call = (await quote(atm.symbol, "NFO"))["ltp"]!;
    const p = (await quote(put.symbol, "NFO"))["ltp"]!;
    expect(body).toEqual({ status: "success", underlying: "NIFTY", underlying_ltp: price, expiry: expiry().compact, atm_strike: atm.strike, synthetic_future_price: Math.round((atm.strike + call - p) * 100) / 100 });
  });

  it("optionchain: strike_count strikes either side of ATM with both sides' quotes and labels, from one round of quotes; with_greeks reprices each leg", async () => {
    const { column } = expiry();
    h.gw.sandbox.control.clearRequests();
    const body = expectSuccess(await h.post("optionchain", ask({ strike_count: 2, with_greeks: true, interest_rate: 0 })));
    const quoteCalls = h.gw.sandbox.control.requests().filter((r) => r.path === "/instruments/quotes" && (r.body as { xtsMessageCode: number }).xtsMessageCode === 1502);
    expect(quoteCalls).toHaveLength(2); // the index, then all ten legs in one request
    const chain = body["chain"] as { strike: number; ce: Record<string, number | string>; pe: Record<string, number | string> }[];
    expect(chain).toHaveLength(5);
    expect(chain[2]!.strike).toBe(body["atm_strike"]);
    expect(chain.map((c) => c.ce["label"])).toEqual(["ITM2", "ITM1", "ATM", "OTM1", "OTM2"]);
    expect(chain.map((c) => c.pe["label"])).toEqual(["OTM2", "OTM1", "ATM", "ITM1", "ITM2"]);
    const listed = strikes("CE", column).map((r) => r.strike);
    expect(chain.map((c) => c.strike)).toEqual(listed.slice(listed.indexOf(chain[0]!.strike), listed.indexOf(chain[0]!.strike) + 5));
    const leg = chain[1]!.pe;
    const q = await quote(String(leg["symbol"]), "NFO");
    expect(leg).toMatchObject({ ltp: q["ltp"], bid: q["bid"], ask: q["ask"], oi: q["oi"], volume: q["volume"], prev_close: q["prev_close"] });
    expect(body).toMatchObject({ underlying: "NIFTY", expiry_date: expiry().compact, quotes_included: true, greeks_included: true, server_ts: Math.floor(MARKET_NOW / 1000) });
    // Expiry at 15:30 IST of the expiry day.
    expect(new Date((body["expiry_ts"] as number) * 1000 + 19_800_000).toISOString().slice(0, 16)).toBe(`${isoOfExpiry(column)}T15:30`);
    const years = ((body["expiry_ts"] as number) * 1000 - MARKET_NOW) / (365 * 86_400_000);
    for (const c of chain) {
      for (const [kind, side] of [["CE", c.ce], ["PE", c.pe]] as const) {
        const repriced = black76Price({ forward: body["forward_price"] as number, strike: c.strike, years, rate: 0, kind }, (side["implied_volatility"] as number) / 100);
        expect(Math.abs(repriced - (side["ltp"] as number))).toBeLessThan(0.02 * (side["ltp"] as number) + 0.5);
      }
    }
    const plain = expectSuccess(await h.post("optionchain", ask({ strike_count: 1 })));
    expect(plain).toMatchObject({ greeks_included: false, forward_price: null });
    expect((plain["chain"] as { ce: Record<string, unknown> }[])[0]!.ce["delta"]).toBeUndefined();
    expectError(await h.post("optionchain", ask({ strike_count: 101 })), 400, "VALIDATION_ERROR", /strike_count must be between 1 and 100/);
  });

  it("optiongreeks: the implied volatility reprices the option at the forward it names; a future is refused as not an option", async () => {
    const { column } = expiry();
    const ce = strikes("CE", column);
    const row = ce[atmOf(ce, await spot()) + 1]!;
    const body = expectSuccess(await h.post("optiongreeks", { apikey: h.key, symbol: row.symbol, exchange: "NFO", interest_rate: "6.5" }));
    expect(body).toMatchObject({ symbol: row.symbol, exchange: "NFO", underlying: "NIFTY", strike: row.strike, option_type: "CE", expiry_date: column, interest_rate: 6.5 });
    const greeks = body["greeks"] as Record<string, number>;
    const years = (body["days_to_expiry"] as number) / 365;
    const price = black76Price({ forward: body["spot_price"] as number, strike: row.strike, years, rate: 0.065, kind: "CE" }, (body["implied_volatility"] as number) / 100);
    expect(price).toBeCloseTo(body["option_price"] as number, 0);
    expect(greeks["delta"]).toBeGreaterThan(0);
    expect(greeks["delta"]).toBeLessThan(1);
    expect(greeks["theta"]).toBeLessThan(0);
    expect(greeks["rho"]).toBeLessThan(0);
    // The sandbox lists no NIFTY future for a weekly: the spot prices it, and the answer says so.
    expect(body["price_source"]).toBe(rows().some((r) => r.name === "NIFTY" && r.instrumenttype === "FUT" && r.expiry === column) ? `NFO:NIFTY${expiry().compact}FUT` : "NSE_INDEX:NIFTY");
    const forwarded = expectSuccess(await h.post("optiongreeks", { apikey: h.key, symbol: row.symbol, exchange: "NFO", forward_price: 26_100 }));
    expect(forwarded).toMatchObject({ spot_price: 26_100, price_source: "forward_price" });

    const fut = rows().find((r) => r.exchange === "NFO" && r.instrumenttype === "FUT")!;
    expectError(await h.post("optiongreeks", { apikey: h.key, symbol: fut.symbol, exchange: "NFO" }), 400, "VALIDATION_ERROR", /is a FUT, not an option/);
    expectError(await h.post("optiongreeks", { apikey: h.key, symbol: row.symbol, exchange: "NSE" }), 400, "VALIDATION_ERROR", /exchange must be one of NFO, BFO, CDS, MCX/);
    expectError(await h.post("optiongreeks", { apikey: h.key, symbol: row.symbol, exchange: "NFO", expiry_time: "25:00" }), 400, "VALIDATION_ERROR", /expiry_time/);
  });

  it("multioptiongreeks: each option answers for itself, with a summary", async () => {
    const { column } = expiry();
    const pe = strikes("PE", column);
    const at = atmOf(pe, await spot());
    const [a, b] = [pe[at - 1], pe[at + 1]];
    const body = expectSuccess(await h.post("multioptiongreeks", { apikey: h.key, symbols: [{ symbol: a!.symbol, exchange: "NFO" }, { symbol: "NIFTY01JAN2099000CE", exchange: "NFO" }, { symbol: b!.symbol, exchange: "NFO" }] }));
    const data = body["data"] as Record<string, unknown>[];
    expect(data.map((d) => [d["symbol"], d["status"]])).toEqual([
      [a!.symbol, "success"],
      ["NIFTY01JAN2099000CE", "error"],
      [b!.symbol, "success"],
    ]);
    expect(data[1]).toMatchObject({ code: "SYMBOL_NOT_FOUND" });
    // A price no volatility gives (a deep in-the-money put quoted under its intrinsic value) is said so, never answered with a made-up volatility.
    const deep = pe[pe.length - 1]!;
    const deepQuote = (await quote(deep.symbol, "NFO"))["ltp"]!;
    const deepAnswer = expectSuccess(await h.post("multioptiongreeks", { apikey: h.key, symbols: [{ symbol: deep.symbol, exchange: "NFO" }] }));
    const one = (deepAnswer["data"] as Record<string, unknown>[])[0]!;
    if (deepQuote <= deep.strike - (await spot())) expect(one).toMatchObject({ status: "error", code: "NO_IMPLIED_VOLATILITY", message: expect.stringMatching(/at or below its intrinsic value/) });
    else expect(one["status"]).toBe("success");
    expect(body["summary"]).toEqual({ total: 3, success: 2, failed: 1 });
  });
});

describe("options of underlyings without a spot: MCX and CDS price off the nearest future", () => {
  const h = apiFixture({ gateway: { sandbox: { now: () => MARKET_NOW }, clock: () => MARKET_NOW } });

  it("optionsymbol for an MCX option: ATM from the nearest unexpired future of exactly that name", async () => {
    const rows = h.gw.resolver.current.allRows();
    const today = new Date(MARKET_NOW + 19_800_000).toISOString().slice(0, 10);
    const option = rows.find((r) => r.exchange === "MCX" && r.instrumenttype === "CE" && isoOfExpiry(r.expiry) >= today);
    expect(option, "the sandbox lists MCX options").toBeDefined();
    const futures = rows.filter((r) => r.exchange === "MCX" && r.instrumenttype === "FUT" && r.name === option!.name && isoOfExpiry(r.expiry) >= today).sort((a, b) => isoOfExpiry(a.expiry).localeCompare(isoOfExpiry(b.expiry)));
    const near = futures[0]!;
    const price = (expectSuccess(await h.post("quotes", { apikey: h.key, symbol: near.symbol, exchange: "MCX" }))["data"] as { ltp: number }).ltp;
    const body = expectSuccess(await h.post("optionsymbol", { apikey: h.key, underlying: option!.name, exchange: "MCX", expiry_date: option!.expiry.replace(/-/g, ""), offset: "ATM", option_type: "CE" }));
    expect(body["underlying_ltp"]).toBe(price);
    const ladder = rows.filter((r) => r.exchange === "MCX" && r.name === option!.name && r.expiry === option!.expiry && r.instrumenttype === "CE").sort((a, b) => a.strike - b.strike);
    const nearest = ladder.reduce((best, r) => (Math.abs(r.strike - price) < Math.abs(best.strike - price) ? r : best));
    expect(body["symbol"]).toBe(nearest.symbol);
  });
});
