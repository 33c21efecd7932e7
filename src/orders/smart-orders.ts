import type { Resolver } from "../resolver/resolver.js";
import { mapOrderStatus } from "./books.js";
import type { BookQueries } from "./book-queries.js";
import { KeyedLock } from "./keyed-lock.js";
import type { OrderRequest } from "./openalgo-types.js";
import type { OrderClient, OrderCommands, PlacedOrder } from "./order-commands.js";
import { decideSmartOrder } from "./smart-order.js";

/**
 * OpenAlgo's smart order: the position you want, not the order. Serialised per position, and
 * aware of its own last order until that order's fill shows in the position book.
 */
export class SmartOrders {
  private readonly locks = new KeyedLock();
  /** The last smart order per position until its fill shows in the position book. */
  private readonly unsettled = new Map<string, { orderid: string; before: number; after: number; until: number }>();

  constructor(
    private readonly client: Pick<OrderClient, "orderBook">,
    private readonly resolver: Resolver,
    private readonly commands: OrderCommands,
    private readonly books: BookQueries,
    /** How long a smart order's unseen effect is assumed after it was acknowledged. */
    private readonly settleWindowMs: number,
  ) {}

  /**
   * OpenAlgo's smart order (V10): read the position, decide, place. Serialised per
   * symbol/exchange/product so two smart orders for one position cannot both act on one reading.
   */
  async placeSmartOrder(order: OrderRequest, positionSize: number, requestId: string): Promise<{ placed: PlacedOrder } | { message: string }> {
    const row = this.resolver.resolve(order.symbol, order.exchange);
    const key = `${row.exchange}|${row.symbol}|${order.product}`;
    return this.locks.run(key, async () => {
      const observed = await this.books.openPosition(row.symbol, row.exchange, order.product);
      const current = await this.withUnsettled(key, observed);
      const decision = decideSmartOrder(order.action, order.quantity, positionSize, current);
      if (decision.kind === "none") return { message: decision.message };
      const placed = await this.commands.placeOrder({ ...order, symbol: row.symbol, exchange: row.exchange, action: decision.action, quantity: decision.quantity }, requestId);
      const signed = decision.action === "BUY" ? decision.quantity : -decision.quantity;
      this.unsettled.set(key, { orderid: placed.orderid, before: observed, after: current + signed, until: Date.now() + this.settleWindowMs });
      return { placed };
    });
  }

  /**
   * The position a smart order should start from. XTS acknowledges an order before the fill
   * reaches the position book, so a duplicate alert a few milliseconds later would read the old
   * position and act again. While the last smart order's effect is not visible yet (the position
   * is still what it was, the window has not passed, and the order was not rejected or
   * cancelled), the position it will produce is used instead.
   */
  private async withUnsettled(key: string, observed: number): Promise<number> {
    const last = this.unsettled.get(key);
    if (last === undefined || Date.now() > last.until || observed !== last.before) {
      this.unsettled.delete(key);
      return observed;
    }
    const entry = (await this.client.orderBook()).find((o) => String(o.AppOrderID) === last.orderid);
    // An order the book does not show, or one that will never fill, changes nothing.
    const status = entry === undefined ? "gone" : mapOrderStatus(entry.OrderStatus);
    if (status === "gone" || status === "rejected" || status === "cancelled") {
      this.unsettled.delete(key);
      return observed;
    }
    return last.after;
  }
}
