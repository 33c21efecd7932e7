import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "../errors.js";
import { STATUS_BY_CODE } from "./error-status.js";
import type { Route } from "./handlers.js";

type Json = Record<string, unknown>;

const KEY = "<your 64-hex API key>";

/** A request and a success answer for each route, as a client sees them (shown by /docs). */
const EXAMPLES: Readonly<Record<string, { readonly request: Json; readonly response: Json }>> = {
  "/placeorder": {
    request: { apikey: KEY, strategy: "demo", symbol: "SBIN", exchange: "NSE", action: "BUY", pricetype: "LIMIT", product: "MIS", quantity: "1", price: "900", trigger_price: "0", disclosed_quantity: "0" },
    response: { status: "success", orderid: "1100000002" },
  },
  "/placesmartorder": {
    request: { apikey: KEY, strategy: "demo", symbol: "SBIN", exchange: "NSE", action: "BUY", pricetype: "MARKET", product: "MIS", quantity: "1", position_size: "5" },
    response: { status: "success", orderid: "1100000003" },
  },
  "/modifyorder": {
    request: { apikey: KEY, strategy: "demo", orderid: "1100000002", symbol: "SBIN", exchange: "NSE", action: "BUY", product: "MIS", pricetype: "LIMIT", price: "899.5", quantity: "1", disclosed_quantity: "0", trigger_price: "0" },
    response: { status: "success", orderid: "1100000002" },
  },
  "/cancelorder": { request: { apikey: KEY, strategy: "demo", orderid: "1100000002" }, response: { status: "success", orderid: "1100000002" } },
  "/cancelallorder": {
    request: { apikey: KEY, strategy: "demo" },
    response: { status: "success", message: "Canceled 2 orders. Failed to cancel 0 orders.", canceled_orders: ["1100000004", "1100000005"], failed_cancellations: [] },
  },
  "/closeposition": {
    request: { apikey: KEY, strategy: "demo" },
    response: { status: "success", message: "All Open Positions Squared Off", positions: [{ symbol: "SBIN", exchange: "NSE", product: "MIS", quantity: 5, orderid: "1100000006", status: "success" }] },
  },
  "/orderstatus": {
    request: { apikey: KEY, strategy: "demo", orderid: "1100000002" },
    response: { status: "success", data: { action: "BUY", exchange: "NSE", symbol: "SBIN", orderid: "1100000002", product: "MIS", quantity: 1, price: 900, pricetype: "LIMIT", trigger_price: 0, order_status: "open", timestamp: "01-12-2026 10:15:02", average_price: 0 } },
  },
  "/openposition": { request: { apikey: KEY, strategy: "demo", symbol: "SBIN", exchange: "NSE", product: "MIS" }, response: { status: "success", quantity: 5 } },
  "/orderbook": {
    request: { apikey: KEY },
    response: { status: "success", data: { orders: [], statistics: { total_buy_orders: 0, total_sell_orders: 0, total_completed_orders: 0, total_open_orders: 0, total_rejected_orders: 0 } } },
  },
  "/tradebook": { request: { apikey: KEY }, response: { status: "success", data: [{ action: "BUY", symbol: "SBIN", exchange: "NSE", orderid: "1100000003", product: "MIS", quantity: 5, average_price: 951.2, trade_value: 4756, timestamp: "01-12-2026 10:16:40" }] } },
  "/positionbook": { request: { apikey: KEY }, response: { status: "success", data: [{ symbol: "SBIN", exchange: "NSE", product: "MIS", quantity: 5, average_price: "951.20", ltp: null, pnl: 12.5 }] } },
  "/holdings": {
    request: { apikey: KEY },
    response: { status: "success", data: { holdings: [{ symbol: "RELIANCE", exchange: "NSE", product: "CNC", quantity: 10, pnl: 1200, pnlpercent: 8.7 }], statistics: { totalholdingvalue: 15000, totalinvvalue: 13800, totalprofitandloss: 1200, totalpnlpercentage: 8.7 } } },
  },
  "/funds": { request: { apikey: KEY }, response: { status: "success", data: { availablecash: "10000000.00", collateral: "0.00", m2mrealized: "0.00", m2munrealized: "0.00", utiliseddebits: "0.00" } } },
  "/symbol": {
    request: { apikey: KEY, symbol: "NIFTY30DEC2626000CE", exchange: "NFO" },
    response: { status: "success", data: { symbol: "NIFTY30DEC2626000CE", brsymbol: "NIFTY 30DEC2026 CE 26000", name: "NIFTY", exchange: "NFO", brexchange: "NSEFO", token: 43567, expiry: "30-DEC-26", strike: 26000, lotsize: 75, instrumenttype: "CE", tick_size: 0.05, freeze_qty: 1801 } },
  },
  "/search": { request: { apikey: KEY, query: "NIFTY FUT", exchange: "NFO" }, response: { status: "success", message: "Found 3 matching symbols", data: [] } },
  "/expiry": { request: { apikey: KEY, symbol: "NIFTY", exchange: "NFO", instrumenttype: "options" }, response: { status: "success", message: "Found 2 expiry dates for NIFTY options in NFO", data: ["08-DEC-26", "15-DEC-26"] } },
  "/instruments": { request: { apikey: KEY, exchange: "NFO", format: "json" }, response: { status: "success", message: "Found 47,210 instruments", data: [] } },
  "/quotes": { request: { apikey: KEY, symbol: "NIFTY", exchange: "NSE_INDEX" }, response: { status: "success", data: { open: 26010, high: 26100.5, low: 25980, ltp: 26050.3, ask: 0, bid: 0, prev_close: 26000, volume: 0, oi: 0 } } },
  "/history": {
    request: { apikey: KEY, symbol: "SBIN", exchange: "NSE", interval: "5m", start_date: "2026-11-23", end_date: "2026-11-27" },
    response: { status: "success", data: [{ timestamp: 1795930500, open: 951.2, high: 952.05, low: 950.9, close: 951.6, volume: 3120, oi: 0 }] },
  },
  "/ticker/:symbol": {
    request: { apikey: KEY, symbol: "NSE:SBIN", interval: "D", from: "2026-11-23", to: "2026-11-27", format: "json" },
    response: { status: "success", data: [{ timestamp: 1795891800, open: 948.6, high: 953.2, low: 947.1, close: 951.6, volume: 412_300, oi: 0 }] },
  },
  "/intervals": { request: { apikey: KEY }, response: { status: "success", data: { seconds: [], minutes: ["1m", "2m", "3m", "5m", "15m", "30m"], hours: ["1h"], days: ["D"], weeks: [], months: [] } } },
  "/depth": {
    request: { apikey: KEY, symbol: "SBIN", exchange: "NSE" },
    response: { status: "success", data: { open: 948.6, high: 953.2, low: 947.1, ltp: 951.6, ltq: 1, prev_close: 949.4, volume: 412_300, oi: 0, totalbuyqty: 7500, totalsellqty: 7300, lower_circuit: 854.5, upper_circuit: 1044.3, bids: [{ price: 951.55, quantity: 1500, orders: 2 }], asks: [{ price: 951.65, quantity: 1460, orders: 2 }] } },
  },
  "/multiquotes": {
    request: { apikey: KEY, symbols: [{ symbol: "SBIN", exchange: "NSE" }, { symbol: "NIFTY", exchange: "NSE_INDEX" }] },
    response: { status: "success", results: [{ symbol: "SBIN", exchange: "NSE", data: { open: 948.6, high: 953.2, low: 947.1, ltp: 951.6, ask: 951.65, bid: 951.55, prev_close: 949.4, volume: 412_300, oi: 0 } }] },
  },
  "/ping": { request: { apikey: KEY }, response: { status: "success", data: { message: "pong", broker: "jainam_prop" } } },
  "/mastercontract/status": { request: { apikey: KEY }, response: { status: "success", data: { status: "success", total: 147680 } } },
  "/stream/status": {
    request: { apikey: KEY },
    response: { status: "success", data: { enabled: true, market: { state: "connected", subscriptions: 12 }, interactive: { state: "connected", booksHealthy: true }, websocket: { clients: 3 } } },
  },
  "/mastercontract/refresh": { request: { apikey: KEY, force: false }, response: { status: "success", message: "stored 147680 instruments", data: {} } },
  "/optionsymbol": {
    request: { apikey: KEY, underlying: "NIFTY", exchange: "NSE_INDEX", expiry_date: "08DEC26", offset: "ITM2", option_type: "CE" },
    response: { status: "success", symbol: "NIFTY08DEC2625900CE", exchange: "NFO", lotsize: 75, tick_size: 0.05, freeze_qty: 1801, underlying_ltp: 25999.95 },
  },
  "/optionsorder": {
    request: { apikey: KEY, strategy: "demo", underlying: "NIFTY", exchange: "NSE_INDEX", expiry_date: "08DEC26", offset: "ATM", option_type: "CE", action: "BUY", quantity: "75", pricetype: "MARKET", product: "NRML" },
    response: { status: "success", orderid: "1100000007", symbol: "NIFTY08DEC2626000CE", exchange: "NFO", underlying: "NIFTY", underlying_ltp: 25999.95, offset: "ATM", option_type: "CE" },
  },
  "/optionsmultiorder": {
    request: {
      apikey: KEY, strategy: "iron condor", underlying: "NIFTY", exchange: "NSE_INDEX", expiry_date: "08DEC26",
      legs: [
        { offset: "OTM4", option_type: "CE", action: "BUY", quantity: "75" },
        { offset: "OTM2", option_type: "CE", action: "SELL", quantity: "75" },
      ],
    },
    response: {
      status: "success", underlying: "NIFTY", underlying_ltp: 25999.95,
      results: [
        { leg: 1, offset: "OTM4", option_type: "CE", action: "BUY", symbol: "NIFTY08DEC2626200CE", exchange: "NFO", status: "success", orderid: "1100000008" },
        { leg: 2, offset: "OTM2", option_type: "CE", action: "SELL", symbol: "NIFTY08DEC2626100CE", exchange: "NFO", status: "success", orderid: "1100000009" },
      ],
    },
  },
  "/syntheticfuture": {
    request: { apikey: KEY, underlying: "NIFTY", exchange: "NSE_INDEX", expiry_date: "08DEC26" },
    response: { status: "success", underlying: "NIFTY", underlying_ltp: 25999.95, expiry: "08DEC26", atm_strike: 26000, synthetic_future_price: 26060.15 },
  },
  "/optionchain": {
    request: { apikey: KEY, underlying: "NIFTY", exchange: "NSE_INDEX", expiry_date: "08DEC26", strike_count: 1, with_greeks: false },
    response: {
      status: "success", underlying: "NIFTY", underlying_ltp: 25999.95, underlying_prev_close: 25616.55, expiry_date: "08DEC26", expiry_ts: 1796724000, server_ts: 1795584600, atm_strike: 26000,
      quotes_included: true, greeks_included: false, forward_price: null,
      chain: [{ strike: 26000, ce: { symbol: "NIFTY08DEC2626000CE", label: "ATM", ltp: 289.2, bid: 289.15, ask: 289.25, bid_qty: 150, ask_qty: 75, open: 200.1, high: 292, low: 190.5, prev_close: 200.1, volume: 170_100, oi: 612_000, lotsize: 75, tick_size: 0.05 }, pe: null }],
    },
  },
  "/optiongreeks": {
    request: { apikey: KEY, symbol: "NIFTY08DEC2626000CE", exchange: "NFO", interest_rate: "6.5" },
    response: {
      status: "success", symbol: "NIFTY08DEC2626000CE", exchange: "NFO", underlying: "NIFTY", strike: 26000, option_type: "CE", expiry_date: "08-DEC-26", days_to_expiry: 13.1875,
      spot_price: 25999.95, price_source: "NSE_INDEX:NIFTY", option_price: 289.2, interest_rate: 6.5, implied_volatility: 13.1, greeks: { delta: 0.5312, gamma: 0.000612, theta: -9.81, vega: 19.44, rho: -0.104 },
    },
  },
  "/multioptiongreeks": {
    request: { apikey: KEY, symbols: [{ symbol: "NIFTY08DEC2626000CE", exchange: "NFO" }, { symbol: "NIFTY08DEC2626000PE", exchange: "NFO" }] },
    response: { status: "success", data: [{ status: "success", symbol: "NIFTY08DEC2626000CE", exchange: "NFO", implied_volatility: 13.1, greeks: { delta: 0.5312, gamma: 0.000612, theta: -9.81, vega: 19.44, rho: -0.104 } }], summary: { total: 2, success: 1, failed: 1 } },
  },
  "/basketorder": {
    request: { apikey: KEY, strategy: "basket", orders: [{ symbol: "SBIN", exchange: "NSE", action: "BUY", quantity: "1" }, { symbol: "TCS", exchange: "NSE", action: "SELL", quantity: "1" }] },
    response: { status: "success", results: [{ symbol: "SBIN", exchange: "NSE", action: "BUY", status: "success", orderid: "1100000010" }, { symbol: "TCS", exchange: "NSE", action: "SELL", status: "error", code: "XTS_REJECTED", message: "RMS rejected" }] },
  },
  "/splitorder": {
    request: { apikey: KEY, strategy: "split", symbol: "SBIN", exchange: "NSE", action: "BUY", quantity: "105", splitsize: "50" },
    response: { status: "success", split_size: 50, total_quantity: 105, results: [{ order_num: 1, quantity: 50, status: "success", orderid: "1100000011" }, { order_num: 2, quantity: 50, status: "success", orderid: "1100000012" }, { order_num: 3, quantity: 5, status: "success", orderid: "1100000013" }] },
  },
  "/margin": {
    request: { apikey: KEY, positions: [{ symbol: "NIFTY29DEC26FUT", exchange: "NFO", action: "SELL", quantity: "75", product: "NRML", pricetype: "MARKET" }] },
    response: { status: "success", data: { total_margin_required: 292_500, span_margin: 292_500, exposure_margin: 0, margin_benefit: 0 } },
  },
  "/analyzer": { request: { apikey: KEY }, response: { status: "success", data: { analyze_mode: false, mode: "live", total_logs: 0 } } },
  "/analyzer/toggle": { request: { apikey: KEY, mode: true }, response: { status: "success", data: { analyze_mode: true, mode: "analyze", total_logs: 0, message: "Analyzer mode switched to analyze" } } },
  "/market/holidays": {
    request: { apikey: KEY, year: 2026 },
    response: { status: "success", year: 2026, timezone: "Asia/Kolkata", data: [{ date: "2026-01-26", description: "Republic Day", holiday_type: "TRADING_HOLIDAY", closed_exchanges: ["NSE", "BSE", "NFO", "BFO", "CDS", "BCD", "MCX"], open_exchanges: [] }] },
  },
  "/market/timings": { request: { apikey: KEY, date: "2026-12-02" }, response: { status: "success", data: [{ exchange: "NSE", start_time: 1796616900000, end_time: 1796639400000 }] } },
};

