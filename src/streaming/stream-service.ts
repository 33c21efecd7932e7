import type { Logger } from "../logger.js";
import { exchangeOf, type TokenLookup } from "../orders/books.js";
import type { LiveBooks } from "../orders/live-books.js";
import type { Resolver } from "../resolver/resolver.js";
import type { XtsClient } from "../xts/client/create-client.js";
import { XtsInteractiveStream, type InteractiveStreamStatus } from "../xts/stream/interactive-stream.js";
import { XtsMarketStream, type MarketStreamStatus } from "../xts/stream/market-stream.js";
import type { LinkStatus } from "../xts/stream/socket-link.js";
import { MarketFeed, type FeedStats } from "./market-feed.js";
import { OrderFeed } from "./order-feed.js";

export interface StreamOptions {
  readonly broker: string;
  readonly ltpCode: 1501 | 1512;
  /** The slow reconcile of the live books with REST while the socket is up. Default 60 s. */
  readonly reconcileMs: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface StreamStatus {
  readonly market: MarketStreamStatus & { readonly feed: FeedStats };
  readonly interactive: InteractiveStreamStatus & { readonly booksHealthy: boolean; readonly orders: number; readonly orderUpdatesSent: number; readonly lastReconcileAt: number | null };
}

/**
 * The primary's streaming: the two XTS sockets, the market feed over the market-data socket, and
 * the live books and order feed over the interactive socket. Only the process that owns the XTS
 * session runs this (a replica serves its clients from the primary's Redis messages).
 */
export class StreamService {
  readonly market: XtsMarketStream;
  readonly interactive: XtsInteractiveStream;
  readonly feed: MarketFeed;
  readonly orders: OrderFeed;
  private timer: NodeJS.Timeout | null = null;
  private lastReconcileAt: number | null = null;

  constructor(
    private readonly xts: XtsClient,
    private readonly resolver: Resolver,
    readonly books: LiveBooks,
    private readonly logger: Logger,
    private readonly options: StreamOptions,
  ) {
    const backoff = { ...(options.baseDelayMs === undefined ? {} : { baseDelayMs: options.baseDelayMs }), ...(options.maxDelayMs === undefined ? {} : { maxDelayMs: options.maxDelayMs }) };
    const log = (name: string) => (status: LinkStatus) => logger.info({ socket: name, state: status.state, lastError: status.lastError }, `XTS ${name} socket: ${status.state}`);
    this.market = new XtsMarketStream(xts.market, (tick) => this.feed.onTick(tick), logger.child({ component: "market-stream" }), { ...backoff, onState: log("market") });
    this.feed = new MarketFeed(this.market, resolver, { broker: options.broker, ltpCode: options.ltpCode, logger: logger.child({ component: "market-feed" }) });
    this.interactive = new XtsInteractiveStream(
      xts.interactive,
      {
        onOrder: (entry) => books.applyOrder(entry),
        onTrade: (entry) => {
          if (books.applyTrade(entry)) this.positionsChanged();
        },
        onConnect: () => this.reconcile(),
      },
      logger.child({ component: "interactive-stream" }),
      {
        ...backoff,
        onState: (status) => {
          if (status.state !== "connected") books.markUnhealthy();
          log("interactive")(status);
        },
      },
    );
    const lookup: TokenLookup = (token, exchange) => resolver.findByToken(token, exchange);
    this.orders = new OrderFeed(books, lookup, options.broker, logger.child({ component: "order-feed" }));
  }

  start(): void {
    this.market.start();
    this.interactive.start();
    this.timer = setInterval(() => {
      if (!this.interactive.connected) return;
      this.reconcile().catch((error: unknown) => this.logger.warn({ err: error }, "the slow reconcile of the live books failed; they keep the events"));
    }, this.options.reconcileMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.positionsTimer !== null) clearTimeout(this.positionsTimer);
    this.positionsTimer = null;
    this.market.stop();
    this.interactive.stop();
    this.books.markUnhealthy();
  }

  /** One REST fetch of the order and trade books, merged into the live books. */
  private async reconcile(): Promise<void> {
    const [orders, trades] = await Promise.all([this.xts.interactive.orderBook(), this.xts.interactive.tradeBook()]);
    const { changed } = this.books.reconcile(orders, trades);
    this.lastReconcileAt = Date.now();
    this.logger.info({ orders: orders.length, trades: trades.length, changed }, "live books reconciled with the REST books");
    this.positionsChanged();
  }

  /** Ticks for the instruments held, so positions' ltp and P&L move with the market. */
  private readonly positionWatcher = { deliver: () => undefined };
  private positionsTimer: NodeJS.Timeout | null = null;

  /** After a fill (or a reconnect): look at the positions once things settle, and watch any new instrument. */
  private positionsChanged(): void {
    if (this.positionsTimer !== null) return;
    this.positionsTimer = setTimeout(() => {
      this.positionsTimer = null;
      this.watchPositions().catch((error: unknown) => this.logger.warn({ err: error }, "could not read the positions to stream their prices"));
    }, 200);
    this.positionsTimer.unref();
  }

  private async watchPositions(): Promise<void> {
    const positions = await this.xts.interactive.positions("NetWise");
    const symbols: { symbol: string; exchange: string }[] = [];
    for (const p of positions) {
      const row = this.resolver.findByToken(p.ExchangeInstrumentID, exchangeOf(p.ExchangeSegment));
      if (row !== undefined) symbols.push({ symbol: row.symbol, exchange: row.exchange });
    }
    if (symbols.length > 0) await this.feed.subscribeMany(this.positionWatcher, symbols, 1);
  }

  status(): StreamStatus {
    return {
      market: { ...this.market.status(), feed: this.feed.stats() },
      interactive: {
        ...this.interactive.status(),
        booksHealthy: this.books.isHealthy,
        orders: this.books.size,
        orderUpdatesSent: this.orders.messagesSent,
        lastReconcileAt: this.lastReconcileAt,
      },
    };
  }
}
