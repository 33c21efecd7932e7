import type { XtsSegment } from "../segments.js";

/**
 * XTS wire types, with XTS's field names verbatim (xts-protocol.md §1, §5, §6). Records from the
 * books carry many more keys than listed; the listed ones are those the gateway reads.
 */

export type XtsEnvelopeType = "success" | "error";

/** Every XTS JSON response; hostlookup sends `type: true` instead of "success" (§1.4). */
export interface XtsEnvelope<R = unknown> {
  readonly type: XtsEnvelopeType | boolean;
  readonly code: string;
  readonly description: string;
  readonly result?: R;
}

export interface XtsHostLookupResult {
  readonly uniqueKey: string;
  readonly connectionString: string;
}

export interface XtsInteractiveLoginResult {
  readonly token: string;
  readonly userID: string;
  readonly isInvestorClient: boolean;
  readonly clientCodes: readonly string[];
  readonly [key: string]: unknown;
}

export interface XtsMarketLoginResult {
  readonly token: string;
  readonly userID: string;
  readonly appVersion?: string;
  readonly application_expiry_date?: string;
  readonly [key: string]: unknown;
}

export type XtsProductType = "MIS" | "NRML" | "CNC";
export type XtsOrderType = "MARKET" | "LIMIT" | "STOPLIMIT" | "STOPMARKET";
export type XtsOrderSide = "BUY" | "SELL";
export type XtsTimeInForce = "DAY";
export type XtsDayOrNet = "NetWise" | "DayWise";

/** `POST /orders` body without `clientID`, which the client adds for dealer logins (§5.1, §5.7). */
export interface XtsPlaceOrderRequest {
  readonly exchangeSegment: XtsSegment;
  readonly exchangeInstrumentID: number;
  readonly productType: XtsProductType;
  readonly orderType: XtsOrderType;
  readonly orderSide: XtsOrderSide;
  readonly timeInForce: XtsTimeInForce;
  readonly disclosedQuantity: number;
  readonly orderQuantity: number;
  readonly limitPrice: number;
  readonly stopPrice: number;
  /** Our tag for finding the order again after an unknown outcome; must be unique per order. */
  readonly orderUniqueIdentifier: string;
}

/** `PUT /orders` body without `clientID` (§5.2). */
export interface XtsModifyOrderRequest {
  readonly appOrderID: number;
  readonly modifiedProductType: XtsProductType;
  readonly modifiedOrderType: XtsOrderType;
  readonly modifiedOrderQuantity: number;
  readonly modifiedDisclosedQuantity: number;
  readonly modifiedLimitPrice: number;
  readonly modifiedStopPrice: number;
  readonly modifiedTimeInForce: XtsTimeInForce;
  readonly orderUniqueIdentifier: string;
}

/** Result of place, modify and cancel: `result.AppOrderID` is the order id (§5.1). */
export interface XtsOrderAck {
  readonly AppOrderID: number;
  readonly OrderUniqueIdentifier?: string;
  readonly ClientID?: string;
  readonly [key: string]: unknown;
}

/** What `POST /orders/cancelall` answered; XTS documents no result shape for it. */
export interface XtsCancelAllAck {
  readonly code: string;
  readonly description: string;
  readonly result: unknown;
}

/** An order-book or order-history record (§5.4). Enum values are mixed case ("Buy", "StopLimit"). */
export interface XtsOrderBookEntry {
  readonly AppOrderID: number;
  readonly ClientID?: string;
  readonly ExchangeOrderID?: string;
  readonly ExchangeSegment?: string;
  readonly ExchangeInstrumentID?: number | string;
  readonly OrderSide?: string;
  readonly OrderType?: string;
  readonly ProductType?: string;
  readonly TimeInForce?: string;
  readonly OrderPrice?: number | string;
  readonly OrderQuantity?: number | string;
  readonly OrderStopPrice?: number | string;
  readonly OrderStatus?: string;
  readonly OrderAverageTradedPrice?: number | string;
  readonly LeavesQuantity?: number | string;
  readonly CumulativeQuantity?: number | string;
  readonly OrderDisclosedQuantity?: number | string;
  readonly OrderGeneratedDateTime?: string;
  readonly ExchangeTransactTime?: string;
  readonly LastUpdateDateTime?: string;
  readonly CancelRejectReason?: string;
  readonly OrderUniqueIdentifier?: string;
  readonly [key: string]: unknown;
}

