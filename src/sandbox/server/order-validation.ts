import { isXtsSegment, MASTER_SEGMENTS } from "../../xts/segments.js";
import type { GeneratedInstrument } from "../master/master-generator.js";
import { badRequest } from "./envelope.js";
import type { InstrumentCatalog } from "./instrument-catalog.js";
import {
  ORDER_ERRORS as E,
  ORDER_SIDES,
  ORDER_TYPES,
  PRODUCT_TYPES,
  TIMES_IN_FORCE,
  type OrderTerms,
  type XtsOrderSide,
} from "./order-types.js";
import { isOnTick, optionalNumber, optionalString, requiredInteger, type Fields } from "./wire-values.js";

/**
 * Validation of order bodies the way an XTS server refuses them: HTTP 400, an `e-orders-` code and
 * a description that names the field, the value and what is allowed.
 */
export interface PlaceOrderRequest {
  readonly instrument: GeneratedInstrument;
  readonly side: XtsOrderSide;
  readonly terms: OrderTerms;
  readonly orderUniqueIdentifier: string;
  readonly apiOrderSource: string;
}

export interface ModifyOrderRequest {
  readonly appOrderID: number;
  readonly terms: OrderTerms;
  readonly orderUniqueIdentifier: string | undefined;
}

/** Field names of the terms in a place body and in a modify body (the latter prefixed `modified`). */
interface TermFieldNames {
  readonly productType: string;
  readonly orderType: string;
  readonly quantity: string;
  readonly disclosedQuantity: string;
  readonly limitPrice: string;
  readonly stopPrice: string;
  readonly timeInForce: string;
}

const PLACE_FIELDS: TermFieldNames = {
  productType: "productType",
  orderType: "orderType",
  quantity: "orderQuantity",
  disclosedQuantity: "disclosedQuantity",
  limitPrice: "limitPrice",
  stopPrice: "stopPrice",
  timeInForce: "timeInForce",
};

const MODIFY_FIELDS: TermFieldNames = {
  productType: "modifiedProductType",
  orderType: "modifiedOrderType",
  quantity: "modifiedOrderQuantity",
  disclosedQuantity: "modifiedDisclosedQuantity",
  limitPrice: "modifiedLimitPrice",
  stopPrice: "modifiedStopPrice",
  timeInForce: "modifiedTimeInForce",
};

const CASH_SEGMENTS: ReadonlySet<string> = new Set(["NSECM", "BSECM"]);
const TRADABLE_KINDS: ReadonlySet<string> = new Set(["cash", "future", "option", "spread"]);

function oneOf<T extends string>(fields: Fields, name: string, allowed: readonly T[], code: string): T {
  const value = fields[name];
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    const shown = value === undefined ? "missing" : `'${String(value)}'`;
    throw badRequest(code, name, `${name} ${shown} is not valid; allowed: ${allowed.join(", ")}`);
  }
  return value as T;
}

function price(fields: Fields, name: string, code: string): number {
  const value = optionalNumber(fields, name, code);
  if (value === undefined || value <= 0) throw badRequest(code, name, `${name} must be greater than 0 for this order type`);
  return value;
}

function checkPriceRules(instrument: GeneratedInstrument, name: string, value: number): void {
  if (!isOnTick(value, instrument.tickSize)) {
    throw badRequest(E.tick, name, `${name} ${value} is not a multiple of the tick size ${instrument.tickSize}`);
  }
  const low = instrument.priceBandLow;
  const high = instrument.priceBandHigh;
  if ((low !== null && value < low) || (high !== null && value > high)) {
    throw badRequest(E.band, name, `${name} ${value} is outside the price band ${low ?? "-"} to ${high ?? "-"}`);
  }
}

