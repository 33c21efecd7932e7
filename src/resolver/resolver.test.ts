import { describe, expect, it } from "vitest";
import { silentLogger } from "../logger.js";
import type { SymbolStore } from "../store/symbol-store.js";
import { SYMBOL_COLUMNS, type SymbolRow } from "../store/types.js";
import { Resolver } from "./resolver.js";
import { SymbolIndex } from "./symbol-index.js";

const base = { broker: "jainam_prop", brsymbol: "", lotsize: 1, tick_size: 0.05, freeze_qty: 0, lower_circuit: null, upper_circuit: null, strike: 0, expiry: "" };
const rows: SymbolRow[] = [
  { ...base, symbol: "SBIN", name: "SBIN", exchange: "NSE", brexchange: "NSECM", token: 3045, instrumenttype: "EQ" },
  { ...base, symbol: "SBIN", name: "SBIN", exchange: "BSE", brexchange: "BSECM", token: 500112, instrumenttype: "EQ" },
  { ...base, symbol: "NIFTY28MAR2420800CE", name: "NIFTY", exchange: "NFO", brexchange: "NSEFO", token: 43567, instrumenttype: "CE", strike: 20800, expiry: "28-MAR-24" },
  { ...base, symbol: "NIFTY25APR2420800CE", name: "NIFTY", exchange: "NFO", brexchange: "NSEFO", token: 43999, instrumenttype: "CE", strike: 20800, expiry: "25-APR-24" },
  { ...base, symbol: "NIFTY28MAR2420900CE", name: "NIFTY", exchange: "NFO", brexchange: "NSEFO", token: 43568, instrumenttype: "CE", strike: 20900, expiry: "28-MAR-24" },
  { ...base, symbol: "GOLD05FEB25FUT", name: "GOLD", exchange: "MCX", brexchange: "MCXFO", token: 3045, instrumenttype: "FUT", expiry: "05-FEB-25" },
];

const store = { loadSnapshot: async () => null, loadBrokerArrays: async () => rows.map((r) => SYMBOL_COLUMNS.map((c) => r[c])), getStatus: async () => ({ contractVersion: 3 }) } as unknown as SymbolStore;

async function loaded(): Promise<Resolver> {
  const resolver = new Resolver(store, "jainam_prop", silentLogger());
  await resolver.load();
  return resolver;
}

