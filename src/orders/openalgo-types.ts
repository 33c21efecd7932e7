/** OpenAlgo's order vocabulary (openalgo-api.md §1.3). Upper case and case-sensitive, except `action`. */
export const ACTIONS = ["BUY", "SELL"] as const;
export type Action = (typeof ACTIONS)[number];

export const PRICE_TYPES = ["MARKET", "LIMIT", "SL", "SL-M"] as const;
export type PriceType = (typeof PRICE_TYPES)[number];

export const PRODUCTS = ["MIS", "NRML", "CNC"] as const;
export type Product = (typeof PRODUCTS)[number];

/** A validated OpenAlgo order (placeorder's fields after defaults). */
export interface OrderRequest {
  readonly symbol: string;
  readonly exchange: string;
  readonly action: Action;
  readonly quantity: number;
  readonly pricetype: PriceType;
  readonly product: Product;
  readonly price: number;
  readonly trigger_price: number;
  readonly disclosed_quantity: number;
}

/** modifyorder: every field is required (OpenAlgo's ModifyOrderSchema). */
export interface ModifyRequest extends OrderRequest {
  readonly orderid: string;
}

export type OpenAlgoOrderStatus = "open" | "complete" | "rejected" | "cancelled" | "trigger pending";

export interface OpenAlgoOrderRow {
  readonly action: Action;
  readonly symbol: string;
  readonly exchange: string;
  readonly orderid: string;
  readonly product: string;
  readonly quantity: number;
  readonly price: number;
  readonly pricetype: PriceType;
  readonly order_status: OpenAlgoOrderStatus;
  readonly trigger_price: number;
  readonly timestamp: string;
  /** Ours, not OpenAlgo's: lets a client match an order to the request that placed it. */
  readonly order_unique_identifier?: string;
  readonly average_price: number;
  readonly filled_quantity: number;
  readonly rejection_reason?: string;
}

export interface OrderBookStatistics {
  readonly total_buy_orders: number;
  readonly total_sell_orders: number;
  readonly total_completed_orders: number;
  readonly total_open_orders: number;
  readonly total_rejected_orders: number;
}

export interface OpenAlgoTradeRow {
  readonly action: Action;
  readonly symbol: string;
  readonly exchange: string;
  readonly orderid: string;
  readonly product: string;
  readonly quantity: number;
  readonly average_price: number;
  readonly trade_value: number;
  readonly timestamp: string;
}

export interface OpenAlgoPositionRow {
  readonly symbol: string;
  readonly exchange: string;
  readonly product: string;
  readonly quantity: number;
  readonly average_price: string;
  /** Null when XTS sent no last price with the position (most builds do not). */
  readonly ltp: number | null;
  readonly pnl: number;
}

export interface OpenAlgoHoldingRow {
  readonly symbol: string;
  readonly exchange: string;
  readonly product: string;
  readonly quantity: number;
  /** Null when XTS sent no last price for the holding: its P&L is unknown, not 0. */
  readonly pnl: number | null;
  readonly pnlpercent: number | null;
}

/** Totals over the holdings; the value-based ones are null when any holding lacks a last price. */
export interface HoldingsStatistics {
  readonly totalholdingvalue: number | null;
  readonly totalinvvalue: number;
  readonly totalprofitandloss: number | null;
  readonly totalpnlpercentage: number | null;
}

export interface OpenAlgoFunds {
  readonly availablecash: string;
  readonly collateral: string;
  readonly m2mrealized: string;
  readonly m2munrealized: string;
  readonly utiliseddebits: string;
}
