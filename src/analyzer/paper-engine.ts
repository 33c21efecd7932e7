import { ValidationError, XtsBridgeError } from "../errors.js";
import { IST_OFFSET_MS } from "../instruments/ist.js";
import type { Logger } from "../logger.js";
import type { BatchItem } from "../orders/batch-orders.js";
import { holdingsStatistics, orderStatistics, type HoldingFigures } from "../orders/books.js";
import { KeyedLock } from "../orders/keyed-lock.js";
import { partId } from "../orders/multi-orders.js";
import type {
  HoldingsStatistics,
  ModifyRequest,
  OpenAlgoFunds,
  OpenAlgoHoldingRow,
  OpenAlgoOrderRow,
  OpenAlgoOrderStatus,
  OpenAlgoPositionRow,
  OpenAlgoTradeRow,
  OrderBookStatistics,
  OrderRequest,
  Product,
} from "../orders/openalgo-types.js";
import type { PlacedOrder } from "../orders/order-commands.js";
import { OrderNotFoundError } from "../orders/order-errors.js";
import { decideSmartOrder } from "../orders/smart-order.js";
import { largestSlice, slices, validateOrder } from "../orders/translate.js";
import type { Resolver } from "../resolver/resolver.js";
import type { PaperStore } from "../store/paper-store.js";
import type { SymbolRow } from "../store/types.js";

/** A paper order as stored: the request, its state, and its one fill (no partial fills). */
export interface PaperOrder extends Omit<OrderRequest, "disclosed_quantity"> {
  readonly orderid: string;
  readonly tag: string;
  readonly status: OpenAlgoOrderStatus;
  readonly average_price: number;
  readonly filled_quantity: number;
  readonly rejection_reason?: string;
  /** Margin held while the order is open (released when it fills, is cancelled or rejected). */
  readonly blocked: number;
  readonly placed_at: number;
  readonly updated_at: number;
  readonly filled_at: number | null;
}

/** Live prices from the broker: rows with no trade yet are left out (their price is unknown, not 0). */
export type LivePrices = (rows: readonly SymbolRow[]) => Promise<ReadonlyMap<SymbolRow, number>>;

export interface PaperOptions {
  /** Starting funds, rupees (OpenAlgo's sandbox: one crore). */
  readonly capital: number;
  /** How often open orders are checked against the market. */
  readonly checkMs: number;
}

export const PAPER_DEFAULTS: PaperOptions = { capital: 10_000_000, checkMs: 5_000 };

/** Margin as a share of notional value: OpenAlgo's sandbox model (MIS 5× leverage, NRML and CNC 1×). */
const MARGIN_FACTOR: Readonly<Record<Product, number>> = { MIS: 0.2, NRML: 1, CNC: 1 };

interface Book {
  net: number;
  average: number;
  realized: number;
  row: SymbolRow;
  product: Product;
}

const round2 = (v: number): number => Math.round(v * 100) / 100;
const money = (v: number): string => round2(v).toFixed(2);
const istDay = (ms: number): string => new Date(ms + IST_OFFSET_MS).toISOString().slice(0, 10);
const isOpen = (o: PaperOrder): boolean => o.status === "open" || o.status === "trigger pending";

