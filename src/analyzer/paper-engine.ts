import { ValidationError, XtsBridgeError } from "../errors.js";
import { istToday } from "../instruments/ist.js";
import type { Logger } from "../logger.js";
import type { BatchItem } from "../orders/batch-orders.js";
import { orderStatistics, round2 } from "../orders/books.js";
import { KeyedLock } from "../orders/keyed-lock.js";
import { partId } from "../orders/multi-orders.js";
import type {
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
} from "../orders/openalgo-types.js";
import type { PlacedOrder } from "../orders/order-commands.js";
import { describeFailure, OrderNotFoundError } from "../orders/order-errors.js";
import { decideSmartOrder } from "../orders/smart-order.js";
import { largestSlice, slices, validateOrder } from "../orders/translate.js";
import type { Resolver } from "../resolver/resolver.js";
import type { PaperStore } from "../store/paper-store.js";
import type { SymbolRow } from "../store/types.js";
import {
  availableCash,
  bookKey,
  heldBefore,
  holdingsOf,
  isOpen,
  MARGIN_FACTOR,
  money,
  orderRow,
  paperFunds,
  positionBooks,
  positionRows,
  tradeRows,
  type PaperOrder,
  type PositionBook,
  type PriceMap,
} from "./paper-books.js";

export type { PaperOrder } from "./paper-books.js";

/** Live prices from the broker: rows with no trade yet are left out (their price is unknown, not 0). */
export type LivePrices = (rows: readonly SymbolRow[]) => Promise<PriceMap>;

export interface PaperOptions {
  /** Starting funds, rupees (OpenAlgo's sandbox: one crore). */
  readonly capital: number;
  /** How often open orders are checked against the market. */
  readonly checkMs: number;
}

export const PAPER_DEFAULTS: PaperOptions = { capital: 10_000_000, checkMs: 5_000 };

/**
 * The analyzer's paper engine: OpenAlgo orders checked as the live path checks them (lot, tick,
 * freeze quantity, price band rules of the stored contract), filled against the broker's live
 * prices, and kept in the gateway's own database, so a restart or a switch to live and back
 * loses nothing. MARKET fills at the last price; LIMIT fills once the market reaches it, at the
 * better of the two; SL and SL-M trigger on the trigger price, then behave as LIMIT and MARKET.
 * One fill per order. Margin is OpenAlgo's sandbox model; no auto square-off.
 */
export class PaperEngine {
  private readonly orders = new Map<string, PaperOrder>();
  private readonly lock = new KeyedLock();
  private timer: NodeJS.Timeout | undefined;
  private readonly options: PaperOptions;

