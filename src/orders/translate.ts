import { ValidationError } from "../errors.js";
import { exchangeInfo, parseExchange } from "../instruments/exchanges.js";
import type { SymbolRow } from "../store/types.js";
import type { XtsModifyOrderRequest, XtsOrderType, XtsPlaceOrderRequest, XtsPosition, XtsProductType } from "../xts/client/types.js";
import type { XtsSegment } from "../xts/segments.js";
import { PRICE_TYPES, PRODUCTS, type ModifyRequest, type OrderRequest, type PriceType, type Product } from "./openalgo-types.js";

/** OpenAlgo price type → XTS order type. The fork swaps SL and SL-M; upstream (and we) do not. */
export function toXtsOrderType(pricetype: PriceType): XtsOrderType {
  switch (pricetype) {
    case "MARKET":
      return "MARKET";
    case "LIMIT":
      return "LIMIT";
    case "SL":
      return "STOPLIMIT";
    case "SL-M":
      return "STOPMARKET";
    default: {
      const never: never = pricetype;
      throw new ValidationError("pricetype", `pricetype '${String(never)}' is not one of ${PRICE_TYPES.join(", ")}`);
    }
  }
}

/** Products pass through exactly; anything else fails (upstream silently falls back to MIS). */
export function toXtsProduct(product: Product): XtsProductType {
  switch (product) {
    case "MIS":
    case "NRML":
    case "CNC":
      return product;
    default: {
      const never: never = product;
      throw new ValidationError("product", `product '${String(never)}' is not one of ${PRODUCTS.join(", ")}`);
    }
  }
}

/** The XTS segment orders for this exchange go to; indices have none. */
export function orderSegment(exchange: string): XtsSegment {
  const info = exchangeInfo(parseExchange(exchange));
  if (info.orderSegment === null) {
    throw new ValidationError("exchange", `${info.exchange} instruments are indices and cannot be traded; use NSE, BSE, NFO, BFO, CDS or MCX`);
  }
  return info.orderSegment;
}

const EPSILON = 1e-6;

function onTick(value: number, tick: number): boolean {
  const steps = value / tick;
  return Math.abs(steps - Math.round(steps)) < EPSILON * Math.max(1, Math.abs(steps));
}

/**
 * Checks an order against its instrument before anything is sent. Each failure names the
 * field and what is allowed. The lot and tick rules come from the stored master row.
 */
export function validateOrder(order: OrderRequest, row: SymbolRow): void {
  const { quantity, price, trigger_price: trigger, disclosed_quantity: disclosed } = order;
  if (!Number.isSafeInteger(quantity) || quantity <= 0) {
    throw new ValidationError("quantity", `quantity must be a positive whole number, got ${quantity}`);
  }
  if (quantity % row.lotsize !== 0) {
    throw new ValidationError("quantity", `quantity ${quantity} is not a multiple of the lot size ${row.lotsize} of ${row.symbol}`, {
      lotsize: row.lotsize,
    });
  }
  const largest = largestSlice(row);
  if (quantity > largest) {
    throw new ValidationError(
      "quantity",
      `quantity ${quantity} reaches the exchange freeze quantity ${row.freeze_qty} of ${row.symbol}; send at most ${largest} per order`,
      { freeze_qty: row.freeze_qty },
    );
  }
  if (!Number.isFinite(price) || price < 0) throw new ValidationError("price", `price must be a number ≥ 0, got ${price}`);
  if (!Number.isFinite(trigger) || trigger < 0) throw new ValidationError("trigger_price", `trigger_price must be a number ≥ 0, got ${trigger}`);
  if (!Number.isSafeInteger(disclosed) || disclosed < 0 || disclosed > quantity) {
    throw new ValidationError("disclosed_quantity", `disclosed_quantity must be a whole number from 0 to quantity (${quantity}), got ${disclosed}`);
  }
  // CNC is delivery, which exists only in the cash market; derivatives are MIS or NRML.
  if (order.product === "CNC" && row.exchange !== "NSE" && row.exchange !== "BSE") {
    throw new ValidationError("product", `product CNC is for NSE and BSE cash; on ${row.exchange} use MIS or NRML`);
  }
  const needsPrice = order.pricetype === "LIMIT" || order.pricetype === "SL";
  const needsTrigger = order.pricetype === "SL" || order.pricetype === "SL-M";
  if (needsPrice && !(price > 0)) throw new ValidationError("price", `pricetype ${order.pricetype} needs price > 0`);
  if (needsTrigger && !(trigger > 0)) throw new ValidationError("trigger_price", `pricetype ${order.pricetype} needs trigger_price > 0`);
  if (needsPrice && !onTick(price, row.tick_size)) {
    throw new ValidationError("price", `price ${price} is not a multiple of the tick size ${row.tick_size} of ${row.symbol}`, { tick_size: row.tick_size });
  }
  if (needsTrigger && !onTick(trigger, row.tick_size)) {
    throw new ValidationError("trigger_price", `trigger_price ${trigger} is not a multiple of the tick size ${row.tick_size} of ${row.symbol}`, {
      tick_size: row.tick_size,
    });
  }
  // A stop-limit buy triggers on the way up, so its limit must be at or above the trigger (and the reverse for sells).
  if (order.pricetype === "SL" && order.action === "BUY" && price < trigger) {
    throw new ValidationError("price", `an SL BUY needs price ≥ trigger_price (${price} < ${trigger})`);
  }
  if (order.pricetype === "SL" && order.action === "SELL" && price > trigger) {
    throw new ValidationError("price", `an SL SELL needs price ≤ trigger_price (${price} > ${trigger})`);
  }
}

