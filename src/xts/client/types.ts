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

/**
 * Order statuses XTS books carry (§5.4), normalised: "Trigger Pending" and "TriggerPending" are
 * one status, "Canceled" is "Cancelled". Any other status is refused by the parser.
 */
export type XtsOrderStatus =
  | "New"
  | "Open"
  | "PendingNew"
  | "PartiallyFilled"
  | "PendingReplace"
  | "Replaced"
  | "PendingCancel"
  | "TriggerPending"
  | "Filled"
  | "Rejected"
  | "Cancelled"
  | "Expired";

/**
 * An order-book or order-history record as the parser hands it on (§5.4): typed, XTS's names.
 * Books send mixed-case enums ("Buy", "StopLimit"); they arrive here as the placement values.
 */
export interface XtsOrderBookEntry {
  readonly AppOrderID: number;
  /** The client the order belongs to (a dealer's books hold several); null when not sent. */
  readonly ClientID: string | null;
  readonly ExchangeSegment: XtsSegment;
  readonly ExchangeInstrumentID: number;
  /** XTS's own name of the instrument (the master's Description), null when not sent. */
  readonly TradingSymbol: string | null;
  readonly OrderSide: XtsOrderSide;
  readonly OrderType: XtsOrderType;
  readonly ProductType: XtsProductType;
  readonly OrderStatus: XtsOrderStatus;
  readonly OrderQuantity: number;
  readonly OrderPrice: number;
  readonly OrderStopPrice: number;
  /** Null until something has traded (XTS sends ""). */
  readonly OrderAverageTradedPrice: number | null;
  readonly CumulativeQuantity: number;
  readonly OrderDisclosedQuantity: number | null;
  /** "" when XTS sent none. */
  readonly OrderUniqueIdentifier: string;
  readonly OrderGeneratedDateTime: string | null;
  readonly LastUpdateDateTime: string | null;
  readonly ExchangeTransactTime: string | null;
  readonly CancelRejectReason: string;
}

/** A trade-book record: the order's fields plus the fill, when XTS gives it. */
export interface XtsTradeBookEntry extends XtsOrderBookEntry {
  readonly LastTradedPrice: number | null;
  readonly LastTradedQuantity: number | null;
  readonly LastExecutionTransactTime: string | null;
}

/**
 * A position record. XTS spells the token `ExchangeInstrumentId` in some builds and
 * `ExchangeInstrumentID` in others (§5.4); the parser reads either.
 */
export interface XtsPosition {
  readonly ExchangeSegment: XtsSegment;
  readonly ExchangeInstrumentID: number;
  readonly TradingSymbol: string | null;
  readonly ProductType: XtsProductType;
  /** Net quantity, signed. */
  readonly Quantity: number;
  readonly BuyAveragePrice: number;
  readonly SellAveragePrice: number;
  /** The day's MTM; when XTS sends none, the sum of the two below. */
  readonly MTM: number;
  readonly UnrealizedMTM: number | null;
  readonly RealizedMTM: number | null;
  /** Only some builds send a last price with positions. */
  readonly LastTradedPrice: number | null;
  /** SellAmount − BuyAmount so far, and the contract multiplier: with a last price they give the MTM (null when not sent). */
  readonly NetAmount: number | null;
  readonly Multiplier: number | null;
}

/**
 * A holding from `result.RMSHoldings.Holdings`, which XTS keys by ISIN (§5.4). At least one of the
 * two instrument ids is set.
 */
export interface XtsHolding {
  readonly ISIN: string;
  readonly ExchangeNSEInstrumentId: number | null;
  readonly ExchangeBSEInstrumentId: number | null;
  readonly TradingSymbol: string | null;
  readonly HoldingQuantity: number;
  readonly BuyAvgPrice: number;
  /** Null when XTS sends no last price: the holding's P&L is then unknown, not 0. */
  readonly LTP: number | null;
}

/**
 * The `RMSSubLimits` of the `BalanceList` entry whose `limitHeader` is `ALL|ALL|ALL` (§5.4; other
 * entries, such as an all-zero `CASH|NSE|MTF`, can come first). XTS sends "NaN" for some figures;
 * OpenAlgo shows those as 0 (V14), the one place a number is not XTS's own.
 */
export interface XtsBalance {
  readonly limitHeader: string;
  readonly netMarginAvailable: number;
  readonly marginUtilized: number;
  readonly UnrealizedMTM: number;
  readonly RealizedMTM: number;
  readonly collateral: number;
}

/**
 * `POST /orders/margindetails` [U]: one entry per order of the basket, the fields of a placed
 * order without its tag. No public XTS document describes this call; the shape is the one the
 * sandbox serves and is off for Jainam (which OpenAlgo records as having no margin calculator).
 */
export type XtsMarginOrder = Omit<XtsPlaceOrderRequest, "orderUniqueIdentifier">;

export interface XtsMarginDetails {
  readonly totalMarginRequired: number;
  readonly spanMargin: number;
  readonly exposureMargin: number;
  /** What hedging saves against the orders margined alone. */
  readonly marginBenefit: number;
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

/** 1501 touchline, 1502 market depth with touchline, 1510 open interest, 1512 LTP (§6.1). */
export type XtsQuoteMessageCode = 1501 | 1502 | 1510 | 1512;

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

/** A 1502 quote's touchline, every figure the gateway shows present and numeric. */
export interface XtsDepthQuote {
  readonly ExchangeSegment: number;
  readonly ExchangeInstrumentID: number;
  readonly LastTradedPrice: number;
  readonly Open: number;
  readonly High: number;
  readonly Low: number;
  /** The previous close. */
  readonly Close: number;
  readonly TotalTradedQuantity: number;
  readonly BidPrice: number;
  readonly AskPrice: number;
  readonly LastTradedQuantity: number;
  readonly TotalBuyQuantity: number;
  readonly TotalSellQuantity: number;
  /** Up to five levels a side, best first (none for an index). */
  readonly Bids: readonly XtsDepthLevel[];
  readonly Asks: readonly XtsDepthLevel[];
}

export interface XtsDepthLevel {
  readonly Price: number;
  readonly Size: number;
  readonly TotalOrders: number;
}

/** A 1510 quote: the instrument's open interest. */
export interface XtsOpenInterest {
  readonly ExchangeSegment: number;
  readonly ExchangeInstrumentID: number;
  readonly OpenInterest: number;
}

export type XtsIndexListSegment = 1 | 11;

/** Where a socket connects and with what query; `renew` replaces a token the socket was refused. */
export interface StreamEndpoint {
  readonly origin: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  renew(): Promise<void>;
}