  constructor(
    private readonly store: PaperStore,
    private readonly broker: string,
    private readonly resolver: Resolver,
    private readonly prices: LivePrices,
    private readonly logger: Logger,
    options: Partial<PaperOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...PAPER_DEFAULTS, ...options };
  }

  /** Reads the stored paper books; call once before serving. */
  async load(): Promise<void> {
    for (const record of await this.store.paperOrders(this.broker)) {
      const order = record as PaperOrder;
      this.orders.set(order.orderid, order);
    }
  }

  /** Checks open orders against the market every `checkMs` until stopped. */
  start(): void {
    this.timer ??= setInterval(() => void this.check().catch((error: unknown) => this.logger.warn({ err: error }, "paper order check failed")), this.options.checkMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** How many paper orders were placed (OpenAlgo's `total_logs`). */
  get count(): number {
    return this.orders.size;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    return this.lock.run("paper", task);
  }

  private async save(order: PaperOrder): Promise<PaperOrder> {
    // Stored before it is answered: an order the caller was told about is never lost.
    await this.store.savePaperOrder(this.broker, order.orderid, order.placed_at, order);
    this.orders.set(order.orderid, order);
    return order;
  }

  private rowOf(order: Pick<PaperOrder, "symbol" | "exchange">): SymbolRow {
    return this.resolver.resolve(order.symbol, order.exchange);
  }

  private nextId(now: number): string {
    const day = istToday(now).slice(2).replace(/-/g, "");
    let n = 0;
    for (const id of this.orders.keys()) if (id.startsWith(day)) n = Math.max(n, Number(id.slice(6)));
    return `${day}${String(n + 1).padStart(8, "0")}`;
  }

  private async priceOf(row: SymbolRow): Promise<number> {
    const ltp = (await this.prices([row])).get(row);
    if (ltp === undefined) throw new XtsBridgeError("PRICE_UNAVAILABLE", `${row.symbol} on ${row.exchange} has no last traded price yet, so a paper order cannot be priced`, { retry: "safe" });
    return ltp;
  }

  placeOrder(order: OrderRequest, requestId: string): Promise<PlacedOrder> {
    return this.serial(() => this.place(order, requestId));
  }

  /** Places with the engine already held (placeOrder and the smart order's read-decide-place). */
  private async place(order: OrderRequest, requestId: string): Promise<PlacedOrder> {
    const row = this.resolver.resolve(order.symbol, order.exchange);
    const checked: OrderRequest = { ...order, symbol: row.symbol, exchange: row.exchange };
    validateOrder(checked, row);
    if (row.exchange.endsWith("_INDEX")) throw new ValidationError("exchange", `${row.exchange} instruments are indices and cannot be traded`);
    const ltp = await this.priceOf(row);
    const now = this.now();
    const base: PaperOrder = {
      orderid: this.nextId(now),
      tag: requestId,
      symbol: row.symbol,
      exchange: row.exchange,
      action: checked.action,
      quantity: checked.quantity,
      pricetype: checked.pricetype,
      product: checked.product,
      price: checked.price,
      trigger_price: checked.trigger_price,
      status: checked.pricetype === "SL" || checked.pricetype === "SL-M" ? "trigger pending" : "open",
      average_price: 0,
      filled_quantity: 0,
      blocked: 0,
      placed_at: now,
      updated_at: now,
      filled_at: null,
    };
    const books = this.positionBooks();
    const blocked = this.marginAdded(base, books, ltp);
    const refusal = this.refusal(base, books, blocked);
    const saved = await this.save(refusal === null ? this.evaluate({ ...base, blocked }, ltp) : { ...base, status: "rejected", rejection_reason: refusal });
    return { orderid: saved.orderid, orderUniqueIdentifier: requestId, reconciled: false };
  }

  /** Why the RMS would refuse the order (stored as rejected, as XTS does), or null. */
  private refusal(order: PaperOrder, books: ReadonlyMap<string, PositionBook>, required: number): string | null {
    if (order.product === "CNC" && order.action === "SELL") {
      const held = books.get(bookKey(order.exchange, order.symbol, "CNC"))?.net ?? 0;
      const pending = [...this.orders.values()].filter((o) => isOpen(o) && o.product === "CNC" && o.action === "SELL" && o.symbol === order.symbol && o.exchange === order.exchange).reduce((s, o) => s + o.quantity, 0);
      if (held - pending < order.quantity) return `CNC sell of ${order.quantity} exceeds the ${Math.max(0, held - pending)} held`;
    }
    const available = availableCash(this.options.capital, books, this.orders.values());
    if (required > available) return `Insufficient funds: margin required ${money(required)}, available ${money(available)}`;
    return null;
  }

  private referencePrice(order: Pick<PaperOrder, "price" | "trigger_price">, ltp: number): number {
    return order.price > 0 ? order.price : order.trigger_price > 0 ? order.trigger_price : ltp;
  }

  /** Margin for the part of an order that adds exposure, at its limit, else its trigger, else the market: selling out of a long frees margin, it needs none. */
  private marginAdded(order: PaperOrder, books: ReadonlyMap<string, PositionBook>, ltp: number): number {
    const price = this.referencePrice(order, ltp);
    const net = books.get(bookKey(order.exchange, order.symbol, order.product))?.net ?? 0;
    const signed = order.action === "BUY" ? order.quantity : -order.quantity;
    const reducing = Math.sign(net) === -Math.sign(signed) ? Math.min(Math.abs(net), order.quantity) : 0;
    return round2((order.quantity - reducing) * price * MARGIN_FACTOR[order.product]);
  }

  /** The order after the market at `ltp`: triggered, filled, or as it was. */
  private evaluate(order: PaperOrder, ltp: number): PaperOrder {
    if (!isOpen(order)) return order;
    const buy = order.action === "BUY";
    let o = order;
    if (o.status === "trigger pending") {
      const triggered = buy ? ltp >= o.trigger_price : ltp <= o.trigger_price;
      if (!triggered) return o;
      o = { ...o, status: "open", updated_at: this.now() };
    }
    const market = o.pricetype === "MARKET" || o.pricetype === "SL-M";
    const reached = market || (buy ? ltp <= o.price : ltp >= o.price);
    if (!reached) return o;
    const fill = market ? ltp : buy ? Math.min(ltp, o.price) : Math.max(ltp, o.price);
    const now = this.now();
    return { ...o, status: "complete", average_price: fill, filled_quantity: o.quantity, blocked: 0, updated_at: now, filled_at: now };
  }

  /** One pass over the open orders at the broker's current prices. */
  check(): Promise<number> {
    return this.serial(async () => {
      const open = [...this.orders.values()].filter(isOpen);
      if (open.length === 0) return 0;
      const rows = new Map(open.map((o) => [o.orderid, this.rowOf(o)]));
      const prices = await this.prices([...new Set(rows.values())]);
      let changed = 0;
      for (const order of open) {
        const ltp = prices.get(rows.get(order.orderid)!);
        if (ltp === undefined) continue;
        const next = this.evaluate(order, ltp);
        if (next !== order) {
          await this.save(next);
          changed += 1;
        }
      }
      return changed;
    });
  }

  modifyOrder(request: ModifyRequest, _requestId: string): Promise<{ orderid: string }> {
    return this.serial(async () => {
      const order = this.openOrder(request.orderid, "modified");
      const row = this.rowOf(order);
      const changed: OrderRequest = { ...request, symbol: row.symbol, exchange: row.exchange, action: order.action };
      validateOrder(changed, row);
      const ltp = await this.priceOf(row);
      const stop = changed.pricetype === "SL" || changed.pricetype === "SL-M";
      const next: PaperOrder = {
        ...order,
        quantity: changed.quantity,
        pricetype: changed.pricetype,
        product: changed.product,
        price: changed.price,
        trigger_price: changed.trigger_price,
        status: stop && order.status === "trigger pending" ? "trigger pending" : "open",
        updated_at: this.now(),
      };
      await this.save(this.evaluate({ ...next, blocked: this.marginAdded(next, this.positionBooks(), ltp) }, ltp));
      return { orderid: order.orderid };
    });
  }

  cancelOrder(orderid: string, _requestId: string): Promise<{ orderid: string }> {
    return this.serial(async () => {
      const order = this.openOrder(orderid, "cancelled");
      await this.save({ ...order, status: "cancelled", blocked: 0, updated_at: this.now() });
      return { orderid: order.orderid };
    });
  }

  private openOrder(orderid: string, verb: string): PaperOrder {
    const order = this.orders.get(orderid.trim());
    if (order === undefined) throw new OrderNotFoundError(orderid);
    if (!isOpen(order)) throw new XtsBridgeError("XTS_REJECTED", `Order ${order.orderid} is ${order.status} and cannot be ${verb}`, { details: { orderid: order.orderid } });
    return order;
  }

  async cancelAllOrders(requestId: string): Promise<{ canceled: string[]; failed: BatchItem[] }> {
    const canceled: string[] = [];
    const failed: BatchItem[] = [];
    for (const order of [...this.orders.values()].filter(isOpen)) {
      try {
        canceled.push((await this.cancelOrder(order.orderid, requestId)).orderid);
      } catch (error) {
        failed.push({ orderid: order.orderid, status: "error", ...describeFailure(error) });
      }
    }
    return { canceled, failed };
  }

  async closeAllPositions(requestId: string): Promise<BatchItem[]> {
    const report: BatchItem[] = [];
    let n = 0;
    for (const book of this.positionBooks().values()) {
      if (book.net === 0) continue;
      const item = { symbol: book.row.symbol, exchange: book.row.exchange, product: book.product, quantity: Math.abs(book.net) };
      const orderids: string[] = [];
      try {
        for (const slice of slices(Math.abs(book.net), largestSlice(book.row))) {
          const placed = await this.placeOrder(
            { symbol: book.row.symbol, exchange: book.row.exchange, action: book.net > 0 ? "SELL" : "BUY", quantity: slice, pricetype: "MARKET", product: book.product, price: 0, trigger_price: 0, disclosed_quantity: 0 },
            partId(requestId, n++),
          );
          orderids.push(placed.orderid);
        }
        report.push({ ...item, orderid: orderids[0]!, ...(orderids.length > 1 ? { orderids } : {}), status: "success" });
      } catch (error) {
        report.push({ ...item, status: "error", ...describeFailure(error) });
      }
    }
    return report;
  }

  /** Read, decide and place under one hold of the engine: two smart orders never act on one reading. */
  placeSmartOrder(order: OrderRequest, positionSize: number, requestId: string): Promise<{ placed: PlacedOrder } | { message: string }> {
    return this.serial(async () => {
      const row = this.resolver.resolve(order.symbol, order.exchange);
      const current = this.positionBooks().get(bookKey(row.exchange, row.symbol, order.product))?.net ?? 0;
      const decision = decideSmartOrder(order.action, order.quantity, positionSize, current);
      if (decision.kind === "none") return { message: decision.message };
      return { placed: await this.place({ ...order, symbol: row.symbol, exchange: row.exchange, action: decision.action, quantity: decision.quantity }, requestId) };
    });
  }

  async openPosition(symbol: string, exchange: string, product: Product): Promise<number> {
    const row = this.resolver.resolve(symbol, exchange);
    return this.positionBooks().get(bookKey(row.exchange, row.symbol, product))?.net ?? 0;
  }

  private positionBooks(before?: string): Map<string, PositionBook> {
    return positionBooks(this.orders.values(), (o) => this.rowOf(o), before);
  }

  async orderBook(): Promise<{ orders: OpenAlgoOrderRow[]; statistics: OrderBookStatistics }> {
    const orders = [...this.orders.values()].map(orderRow);
    return { orders, statistics: orderStatistics(orders) };
  }

  async orderStatus(orderid: string): Promise<OpenAlgoOrderRow> {
    const order = this.orders.get(orderid.trim());
    if (order === undefined) throw new OrderNotFoundError(orderid);
    return orderRow(order);
  }

  async tradeBook(): Promise<OpenAlgoTradeRow[]> {
    return tradeRows(this.orders.values());
  }

  async positionBook(): Promise<OpenAlgoPositionRow[]> {
    const books = this.positionBooks();
    const prices = await this.prices([...books.values()].map((b) => b.row));
    return positionRows(books, this.positionBooks(istToday(this.now())), prices);
  }

  async holdings(): Promise<{ holdings: OpenAlgoHoldingRow[]; statistics: HoldingsStatistics }> {
    const books = this.positionBooks();
    const held = heldBefore(books, this.positionBooks(istToday(this.now())));
    return holdingsOf(books, held, await this.prices(held.map(([, b]) => b.row)));
  }

  async funds(): Promise<OpenAlgoFunds> {
    const books = this.positionBooks();
    const prices = await this.prices([...books.values()].filter((b) => b.net !== 0).map((b) => b.row));
    return paperFunds(this.options.capital, books, this.orders.values(), prices);
  }
}
