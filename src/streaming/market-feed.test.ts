import { describe, expect, it } from "vitest";
import { XtsBridgeError } from "../errors.js";
import { silentLogger } from "../logger.js";
import { Resolver } from "../resolver/resolver.js";
import { SymbolIndex } from "../resolver/symbol-index.js";
import type { SymbolRow } from "../store/types.js";
import type { StreamInstrument } from "../xts/stream/market-stream.js";
import { MarketFeed, parseMode, type FeedSubscriber } from "./market-feed.js";

function row(symbol: string, exchange: string, token: number): SymbolRow {
  return { broker: "jainam_prop", symbol, brsymbol: symbol, name: symbol, exchange, brexchange: exchange, token, expiry: "", strike: 0, lotsize: 1, instrumenttype: "EQ", tick_size: 0.05, freeze_qty: 0, lower_circuit: 90, upper_circuit: 110 };
}

function setup(fail: { next: boolean } = { next: false }) {
  const resolver = new Resolver({} as never, "jainam_prop", silentLogger());
  resolver.swap(SymbolIndex.build([row("SBIN", "NSE", 3045), row("INFY", "NSE", 1594), row("NIFTY25DECFUT", "NFO", 35001)]), null, 1);
  const calls: { verb: string; list: StreamInstrument[] }[] = [];
  const upstream = {
    subscribe: async (list: readonly StreamInstrument[]) => {
      calls.push({ verb: "subscribe", list: [...list] });
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail.next) throw new XtsBridgeError("XTS_UNAVAILABLE", "XTS is down");
    },
    unsubscribe: async (list: readonly StreamInstrument[]) => void calls.push({ verb: "unsubscribe", list: [...list] }),
  };
  const feed = new MarketFeed(upstream, resolver, { broker: "jainam_prop", ltpCode: 1501, now: () => 1_000 });
  return { feed, calls };
}

function subscriber(): FeedSubscriber & { got: Map<string, string> } {
  const got = new Map<string, string>();
  return { got, deliver: (key, message) => void got.set(key, message) };
}

const touchline = (ltp: number) => ({ ltp, ltq: 5, ltt: 1_417_000_000, volume: 100, averagePrice: ltp, open: ltp, high: ltp, low: ltp, close: ltp - 1, totalBuyQuantity: 10, totalSellQuantity: 20, bid: { price: ltp - 0.05, size: 1, orders: 1 }, ask: { price: ltp + 0.05, size: 1, orders: 1 } });

describe("MarketFeed", () => {
  it("subscribes many symbols with one upstream request, and a symbol it cannot resolve fails alone", async () => {
    const { feed, calls } = setup();
    const a = subscriber();
    const results = await feed.subscribeMany(a, [{ symbol: "SBIN", exchange: "NSE" }, { symbol: "NOPE", exchange: "NSE" }, { symbol: "NIFTY25DECFUT", exchange: "NFO" }], 3);
    expect(results.map((r) => (r.ok ? r.row.symbol : r.error.code))).toEqual(["SBIN", "SYMBOL_NOT_FOUND", "NIFTY25DECFUT"]);
    // Depth: 1502 for both, 1510 only for the derivative.
    expect(calls).toEqual([{ verb: "subscribe", list: [{ segment: 1, token: 3045, code: 1502 }, { segment: 2, token: 35001, code: 1502 }, { segment: 2, token: 35001, code: 1510 }] }]);
    expect(feed.countOf(a)).toBe(2);
  });

  it("shares an upstream subscription between clients and modes, and releases it after the last", async () => {
    const { feed, calls } = setup();
    const [a, b] = [subscriber(), subscriber()];
    await Promise.all([feed.subscribe(a, "SBIN", "NSE", 1), feed.subscribe(b, "SBIN", "NSE", 2)]);
    expect(calls).toHaveLength(1); // LTP and Quote are both the 1501 touchline
    await feed.unsubscribe(a, "SBIN", "NSE");
    expect(calls).toHaveLength(1);
    await feed.unsubscribeAll(b);
    expect(calls[1]).toEqual({ verb: "unsubscribe", list: [{ segment: 1, token: 3045, code: 1501 }] });
    expect(feed.stats()).toMatchObject({ instruments: 0, upstream: 0 });
  });

  it("a client that joins a subscription being made shares its failure, and nothing is left behind", async () => {
    const fail = { next: true };
    const { feed } = setup(fail);
    const [a, b] = [subscriber(), subscriber()];
    const [ra, rb] = await Promise.all([feed.subscribeMany(a, [{ symbol: "INFY", exchange: "NSE" }], 1), feed.subscribeMany(b, [{ symbol: "INFY", exchange: "NSE" }], 1)]);
    expect([ra[0]!.ok, rb[0]!.ok]).toEqual([false, false]);
    expect(feed.stats()).toMatchObject({ instruments: 0, upstream: 0 });
    fail.next = false;
    await feed.subscribe(a, "INFY", "NSE", 1);
    expect(feed.stats()).toMatchObject({ instruments: 1, upstream: 1 });
  });

  it("sends each mode its own fields once its figures have arrived, and a depth tick feeds LTP and Quote too", async () => {
    const { feed } = setup();
    const [ltp, depth] = [subscriber(), subscriber()];
    await feed.subscribe(ltp, "SBIN", "NSE", 1);
    await feed.subscribe(depth, "SBIN", "NSE", 3);
    expect(depth.got.size).toBe(0);
    feed.onTick({ code: 1501, segment: 1, token: 3045, touchline: touchline(800) });
    // No depth yet: the Depth subscriber waits rather than get zeros.
    expect(depth.got.size).toBe(0);
    expect(JSON.parse(ltp.got.get("NSE:SBIN:1")!)).toEqual({ type: "market_data", symbol: "SBIN", exchange: "NSE", mode: 1, broker: "jainam_prop", data: { symbol: "SBIN", exchange: "NSE", mode: 1, ltp: 800, ltt: (1_417_000_000 + 315_532_800 - 19_800) * 1000, ltq: 5, timestamp: 1_000 } });
    feed.onTick({ code: 1502, segment: 1, token: 3045, touchline: touchline(801), bids: [{ price: 800.95, size: 3, orders: 1 }], asks: [{ price: 801.05, size: 4, orders: 2 }] });
    const d = JSON.parse(depth.got.get("NSE:SBIN:3")!).data;
    expect(d).toMatchObject({ ltp: 801, volume: 100, oi: 0, upper_circuit: 110, lower_circuit: 90, depth: { buy: [{ price: 800.95, quantity: 3, orders: 1 }], sell: [{ price: 801.05, quantity: 4, orders: 2 }] } });
    expect(JSON.parse(ltp.got.get("NSE:SBIN:1")!).data.ltp).toBe(801);
  });

  it("reads modes as OpenAlgo's clients send them and names the allowed values otherwise", () => {
    expect([1, "2", "ltp", "Quote", "DEPTH"].map(parseMode)).toEqual([1, 2, 1, 2, 3]);
    expect(() => parseMode(4)).toThrow(/mode 4 is not one of 1, 2, 3, LTP, Quote, Depth/);
    expect(() => parseMode(undefined)).toThrow(/mode null/);
  });
});
