import { XtsBridgeError } from "../errors.js";
import { exchangeOfSegment, type Exchange } from "../instruments/exchanges.js";
import type { SymbolRow } from "../store/types.js";
import type { XtsBalance, XtsHolding, XtsOrderBookEntry, XtsOrderSide, XtsOrderStatus, XtsOrderType, XtsPosition, XtsTradeBookEntry } from "../xts/client/types.js";
import type { XtsSegment } from "../xts/segments.js";
import type {
  Action,
  HoldingsStatistics,
  OpenAlgoFunds,
  OpenAlgoHoldingRow,
  OpenAlgoOrderRow,
  OpenAlgoOrderStatus,
  OpenAlgoPositionRow,
  OpenAlgoTradeRow,
  OrderBookStatistics,
  PriceType,
} from "./openalgo-types.js";

/** A value from XTS outside what we know how to map: the book is refused rather than guessed. */
export class UnknownXtsValueError extends XtsBridgeError {
  constructor(field: string, value: unknown, allowed: readonly string[]) {
    super("XTS_UNKNOWN_VALUE", `XTS sent ${field} '${String(value)}', which xtsbridge does not know; known values: ${allowed.join(", ")}`, {
      details: { field, value: String(value) },
    });
  }
}

/** Reverse lookup used to show OpenAlgo symbols in the books. */
export type TokenLookup = (token: number, exchange: Exchange) => SymbolRow | undefined;

/** XTS order status → OpenAlgo's five (upstream passes unknown statuses through raw; the parser refuses them). */
export function mapOrderStatus(status: XtsOrderStatus): OpenAlgoOrderStatus {
  switch (status) {
    case "New":
    case "Open":
    case "PendingNew":
    case "PartiallyFilled":
    case "PendingReplace":
    case "Replaced":
    case "PendingCancel":
      return "open";
    case "TriggerPending":
      return "trigger pending";
    case "Filled":
      return "complete";
    case "Rejected":
      return "rejected";
    case "Cancelled":
    case "Expired":
      return "cancelled";
    default:
      return unreachable(status);
  }
}

/** Whether cancel-all should cancel an order in this status. */
export function isCancellable(status: XtsOrderStatus): boolean {
  const mapped = mapOrderStatus(status);
  return mapped === "open" || mapped === "trigger pending";
}

export function mapOrderType(type: XtsOrderType): PriceType {
  switch (type) {
    case "MARKET":
      return "MARKET";
    case "LIMIT":
      return "LIMIT";
    case "STOPLIMIT":
      return "SL";
    case "STOPMARKET":
      return "SL-M";
    default:
      return unreachable(type);
  }
}

export function mapSide(side: XtsOrderSide): Action {
  switch (side) {
    case "BUY":
      return "BUY";
    case "SELL":
      return "SELL";
    default:
      return unreachable(side);
  }
}

function unreachable(value: never): never {
  throw new XtsBridgeError("INTERNAL_ERROR", `unmapped value '${String(value)}'`);
}

/** The OpenAlgo exchange of an XTS segment; a segment Jainam does not serve is refused, never passed through. */
export function exchangeOf(segment: XtsSegment): Exchange {
  const exchange = exchangeOfSegment(segment);
  if (exchange === undefined) throw new UnknownXtsValueError("ExchangeSegment", segment, ["NSECM", "BSECM", "NSEFO", "BSEFO", "NSECD", "MCXFO"]);
  return exchange;
}

/** Money and prices as OpenAlgo answers them: two decimals. */
export const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Segment + token → OpenAlgo exchange and symbol; an instrument missing from the contract keeps XTS's own name. */
function instrument(segment: XtsSegment, token: number, xtsName: string | null, lookup: TokenLookup): { symbol: string; exchange: Exchange } {
  const exchange = exchangeOf(segment);
  return { symbol: lookup(token, exchange)?.symbol ?? xtsName ?? String(token), exchange };
}

