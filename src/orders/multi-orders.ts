import { ValidationError } from "../errors.js";
import type { Resolver } from "../resolver/resolver.js";
import type { SymbolRow } from "../store/types.js";
import type { OrderRequest } from "./openalgo-types.js";
import type { PlacedOrder } from "./order-commands.js";
import { describeFailure } from "./order-errors.js";
import { largestSlice } from "./translate.js";

/** Where an order goes: the broker (OrderService), or the analyzer's paper engine. */
export interface OrderPlacer {
  placeOrder(order: OrderRequest, requestId: string): Promise<PlacedOrder>;
}

/** The most orders one request may split into, as OpenAlgo allows. */
export const MAX_SPLIT_ORDERS = 100;

export interface ItemResult {
  readonly status: "success" | "error";
  readonly orderid?: string;
  readonly code?: string;
  readonly message?: string;
  readonly [key: string]: unknown;
}

/** The request id of the n-th order of a request (its tag stays unique: orderTagFor keeps the tail). */
export function partId(requestId: string, n: number): string {
  return `${requestId}${n.toString(36).padStart(2, "0")}`;
}

/**
 * `total` in parts of `size` (the last one the remainder). Every part is whole lots and under the
 * freeze quantity, and one request makes at most MAX_SPLIT_ORDERS orders: all checked before the
 * first part is sent, so a split is never refused half-way for a reason known up front.
 */
export function splitParts(row: Pick<SymbolRow, "symbol" | "lotsize" | "freeze_qty">, total: number, size: number, field = "splitsize"): number[] {
  if (!Number.isInteger(size) || size < 1) throw new ValidationError(field, `${field} must be a whole number ≥ 1, got ${size}`);
  if (row.freeze_qty > 0 && size >= row.freeze_qty) {
    throw new ValidationError(field, `${field} ${size} reaches the freeze quantity ${row.freeze_qty} of ${row.symbol}; use at most ${largestSlice(row)}`, { freeze_qty: row.freeze_qty });
  }
  if (size % row.lotsize !== 0) throw new ValidationError(field, `${field} ${size} is not a whole number of lots of ${row.lotsize} (${row.symbol})`, { lotsize: row.lotsize });
  if (total % row.lotsize !== 0) throw new ValidationError("quantity", `quantity ${total} is not a multiple of the lot size ${row.lotsize} of ${row.symbol}`, { lotsize: row.lotsize });
  const count = Math.ceil(total / size);
  if (count > MAX_SPLIT_ORDERS) throw new ValidationError(field, `quantity ${total} in parts of ${size} is ${count} orders; at most ${MAX_SPLIT_ORDERS} a request`);
  const parts = new Array<number>(Math.floor(total / size)).fill(size);
  if (total % size > 0) parts.push(total % size);
  return parts;
}

/** Places the parts in turn; a part's failure is reported in its place and the rest still go. */
export async function placeParts(order: OrderRequest, parts: readonly number[], placer: OrderPlacer, requestId: string): Promise<ItemResult[]> {
  const results: ItemResult[] = [];
  for (const [i, quantity] of parts.entries()) {
    try {
      const placed = await placer.placeOrder({ ...order, quantity }, partId(requestId, i));
      results.push({ order_num: i + 1, quantity, status: "success", orderid: placed.orderid });
    } catch (error) {
      results.push({ order_num: i + 1, quantity, status: "error", ...describeFailure(error) });
    }
  }
  return results;
}

/**
 * OpenAlgo's basketorder and splitorder. A basket's BUY orders go before its SELL orders (a
 * hedge before the short it margins), one at a time; every order is attempted and answered in
 * the order it was given, and one bad order never stops the rest.
 */
export class MultiOrders {
  constructor(private readonly resolver: Resolver) {}

  async basketOrder(orders: readonly OrderRequest[], placer: OrderPlacer, requestId: string): Promise<ItemResult[]> {
    const sequence = [...orders.keys()].sort((a, b) => Number(orders[a]!.action === "SELL") - Number(orders[b]!.action === "SELL") || a - b);
    const results: ItemResult[] = new Array(orders.length);
    for (const [n, i] of sequence.entries()) {
      const order = orders[i]!;
      try {
        const placed = await placer.placeOrder(order, partId(requestId, n));
        results[i] = { symbol: order.symbol, exchange: order.exchange, action: order.action, status: "success", orderid: placed.orderid };
      } catch (error) {
        results[i] = { symbol: order.symbol, exchange: order.exchange, action: order.action, status: "error", ...describeFailure(error) };
      }
    }
    return results;
  }

  async splitOrder(order: OrderRequest, splitsize: number, placer: OrderPlacer, requestId: string): Promise<ItemResult[]> {
    const row = this.resolver.resolve(order.symbol, order.exchange);
    return placeParts({ ...order, symbol: row.symbol, exchange: row.exchange }, splitParts(row, order.quantity, splitsize), placer, requestId);
  }
}
