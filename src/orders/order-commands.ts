import { ValidationError } from "../errors.js";
import { exchangeInfo, parseExchange } from "../instruments/exchanges.js";
import type { Logger } from "../logger.js";
import type { Resolver } from "../resolver/resolver.js";
import { OrderOutcomeUnknownError } from "../xts/client/errors.js";
import type { LiveBooks } from "./live-books.js";
import type { XtsInteractiveClient } from "../xts/client/interactive-client.js";
import type { XtsOrderBookEntry, XtsPlaceOrderRequest } from "../xts/client/types.js";
import { toOrderRow, type TokenLookup } from "./books.js";
import type { ModifyRequest, OrderRequest } from "./openalgo-types.js";
import { OrderNotFoundError } from "./order-errors.js";
import { orderTagFor } from "./order-tag.js";
import { parseOrderId, toXtsModifyOrder, toXtsPlaceOrder } from "./translate.js";

/** The part of the XTS interactive client the order services use. */
export type OrderClient = Pick<
  XtsInteractiveClient,
  "placeOrder" | "modifyOrder" | "cancelOrder" | "orderBook" | "orderBookRows" | "tradeBook" | "positions" | "holdings" | "balance"
>;

export interface PlacedOrder {
  readonly orderid: string;
  readonly orderUniqueIdentifier: string;
  /** True when the POST's answer was lost and the order was found in the order book instead. */
  readonly reconciled: boolean;
}

export interface ReconcileOptions {
  /** Order-book reads made to find an order whose outcome is unknown, and the pause between them. */
  readonly reconcileAttempts: number;
  readonly reconcileDelayMs: number;
}

/**
 * Place, modify and cancel one order. Every order is resolved, validated and translated before
 * it is sent; a POST is never resent; an answer lost after sending is reconciled from the order
 * book by the order's unique tag (and only to the order it really is), and otherwise reported as
 * ORDER_OUTCOME_UNKNOWN.
 */
export class OrderCommands {
  constructor(
    private readonly client: OrderClient,
    private readonly resolver: Resolver,
    private readonly lookup: TokenLookup,
    private readonly logger: Logger,
    private readonly options: ReconcileOptions,
    /** Interactive events: an order seen there under the tag settles a lost answer at once. */
    private readonly live?: Pick<LiveBooks, "findByTag" | "waitForTag">,
  ) {}

  /**
   * The order-book read lost answers are waiting on. A burst of lost answers (the broker stalls
   * for a few seconds under a busy open) would otherwise read the whole book once per order and
   * per attempt, each read as large as the day's orders, while the broker is already slow.
   */
  private sharedRead: { readonly startedAt: number; readonly orders: Promise<readonly XtsOrderBookEntry[]> } | null = null;

  /** Translates without sending: what `--dry-run` prints. */
  preview(order: OrderRequest, requestId: string): XtsPlaceOrderRequest {
    const row = this.resolver.resolve(order.symbol, order.exchange);
    return toXtsPlaceOrder({ ...order, exchange: row.exchange }, row, orderTagFor(requestId));
  }

  async placeOrder(order: OrderRequest, requestId: string): Promise<PlacedOrder> {
    return this.send(this.preview(order, requestId));
  }

  /** Sends one translated order, once; reconciles a lost answer. */
  async send(payload: XtsPlaceOrderRequest): Promise<PlacedOrder> {
    const tag = payload.orderUniqueIdentifier;
    const sentAt = performance.now();
    try {
      const ack = await this.client.placeOrder(payload);
      this.logger.info({ orderid: ack.AppOrderID, tag, segment: payload.exchangeSegment, exchangeInstrumentID: payload.exchangeInstrumentID }, "order placed");
      return { orderid: String(ack.AppOrderID), orderUniqueIdentifier: tag, reconciled: false };
    } catch (error) {
      if (!(error instanceof OrderOutcomeUnknownError)) throw error;
      this.logger.warn({ tag, reason: error.message }, "order outcome unknown; looking for it in the order book");
      const found = await this.findByTag(tag, sentAt);
      if (found === undefined) throw error;
      // The tag alone is not proof: the order under it must be the one we sent, or the client
      // would be handed another order's id for an order that may not exist.
      const mismatch = differsFrom(found, payload);
      if (mismatch !== null) {
        this.logger.error({ tag, orderid: found.AppOrderID, mismatch }, "the order book holds another order under this tag; outcome stays unknown");
        throw new OrderOutcomeUnknownError(
          { operation: "placeOrder" },
          { orderUniqueIdentifier: tag },
          `the order book holds order ${found.AppOrderID} under this tag, but its ${mismatch}, so it is not this order`,
          error,
        );
      }
      this.logger.info({ tag, orderid: found.AppOrderID, status: found.OrderStatus }, "unknown outcome reconciled from the order book");
      return { orderid: String(found.AppOrderID), orderUniqueIdentifier: tag, reconciled: true };
    }
  }