/** What each HTTP status means here, and an example body; the codes come from the one status table. */
const STATUS_MEANING: Readonly<Record<number, string>> = {
  400: "the request is wrong: `errors` maps each field to what is wrong with it; `XTS_REJECTED` carries the broker's `broker_code`",
  403: "the API key is unknown, malformed or revoked",
  404: "unknown symbol (with `suggestions`), or an order the book does not hold",
  405: "a known path with another method; `Allow` lists the right one",
  408: "the request did not arrive in time",
  409: "a master refresh is already running in another process",
  413: "the body is larger than 64 KiB",
  415: "the body is neither JSON nor text/plain holding JSON",
  429: "over a rate limit: wait `retry_after` seconds (also in `Retry-After`)",
  431: "the request headers are too large",
  500: "a bug: the `x-request-id` header finds it in the logs",
  502: "the broker (or a replica's primary) failed or answered something unusable; `message` has its words",
  503: "the database failed, or no master contract is loaded yet",
  504: "the broker did not answer; for an order, ORDER_OUTCOME_UNKNOWN with `order_unique_identifier` to look for before sending again",
};

/** What a client really receives for each status (the example shown under it). */
const EXAMPLE_ERRORS: Readonly<Record<number, Json>> = {
  400: { message: "quantity: quantity must be a positive whole number (digits only, such as \"1\" or \"75\"), got \"1e3\"", code: "VALIDATION_ERROR", errors: { quantity: ["quantity must be a positive whole number (digits only, such as \"1\" or \"75\"), got \"1e3\""] } },
  403: { message: "Invalid openalgo apikey", code: "INVALID_API_KEY" },
  404: { message: "Symbol 'SBIM' not found on exchange NSE; did you mean SBIN?", code: "SYMBOL_NOT_FOUND", suggestions: ["SBIN"] },
  405: { message: "GET is not allowed on /api/v1/placeorder; use POST", code: "METHOD_NOT_ALLOWED" },
  409: { message: "a master refresh is already running in another process", code: "REFRESH_IN_PROGRESS" },
  413: { message: "the request body is larger than 65536 bytes", code: "BODY_TOO_LARGE" },
  415: { message: "send the body as JSON (content-type application/json, or text/plain holding JSON)", code: "UNSUPPORTED_MEDIA_TYPE" },
  429: { message: "Rate limit exceeded. Please slow down your requests.", code: "RATE_LIMITED", retry_after: 1 },
  500: { message: "internal error; the request id in x-request-id identifies it in the logs", code: "INTERNAL_ERROR" },
  502: { message: "XTS orderBook (HTTP 503) failed: Service Temporarily Unavailable", code: "XTS_UNAVAILABLE" },
  503: { message: "no master contract is stored for broker jainam_prop: …", code: "CONTRACT_NOT_LOADED" },
  504: {
    message: "The broker did not confirm this request (timed out). The order may or may not have been placed: check the order book for order_unique_identifier Xmio5k2ab7c3d000012 before sending it again.",
    code: "ORDER_OUTCOME_UNKNOWN",
    order_unique_identifier: "Xmio5k2ab7c3d000012",
  },
};

