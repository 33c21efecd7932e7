import type { z } from "zod";
import { XtsBridgeError } from "../errors.js";
import type { SymbolRow } from "../store/types.js";
import type { AppDeps } from "./app-deps.js";
import * as s from "./schemas.js";

export type RouteGroup = "order" | "smart" | "other";

export interface HandlerContext {
  readonly requestId: string;
  readonly deps: AppDeps;
}

export type Reply = { readonly kind: "json"; readonly body: Record<string, unknown> } | { readonly kind: "csv"; readonly filename: string; readonly body: string };

export interface Route<S extends z.ZodType = z.ZodType> {
  readonly method: "POST" | "GET";
  readonly path: string;
  readonly summary: string;
  readonly group: RouteGroup;
  readonly schema: S;
  /** GET routes read the query string; POST routes the JSON body. */
  readonly source: "body" | "query";
  readonly handle: (input: z.output<S>, ctx: HandlerContext) => Promise<Reply>;
}

function route<S extends z.ZodType>(r: Route<S>): Route {
  return r as unknown as Route;
}

const ok = (body: Record<string, unknown>): Reply => ({ kind: "json", body: { status: "success", ...body } });

/** A `symbol_token` row as OpenAlgo's /symbol and /search show it. */
function symbolData(row: SymbolRow): Record<string, unknown> {
  return {
    symbol: row.symbol,
    brsymbol: row.brsymbol,
    name: row.name,
    exchange: row.exchange,
    brexchange: row.brexchange,
    token: row.token,
    expiry: row.expiry,
    strike: row.strike,
    lotsize: row.lotsize,
    instrumenttype: row.instrumenttype,
    tick_size: row.tick_size,
    freeze_qty: row.freeze_qty,
  };
}

const CSV_COLUMNS = ["symbol", "brsymbol", "name", "exchange", "brexchange", "token", "expiry", "strike", "lotsize", "instrumenttype", "tick_size"] as const;

function csvCell(value: unknown): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function indiaToday(): string {
  return new Date(Date.now() + 5.5 * 3_600_000).toISOString().slice(0, 10);
}