/** A trade-book record: the order-book keys plus the fill (`LastTradedPrice`, `LastTradedQuantity`). */
export interface XtsTradeBookEntry extends XtsOrderBookEntry {
  readonly LastTradedPrice?: number | string;
  readonly LastTradedQuantity?: number | string;
  readonly ExecutionID?: string;
}

/**
 * A position record. XTS spells the token `ExchangeInstrumentId` in some builds and
 * `ExchangeInstrumentID` in others (§5.4); the client copies the first into the second, so
 * `ExchangeInstrumentID` is always present.
 */
export interface XtsPosition {
  readonly ExchangeSegment: string;
  readonly ExchangeInstrumentID: number | string;
  readonly ExchangeInstrumentId?: number | string;
  readonly AccountID?: string;
  readonly TradingSymbol?: string;
  readonly ProductType?: string;
  readonly Quantity?: number | string;
  readonly BuyAveragePrice?: number | string;
  readonly SellAveragePrice?: number | string;
  readonly OpenBuyQuantity?: number | string;
  readonly OpenSellQuantity?: number | string;
  readonly NetAmount?: number | string;
  readonly UnrealizedMTM?: number | string;
  readonly RealizedMTM?: number | string;
  readonly MTM?: number | string;
  readonly [key: string]: unknown;
}

/**
 * A holding from `result.RMSHoldings.Holdings`, which XTS keys by ISIN (§5.4); the client
 * returns the values as a list and sets `ISIN` from the key when the record lacks it.
 */
export interface XtsHolding {
  readonly ISIN: string;
  readonly ExchangeNSEInstrumentId?: number | string;
  readonly ExchangeBSEInstrumentId?: number | string;
  readonly HoldingQuantity?: number | string;
  readonly BuyAvgPrice?: number | string;
  readonly [key: string]: unknown;
}

/** `result.BalanceList[i].limitObject.RMSSubLimits`: numbers may arrive as strings or "NaN" (§5.4). */
export interface XtsRmsSubLimits {
  readonly netMarginAvailable?: number | string;
  readonly marginUtilized?: number | string;
  readonly UnrealizedMTM?: number | string;
  readonly RealizedMTM?: number | string;
  readonly [key: string]: unknown;
}

export interface XtsBalanceEntry {
  readonly limitHeader?: Readonly<Record<string, unknown>>;
  readonly limitObject?: {
    readonly RMSSubLimits?: XtsRmsSubLimits;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

export interface XtsBalance {
  readonly BalanceList: readonly XtsBalanceEntry[];
  readonly [key: string]: unknown;
}

export interface XtsProfile {
  readonly ClientId?: string;
  readonly ClientName?: string;
  readonly [key: string]: unknown;
}

/** Quote requests use numeric segment codes (§3, §6.1). */
export interface XtsQuoteInstrument {
  readonly exchangeSegment: number;
  readonly exchangeInstrumentID: number;
}

/** 1501 touchline, 1502 market depth with touchline, 1512 LTP (§6.1). */
export type XtsQuoteMessageCode = 1501 | 1502 | 1512;

export interface XtsQuoteLevel {
  readonly Price?: number;
  readonly Size?: number;
  readonly TotalOrders?: number;
  readonly [key: string]: unknown;
}

export interface XtsTouchline {
  readonly LastTradedPrice?: number;
  readonly LastTradedQuantity?: number;
  /** Misspelt by some XTS builds (§6.1); read both. */
  readonly LastTradedQunatity?: number;
  readonly Open?: number;
  readonly High?: number;
  readonly Low?: number;
  readonly Close?: number;
  readonly TotalTradedQuantity?: number;
  readonly AverageTradedPrice?: number;
  readonly BidInfo?: XtsQuoteLevel;
  readonly AskInfo?: XtsQuoteLevel;
  readonly LastTradedTime?: number;
  readonly LastUpdateTime?: number;
  readonly PercentChange?: number;
  readonly [key: string]: unknown;
}

/** One parsed element of `result.listQuotes` (each arrives as a JSON string). */
export interface XtsQuote {
  readonly MessageCode?: number;
  readonly ExchangeSegment?: number;
  readonly ExchangeInstrumentID?: number;
  readonly Touchline?: XtsTouchline;
  readonly Bids?: readonly XtsQuoteLevel[];
  readonly Asks?: readonly XtsQuoteLevel[];
  /** 1512 (LTP) payloads carry the price at the top level. */
  readonly LastTradedPrice?: number;
  readonly [key: string]: unknown;
}

export type XtsIndexListSegment = 1 | 11;
