import { ValidationError, XtsBridgeError } from "../errors.js";
import type { Resolver } from "../resolver/resolver.js";
import type { XtsInteractiveClient } from "../xts/client/interactive-client.js";
import type { XtsMarginOrder } from "../xts/client/types.js";
import type { OrderRequest } from "./openalgo-types.js";
import { largestSlice, toXtsPlaceOrder } from "./translate.js";

export interface OpenAlgoMargin {
  readonly total_margin_required: number;
  readonly span_margin: number;
  readonly exposure_margin: number;
  readonly margin_benefit: number;
}

/**
 * OpenAlgo `/margin` from XTS `POST /orders/margindetails`, where the broker serves it. Each
 * position is checked as an order would be (symbol, lot size, tick) except the freeze quantity,
 * which limits one order, not a position. A broker without the call gets NOT_SUPPORTED: a margin
 * figure xtsbridge worked out itself would be a guess at the broker's RMS.
 */
export class MarginService {
  constructor(
    private readonly client: Pick<XtsInteractiveClient, "marginDetails">,
    private readonly resolver: Resolver,
    /** Whether this broker answers margindetails (XTS_MARGIN_DETAILS; on for the built-in sandbox). */
    readonly supported: boolean,
  ) {}

  async margin(positions: readonly (Omit<OrderRequest, "disclosed_quantity">)[]): Promise<OpenAlgoMargin> {
    if (!this.supported) {
      throw new XtsBridgeError("NOT_SUPPORTED", "this broker has no margin calculator (XTS margindetails); set XTS_MARGIN_DETAILS=on only if your XTS server serves it");
    }
    const orders = positions.map((p, i): XtsMarginOrder => {
      try {
        const row = this.resolver.resolve(p.symbol, p.exchange);
        const order = { ...p, exchange: row.exchange, disclosed_quantity: 0 };
        const { orderUniqueIdentifier: _tag, ...checked } = toXtsPlaceOrder({ ...order, quantity: Math.min(p.quantity, largestSlice(row)) }, row, "margin");
        if (p.quantity % row.lotsize !== 0) throw new ValidationError("quantity", `quantity ${p.quantity} is not a multiple of the lot size ${row.lotsize} of ${row.symbol}`);
        return { ...checked, orderQuantity: p.quantity };
      } catch (error) {
        if (error instanceof ValidationError) throw new ValidationError(`positions[${i}].${error.field}`, `positions[${i}]: ${error.message}`);
        if (error instanceof XtsBridgeError) throw new XtsBridgeError(error.code, `positions[${i}]: ${error.message}`, { details: { ...error.details, field: `positions[${i}]` } });
        throw error;
      }
    });
    const m = await this.client.marginDetails(orders);
    return { total_margin_required: m.totalMarginRequired, span_margin: m.spanMargin, exposure_margin: m.exposureMargin, margin_benefit: m.marginBenefit };
  }
}