/** The average price of an order: XTS sends none until a fill, and a filled order without one is unusable. */
function averagePrice(entry: XtsOrderBookEntry): number {
  if (entry.OrderAverageTradedPrice !== null) return round2(entry.OrderAverageTradedPrice);
  if (entry.CumulativeQuantity === 0) return 0;
  throw new XtsBridgeError("XTS_BAD_RESPONSE", `XTS order ${entry.AppOrderID} has filled ${entry.CumulativeQuantity} but sent no OrderAverageTradedPrice`);
}

export function toOrderRow(entry: XtsOrderBookEntry, lookup: TokenLookup): OpenAlgoOrderRow {
  const pricetype = mapOrderType(entry.OrderType);
  const { symbol, exchange } = instrument(entry.ExchangeSegment, entry.ExchangeInstrumentID, entry.TradingSymbol, lookup);
  const reason = entry.CancelRejectReason.trim();
  return {
    action: mapSide(entry.OrderSide),
    symbol,
    exchange,
    orderid: String(entry.AppOrderID),
    product: entry.ProductType,
    quantity: entry.OrderQuantity,
    // OpenAlgo shows 0 for a market order's price.
    price: pricetype === "MARKET" ? 0 : round2(entry.OrderPrice),
    pricetype,
    order_status: mapOrderStatus(entry.OrderStatus),
    trigger_price: round2(entry.OrderStopPrice),
    timestamp: entry.LastUpdateDateTime ?? entry.OrderGeneratedDateTime ?? "",
    order_unique_identifier: entry.OrderUniqueIdentifier,
    average_price: averagePrice(entry),
    filled_quantity: entry.CumulativeQuantity,
    ...(reason === "" ? {} : { rejection_reason: reason }),
  };
}

export function orderStatistics(rows: readonly OpenAlgoOrderRow[]): OrderBookStatistics {
  const count = (test: (r: OpenAlgoOrderRow) => boolean): number => rows.filter(test).length;
  return {
    total_buy_orders: count((r) => r.action === "BUY"),
    total_sell_orders: count((r) => r.action === "SELL"),
    total_completed_orders: count((r) => r.order_status === "complete"),
    total_open_orders: count((r) => r.order_status === "open" || r.order_status === "trigger pending"),
    total_rejected_orders: count((r) => r.order_status === "rejected"),
  };
}

/**
 * A trade-book record. When XTS gives the fill (`LastTradedQuantity`/`LastTradedPrice`) we use
 * it: upstream reads the order's total quantity and average, which double-counts partial fills.
 */
export function toTradeRow(entry: XtsTradeBookEntry, lookup: TokenLookup): OpenAlgoTradeRow {
  const { symbol, exchange } = instrument(entry.ExchangeSegment, entry.ExchangeInstrumentID, entry.TradingSymbol, lookup);
  const quantity = entry.LastTradedQuantity ?? entry.CumulativeQuantity;
  const price = entry.LastTradedPrice ?? averagePrice(entry);
  return {
    action: mapSide(entry.OrderSide),
    symbol,
    exchange,
    orderid: String(entry.AppOrderID),
    product: entry.ProductType,
    quantity,
    average_price: round2(price),
    trade_value: round2(quantity * price),
    timestamp: entry.LastExecutionTransactTime ?? entry.OrderGeneratedDateTime ?? entry.ExchangeTransactTime ?? "",
  };
}

/**
 * A NetWise position. `quantity` is a number (XTS sends a string such as "-75"; OpenAlgo passes
 * it through, which breaks arithmetic in clients); `average_price` keeps OpenAlgo's 2-dp string.
 */
