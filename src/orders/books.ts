import { XtsBridgeError } from "../errors.js";
import { exchangeOfSegment, type Exchange } from "../instruments/exchanges.js";
import type { SymbolRow } from "../store/types.js";
import type { XtsBalance, XtsHolding, XtsOrderBookEntry, XtsPosition, XtsTradeBookEntry } from "../xts/client/types.js";
import { isXtsSegment } from "../xts/segments.js";
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

const STATUS: Readonly<Record<string, OpenAlgoOrderStatus>> = {
  new: "open",
  open: "open",
  pendingnew: "open",
  partiallyfilled: "open",
  pendingreplace: "open",
  replaced: "open",
  pendingcancel: "open",
  triggerpending: "trigger pending",
  filled: "complete",
  rejected: "rejected",
  cancelled: "cancelled",
  canceled: "cancelled",
  expired: "cancelled",
};

/** XTS order status → OpenAlgo; unknown statuses fail (upstream passes them through raw). */
export function mapOrderStatus(status: unknown): OpenAlgoOrderStatus {
  const key = String(status ?? "").replace(/[\s_-]/g, "").toLowerCase();
  const mapped = STATUS[key];
  if (mapped === undefined) throw new UnknownXtsValueError("OrderStatus", status, Object.keys(STATUS));
  return mapped;
}

/** Books use mixed-case order types ("StopLimit"); placement used upper case. */
export function mapOrderType(type: unknown): PriceType {
  switch (String(type ?? "").toLowerCase()) {
    case "market":
      return "MARKET";
    case "limit":
      return "LIMIT";
    case "stoplimit":
      return "SL";
    case "stopmarket":
      return "SL-M";
    default:
      throw new UnknownXtsValueError("OrderType", type, ["Market", "Limit", "StopLimit", "StopMarket"]);
  }
}

export function mapSide(side: unknown): Action {
  const value = String(side ?? "").toUpperCase();
  if (value === "BUY" || value === "SELL") return value;
  throw new UnknownXtsValueError("OrderSide", side, ["Buy", "Sell"]);
}