export const ROUTES: readonly Route[] = [
  route({
    method: "POST", path: "/placeorder", summary: "Place an order", group: "order", source: "body", schema: s.placeOrderSchema,
    handle: async (b, { deps, requestId }) => {
      const placed = await deps.orders.placeOrder(b, requestId);
      return ok({ orderid: placed.orderid, ...(placed.reconciled ? { reconciled: true } : {}) });
    },
  }),
  route({
    method: "POST", path: "/placesmartorder", summary: "Place an order that brings the position to position_size", group: "smart", source: "body", schema: s.placeSmartOrderSchema,
    handle: async (b, { deps, requestId }) => {
      const result = await deps.orders.placeSmartOrder(b, b.position_size, requestId);
      return "message" in result ? ok({ message: result.message }) : ok({ orderid: result.placed.orderid, ...(result.placed.reconciled ? { reconciled: true } : {}) });
    },
  }),
  route({
    method: "POST", path: "/modifyorder", summary: "Modify an open order (every field required)", group: "order", source: "body", schema: s.modifyOrderSchema,
    handle: async (b, { deps, requestId }) => ok(await deps.orders.modifyOrder(b, requestId)),
  }),
  route({
    method: "POST", path: "/cancelorder", summary: "Cancel an order", group: "order", source: "body", schema: s.cancelOrderSchema,
    handle: async (b, { deps, requestId }) => ok(await deps.orders.cancelOrder(b.orderid, requestId)),
  }),
  route({
    method: "POST", path: "/cancelallorder", summary: "Cancel every open order; reports each", group: "other", source: "body", schema: s.strategyOnlySchema,
    handle: async (_b, { deps, requestId }) => {
      const { canceled, failed } = await deps.orders.cancelAllOrders(requestId);
      return ok({
        message: `Canceled ${canceled.length} orders. Failed to cancel ${failed.length} orders.`,
        canceled_orders: canceled,
        failed_cancellations: failed,
      });
    },
  }),
  route({
    method: "POST", path: "/closeposition", summary: "Square off every open position at market; reports each", group: "other", source: "body", schema: s.strategyOnlySchema,
    handle: async (_b, { deps, requestId }) => {
      const report = await deps.orders.closeAllPositions(requestId);
      const failed = report.filter((r) => r.status === "error").length;
      const message =
        report.length === 0 ? "No Open Positions Found" : failed === 0 ? "All Open Positions Squared Off" : `Squared off ${report.length - failed} of ${report.length} positions; ${failed} failed`;
      return ok({ message, positions: report });
    },
  }),
  route({
    method: "POST", path: "/orderstatus", summary: "One order's status", group: "other", source: "body", schema: s.orderStatusSchema,
    handle: async (b, { deps }) => {
      const o = await deps.orders.orderStatus(b.orderid);
      return ok({
        data: {
          action: o.action, exchange: o.exchange, symbol: o.symbol, orderid: o.orderid, product: o.product, quantity: o.quantity, price: o.price,
          pricetype: o.pricetype, trigger_price: o.trigger_price, order_status: o.order_status, timestamp: o.timestamp, average_price: o.average_price,
        },
      });
    },
  }),
  route({
    method: "POST", path: "/openposition", summary: "Net quantity of one position", group: "other", source: "body", schema: s.openPositionSchema,
    handle: async (b, { deps }) => ok({ quantity: await deps.orders.openPosition(b.symbol, b.exchange, b.product) }),
  }),
  route({
    method: "POST", path: "/orderbook", summary: "Order book with statistics", group: "other", source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: await deps.orders.orderBook() }),
  }),
  route({
    method: "POST", path: "/tradebook", summary: "Trade book", group: "other", source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: await deps.orders.tradeBook() }),
  }),
  route({
    method: "POST", path: "/positionbook", summary: "Positions (NetWise)", group: "other", source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: await deps.orders.positionBook() }),
  }),
  route({
    method: "POST", path: "/holdings", summary: "Holdings with statistics", group: "other", source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: await deps.orders.holdings() }),
  }),
  route({
    method: "POST", path: "/funds", summary: "Funds (2-dp strings)", group: "other", source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: await deps.orders.funds() }),
  }),
  route({
    method: "POST", path: "/symbol", summary: "The stored row of a symbol", group: "other", source: "body", schema: s.symbolSchema,
    handle: async (b, { deps }) => ok({ data: symbolData(deps.resolver.resolve(b.symbol, b.exchange)) }),
  }),
  route({
    method: "POST", path: "/search", summary: "Search symbols: every term must match", group: "other", source: "body", schema: s.searchSchema,
    handle: async (b, { deps }) => {
      const rows = deps.resolver.current.search(b.query, { exchange: b.exchange, limit: 500 });
      return ok({ message: rows.length === 0 ? "No matching symbols found" : `Found ${rows.length} matching symbols`, data: rows.map(symbolData) });
    },
  }),
  route({
    method: "POST", path: "/expiry", summary: "Expiry dates of an underlying (past dates dropped)", group: "other", source: "body", schema: s.expirySchema,
    handle: async (b, { deps }) => {
      const dates = deps.resolver.current.expiries(b.exchange, b.symbol, b.instrumenttype, (deps.today ?? indiaToday)());
      return ok({ message: `Found ${dates.length} expiry dates for ${b.symbol.toUpperCase()} ${b.instrumenttype} in ${b.exchange}`, data: dates });
    },
  }),
  route({
    method: "GET", path: "/instruments", summary: "Every instrument (json or csv)", group: "other", source: "query", schema: s.instrumentsQuerySchema,
    handle: async (q, { deps }) => {
      const index = deps.resolver.current;
      const rows = q.exchange === undefined ? index.rows : index.rowsOf(q.exchange);
      if (q.format === "csv") {
        const lines = [CSV_COLUMNS.join(","), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(","))];
        return { kind: "csv", filename: `instruments_${(q.exchange ?? "all").toLowerCase()}.csv`, body: `${lines.join("\n")}\n` };
      }
      return ok({ message: `Found ${rows.length} instruments`, data: rows.map(symbolData) });
    },
  }),
  route({
    method: "POST", path: "/quotes", summary: "Quote of one instrument", group: "other", source: "body", schema: s.quotesSchema,
    handle: async (b, { deps }) => ok({ data: await deps.quotes.quote(b.symbol, b.exchange) }),
  }),
  route({
    method: "POST", path: "/ping", summary: "Checks the API key", group: "other", source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: { message: "pong", broker: deps.resolver.broker } }),
  }),
  route({
    method: "POST", path: "/mastercontract/status", summary: "Master-contract status", group: "other", source: "body", schema: s.apikeyOnlySchema,
    handle: async (_b, { deps }) => ok({ data: { ...(await deps.master.status()), index: deps.resolver.stats } }),
  }),
  route({
    method: "POST", path: "/mastercontract/refresh", summary: "Download the master contract now", group: "other", source: "body", schema: s.refreshSchema,
    handle: async (b, { deps }) => {
      const report = await deps.master.refresh({ force: b.force });
      if (report.status === "error") throw new XtsBridgeError("MASTER_REFRESH_FAILED", `master refresh failed, previous contract kept: ${report.message}`, { details: { report } });
      return ok({ message: report.message, data: report });
    },
  }),
];