  /**
   * Reads the order book a few times for an order carrying `tag`; never places anything. An
   * interactive event for the tag ends the search at once (between reads too). Only a sighting
   * counts: no event is never taken as "not placed".
   */
  private async findByTag(tag: string, sentAt: number): Promise<XtsOrderBookEntry | undefined> {
    for (let attempt = 1; attempt <= this.options.reconcileAttempts; attempt += 1) {
      const seen = this.live?.findByTag(tag);
      if (seen !== undefined) {
        this.logger.info({ tag, orderid: seen.AppOrderID }, "an interactive event shows the order");
        return seen;
      }
      try {
        const entry = (await this.orderBookSince(sentAt)).find((o) => o.OrderUniqueIdentifier === tag);
        if (entry !== undefined) return entry;
      } catch (error) {
        this.logger.warn({ tag, attempt, err: error }, "order book read failed while reconciling");
      }
      if (attempt < this.options.reconcileAttempts) {
        if (this.live === undefined) await new Promise((r) => setTimeout(r, this.options.reconcileDelayMs));
        else await this.live.waitForTag(tag, this.options.reconcileDelayMs);
      }
    }
    return this.live?.findByTag(tag);
  }

  /**
   * The order book as read after `since`: a read already in flight that began after it is shared
   * (it can show anything sent before it began), an older one is not, and a new read is started
   * instead, for later callers to share.
   */
  private orderBookSince(since: number): Promise<readonly XtsOrderBookEntry[]> {
    const shared = this.sharedRead;
    if (shared !== null && shared.startedAt >= since) return shared.orders;
    const read = { startedAt: performance.now(), orders: this.client.orderBook() };
    this.sharedRead = read;
    const done = (): void => {
      if (this.sharedRead === read) this.sharedRead = null;
    };
    read.orders.then(done, done);
    return read.orders;
  }

  /**
   * Modifies price, quantity, type and trigger of an open order. The symbol, exchange, action and
   * product XTS cannot change must be the order's own: a request naming another instrument or
   * side is refused, not applied to whatever order the id points at.
   */
  async modifyOrder(request: ModifyRequest, requestId: string): Promise<{ orderid: string }> {
    const row = this.resolver.resolve(request.symbol, request.exchange);
    const id = parseOrderId(request.orderid);
    const payload = toXtsModifyOrder({ ...request, exchange: row.exchange }, row, orderTagFor(requestId));
    const entry = (await this.client.orderBook()).find((o) => o.AppOrderID === id);
    if (entry === undefined) throw new OrderNotFoundError(request.orderid);
    const segment = exchangeInfo(parseExchange(row.exchange)).orderSegment;
    const booked = toOrderRow(entry, this.lookup);
    const sameInstrument = entry.ExchangeSegment === segment && entry.ExchangeInstrumentID === row.token;
    const differences: [field: string, same: boolean, ordered: string, asked: string][] = [
      ["exchange", booked.exchange === row.exchange, booked.exchange, row.exchange],
      ["symbol", sameInstrument, booked.symbol, row.symbol],
      ["action", booked.action === request.action, booked.action, request.action],
      ["product", booked.product === request.product, booked.product, request.product],
    ];
    const wrong = differences.find(([, same]) => !same);
    if (wrong !== undefined) {
      const [field, , ordered, asked] = wrong;
      throw new ValidationError(field, `${field}: order ${request.orderid} is ${ordered}, not ${asked}; modifyorder cannot change an order's ${field}`, { order: ordered, requested: asked });
    }
    const ack = await this.client.modifyOrder(payload);
    return { orderid: String(ack.AppOrderID) };
  }

  async cancelOrder(orderid: string, requestId: string): Promise<{ orderid: string }> {
    const ack = await this.client.cancelOrder(parseOrderId(orderid), orderTagFor(requestId));
    return { orderid: String(ack.AppOrderID) };
  }

}

/** What makes the book's order under our tag a different order than `sent`, or null when it is the same. */
function differsFrom(entry: XtsOrderBookEntry, sent: XtsPlaceOrderRequest): string | null {
  const seen: [string, unknown, unknown][] = [
    ["exchange segment", entry.ExchangeSegment, sent.exchangeSegment],
    ["instrument", entry.ExchangeInstrumentID, sent.exchangeInstrumentID],
    ["side", entry.OrderSide, sent.orderSide],
    ["quantity", entry.OrderQuantity, sent.orderQuantity],
  ];
  const wrong = seen.filter(([, found, wanted]) => found !== wanted);
  return wrong.length === 0 ? null : wrong.map(([what, found, wanted]) => `${what} is ${String(found)}, not ${String(wanted)}`).join(", ");
}