function codesFor(status: number): ErrorCode[] {
  return ERROR_CODES.filter((code) => STATUS_BY_CODE[code] === status);
}

/** The statuses a route can answer with. */
function statusesOf(route: Route, fields: readonly string[]): number[] {
  const statuses = [400, 403, 405, 413, 415, 429, 500, 503];
  if (fields.includes("symbol") || fields.includes("orderid")) statuses.push(404);
  if (route.path === "/mastercontract/refresh") statuses.push(409);
  if (route.runsOn === "primary") statuses.push(502, 504);
  return statuses.sort((a, b) => a - b);
}

function errorResponse(status: number): Json {
  const codes = codesFor(status);
  return {
    description: `${STATUS_MEANING[status] ?? "error"}. Codes: ${codes.map((c) => `\`${c}\``).join(", ")}`,
    content: { "application/json": { example: { status: "error", ...(EXAMPLE_ERRORS[status] ?? { message: STATUS_MEANING[status] ?? "error", code: codes[0] }) } } },
  };
}

/** OpenAPI 3.1 from the same zod schemas that validate the requests, with an example of each call and every error status. */
export function openApiDocument(routes: readonly Route[], prefix: string): Json {
  const paths: Json = {};
  for (const route of routes) {
    const schema = z.toJSONSchema(route.schema, { io: "input", unrepresentable: "any" }) as Json;
    delete schema["$schema"];
    const properties = (schema["properties"] ?? {}) as Record<string, Json>;
    const example = EXAMPLES[route.path];
    const responses: Json = {
      "200": { description: "`{status: \"success\", ...}`", content: { "application/json": example === undefined ? {} : { example: example.response } } },
    };
    for (const status of statusesOf(route, Object.keys(properties))) responses[String(status)] = errorResponse(status);
    const operation: Json = {
      summary: route.summary,
      operationId: route.path.replace(/^\//, "").replace(/\//g, "_"),
      tags: [route.effect !== "none" ? "orders" : route.runsOn === "local" ? "contract" : "account and market data"],
      responses,
    };
    if (route.source === "query") {
      const required = new Set((schema["required"] as string[] | undefined) ?? []);
      const inPath = new Set([...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!));
      operation["parameters"] = Object.entries(properties).map(([name, s]) => ({
        name,
        in: inPath.has(name) ? "path" : "query",
        required: required.has(name),
        schema: s,
        ...(example?.request[name] === undefined ? {} : { example: example.request[name] }),
      }));
    } else {
      operation["requestBody"] = { required: true, content: { "application/json": { schema, ...(example === undefined ? {} : { example: example.request }) } } };
    }
    // OpenAPI writes path parameters as {name}; the router as :name.
    paths[`${prefix}${route.path.replace(/:(\w+)/g, "{$1}")}`] = { [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "xtsbridge — OpenAlgo-compatible API for Jainam Prop (XTS)",
      version: "1",
      description:
        "Send `apikey` in the JSON body (query string for GET /instruments). Numbers may be JSON numbers or strings of plain digits (`\"1\"`, `\"16.5\"`); unknown fields are rejected by name. " +
        "Every answer carries `x-request-id`, which is also the order's `orderUniqueIdentifier` (`X` + the id). Errors are `{status:\"error\", message, code}`.",
    },
    tags: [
      { name: "orders", description: "place, change and cancel orders; a lost answer is never resent" },
      { name: "account and market data", description: "books, funds, quotes: answered by the process that holds the XTS session" },
      { name: "contract", description: "the stored master contract: answered by any process" },
    ],
    paths,
  };
}
