import type { GeneratedInstrument } from "../../src/sandbox/master/master-generator.js";
import type { XtsPlaceOrderRequest } from "../../src/xts/client/types.js";
import type { XtsSegment } from "../../src/xts/segments.js";

/**
 * The one builder of XTS `POST /orders` bodies for tests: one lot of `instrument` at market, MIS,
 * DAY, tagged `tag`; `overrides` changes any field (side, type, prices, quantity, clientID…).
 */
export function xtsOrder(instrument: Pick<GeneratedInstrument, "segment" | "token" | "lotSize">, tag: string, overrides: Partial<XtsPlaceOrderRequest> & Record<string, unknown> = {}): XtsPlaceOrderRequest {
  return {
    exchangeSegment: instrument.segment as XtsSegment,
    exchangeInstrumentID: instrument.token,
    productType: "MIS",
    orderType: "MARKET",
    orderSide: "BUY",
    timeInForce: "DAY",
    disclosedQuantity: 0,
    orderQuantity: instrument.lotSize,
    limitPrice: 0,
    stopPrice: 0,
    orderUniqueIdentifier: tag,
    ...overrides,
  };
}