function parseTerms(fields: Fields, names: TermFieldNames, instrument: GeneratedInstrument, side: XtsOrderSide): OrderTerms {
  const productType = oneOf(fields, names.productType, PRODUCT_TYPES, E.productType);
  if (productType === "CNC" && !CASH_SEGMENTS.has(instrument.segment)) {
    throw badRequest(E.productType, names.productType, `${names.productType} CNC is not allowed in ${instrument.segment}; allowed: MIS, NRML`);
  }
  const orderType = oneOf(fields, names.orderType, ORDER_TYPES, E.orderType);
  const timeInForce = fields[names.timeInForce] === undefined ? "DAY" : oneOf(fields, names.timeInForce, TIMES_IN_FORCE, E.timeInForce);

  const quantity = optionalNumber(fields, names.quantity, E.quantity);
  if (quantity === undefined || !Number.isSafeInteger(quantity) || quantity <= 0 || quantity % instrument.lotSize !== 0) {
    throw badRequest(
      E.quantity,
      names.quantity,
      `${names.quantity} ${JSON.stringify(fields[names.quantity] ?? null)} must be a positive multiple of the lot size ${instrument.lotSize}`,
    );
  }
  const disclosedQuantity = optionalNumber(fields, names.disclosedQuantity, E.disclosedQuantity) ?? 0;
  if (!Number.isSafeInteger(disclosedQuantity) || disclosedQuantity < 0 || disclosedQuantity > quantity) {
    throw badRequest(E.disclosedQuantity, names.disclosedQuantity, `${names.disclosedQuantity} must be an integer from 0 to the order quantity ${quantity}`);
  }

  const needsLimit = orderType === "LIMIT" || orderType === "STOPLIMIT";
  const needsStop = orderType === "STOPLIMIT" || orderType === "STOPMARKET";
  const limitPrice = needsLimit ? price(fields, names.limitPrice, E.limitPrice) : 0;
  const stopPrice = needsStop ? price(fields, names.stopPrice, E.stopPrice) : 0;
  if (needsLimit) checkPriceRules(instrument, names.limitPrice, limitPrice);
  if (needsStop) checkPriceRules(instrument, names.stopPrice, stopPrice);
  // A stop-limit buy triggers at the stop and may pay up to the limit, so the limit cannot be below the stop (and the reverse for a sell).
  if (orderType === "STOPLIMIT" && (side === "BUY" ? limitPrice < stopPrice : limitPrice > stopPrice)) {
    const relation = side === "BUY" ? "at or above" : "at or below";
    throw badRequest(E.stopLimitRelation, names.limitPrice, `${names.limitPrice} ${limitPrice} must be ${relation} ${names.stopPrice} ${stopPrice} for a ${side} STOPLIMIT order`);
  }
  return { productType, orderType, quantity, disclosedQuantity, limitPrice, stopPrice, timeInForce };
}

export function parsePlaceOrder(fields: Fields, catalog: InstrumentCatalog): PlaceOrderRequest {
  const segment = fields["exchangeSegment"];
  if (typeof segment !== "string" || !isXtsSegment(segment)) {
    throw badRequest(E.segment, "exchangeSegment", `exchangeSegment ${JSON.stringify(segment ?? null)} is not valid; allowed: ${MASTER_SEGMENTS.join(", ")}`);
  }
  const token = requiredInteger(fields, "exchangeInstrumentID", E.instrument);
  const instrument = catalog.get(segment, token);
  if (instrument === undefined || instrument.kind === "index") {
    throw badRequest(E.instrument, "exchangeInstrumentID", `exchangeInstrumentID ${token} is not in the ${segment} master`);
  }
  if (!TRADABLE_KINDS.has(instrument.kind)) {
    throw badRequest(E.notTradable, "exchangeInstrumentID", `exchangeInstrumentID ${token} in ${segment} is a ${instrument.kind} instrument and cannot be traded`);
  }
  const side = oneOf(fields, "orderSide", ORDER_SIDES, E.orderSide);
  const terms = parseTerms(fields, PLACE_FIELDS, instrument, side);
  return {
    instrument,
    side,
    terms,
    orderUniqueIdentifier: optionalString(fields, "orderUniqueIdentifier", E.uniqueIdentifier) ?? "",
    apiOrderSource: optionalString(fields, "apiOrderSource", E.body) ?? "",
  };
}

export function parseAppOrderID(value: unknown, code: string): number {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw badRequest(code, "appOrderID", `appOrderID ${JSON.stringify(value ?? null)} must be a positive integer`);
  return n;
}

/** A modify names the order; its instrument and side come from the order itself. */
export function parseModifyOrder(fields: Fields, instrumentOf: (appOrderID: number) => { instrument: GeneratedInstrument; side: XtsOrderSide }): ModifyOrderRequest {
  const appOrderID = parseAppOrderID(fields["appOrderID"], E.unknownOrder);
  const { instrument, side } = instrumentOf(appOrderID);
  return {
    appOrderID,
    terms: parseTerms(fields, MODIFY_FIELDS, instrument, side),
    orderUniqueIdentifier: optionalString(fields, "orderUniqueIdentifier", E.uniqueIdentifier),
  };
}
