import { XtsBridgeError } from "../errors.js";
import type { Logger } from "../logger.js";
import { toOrderRow, type TokenLookup } from "../orders/books.js";
import type { LiveBooks } from "../orders/live-books.js";
import type { XtsOrderBookEntry } from "../xts/client/types.js";

export interface OrderListener {
  deliverOrder(message: string): void;
}

/**
 * OpenAlgo's `order_update` messages (streaming-and-market-data.md §4), one per new or changed
 * order in the live books — duplicates and stale events were already dropped there — serialised
 * once for every listener.
 */
export class OrderFeed {
  private readonly listeners = new Set<OrderListener>();
  private sent = 0;
  /** Set by the Redis publisher on the primary. */
  onMessage: ((text: string) => void) | null = null;

  constructor(
    books: LiveBooks,
    private readonly lookup: TokenLookup,
    private readonly broker: string,
    private readonly logger: Logger,
  ) {
    books.onChange((entry) => this.publish(entry));
  }

  add(listener: OrderListener): void {
    this.listeners.add(listener);
  }

  remove(listener: OrderListener): boolean {
    return this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  get messagesSent(): number {
    return this.sent;
  }

  /** Also used by a replica, which gets the messages from the primary over Redis. */
  deliverText(text: string): void {
    for (const listener of this.listeners) listener.deliverOrder(text);
  }

  private publish(entry: XtsOrderBookEntry): void {
    if (this.listeners.size === 0 && this.onMessage === null) return;
    let text: string;
    try {
      const row = toOrderRow(entry, this.lookup);
      const final = row.order_status === "complete" || row.order_status === "cancelled" || row.order_status === "rejected";
      text = JSON.stringify({
        type: "order_update",
        mode: "live",
        broker: this.broker,
        orderid: row.orderid,
        symbol: row.symbol,
        exchange: row.exchange,
        action: row.action,
        quantity: row.quantity,
        price: row.price,
        trigger_price: row.trigger_price,
        pricetype: row.pricetype,
        product: row.product,
        order_status: row.order_status,
        filled_quantity: row.filled_quantity,
        pending_quantity: final ? 0 : Math.max(0, row.quantity - row.filled_quantity),
        average_price: row.average_price,
        rejection_reason: row.rejection_reason ?? "",
        timestamp: row.timestamp,
      });
    } catch (error) {
      if (!(error instanceof XtsBridgeError)) throw error;
      this.logger.warn({ orderid: entry.AppOrderID, err: error }, "an order event could not be turned into an order_update");
      return;
    }
    this.sent += 1;
    this.onMessage?.(text);
    this.deliverText(text);
  }
}
