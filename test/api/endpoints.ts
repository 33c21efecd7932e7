import type { Picks } from "./harness.js";

/**
 * Every /api/v1 endpoint with a valid body as OpenAlgo's clients send it (numbers as strings,
 * lower-case action), the fields its schema requires, and which parts of the input it resolves.
 */
export interface Endpoint {
  readonly path: string;
  readonly method: "POST" | "GET";
  readonly body: (key: string, picks: Picks) => Record<string, string>;
  readonly required: readonly string[];
  /** The exchanges it accepts, when it takes one (the message must list them). */
  readonly exchanges?: "all" | "fno";
  /** It resolves `symbol` on `exchange`: an unknown one is 404 SYMBOL_NOT_FOUND. */
  readonly resolvesSymbol?: boolean;
}

const ORDER_FIELDS = ["apikey", "strategy", "symbol", "exchange", "action", "quantity"] as const;

function order(key: string, p: Picks): Record<string, string> {
  return {
    apikey: key,
    strategy: "Python",
    symbol: p.equity.symbol,
    action: "buy",
    exchange: "NSE",
    pricetype: "MARKET",
    product: "MIS",
    quantity: "1",
    price: "0",
    trigger_price: "0",
    disclosed_quantity: "0",
  };
}

const apikeyOnly = (path: string): Endpoint => ({ path, method: "POST", body: (key) => ({ apikey: key }), required: ["apikey"] });

export const ENDPOINTS: readonly Endpoint[] = [
  { path: "placeorder", method: "POST", body: order, required: ORDER_FIELDS, exchanges: "all", resolvesSymbol: true },
  {
    path: "placesmartorder",
    method: "POST",
    body: (key, p) => ({ ...order(key, p), position_size: "0" }),
    required: [...ORDER_FIELDS, "position_size"],
    exchanges: "all",
    resolvesSymbol: true,
  },
  {
    path: "modifyorder",
    method: "POST",
    // An AppOrderID the sandbox never issued: a fully valid body reaches XTS and is refused there.
    body: (key, p) => ({ ...order(key, p), orderid: "1", pricetype: "LIMIT", price: "100" }),
    required: [...ORDER_FIELDS, "orderid", "product", "pricetype", "price", "disclosed_quantity", "trigger_price"],
    exchanges: "all",
    resolvesSymbol: true,
  },
  { path: "cancelorder", method: "POST", body: (key) => ({ apikey: key, strategy: "Python", orderid: "1" }), required: ["apikey", "strategy", "orderid"] },
  { path: "cancelallorder", method: "POST", body: (key) => ({ apikey: key, strategy: "Python" }), required: ["apikey", "strategy"] },
  { path: "closeposition", method: "POST", body: (key) => ({ apikey: key, strategy: "Python" }), required: ["apikey", "strategy"] },
  { path: "orderstatus", method: "POST", body: (key) => ({ apikey: key, strategy: "Python", orderid: "1" }), required: ["apikey", "strategy", "orderid"] },
  {
    path: "openposition",
    method: "POST",
    body: (key, p) => ({ apikey: key, strategy: "Python", symbol: p.equity.symbol, exchange: "NSE", product: "MIS" }),
    required: ["apikey", "strategy", "symbol", "exchange", "product"],
    exchanges: "all",
    resolvesSymbol: true,
  },
  apikeyOnly("orderbook"),
  apikeyOnly("tradebook"),
  apikeyOnly("positionbook"),
  apikeyOnly("holdings"),
  apikeyOnly("funds"),
  apikeyOnly("ping"),
  apikeyOnly("intervals"),
  {
    path: "depth",
    method: "POST",
    body: (key, p) => ({ apikey: key, symbol: p.equity.symbol, exchange: "NSE" }),
    required: ["apikey", "symbol", "exchange"],
    exchanges: "all",
    resolvesSymbol: true,
  },
  {
    path: "history",
    method: "POST",
    body: (key, p) => ({ apikey: key, symbol: p.equity.symbol, exchange: "NSE", interval: "15m", start_date: "2026-11-23", end_date: "2026-11-24" }),
    required: ["apikey", "symbol", "exchange", "interval", "start_date", "end_date"],
    exchanges: "all",
    resolvesSymbol: true,
  },
  apikeyOnly("mastercontract/status"),
  apikeyOnly("mastercontract/refresh"),
  {
    path: "symbol",
    method: "POST",
    body: (key, p) => ({ apikey: key, symbol: p.equity.symbol, exchange: "NSE" }),
    required: ["apikey", "symbol", "exchange"],
    exchanges: "all",
    resolvesSymbol: true,
  },
  {
    path: "quotes",
    method: "POST",
    body: (key, p) => ({ apikey: key, symbol: p.equity.symbol, exchange: "NSE" }),
    required: ["apikey", "symbol", "exchange"],
    exchanges: "all",
    resolvesSymbol: true,
  },
  { path: "search", method: "POST", body: (key) => ({ apikey: key, query: "NIFTY", exchange: "NFO" }), required: ["apikey", "query"], exchanges: "all" },
  {
    path: "expiry",
    method: "POST",
    body: (key) => ({ apikey: key, symbol: "NIFTY", exchange: "NFO", instrumenttype: "futures" }),
    required: ["apikey", "symbol", "exchange", "instrumenttype"],
    exchanges: "fno",
  },
  { path: "instruments", method: "GET", body: (key) => ({ apikey: key, exchange: "NSE", format: "json" }), required: ["apikey"], exchanges: "all" },
];

export const POST_ENDPOINTS = ENDPOINTS.filter((e) => e.method === "POST");
