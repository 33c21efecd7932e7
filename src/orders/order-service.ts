import { ValidationError, XtsBridgeError } from "../errors.js";
import { exchangeInfo, parseExchange } from "../instruments/exchanges.js";
import type { Logger } from "../logger.js";
import type { Resolver } from "../resolver/resolver.js";
import { OrderOutcomeUnknownError } from "../xts/client/errors.js";
import type { XtsInteractiveClient } from "../xts/client/interactive-client.js";
import type { XtsOrderBookEntry, XtsPlaceOrderRequest, XtsPosition } from "../xts/client/types.js";
import {
  exchangeOf,
  holdingsStatistics,
  isCancellable,
  mapOrderStatus,
  orderStatistics,
  toFunds,
  toHoldingRow,
  toOrderRow,
  toPositionRow,
  toTradeRow,
  type TokenLookup,
} from "./books.js";
import { KeyedLock } from "./keyed-lock.js";
import type {
  Action,
  HoldingsStatistics,
  ModifyRequest,
  OpenAlgoFunds,
  OpenAlgoHoldingRow,
  OpenAlgoOrderRow,
  OpenAlgoPositionRow,
  OpenAlgoTradeRow,
  OrderBookStatistics,
  OrderRequest,
  Product,
} from "./openalgo-types.js";
import { OrderNotFoundError } from "./order-errors.js";
import { orderTagFor } from "./order-tag.js";
import { decideSmartOrder } from "./smart-order.js";
import { largestSlice, parseOrderId, toXtsModifyOrder, toXtsPlaceOrder } from "./translate.js";

/** The part of the XTS interactive client the order service uses. */
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

export interface BatchItem {
  readonly orderid?: string;
  /** Every order placed for this item, when it had to be sliced under the freeze quantity. */
  readonly orderids?: readonly string[];
  readonly symbol?: string;
  readonly exchange?: string;
  readonly product?: string;
  readonly quantity?: number;
  readonly status: "success" | "error";
  readonly code?: string;
  readonly message?: string;
}

export interface OrderServiceOptions {
  /** Order-book reads made to find an order whose outcome is unknown, and the pause between them. */
  readonly reconcileAttempts: number;
  readonly reconcileDelayMs: number;
  /** How long a smart order's unseen effect is assumed after it was acknowledged. */
  readonly settleWindowMs: number;
}

const DEFAULTS: OrderServiceOptions = { reconcileAttempts: 3, reconcileDelayMs: 400, settleWindowMs: 5_000 };

/**
 * OpenAlgo orders through XTS. Every order is resolved, validated and translated before it is
 * sent; a POST is never resent; an answer lost after sending is reconciled from the order book
 * by the order's unique tag, and otherwise reported as ORDER_OUTCOME_UNKNOWN.
 */
export class OrderService {
  private readonly smartLocks = new KeyedLock();
  /** The last smart order per position until its fill shows in the position book. */
  private readonly unsettled = new Map<string, { orderid: string; before: number; after: number; until: number }>();
  private readonly options: OrderServiceOptions;
  private readonly lookup: TokenLookup;

  constructor(
    private readonly client: OrderClient,
    private readonly resolver: Resolver,
    private readonly logger: Logger,
    options: Partial<OrderServiceOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.lookup = (token, exchange) => this.resolver.findByToken(token, exchange);
  }

  /** Translates without sending: what `--dry-run` prints. */
  preview(order: OrderRequest, requestId: string): XtsPlaceOrderRequest {
    const row = this.resolver.resolve(order.symbol, order.exchange);
    return toXtsPlaceOrder({ ...order, exchange: row.exchange }, row, orderTagFor(requestId));
  }

  async placeOrder(order: OrderRequest, requestId: string): Promise<PlacedOrder> {
    const payload = this.preview(order, requestId);
    return this.send(payload);
  }