/** The IST wall-clock time an order book shows, `DD-MM-YYYY HH:mm:ss` as OpenAlgo's XTS books do. */
function bookTime(ms: number): string {
  const t = new Date(ms + IST_OFFSET_MS).toISOString();
  return `${t.slice(8, 10)}-${t.slice(5, 7)}-${t.slice(0, 4)} ${t.slice(11, 19)}`;
}

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
    const day = istDay(now).slice(2).replace(/-/g, "");
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
    {
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
      const refusal = this.refusal(base, row, ltp);
      if (refusal !== null) {
        const rejected = await this.save({ ...base, status: "rejected", rejection_reason: refusal });
        return { orderid: rejected.orderid, orderUniqueIdentifier: requestId, reconciled: false };
      }
      const blocked = this.marginAdded(base, row, this.referencePrice(base, ltp));
      const saved = await this.save(this.evaluate({ ...base, blocked }, ltp));
      return { orderid: saved.orderid, orderUniqueIdentifier: requestId, reconciled: false };
    }
  }

  /** Why the RMS would refuse the order (stored as rejected, as XTS does), or null. */
  private refusal(order: PaperOrder, row: SymbolRow, ltp: number): string | null {
    const books = this.positionBooks();
    if (order.product === "CNC" && order.action === "SELL") {
      const held = books.get(`${row.exchange}|${row.symbol}|CNC`)?.net ?? 0;
      const pending = [...this.orders.values()].filter((o) => isOpen(o) && o.product === "CNC" && o.action === "SELL" && o.symbol === row.symbol && o.exchange === row.exchange).reduce((s, o) => s + o.quantity, 0);
      if (held - pending < order.quantity) return `CNC sell of ${order.quantity} exceeds the ${Math.max(0, held - pending)} held`;
    }
    const required = this.marginAdded(order, row, this.referencePrice(order, ltp));
    const available = this.available(books);
    if (required > available) return `Insufficient funds: margin required ${money(required)}, available ${money(available)}`;
    return null;
  }

  private referencePrice(order: Pick<PaperOrder, "price" | "trigger_price">, ltp: number): number {
    return order.price > 0 ? order.price : order.trigger_price > 0 ? order.trigger_price : ltp;
  }

  /** Margin for the part of an order that adds exposure: selling out of a long frees margin, it needs none. */
  private marginAdded(order: Pick<PaperOrder, "action" | "quantity" | "product" | "symbol" | "exchange">, row: SymbolRow, price: number): number {
    const net = this.positionBooks().get(`${row.exchange}|${row.symbol}|${order.product}`)?.net ?? 0;
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
      await this.save(this.evaluate({ ...next, blocked: this.marginAdded(next, row, this.referencePrice(next, ltp)) }, ltp));
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
        failed.push({ orderid: order.orderid, status: "error", code: error instanceof XtsBridgeError ? error.code : "INTERNAL_ERROR", message: error instanceof Error ? error.message : "unexpected failure" });
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
        report.push({ ...item, status: "error", code: error instanceof XtsBridgeError ? error.code : "INTERNAL_ERROR", message: error instanceof Error ? error.message : "unexpected failure" });
      }
    }
    return report;
  }

  /** Read, decide and place under one hold of the engine: two smart orders never act on one reading. */
  placeSmartOrder(order: OrderRequest, positionSize: number, requestId: string): Promise<{ placed: PlacedOrder } | { message: string }> {
    return this.serial(async () => {
      const row = this.resolver.resolve(order.symbol, order.exchange);
      const current = this.positionBooks().get(`${row.exchange}|${row.symbol}|${order.product}`)?.net ?? 0;
      const decision = decideSmartOrder(order.action, order.quantity, positionSize, current);
      if (decision.kind === "none") return { message: decision.message };
      return { placed: await this.place({ ...order, symbol: row.symbol, exchange: row.exchange, action: decision.action, quantity: decision.quantity }, requestId) };
    });
  }

  async openPosition(symbol: string, exchange: string, product: Product): Promise<number> {
    const row = this.resolver.resolve(symbol, exchange);
    return this.positionBooks().get(`${row.exchange}|${row.symbol}|${product}`)?.net ?? 0;
  }

  private toRow(o: PaperOrder): OpenAlgoOrderRow {
    return {
      action: o.action,
      symbol: o.symbol,
      exchange: o.exchange,
      orderid: o.orderid,
      product: o.product,
      quantity: o.quantity,
      price: o.price,
      pricetype: o.pricetype,
      order_status: o.status,
      trigger_price: o.trigger_price,
      timestamp: bookTime(o.updated_at),
      order_unique_identifier: o.tag,
      average_price: o.average_price,
      filled_quantity: o.filled_quantity,
      ...(o.rejection_reason === undefined ? {} : { rejection_reason: o.rejection_reason }),
    };
  }

  async orderBook(): Promise<{ orders: OpenAlgoOrderRow[]; statistics: OrderBookStatistics }> {
    const orders = [...this.orders.values()].map((o) => this.toRow(o));
    return { orders, statistics: orderStatistics(orders) };
  }

  async orderStatus(orderid: string): Promise<OpenAlgoOrderRow> {
    const order = this.orders.get(orderid.trim());
    if (order === undefined) throw new OrderNotFoundError(orderid);
    return this.toRow(order);
  }

  async tradeBook(): Promise<OpenAlgoTradeRow[]> {
    return this.filled().map((o) => ({
      action: o.action,
      symbol: o.symbol,
      exchange: o.exchange,
      orderid: o.orderid,
      product: o.product,
      quantity: o.filled_quantity,
      average_price: o.average_price,
      trade_value: round2(o.filled_quantity * o.average_price),
      timestamp: bookTime(o.filled_at!),
    }));
  }

  private filled(): PaperOrder[] {
    return [...this.orders.values()].filter((o) => o.status === "complete").sort((a, b) => a.filled_at! - b.filled_at! || a.orderid.localeCompare(b.orderid));
  }

  /** Net quantity, average price and realized P&L per (instrument, product), from the fills in order. */
  private positionBooks(before?: string): Map<string, Book> {
    const books = new Map<string, Book>();
    for (const o of this.filled()) {
      if (before !== undefined && istDay(o.filled_at!) >= before) continue;
      const key = `${o.exchange}|${o.symbol}|${o.product}`;
      let book = books.get(key);
      if (book === undefined) {
        book = { net: 0, average: 0, realized: 0, row: this.rowOf(o), product: o.product };
        books.set(key, book);
      }
      const signed = o.action === "BUY" ? o.filled_quantity : -o.filled_quantity;
      if (book.net === 0 || Math.sign(book.net) === Math.sign(signed)) {
        book.average = (book.average * Math.abs(book.net) + o.average_price * Math.abs(signed)) / (Math.abs(book.net) + Math.abs(signed));
        book.net += signed;
      } else {
        const closing = Math.min(Math.abs(book.net), Math.abs(signed));
        book.realized += closing * (o.average_price - book.average) * Math.sign(book.net);
        book.net += signed;
        if (book.net === 0) book.average = 0;
        else if (Math.sign(book.net) === Math.sign(signed)) book.average = o.average_price;
      }
    }
    return books;
  }

  private available(books: Map<string, Book>): number {
    const used = [...books.values()].reduce((s, b) => s + Math.abs(b.net) * b.average * MARGIN_FACTOR[b.product], 0);
    const blocked = [...this.orders.values()].filter(isOpen).reduce((s, o) => s + o.blocked, 0);
    const realized = [...books.values()].reduce((s, b) => s + b.realized, 0);
    return this.options.capital + realized - used - blocked;
  }

  /** Positions: every product's, except CNC bought on an earlier IST day (those are holdings). */
  async positionBook(): Promise<OpenAlgoPositionRow[]> {
    const today = istDay(this.now());
    const earlier = this.positionBooks(today);
    const books = [...this.positionBooks().entries()];
    const prices = await this.prices(books.map(([, b]) => b.row));
    return books.flatMap(([key, b]) => {
      const held = b.product === "CNC" ? Math.max(0, earlier.get(key)?.net ?? 0) : 0;
      const net = b.net - Math.min(held, Math.max(0, b.net));
      if (net === 0 && b.realized === 0) return [];
      const ltp = prices.get(b.row) ?? null;
      const unrealized = ltp === null ? 0 : (ltp - b.average) * net;
      return [{ symbol: b.row.symbol, exchange: b.row.exchange, product: b.product, quantity: net, average_price: money(net === 0 ? 0 : b.average), ltp, pnl: round2(b.realized + unrealized) }];
    });
  }

  async holdings(): Promise<{ holdings: OpenAlgoHoldingRow[]; statistics: HoldingsStatistics }> {
    const all = this.positionBooks();
    const held = [...this.positionBooks(istDay(this.now())).entries()].filter(([key, b]) => b.product === "CNC" && b.net > 0 && (all.get(key)?.net ?? 0) > 0);
    const prices = await this.prices(held.map(([, b]) => b.row));
    const items = held.map(([key, b]): HoldingFigures => {
      const quantity = Math.min(b.net, all.get(key)!.net);
      const ltp = prices.get(b.row) ?? null;
      const invested = quantity * b.average;
      const value = ltp === null ? null : quantity * ltp;
      const pnl = value === null ? null : round2(value - invested);
      return { row: { symbol: b.row.symbol, exchange: b.row.exchange, product: "CNC", quantity, pnl, pnlpercent: pnl === null || invested === 0 ? null : round2((pnl / invested) * 100) }, invested, value };
    });
    return { holdings: items.map((i) => i.row), statistics: holdingsStatistics(items) };
  }

  /** Funds of the paper account; unrealized M2M needs every open position's price, or the answer says which one is missing. */
  async funds(): Promise<OpenAlgoFunds> {
    const books = this.positionBooks();
    const open = [...books.values()].filter((b) => b.net !== 0);
    const prices = await this.prices(open.map((b) => b.row));
    let unrealized = 0;
    for (const b of open) {
      const ltp = prices.get(b.row);
      if (ltp === undefined) throw new XtsBridgeError("PRICE_UNAVAILABLE", `${b.row.symbol} on ${b.row.exchange} has no last traded price, so the paper account's M2M is unknown`, { retry: "safe" });
      unrealized += (ltp - b.average) * b.net;
    }
    const used = open.reduce((s, b) => s + Math.abs(b.net) * b.average * MARGIN_FACTOR[b.product], 0) + [...this.orders.values()].filter(isOpen).reduce((s, o) => s + o.blocked, 0);
    return {
      availablecash: money(this.available(books)),
      collateral: money(0),
      m2mrealized: money([...books.values()].reduce((s, b) => s + b.realized, 0)),
      m2munrealized: money(unrealized),
      utiliseddebits: money(used),
    };
  }
}