export function num(value: unknown): number {
  const n = typeof value === "number" ? value : Number(String(value ?? "").trim());
  return Number.isFinite(n) ? n : 0;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * A whole number XTS must have sent, for paths that place orders from it (close-all, smart
 * orders): unlike `num`, a missing or garbled value fails instead of reading as 0 ("flat").
 */
export function wholeNumber(field: string, value: unknown): number {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new UnknownXtsValueError(field, value, ["a whole number"]);
  return n;
}

/** Segment + token → OpenAlgo exchange and symbol; unknown instruments keep XTS's own name. */
function instrument(segment: unknown, token: unknown, fallback: unknown, lookup: TokenLookup): { symbol: string; exchange: string } {
  const seg = String(segment ?? "");
  const exchange = isXtsSegment(seg) ? exchangeOfSegment(seg) : undefined;
  if (exchange === undefined) return { symbol: String(fallback ?? token ?? ""), exchange: seg };
  const row = lookup(num(token), exchange);
  return { symbol: row?.symbol ?? String(fallback ?? token ?? ""), exchange };
}

export function toOrderRow(entry: XtsOrderBookEntry, lookup: TokenLookup): OpenAlgoOrderRow {
  const pricetype = mapOrderType(entry.OrderType);
  const { symbol, exchange } = instrument(entry.ExchangeSegment, entry.ExchangeInstrumentID, entry["TradingSymbol"], lookup);
  const reason = String(entry.CancelRejectReason ?? "").trim();
  return {
    action: mapSide(entry.OrderSide),
    symbol,
    exchange,
    orderid: String(entry.AppOrderID),
    product: String(entry.ProductType ?? ""),
    quantity: num(entry.OrderQuantity),
    // OpenAlgo shows 0 for a market order's price.
    price: pricetype === "MARKET" ? 0 : round2(num(entry.OrderPrice)),
    pricetype,
    order_status: mapOrderStatus(entry.OrderStatus),
    trigger_price: round2(num(entry.OrderStopPrice)),
    timestamp: String(entry.LastUpdateDateTime ?? entry.OrderGeneratedDateTime ?? ""),
    order_unique_identifier: entry.OrderUniqueIdentifier,
    average_price: round2(num(entry.OrderAverageTradedPrice)),
    filled_quantity: num(entry.CumulativeQuantity),
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
  const { symbol, exchange } = instrument(entry.ExchangeSegment, entry.ExchangeInstrumentID, entry["TradingSymbol"], lookup);
  const quantity = entry.LastTradedQuantity !== undefined ? num(entry.LastTradedQuantity) : num(entry.OrderQuantity);
  const price = entry.LastTradedPrice !== undefined ? num(entry.LastTradedPrice) : num(entry.OrderAverageTradedPrice);
  return {
    action: mapSide(entry.OrderSide),
    symbol,
    exchange,
    orderid: String(entry.AppOrderID),
    product: String(entry.ProductType ?? ""),
    quantity,
    average_price: round2(price),
    trade_value: round2(quantity * price),
    timestamp: String(entry["LastExecutionTransactTime"] ?? entry.OrderGeneratedDateTime ?? entry.ExchangeTransactTime ?? ""),
  };
}

/**
 * A NetWise position. `quantity` is a number (XTS sends a string such as "-75"; OpenAlgo passes
 * it through, which breaks arithmetic in clients); `average_price` keeps OpenAlgo's 2-dp string.
 */
export function toPositionRow(entry: XtsPosition, lookup: TokenLookup): OpenAlgoPositionRow {
  const { symbol, exchange } = instrument(entry.ExchangeSegment, entry.ExchangeInstrumentID, entry.TradingSymbol, lookup);
  const quantity = num(entry.Quantity);
  const average = quantity < 0 ? num(entry.SellAveragePrice) : num(entry.BuyAveragePrice);
  const pnl = entry.MTM !== undefined ? num(entry.MTM) : num(entry.UnrealizedMTM) + num(entry.RealizedMTM);
  return {
    symbol,
    exchange,
    product: String(entry.ProductType ?? ""),
    quantity,
    average_price: average.toFixed(2),
    ltp: num(entry["LastTradedPrice"] ?? entry["ltp"]),
    pnl: round2(pnl),
  };
}

/** Holdings are NSE-keyed by XTS (ExchangeNSEInstrumentId); BSE-only holdings fall back to BSE. */
export function toHoldingRow(entry: XtsHolding, lookup: TokenLookup): { row: OpenAlgoHoldingRow; invested: number; value: number } {
  const nse = num(entry.ExchangeNSEInstrumentId);
  const bse = num(entry.ExchangeBSEInstrumentId);
  const found = (nse > 0 ? lookup(nse, "NSE") : undefined) ?? (bse > 0 ? lookup(bse, "BSE") : undefined);
  const quantity = num(entry.HoldingQuantity);
  const average = num(entry.BuyAvgPrice);
  const ltp = num(entry["LTP"] ?? entry["LastTradedPrice"] ?? average);
  const invested = quantity * average;
  const value = quantity * ltp;
  const pnl = value - invested;
  return {
    row: {
      symbol: found?.symbol ?? String(entry["TradingSymbol"] ?? entry.ISIN),
      exchange: found?.exchange ?? (nse > 0 ? "NSE" : "BSE"),
      product: "CNC",
      quantity,
      pnl: round2(pnl),
      pnlpercent: invested > 0 ? round2((pnl / invested) * 100) : 0,
    },
    invested,
    value,
  };
}

export function holdingsStatistics(items: readonly { invested: number; value: number }[]): HoldingsStatistics {
  const invested = items.reduce((s, i) => s + i.invested, 0);
  const value = items.reduce((s, i) => s + i.value, 0);
  return {
    totalholdingvalue: round2(value),
    totalinvvalue: round2(invested),
    totalprofitandloss: round2(value - invested),
    totalpnlpercentage: invested > 0 ? round2(((value - invested) / invested) * 100) : 0,
  };
}

/** V14: RMSSubLimits → OpenAlgo funds, each a 2-dp string; "NaN" (seen from XTS) becomes "0.00". */
export function toFunds(balance: XtsBalance): OpenAlgoFunds {
  const limits = balance.BalanceList[0]?.limitObject?.RMSSubLimits ?? {};
  const money = (value: unknown): string => num(value).toFixed(2);
  return {
    availablecash: money(limits.netMarginAvailable),
    collateral: money(limits["collateral"]),
    m2mrealized: money(limits.RealizedMTM),
    m2munrealized: money(limits.UnrealizedMTM),
    utiliseddebits: money(limits.marginUtilized),
  };
}