export function toPositionRow(entry: XtsPosition, lookup: TokenLookup, livePrice: number | null = null): OpenAlgoPositionRow {
  const { symbol, exchange } = instrument(entry.ExchangeSegment, entry.ExchangeInstrumentID, entry.TradingSymbol, lookup);
  const average = entry.Quantity < 0 ? entry.SellAveragePrice : entry.BuyAveragePrice;
  // A live tick's price moves the P&L too: (sold − bought) + net × price × multiplier, XTS's own MTM
  // at that price. Without the amounts to do it with, XTS's figures stand together, never mixed.
  const live = livePrice !== null && entry.NetAmount !== null && entry.Multiplier !== null;
  return {
    symbol,
    exchange,
    product: entry.ProductType,
    quantity: entry.Quantity,
    average_price: average.toFixed(2),
    ltp: live ? livePrice : entry.LastTradedPrice,
    pnl: round2(live ? entry.NetAmount! + entry.Quantity * livePrice! * entry.Multiplier! : entry.MTM),
  };
}

export interface HoldingFigures {
  readonly row: OpenAlgoHoldingRow;
  readonly invested: number;
  /** Null when XTS sent no last price. */
  readonly value: number | null;
}

/**
 * Holdings are NSE-keyed by XTS (ExchangeNSEInstrumentId); BSE-only holdings are BSE's. The
 * exchange is the one whose id XTS sent; a holding is delivery stock, which OpenAlgo calls CNC.
 */
function listedOn(entry: XtsHolding): [Exchange, number][] {
  const listed: [Exchange, number][] = [];
  if (entry.ExchangeNSEInstrumentId !== null) listed.push(["NSE", entry.ExchangeNSEInstrumentId]);
  if (entry.ExchangeBSEInstrumentId !== null) listed.push(["BSE", entry.ExchangeBSEInstrumentId]);
  return listed;
}

/** The contract row of a holding: its NSE listing if the contract has it, else its BSE one. */
export function holdingInstrument(entry: XtsHolding, lookup: TokenLookup): SymbolRow | undefined {
  return listedOn(entry).map(([exchange, token]) => lookup(token, exchange)).find((row) => row !== undefined);
}

/** `lastPrice` stands in when XTS sent none (a quote of the instrument); null when that is unknown too. */
export function toHoldingRow(entry: XtsHolding, lookup: TokenLookup, lastPrice: number | null = null): HoldingFigures {
  const listed = listedOn(entry);
  const found = holdingInstrument(entry, lookup);
  const invested = entry.HoldingQuantity * entry.BuyAvgPrice;
  const ltp = entry.LTP ?? lastPrice;
  const value = ltp === null ? null : entry.HoldingQuantity * ltp;
  const pnl = value === null ? null : value - invested;
  return {
    row: {
      symbol: found?.symbol ?? entry.TradingSymbol ?? entry.ISIN,
      exchange: found?.exchange ?? listed[0]![0],
      product: "CNC",
      quantity: entry.HoldingQuantity,
      pnl: pnl === null ? null : round2(pnl),
      pnlpercent: pnl === null ? null : invested > 0 ? round2((pnl / invested) * 100) : 0,
    },
    invested,
    value,
  };
}

export function holdingsStatistics(items: readonly HoldingFigures[]): HoldingsStatistics {
  const invested = items.reduce((s, i) => s + i.invested, 0);
  const values = items.map((i) => i.value);
  const value = values.every((v): v is number => v !== null) ? values.reduce((s, v) => s + v, 0) : null;
  return {
    totalholdingvalue: value === null ? null : round2(value),
    totalinvvalue: round2(invested),
    totalprofitandloss: value === null ? null : round2(value - invested),
    totalpnlpercentage: value === null ? null : invested > 0 ? round2(((value - invested) / invested) * 100) : 0,
  };
}

/** V14: the ALL|ALL|ALL limits → OpenAlgo funds, each a 2-dp string. */
export function toFunds(balance: XtsBalance): OpenAlgoFunds {
  return {
    availablecash: balance.netMarginAvailable.toFixed(2),
    collateral: balance.collateral.toFixed(2),
    m2mrealized: balance.RealizedMTM.toFixed(2),
    m2munrealized: balance.UnrealizedMTM.toFixed(2),
    utiliseddebits: balance.marginUtilized.toFixed(2),
  };
}
