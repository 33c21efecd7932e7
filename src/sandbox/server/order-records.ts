import { bookTime, NO_BOOK_TIME } from "./ist-time.js";
import type { SimOrder, SimTrade } from "./order-engine.js";
import { bookOrderSide, bookOrderType } from "./order-types.js";
import { decimals } from "./wire-values.js";

/** An order-book record with the keys of a captured XTS order book (xts-protocol.md §5.4). */
export type XtsOrderRecord = Readonly<Record<string, unknown>> & {
  readonly AppOrderID: number;
  readonly ClientID: string;
  readonly OrderStatus: string;
  readonly OrderUniqueIdentifier: string;
};

export function formatPrice(price: number, tick: number): string {
  return price.toFixed(Math.max(2, decimals(tick)));
}

export function orderRecord(order: SimOrder, loginID: string): XtsOrderRecord {
  const { terms, instrument } = order;
  const filled = order.filledQuantity > 0;
  return {
    LoginID: loginID,
    ClientID: order.clientID,
    AppOrderID: order.appOrderID,
    OrderReferenceID: "",
    GeneratedBy: "TWSAPI",
    ExchangeOrderID: order.exchangeOrderID,
    OrderCategoryType: "NORMAL",
    ExchangeSegment: instrument.segment,
    ExchangeInstrumentID: instrument.token,
    TradingSymbol: instrument.description,
    OrderSide: bookOrderSide(order.side),
    OrderType: bookOrderType(terms.orderType),
    ProductType: terms.productType,
    TimeInForce: terms.timeInForce,
    OrderPrice: terms.limitPrice,
    OrderQuantity: terms.quantity,
    OrderStopPrice: terms.stopPrice,
    OrderStatus: order.status,
    // XTS sends the average as a string, empty until something has traded.
    OrderAverageTradedPrice: filled ? formatPrice(order.averagePrice, instrument.tickSize) : "",
    LeavesQuantity: order.status === "New" ? terms.quantity - order.filledQuantity : 0,
    CumulativeQuantity: order.filledQuantity,
    OrderDisclosedQuantity: terms.disclosedQuantity,
    OrderGeneratedDateTime: bookTime(order.createdAt),
    ExchangeTransactTime: order.exchangeOrderID === "" ? NO_BOOK_TIME : bookTime(order.exchangeTransactAt),
    LastUpdateDateTime: bookTime(order.updatedAt),
    OrderExpiryDate: NO_BOOK_TIME,
    CancelRejectReason: order.rejectReason,
    OrderUniqueIdentifier: order.orderUniqueIdentifier,
    OrderLegStatus: "SingleOrderLeg",
    BoLegDetails: 0,
    IsSpread: instrument.kind === "spread",
    BoEntryOrderId: "",
    ApiOrderSource: order.apiOrderSource,
    MessageCode: 9004,
    MessageVersion: 4,
    TokenID: 0,
    ApplicationType: 0,
    SequenceNumber: order.sequence,
  };
}

/** A trade-book record: the order's keys plus the execution (xts-protocol.md §5.4). */
export function tradeRecord(trade: SimTrade): Readonly<Record<string, unknown>> {
  const tick = trade.order.instrument.tickSize;
  return {
    ...trade.orderRecord,
    ExecutionID: trade.executionID,
    LastTradedPrice: trade.price,
    LastTradedQuantity: trade.quantity,
    LastExecutionTransactTime: bookTime(trade.time),
    OrderAverageTradedPrice: formatPrice(trade.price, tick),
    MessageCode: 9005,
  };
}