  private async send(payload: XtsPlaceOrderRequest): Promise<PlacedOrder> {
    const tag = payload.orderUniqueIdentifier;
    try {
      const ack = await this.client.placeOrder(payload);
      this.logger.info({ orderid: ack.AppOrderID, tag, segment: payload.exchangeSegment, exchangeInstrumentID: payload.exchangeInstrumentID }, "order placed");
      return { orderid: String(ack.AppOrderID), orderUniqueIdentifier: tag, reconciled: false };
    } catch (error) {
      if (!(error instanceof OrderOutcomeUnknownError)) throw error;
      this.logger.warn({ tag, reason: error.message }, "order outcome unknown; looking for it in the order book");
      const found = await this.findByTag(tag);
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

  /** Reads the order book a few times for an order carrying `tag`; never places anything. */
  private async findByTag(tag: string): Promise<XtsOrderBookEntry | undefined> {
    for (let attempt = 1; attempt <= this.options.reconcileAttempts; attempt += 1) {
      try {
        const entry = (await this.client.orderBook()).find((o) => o.OrderUniqueIdentifier === tag);
        if (entry !== undefined) return entry;
      } catch (error) {
        this.logger.warn({ tag, attempt, err: error }, "order book read failed while reconciling");
      }
      if (attempt < this.options.reconcileAttempts) await new Promise((r) => setTimeout(r, this.options.reconcileDelayMs));
    }
    return undefined;
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

  /** Cancels every open order one by one; a failure is reported and the rest still go. */
  async cancelAllOrders(requestId: string): Promise<{ canceled: string[]; failed: BatchItem[] }> {
    const canceled: string[] = [];
    const failed: BatchItem[] = [];
    const open: XtsOrderBookEntry[] = [];
    for (const row of await this.client.orderBookRows()) {
      // One order XTS describes in a way we cannot read must not stop the others from being cancelled.
      if (!row.ok) failed.push({ ...(row.AppOrderID === null ? {} : { orderid: String(row.AppOrderID) }), status: "error", code: "XTS_BAD_RESPONSE", message: row.problem });
      else if (isCancellable(row.entry.OrderStatus)) open.push(row.entry);
    }
    for (const [i, order] of open.entries()) {
      const orderid = String(order.AppOrderID);
      try {
        await this.client.cancelOrder(order.AppOrderID, orderTagFor(`${requestId}${i.toString(36)}`));
        canceled.push(orderid);
      } catch (error) {
        failed.push({ orderid, status: "error", ...describe(error) });
      }
    }
    return { canceled, failed };
  }

  /** Squares off every open NetWise position at market; continues past failures, reporting each. */
  async closeAllPositions(requestId: string): Promise<BatchItem[]> {
    const report: BatchItem[] = [];
    for (const [i, position] of (await this.client.positions("NetWise")).entries()) {
      if (position.Quantity === 0) continue;
      let item: BatchItem = { exchange: position.ExchangeSegment, product: position.ProductType, quantity: Math.abs(position.Quantity), status: "error" };
      try {
        const row = toPositionRow(position, this.lookup);
        item = { ...item, symbol: row.symbol, exchange: row.exchange };
        // Above the exchange freeze quantity one order would be refused: close in slices. An
        // instrument missing from the contract has no known freeze limit, so it is reported, not guessed.
        const found = this.lookup(position.ExchangeInstrumentID, exchangeOf(position.ExchangeSegment));
        if (found === undefined) {
          throw new XtsBridgeError("SYMBOL_NOT_FOUND", `position in ${position.ExchangeSegment} token ${position.ExchangeInstrumentID} is not in the stored contract, so its freeze quantity is unknown: close it by hand or refresh the master contract`);
        }
        const orderids: string[] = [];
        for (const [n, slice] of slices(Math.abs(position.Quantity), largestSlice(found)).entries()) {
          const payload = closingOrder(position, Math.sign(position.Quantity) * slice, orderTagFor(`${requestId}${i.toString(36)}${n.toString(36)}`));
          orderids.push((await this.send(payload)).orderid);
        }
        report.push({ ...item, orderid: orderids[0]!, ...(orderids.length > 1 ? { orderids } : {}), status: "success" });
      } catch (error) {
        report.push({ ...item, status: "error", ...describe(error) });
      }
    }
    return report;
  }

  /**
   * OpenAlgo's smart order (V10): read the position, decide, place. Serialised per
   * symbol/exchange/product so two smart orders for one position cannot both act on one reading.
   */
  async placeSmartOrder(order: OrderRequest, positionSize: number, requestId: string): Promise<{ placed: PlacedOrder } | { message: string }> {
    const row = this.resolver.resolve(order.symbol, order.exchange);
    const key = `${row.exchange}|${row.symbol}|${order.product}`;
    return this.smartLocks.run(key, async () => {
      const observed = await this.openPosition(row.symbol, row.exchange, order.product);
      const current = await this.withUnsettled(key, observed);
      const decision = decideSmartOrder(order.action, order.quantity, positionSize, current);
      if (decision.kind === "none") return { message: decision.message };
      const placed = await this.placeOrder({ ...order, symbol: row.symbol, exchange: row.exchange, action: decision.action, quantity: decision.quantity }, requestId);
      const signed = decision.action === "BUY" ? decision.quantity : -decision.quantity;
      this.unsettled.set(key, { orderid: placed.orderid, before: observed, after: current + signed, until: Date.now() + this.options.settleWindowMs });
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

  /** Net quantity of one instrument and product, 0 when there is no position. */
  async openPosition(symbol: string, exchange: string, product: Product): Promise<number> {
    const row = this.resolver.resolve(symbol, exchange);
    const segment = exchangeInfo(parseExchange(row.exchange)).orderSegment;
    const positions = await this.client.positions("NetWise");
    return positions
      .filter((p) => p.ExchangeSegment === segment && p.ExchangeInstrumentID === row.token && p.ProductType === product)
      .reduce((sum, p) => sum + p.Quantity, 0);
  }

  async orderBook(): Promise<{ orders: OpenAlgoOrderRow[]; statistics: OrderBookStatistics }> {
    const orders = (await this.client.orderBook()).map((o) => toOrderRow(o, this.lookup));
    return { orders, statistics: orderStatistics(orders) };
  }

  async orderStatus(orderid: string): Promise<OpenAlgoOrderRow> {
    const id = parseOrderId(orderid);
    const entry = (await this.client.orderBook()).find((o) => o.AppOrderID === id);
    if (entry === undefined) throw new OrderNotFoundError(orderid);
    return toOrderRow(entry, this.lookup);
  }

  async tradeBook(): Promise<OpenAlgoTradeRow[]> {
    return (await this.client.tradeBook()).map((t) => toTradeRow(t, this.lookup));
  }

  async positionBook(): Promise<OpenAlgoPositionRow[]> {
    return (await this.client.positions("NetWise")).map((p) => toPositionRow(p, this.lookup));
  }

  async holdings(): Promise<{ holdings: OpenAlgoHoldingRow[]; statistics: HoldingsStatistics }> {
    const items = (await this.client.holdings()).map((h) => toHoldingRow(h, this.lookup));
    return { holdings: items.map((i) => i.row), statistics: holdingsStatistics(items) };
  }

  async funds(): Promise<OpenAlgoFunds> {
    return toFunds(await this.client.balance());
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

/** `total` cut into pieces of at most `largest`. */
function slices(total: number, largest: number): number[] {
  const pieces: number[] = [];
  for (let left = total; left > 0; left -= Math.min(left, largest)) pieces.push(Math.min(left, largest));
  return pieces;
}

function closingOrder(position: XtsPosition, quantity: number, tag: string): XtsPlaceOrderRequest {
  const side: Action = quantity > 0 ? "SELL" : "BUY";
  return {
    exchangeSegment: position.ExchangeSegment,
    exchangeInstrumentID: position.ExchangeInstrumentID,
    productType: position.ProductType,
    orderType: "MARKET",
    orderSide: side,
    timeInForce: "DAY",
    disclosedQuantity: 0,
    orderQuantity: Math.abs(quantity),
    limitPrice: 0,
    stopPrice: 0,
    orderUniqueIdentifier: tag,
  };
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof XtsBridgeError) return { code: error.code, message: error.message };
  return { code: "INTERNAL_ERROR", message: "unexpected failure" };
}
