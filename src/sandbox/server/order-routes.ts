import { isXtsSegment } from "../../xts/segments.js";
import { clientOf, dealerClientsOf } from "./client-scope.js";
import { badRequest, dataNotAvailable, success, type Reply } from "./envelope.js";
import type { SimOrder } from "./order-engine.js";
import { marginFor } from "./margin.js";
import { tradeRecord } from "./order-records.js";
import { ORDER_ERRORS as E } from "./order-types.js";
import { parseAppOrderID, parseModifyOrder, parsePlaceOrder } from "./order-validation.js";
import type { Route, RouteContext } from "./routes.js";
import { asFields, optionalString, requiredInteger } from "./wire-values.js";

// Jainam's empty-book codes ([LIVE], xts-protocol.md §5.6).
const EMPTY_ORDER_BOOK = E.empty;
const EMPTY_TRADE_BOOK = "e-tradeBook-0005";

function latest(order: SimOrder): unknown {
  return order.history[order.history.length - 1];
}

function placeOrder(context: RouteContext): Reply {
  const { state } = context;
  const clientID = clientOf(context);
  const fields = asFields(context.body, E.body);
  const order = state.engine.place(clientID, parsePlaceOrder(fields, state.catalog));
  return success("s-orders-0001", "Request sent", {
    AppOrderID: order.appOrderID,
    OrderUniqueIdentifier: order.orderUniqueIdentifier,
    ClientID: clientID,
  });
}

function modifyOrder(context: RouteContext): Reply {
  const { engine } = context.state;
  const clientID = clientOf(context);
  const fields = asFields(context.body, E.body);
  const order = engine.modify(clientID, parseModifyOrder(fields, (id) => engine.find(clientID, id)));
  return success("s-orders-0002", "Request sent", { AppOrderID: order.appOrderID, OrderUniqueIdentifier: order.orderUniqueIdentifier, ClientID: clientID });
}

function cancelOrder(context: RouteContext): Reply {
  const clientID = clientOf(context);
  const order = context.state.engine.cancel(clientID, parseAppOrderID(context.query["appOrderID"], E.unknownOrder));
  return success("s-orders-0003", "Request sent", { AppOrderID: order.appOrderID, OrderUniqueIdentifier: order.orderUniqueIdentifier, ClientID: clientID });
}

/** `GET /orders` is the book; with `appOrderID` it is that order's history, oldest state first. */
function orderBook(context: RouteContext): Reply {
  const clientID = clientOf(context);
  const id = context.query["appOrderID"];
  if (id !== undefined && id !== "") {
    const order = context.state.engine.find(clientID, parseAppOrderID(id, E.unknownOrder));
    return success("s-orders-0005", "Order history", [...order.history]);
  }
  return books(context.state.engine.ordersOf([clientID]).map(latest), EMPTY_ORDER_BOOK, "s-orders-0004", "Success order book");
}

function tradeBook(context: RouteContext): Reply {
  const trades = context.state.engine.tradesOf([clientOf(context)]).map(tradeRecord);
  return books(trades, EMPTY_TRADE_BOOK, "s-trades-0001", "Success trade book");
}

function books(records: readonly unknown[], emptyCode: string, code: string, description: string): Reply {
  if (records.length === 0) throw dataNotAvailable(emptyCode);
  return success(code, description, records);
}

function cancelAll(context: RouteContext): Reply {
  const { state } = context;
  const clientID = clientOf(context);
  const fields = asFields(context.body, E.body);
  const segment = optionalString(fields, "exchangeSegment", E.segment) ?? "";
  if (!isXtsSegment(segment)) throw badRequest(E.segment, "exchangeSegment", `exchangeSegment ${JSON.stringify(segment)} is not valid`);
  const token = requiredInteger(fields, "exchangeInstrumentID", E.instrument);
  const instrument = state.catalog.get(segment, token);
  if (instrument === undefined) throw badRequest(E.instrument, "exchangeInstrumentID", `exchangeInstrumentID ${token} is not in the ${segment} master`);
  const cancelled = state.engine.cancelAll(clientID, instrument);
  return success("s-orders-0006", "Cancel all request sent", { exchangeSegment: segment, exchangeInstrumentID: token, AppOrderIDs: cancelled });
}

/**
 * `POST /orders/margindetails` [U]: what a basket would block under the sandbox's RMS (margin.ts),
 * each order checked as a placed one would be. Derivatives count as SPAN, cash as exposure; the
 * sandbox models no hedge benefit, and says so with a 0.
 */
function marginDetails(context: RouteContext): Reply {
  const { state } = context;
  const orders = asFields(context.body, E.body)["orders"];
  if (!Array.isArray(orders) || orders.length === 0) throw badRequest(E.body, "orders", "orders must be a non-empty list of orders");
  let span = 0;
  let exposure = 0;
  for (const entry of orders) {
    const order = parsePlaceOrder(asFields(entry, E.body), state.catalog);
    const price = order.terms.limitPrice > 0 ? order.terms.limitPrice : order.terms.stopPrice > 0 ? order.terms.stopPrice : state.prices.ltp(order.instrument);
    const margin = marginFor(order.instrument, order.terms.productType, order.terms.quantity, price);
    if (order.instrument.kind === "cash") exposure += margin;
    else span += margin;
  }
  return success("s-orders-0007", "Margin details", { totalMarginRequired: round2(span + exposure), spanMargin: round2(span), exposureMargin: round2(exposure), marginBenefit: 0 });
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function dealerOrderBook(context: RouteContext): Reply {
  const orders = context.state.engine.ordersOf(dealerClientsOf(context)).map(latest);
  return books(orders, EMPTY_ORDER_BOOK, "s-orders-0004", "Success order book");
}

function dealerTradeBook(context: RouteContext): Reply {
  const trades = context.state.engine.tradesOf(dealerClientsOf(context)).map(tradeRecord);
  return books(trades, EMPTY_TRADE_BOOK, "s-trades-0001", "Success trade book");
}

export const ORDER_ROUTES: readonly Route[] = [
  { method: "POST", path: "/orders", auth: "interactive", handler: placeOrder },
  { method: "PUT", path: "/orders", auth: "interactive", handler: modifyOrder },
  { method: "DELETE", path: "/orders", auth: "interactive", handler: cancelOrder },
  { method: "GET", path: "/orders", auth: "interactive", handler: orderBook },
  { method: "GET", path: "/orders/trades", auth: "interactive", handler: tradeBook },
  { method: "POST", path: "/orders/cancelall", auth: "interactive", handler: cancelAll },
  { method: "POST", path: "/orders/margindetails", auth: "interactive", handler: marginDetails },
  { method: "GET", path: "/orders/dealerorderbook", auth: "interactive", handler: dealerOrderBook },
  { method: "GET", path: "/orders/dealertradebook", auth: "interactive", handler: dealerTradeBook },
];
