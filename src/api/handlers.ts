import type { z } from "zod";
import { XtsBridgeError, type ErrorCode } from "../errors.js";
import { istToday } from "../instruments/ist.js";
import { intervalsData } from "../marketdata/history.js";
import type { AppDeps, TradingDesk } from "./app-deps.js";
import { httpStatusFor } from "./error-status.js";
import { symbolData, type InstrumentsCache } from "./instruments-cache.js";
import * as s from "./schemas.js";

export type RouteGroup = "order" | "smart" | "other";

export interface HandlerContext {
  readonly requestId: string;
  readonly deps: AppDeps;
  readonly instruments: InstrumentsCache;
}

/** A JSON answer, or bytes already serialised (the instrument lists), streamed with backpressure. */
export type Reply =
  | { readonly kind: "json"; readonly body: Record<string, unknown>; readonly httpStatus?: number }
  | { readonly kind: "bytes"; readonly contentType: string; readonly filename?: string; readonly body: Buffer };

/**
 * Where a route is answered in a primary/replica deployment: `local` from the shared contract on
 * any process; `primary` on the process that owns the only XTS session (a replica forwards it).
 */
export type RunsOn = "local" | "primary";

/**
 * What a route does to orders. A route that places, modifies or cancels one has an outcome that is
 * unknown when its answer is lost, and is reported so (never retried, never guessed).
 */
export type OrderEffect = "none" | "places" | "modifies" | "cancels";

export interface Route<S extends z.ZodType = z.ZodType> {
  readonly method: "POST" | "GET";
  readonly path: string;
  readonly summary: string;
  readonly group: RouteGroup;
  readonly runsOn: RunsOn;
  readonly effect: OrderEffect;
  /** Answered by the paper engine (and tagged `mode: "analyze"`) while the analyzer is on. */
  readonly analyzable?: boolean;
  readonly schema: S;
  /** GET routes read the query string; POST routes the JSON body. */
  readonly source: "body" | "query";
  readonly handle: (input: z.output<S>, ctx: HandlerContext) => Promise<Reply>;
}

function route<S extends z.ZodType>(r: Route<S>): Route {
  return r as unknown as Route;
}

function analyzerOf(deps: AppDeps): NonNullable<AppDeps["analyzer"]> {
  if (deps.analyzer === undefined) throw new XtsBridgeError("NOT_SUPPORTED", "this process runs no analyzer (a replica forwards it to the primary)");
  return deps.analyzer;
}

/** Who takes orders and keeps the books: the broker, or the analyzer's paper engine while it is on. */
function desk(deps: AppDeps): TradingDesk {
  return deps.analyzer?.active === true ? deps.analyzer.engine : deps.orders;
}

const ok = (body: Record<string, unknown>): Reply => ({ kind: "json", body: { status: "success", ...body } });

/** A batch succeeds when any of its orders did; its results say which. */
function batchReply(results: readonly { status: string }[], extra: Record<string, unknown>, noun: string): Reply {
  const failed = results.filter((r) => r.status !== "success").length;
  if (failed === results.length) {
    // Nothing was placed: an error in the usual envelope, with the first failure's code and status.
    const first = results[0] as { code?: ErrorCode; message?: string };
    const code = first.code ?? "INTERNAL_ERROR";
    return { kind: "json", httpStatus: httpStatusFor(code), body: { status: "error", message: `every ${noun} failed; the first: ${first.message ?? "unknown"}`, code, ...extra, results } };
  }
  return ok({ ...extra, results });
}

const CALENDAR_TIMEZONE = "Asia/Kolkata";


