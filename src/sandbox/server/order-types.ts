/** XTS order vocabulary as the interactive API accepts it (xts-protocol.md §5.1). */
export const PRODUCT_TYPES = ["MIS", "NRML", "CNC"] as const;
export type XtsProductType = (typeof PRODUCT_TYPES)[number];

export const ORDER_TYPES = ["MARKET", "LIMIT", "STOPLIMIT", "STOPMARKET"] as const;
export type XtsOrderType = (typeof ORDER_TYPES)[number];

export const ORDER_SIDES = ["BUY", "SELL"] as const;
export type XtsOrderSide = (typeof ORDER_SIDES)[number];

export const TIMES_IN_FORCE = ["DAY"] as const;
export type XtsTimeInForce = (typeof TIMES_IN_FORCE)[number];

/** Statuses the sandbox produces; untriggered stop orders also show "New". */
export type SandboxOrderStatus = "New" | "Filled" | "Cancelled" | "Rejected";

/** What a place or modify request sets on an order, after validation. */
export interface OrderTerms {
  readonly productType: XtsProductType;
  readonly orderType: XtsOrderType;
  readonly quantity: number;
  readonly disclosedQuantity: number;
  /** 0 for MARKET and STOPMARKET. */
  readonly limitPrice: number;
  /** 0 for MARKET and LIMIT. */
  readonly stopPrice: number;
  readonly timeInForce: XtsTimeInForce;
}

/** Books show mixed-case enums (xts-protocol.md §5.4). */
export function bookOrderType(type: XtsOrderType): string {
  switch (type) {
    case "MARKET":
      return "Market";
    case "LIMIT":
      return "Limit";
    case "STOPLIMIT":
      return "StopLimit";
    case "STOPMARKET":
      return "StopMarket";
    default: {
      const unknown: never = type;
      throw new Error(`unknown order type ${String(unknown)}`);
    }
  }
}

export function bookOrderSide(side: XtsOrderSide): string {
  return side === "BUY" ? "Buy" : "Sell";
}

/** Error codes of the order routes; XTS keeps the `e-orders-` prefix (xts-protocol.md §5.6). */
export const ORDER_ERRORS = {
  body: "e-orders-0002",
  segment: "e-orders-0010",
  instrument: "e-orders-0011",
  productType: "e-orders-0012",
  orderType: "e-orders-0013",
  orderSide: "e-orders-0014",
  timeInForce: "e-orders-0015",
  quantity: "e-orders-0016",
  disclosedQuantity: "e-orders-0017",
  limitPrice: "e-orders-0018",
  stopPrice: "e-orders-0019",
  tick: "e-orders-0020",
  band: "e-orders-0021",
  stopLimitRelation: "e-orders-0022",
  notTradable: "e-orders-0023",
  uniqueIdentifier: "e-orders-0024",
  unknownOrder: "e-orders-0030",
  notOpen: "e-orders-0031",
  empty: "e-orders-0005",
} as const;