/**
 * The largest quantity one order may carry: the biggest lot multiple below the exchange's freeze
 * quantity (XTS lists NIFTY's as 1801 for an 1800-unit limit). No limit when the master gives none.
 */
export function largestSlice(row: Pick<SymbolRow, "freeze_qty" | "lotsize">): number {
  if (row.freeze_qty <= 0) return Number.MAX_SAFE_INTEGER;
  return Math.max(row.lotsize, Math.floor((row.freeze_qty - 1) / row.lotsize) * row.lotsize);
}

/** Prices XTS should see: a MARKET or SL-M order carries no limit, a non-stop order no trigger. */
function prices(order: OrderRequest): { limitPrice: number; stopPrice: number } {
  const limited = order.pricetype === "LIMIT" || order.pricetype === "SL";
  const stopped = order.pricetype === "SL" || order.pricetype === "SL-M";
  return { limitPrice: limited ? order.price : 0, stopPrice: stopped ? order.trigger_price : 0 };
}

/** OpenAlgo order + its resolved instrument → the XTS `POST /orders` body. */
export function toXtsPlaceOrder(order: OrderRequest, row: SymbolRow, orderUniqueIdentifier: string): XtsPlaceOrderRequest {
  const exchangeSegment = orderSegment(order.exchange);
  validateOrder(order, row);
  return {
    exchangeSegment,
    exchangeInstrumentID: row.token,
    productType: toXtsProduct(order.product),
    orderType: toXtsOrderType(order.pricetype),
    orderSide: order.action,
    timeInForce: "DAY",
    disclosedQuantity: order.disclosed_quantity,
    orderQuantity: order.quantity,
    ...prices(order),
    orderUniqueIdentifier,
  };
}

/** modifyorder → the XTS `PUT /orders` body. */
export function toXtsModifyOrder(request: ModifyRequest, row: SymbolRow, orderUniqueIdentifier: string): XtsModifyOrderRequest {
  orderSegment(request.exchange);
  validateOrder(request, row);
  const { limitPrice, stopPrice } = prices(request);
  return {
    appOrderID: parseOrderId(request.orderid),
    modifiedProductType: toXtsProduct(request.product),
    modifiedOrderType: toXtsOrderType(request.pricetype),
    modifiedOrderQuantity: request.quantity,
    modifiedDisclosedQuantity: request.disclosed_quantity,
    modifiedLimitPrice: limitPrice,
    modifiedStopPrice: stopPrice,
    modifiedTimeInForce: "DAY",
    orderUniqueIdentifier,
  };
}

/** OpenAlgo order ids are strings; XTS's AppOrderID is a positive integer. */
export function parseOrderId(orderid: string): number {
  const text = orderid.trim();
  const id = Number(text);
  if (!/^\d{1,16}$/.test(text) || !Number.isSafeInteger(id) || id <= 0) {
    throw new ValidationError("orderid", `orderid must be an XTS AppOrderID (a positive whole number), got '${orderid.slice(0, 40)}'`);
  }
  return id;
}

/** `total` cut into pieces of at most `largest` (a position above the freeze quantity is closed in slices). */
export function slices(total: number, largest: number): number[] {
  const pieces: number[] = [];
  for (let left = total; left > 0; left -= Math.min(left, largest)) pieces.push(Math.min(left, largest));
  return pieces;
}

/** The MARKET order that closes `quantity` (signed as the position: positive sells) of a position. */
export function toXtsClosingOrder(position: XtsPosition, quantity: number, tag: string): XtsPlaceOrderRequest {
  return {
    exchangeSegment: position.ExchangeSegment,
    exchangeInstrumentID: position.ExchangeInstrumentID,
    productType: position.ProductType,
    orderType: "MARKET",
    orderSide: quantity > 0 ? "SELL" : "BUY",
    timeInForce: "DAY",
    disclosedQuantity: 0,
    orderQuantity: Math.abs(quantity),
    limitPrice: 0,
    stopPrice: 0,
    orderUniqueIdentifier: tag,
  };
}