export const ROUTES: readonly Route[] = [
  route({
    method: "POST", path: "/placeorder", summary: "Place an order", group: "order", runsOn: "primary", effect: "places", analyzable: true, source: "body", schema: s.placeOrderSchema,
    handle: async (b, { deps, requestId }) => {
      const placed = await desk(deps).placeOrder(b, requestId);
      return ok({ orderid: placed.orderid, ...(placed.reconciled ? { reconciled: true } : {}) });
    },
  }),
  route({
    method: "POST", path: "/placesmartorder", summary: "Place an order that brings the position to position_size", group: "smart", runsOn: "primary", effect: "places", analyzable: true, source: "body", schema: s.placeSmartOrderSchema,
    handle: async (b, { deps, requestId }) => {
      const result = await desk(deps).placeSmartOrder(b, b.position_size, requestId);
      return "message" in result ? ok({ message: result.message }) : ok({ orderid: result.placed.orderid, ...(result.placed.reconciled ? { reconciled: true } : {}) });
    },
  }),
  route({
    method: "POST", path: "/modifyorder", summary: "Modify an open order (every field required)", group: "order", runsOn: "primary", effect: "modifies", analyzable: true, source: "body", schema: s.modifyOrderSchema,
    handle: async (b, { deps, requestId }) => ok(await desk(deps).modifyOrder(b, requestId)),
  }),
  route({
    method: "POST", path: "/cancelorder", summary: "Cancel an order", group: "order", runsOn: "primary", effect: "cancels", analyzable: true, source: "body", schema: s.cancelOrderSchema,
    handle: async (b, { deps, requestId }) => ok(await desk(deps).cancelOrder(b.orderid, requestId)),
  }),
  route({
    method: "POST", path: "/cancelallorder", summary: "Cancel every open order; reports each", group: "other", runsOn: "primary", effect: "cancels", analyzable: true, source: "body", schema: s.strategyOnlySchema,
    handle: async (_b, { deps, requestId }) => {
      const { canceled, failed } = await desk(deps).cancelAllOrders(requestId);
      return ok({
        message: `Canceled ${canceled.length} orders. Failed to cancel ${failed.length} orders.`,
        canceled_orders: canceled,
        failed_cancellations: failed,
      });
    },
  }),
  route({
    method: "POST", path: "/closeposition", summary: "Square off every open position at market; reports each", group: "other", runsOn: "primary", effect: "places", analyzable: true, source: "body", schema: s.strategyOnlySchema,
    handle: async (_b, { deps, requestId }) => {
      const report = await desk(deps).closeAllPositions(requestId);
      const failed = report.filter((r) => r.status === "error").length;
      const message =
        report.length === 0 ? "No Open Positions Found" : failed === 0 ? "All Open Positions Squared Off" : `Squared off ${report.length - failed} of ${report.length} positions; ${failed} failed`;
      return ok({ message, positions: report });
    },
  }),
  route({
    method: "POST", path: "/orderstatus", summary: "One order's status", group: "other", runsOn: "primary", effect: "none", analyzable: true, source: "body", schema: s.orderStatusSchema,
    handle: async (b, { deps }) => {
      const o = await desk(deps).orderStatus(b.orderid);
      return ok({
        data: {
          action: o.action, exchange: o.exchange, symbol: o.symbol, orderid: o.orderid, product: o.product, quantity: o.quantity, price: o.price,
          pricetype: o.pricetype, trigger_price: o.trigger_price, order_status: o.order_status, timestamp: o.timestamp, average_price: o.average_price,
        },
      });
    },
  }),
  route({
    method: "POST", path: "/openposition", summary: "Net quantity of one position", group: "other", runsOn: "primary", effect: "none", analyzable: true, source: "body", schema: s.openPositionSchema,
    handle: async (b, { deps }) => ok({ quantity: await desk(deps).openPosition(b.symbol, b.exchange, b.product) }),
  }),
  route({
    method: "POST", path: "/orderbook", summary: "Order book with statistics", group: "other", runsOn: "primary", effect: "none", analyzable: true, source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: await desk(deps).orderBook() }),
  }),
  route({
    method: "POST", path: "/tradebook", summary: "Trade book", group: "other", runsOn: "primary", effect: "none", analyzable: true, source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: await desk(deps).tradeBook() }),
  }),
  route({
    method: "POST", path: "/positionbook", summary: "Positions (NetWise)", group: "other", runsOn: "primary", effect: "none", analyzable: true, source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: await desk(deps).positionBook() }),
  }),
  route({
    method: "POST", path: "/holdings", summary: "Holdings with statistics", group: "other", runsOn: "primary", effect: "none", analyzable: true, source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: await desk(deps).holdings() }),
  }),
  route({
    method: "POST", path: "/funds", summary: "Funds (2-dp strings)", group: "other", runsOn: "primary", effect: "none", analyzable: true, source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: await desk(deps).funds() }),
  }),
  route({
    method: "POST", path: "/symbol", summary: "The stored row of a symbol", group: "other", runsOn: "local", effect: "none", source: "body", schema: s.symbolSchema,
    handle: async (b, { deps }) => ok({ data: symbolData(deps.resolver.resolve(b.symbol, b.exchange)) }),
  }),
  route({
    method: "POST", path: "/search", summary: "Search symbols: every term must match", group: "other", runsOn: "local", effect: "none", source: "body", schema: s.searchSchema,
    handle: async (b, { deps }) => {
      const rows = deps.resolver.current.search(b.query, { exchange: b.exchange, limit: 500 });
      return ok({ message: rows.length === 0 ? "No matching symbols found" : `Found ${rows.length} matching symbols`, data: rows.map(symbolData) });
    },
  }),
  route({
    method: "POST", path: "/expiry", summary: "Expiry dates of an underlying (past dates dropped)", group: "other", runsOn: "local", effect: "none", source: "body", schema: s.expirySchema,
    handle: async (b, { deps }) => {
      const dates = deps.resolver.current.expiries(b.exchange, b.symbol, b.instrumenttype, (deps.today ?? istToday)());
      return ok({ message: `Found ${dates.length} expiry dates for ${b.symbol.toUpperCase()} ${b.instrumenttype} in ${b.exchange}`, data: dates });
    },
  }),
  route({
    method: "GET", path: "/instruments", summary: "Every instrument (json or csv)", group: "other", runsOn: "local", effect: "none", source: "query", schema: s.instrumentsQuerySchema,
    handle: async (q, { deps, instruments }) => {
      const index = deps.resolver.current;
      const body = instruments.get(deps.resolver.version, q.exchange, q.format, () => (q.exchange === undefined ? index.allRows() : index.rowsOf(q.exchange)));
      return q.format === "csv"
        ? { kind: "bytes", contentType: "text/csv; charset=utf-8", filename: `instruments_${(q.exchange ?? "all").toLowerCase()}.csv`, body }
        : { kind: "bytes", contentType: "application/json; charset=utf-8", body };
    },
  }),
  route({
    method: "POST", path: "/quotes", summary: "Quote of one instrument", group: "other", runsOn: "primary", effect: "none", source: "body", schema: s.quotesSchema,
    handle: async (b, { deps }) => ok({ data: await deps.quotes.quote(b.symbol, b.exchange) }),
  }),
  route({
    method: "POST", path: "/history", summary: "Candles of one instrument (epoch-second timestamps, ascending)", group: "other", runsOn: "primary", effect: "none", source: "body", schema: s.historySchema,
    handle: async (b, { deps }) => ok({ data: await deps.history.history(b.symbol, b.exchange, b.interval, b.start_date, b.end_date) }),
  }),
  route({
    method: "GET", path: "/ticker/:symbol", summary: "Candles as OpenAlgo's ticker (EXCHANGE:SYMBOL; json, or txt lines for Amibroker)", group: "other", runsOn: "primary", effect: "none", source: "query", schema: s.tickerQuerySchema,
    handle: async (q, { deps }) => {
      const at = q.symbol.indexOf(":");
      const [exchange, symbol] = [q.symbol.slice(0, at), q.symbol.slice(at + 1)];
      const candles = await deps.history.history(symbol, exchange, q.interval, q.from, q.to);
      if (q.format === "json") return ok({ data: candles });
      const name = `${exchange.toUpperCase()}:${symbol.toUpperCase()}`;
      const lines = candles.map((c) => {
        const ist = new Date((c.timestamp + 19_800) * 1000).toISOString();
        const when = q.interval === "D" ? ist.slice(0, 10) : `${ist.slice(0, 10)},${ist.slice(11, 19)}`;
        return `${name},${when},${c.open},${c.high},${c.low},${c.close},${Math.trunc(c.volume)}`;
      });
      return { kind: "bytes", contentType: "text/plain; charset=utf-8", body: Buffer.from(lines.join("\n")) };
    },
  }),
  route({
    method: "POST", path: "/intervals", summary: "The history intervals this broker serves", group: "other", runsOn: "local", effect: "none", source: "body", schema: s.apikeyOnlySchema,
    handle: async () => ok({ data: intervalsData() }),
  }),
  route({
    method: "POST", path: "/depth", summary: "Market depth of one instrument: five levels a side, totals, OI", group: "other", runsOn: "primary", effect: "none", source: "body", schema: s.depthSchema,
    handle: async (b, { deps }) => ok({ data: await deps.quotes.depth(b.symbol, b.exchange) }),
  }),
  route({
    method: "POST", path: "/multiquotes", summary: "Quotes of many instruments (an unknown one is reported in its place)", group: "other", runsOn: "primary", effect: "none", source: "body", schema: s.multiquotesSchema,
    handle: async (b, { deps }) => ok({ results: await deps.quotes.multiquotes(b.symbols) }),
  }),
  route({
    method: "POST", path: "/optionsymbol", summary: "The option ATM/ITMn/OTMn strikes from the underlying's price, on the expiry's listed strikes", group: "other", runsOn: "primary", effect: "none", source: "body", schema: s.optionSymbolSchema,
    handle: async (b, { deps }) => ok(await deps.options.optionSymbol(b)),
  }),
  route({
    method: "POST", path: "/optionsorder", summary: "Place an option order by offset (\"buy NIFTY ATM CE\"), split into parts when splitsize is set", group: "order", runsOn: "primary", effect: "places", analyzable: true, source: "body", schema: s.optionsOrderSchema,
    handle: async (b, { deps, requestId }) => ok(await deps.options.optionsOrder(b, desk(deps), requestId)),
  }),
  route({
    method: "POST", path: "/optionsmultiorder", summary: "Option legs of one underlying (BUY legs first); a result per leg", group: "order", runsOn: "primary", effect: "places", analyzable: true, source: "body", schema: s.optionsMultiOrderSchema,
    handle: async (b, { deps, requestId }) => {
      const answer = await deps.options.optionsMultiOrder(b, desk(deps), requestId);
      return batchReply(answer["results"] as { status: string }[], { underlying: answer["underlying"], underlying_ltp: answer["underlying_ltp"] }, "leg");
    },
  }),
  route({
    method: "POST", path: "/syntheticfuture", summary: "ATM strike + call − put of an expiry", group: "other", runsOn: "primary", effect: "none", source: "body", schema: s.syntheticFutureSchema,
    handle: async (b, { deps }) => ok(await deps.options.syntheticFuture(b)),
  }),
  route({
    method: "POST", path: "/optionchain", summary: "Strikes around ATM with both sides' quotes (and Greeks when asked)", group: "other", runsOn: "primary", effect: "none", source: "body", schema: s.optionChainSchema,
    handle: async (b, { deps }) => ok(await deps.options.optionChain(b)),
  }),
  route({
    method: "POST", path: "/optiongreeks", summary: "Black-76 implied volatility and Greeks of one option", group: "other", runsOn: "primary", effect: "none", source: "body", schema: s.optionGreeksSchema,
    handle: async (b, { deps }) => {
      const [one] = await deps.options.optionGreeks([b], b);
      if (one!.status === "error") throw new XtsBridgeError(one!["code"] as ErrorCode, String(one!["message"]));
      const { status: _status, ...body } = one!;
      return ok(body);
    },
  }),
  route({
    method: "POST", path: "/multioptiongreeks", summary: "Greeks of up to 50 options from one round of quotes; a result per option", group: "other", runsOn: "primary", effect: "none", source: "body", schema: s.multiOptionGreeksSchema,
    handle: async (b, { deps }) => {
      const data = await deps.options.optionGreeks(b.symbols, b);
      const success = data.filter((d) => d.status === "success").length;
      return ok({ data, summary: { total: data.length, success, failed: data.length - success } });
    },
  }),
  route({
    method: "POST", path: "/basketorder", summary: "Many orders, BUY before SELL; every one attempted, a result per order", group: "other", runsOn: "primary", effect: "places", analyzable: true, source: "body", schema: s.basketOrderSchema,
    handle: async (b, { deps, requestId }) => batchReply(await deps.multi.basketOrder(b.orders, desk(deps), requestId), {}, "order"),
  }),
  route({
    method: "POST", path: "/splitorder", summary: "One large order in parts of splitsize, each under the freeze quantity", group: "other", runsOn: "primary", effect: "places", analyzable: true, source: "body", schema: s.splitOrderSchema,
    handle: async (b, { deps, requestId }) => batchReply(await deps.multi.splitOrder(b, b.splitsize, desk(deps), requestId), { split_size: b.splitsize, total_quantity: b.quantity }, "part"),
  }),
  route({
    method: "POST", path: "/margin", summary: "Margin a basket of positions would need, from the broker's RMS (NOT_SUPPORTED where it has none)", group: "other", runsOn: "primary", effect: "none", source: "body", schema: s.marginSchema,
    handle: async (b, { deps }) => ok({ data: await deps.margin.margin(b.positions) }),
  }),
  route({
    method: "POST", path: "/market/holidays", summary: "Exchange trading holidays of a year (IST)", group: "other", runsOn: "local", effect: "none", source: "body", schema: s.holidaysSchema,
    handle: async (b, { deps }) => {
      const year = b.year ?? Number((deps.today ?? istToday)().slice(0, 4));
      return ok({ year, timezone: CALENDAR_TIMEZONE, data: deps.calendar.holidays(year) });
    },
  }),
  route({
    method: "POST", path: "/market/timings", summary: "Each exchange's session on a date (epoch ms); a closed exchange is left out", group: "other", runsOn: "local", effect: "none", source: "body", schema: s.timingsSchema,
    handle: async (b, { deps }) => ok({ data: deps.calendar.sessions(b.date) }),
  }),
  route({
    method: "POST", path: "/analyzer", summary: "Whether orders go to the paper engine (analyze) or the broker (live)", group: "other", runsOn: "primary", effect: "none", source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: analyzerOf(deps).status() }),
  }),
  route({
    method: "POST", path: "/analyzer/toggle", summary: "Switch between analyze (paper engine) and live (broker); neither side's books are lost", group: "other", runsOn: "primary", effect: "none", source: "body", schema: s.analyzerToggleSchema,
    handle: async (b, { deps }) => ok({ data: await analyzerOf(deps).toggle(b.mode) }),
  }),
  route({
    method: "POST", path: "/ping", summary: "Checks the API key", group: "other", runsOn: "local", effect: "none", source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: { message: "pong", broker: deps.resolver.broker } }),
  }),
  route({
    method: "POST", path: "/mastercontract/status", summary: "Master-contract status", group: "other", runsOn: "local", effect: "none", source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: { ...(await deps.master.status()), index: deps.resolver.stats } }),
  }),
  route({
    method: "POST", path: "/stream/status", summary: "Streaming health: the XTS sockets, subscriptions, live books and WebSocket clients", group: "other", runsOn: "primary", effect: "none", source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: deps.streamStatus?.() ?? { enabled: false, message: "streaming is not running in this process" } }),
  }),
  route({
    method: "POST", path: "/mastercontract/refresh", summary: "Download the master contract now", group: "other", runsOn: "primary", effect: "none", source: "body", schema: s.refreshSchema,
    handle: async (b, { deps }) => {
      const report = await deps.master.refresh({ force: b.force });
      if (report.status === "error") throw new XtsBridgeError("MASTER_REFRESH_FAILED", `master refresh failed, previous contract kept: ${report.message}`, { details: { report } });
      return ok({ message: report.message, data: report });
    },
  }),
];