describe("Resolver", () => {
  it("AC1: returns the integer token of a symbol on its exchange", async () => {
    const r = await loaded();
    expect(r.getTokenFromSymbol("NIFTY28MAR2420800CE", "NFO")).toBe(43567);
    expect(r.getTokenFromSymbol("SBIN", "BSE")).toBe(500112);
    expect(r.getTokenFromSymbol("SBIN", "NSE")).toBe(3045);
  });

  it("forgives surrounding spaces and lower case, in symbol and exchange", async () => {
    const r = await loaded();
    expect(r.getTokenFromSymbol("  nifty28mar2420800ce ", " nfo")).toBe(43567);
  });

  it("AC2: an unknown symbol is SYMBOL_NOT_FOUND naming symbol and exchange, with the nearest expiries of the same strike first", async () => {
    const r = await loaded();
    let error: unknown;
    try {
      r.getTokenFromSymbol("NIFTY04APR2420800CE", "NFO");
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "SYMBOL_NOT_FOUND", details: { symbol: "NIFTY04APR2420800CE", exchange: "NFO" } });
    expect((error as { suggestions: string[] }).suggestions.slice(0, 2)).toEqual(["NIFTY28MAR2420800CE", "NIFTY25APR2420800CE"]);
    expect((error as Error).message).toMatch(/'NIFTY04APR2420800CE' not found on exchange NFO/);
  });

  it("never guesses across instruments: a near spelling is only a suggestion", async () => {
    const r = await loaded();
    expect(() => r.getTokenFromSymbol("SBI", "NSE")).toThrow(/did you mean SBIN/);
  });

  it("an unknown exchange is UNSUPPORTED_EXCHANGE listing the supported ones (no NSE fallback)", async () => {
    const r = await loaded();
    expect(() => r.getTokenFromSymbol("SBIN", "NSEX")).toThrow(expect.objectContaining({ code: "UNSUPPORTED_EXCHANGE" }));
    expect(() => r.getTokenFromSymbol("SBIN", "BCD")).toThrow(/BSE currency derivatives/);
  });

  it("reverse lookup compares tokens only within an exchange", async () => {
    const r = await loaded();
    expect(r.getSymbolFromToken(3045, "NSE").symbol).toBe("SBIN");
    expect(r.getSymbolFromToken(3045, "MCX").symbol).toBe("GOLD05FEB25FUT");
    expect(() => r.getSymbolFromToken(43567, "NSE")).toThrow(expect.objectContaining({ code: "TOKEN_NOT_FOUND" }));
  });

  it("counts hits and misses", async () => {
    const r = await loaded();
    r.getTokenFromSymbol("SBIN", "NSE");
    expect(() => r.getTokenFromSymbol("NOPE", "NSE")).toThrow();
    expect(r.stats).toMatchObject({ hits: 1, misses: 1, rows: rows.length, reloads: 1, version: 3 });
  });

  it("swap replaces the whole index at once; a reader holding the old index keeps a complete view", async () => {
    const r = await loaded();
    const old = r.current;
    r.swap(SymbolIndex.build(rows.slice(0, 1)));
    expect(() => r.getTokenFromSymbol("GOLD05FEB25FUT", "MCX")).toThrow(/not found/);
    expect(old.get("GOLD05FEB25FUT", "MCX")?.token).toBe(3045);
    expect(r.getTokenFromSymbol("SBIN", "NSE")).toBe(3045);
  });
});

describe("SymbolIndex.search", () => {
  const index = SymbolIndex.build(rows);
  it("ANDs the terms over symbol, name, brsymbol and token", () => {
    expect(index.search("nifty 20800").map((r) => r.symbol)).toEqual(["NIFTY28MAR2420800CE", "NIFTY25APR2420800CE"]);
    expect(index.search("43567").map((r) => r.symbol)).toEqual(["NIFTY28MAR2420800CE"]);
  });
  it("ranks an underlying's own contracts first, nearest expiry first, before underlyings that contain its name", () => {
    const fut = (symbol: string, name: string, expiry: string, token: number): SymbolRow => ({ ...base, symbol, name, exchange: "NFO", brexchange: "NSEFO", token, instrumenttype: "FUT", expiry });
    const futures = SymbolIndex.build([
      fut("FINNIFTY26DEC24FUT", "FINNIFTY", "26-DEC-24", 1),
      fut("NIFTY27FEB25FUT", "NIFTY", "27-FEB-25", 2),
      fut("NIFTY26DEC24FUT", "NIFTY", "26-DEC-24", 3),
      fut("NIFTY30JAN25FUT", "NIFTY", "30-JAN-25", 4),
      fut("FINNIFTY30JAN25FUT", "FINNIFTY", "30-JAN-25", 5),
      fut("BANKNIFTY26DEC24FUT", "BANKNIFTY", "26-DEC-24", 6),
    ]);
    expect(futures.search("NIFTY FUT").map((r) => r.symbol)).toEqual([
      "NIFTY26DEC24FUT",
      "NIFTY30JAN25FUT",
      "NIFTY27FEB25FUT",
      "BANKNIFTY26DEC24FUT",
      "FINNIFTY26DEC24FUT",
      "FINNIFTY30JAN25FUT",
    ]);
  });
  it("ranks the exact symbol first and filters by exchange", () => {
    expect(index.search("SBIN").map((r) => r.exchange)).toEqual(["BSE", "NSE"]);
    expect(index.search("SBIN", { exchange: "NSE" })).toHaveLength(1);
    expect(index.search("   ")).toEqual([]);
  });
});
