import { exchangeInfo, parseExchange } from "../instruments/exchanges.js";
import type { Resolver } from "../resolver/resolver.js";
import { XtsBridgeError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { SymbolRow } from "../store/types.js";
import { exchangeOf, holdingInstrument, holdingsStatistics, orderStatistics, toFunds, toHoldingRow, toOrderRow, toPositionRow, toTradeRow, type TokenLookup } from "./books.js";
import type {
  HoldingsStatistics,
  OpenAlgoFunds,
  OpenAlgoHoldingRow,
  OpenAlgoOrderRow,
  OpenAlgoPositionRow,
  OpenAlgoTradeRow,
  OrderBookStatistics,
  Product,
} from "./openalgo-types.js";
import type { OrderClient } from "./order-commands.js";
import type { LiveBooks } from "./live-books.js";
import type { XtsOrderBookEntry } from "../xts/client/types.js";
import { OrderNotFoundError } from "./order-errors.js";
import { parseOrderId } from "./translate.js";

/** Last traded prices of contract rows, from market data (a row it cannot price is absent). */
export type LastPrices = (rows: readonly SymbolRow[]) => Promise<ReadonlyMap<SymbolRow, number>>;

/** The books in OpenAlgo's shapes: reads only, each mapped from XTS's typed records. */
export class BookQueries {
  constructor(
    private readonly client: OrderClient,
    private readonly resolver: Resolver,
    private readonly lookup: TokenLookup,
    private readonly logger: Logger,
    private readonly prices?: LastPrices,
    /** Books kept from the interactive socket; read while healthy, else REST. */
    private readonly live?: LiveBooks,
    /** Last prices from live ticks, which move positions' ltp and P&L. */
    private readonly livePrice?: (row: SymbolRow) => number | null,
  ) {}

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
    const live = this.live?.orders();
    if (live != null) {
      const version = `${this.live!.version}|${this.resolver.version}`;
      if (this.liveBook?.version !== version) {
        // A live entry is replaced, never changed, when its order changes: its row is mapped once.
        const orders = live.map((o) => this.liveRow(o));
        this.liveBook = { version, book: { orders, statistics: orderStatistics(orders) } };
      }
      return { orders: [...this.liveBook.book.orders], statistics: this.liveBook.book.statistics };
    }
    const orders = (await this.client.orderBook()).map((o) => toOrderRow(o, this.lookup));
    return { orders, statistics: orderStatistics(orders) };
  }

  /** The last live answer, kept until the book or the contract changes. */
  private liveBook: { version: string; book: { orders: OpenAlgoOrderRow[]; statistics: OrderBookStatistics } } | null = null;
  private liveRows = new WeakMap<XtsOrderBookEntry, OpenAlgoOrderRow>();
  private liveRowsVersion = -1;

  private liveRow(entry: XtsOrderBookEntry): OpenAlgoOrderRow {
    // A new contract may name a token differently: rows mapped under the old one are dropped.
    if (this.resolver.version !== this.liveRowsVersion) {
      this.liveRows = new WeakMap();
      this.liveRowsVersion = this.resolver.version;
    }
    let row = this.liveRows.get(entry);
    if (row === undefined) {
      row = toOrderRow(entry, this.lookup);
      this.liveRows.set(entry, row);
    }
    return row;
  }

  async orderStatus(orderid: string): Promise<OpenAlgoOrderRow> {
    const id = parseOrderId(orderid);
    const live = this.live?.order(id);
    // A live miss is not proof of absence (the event may be in flight): only REST says "not found".
    const entry = live ?? (await this.client.orderBook()).find((o) => o.AppOrderID === id);
    if (entry === undefined) throw new OrderNotFoundError(orderid);
    return toOrderRow(entry, this.lookup);
  }

  async tradeBook(): Promise<OpenAlgoTradeRow[]> {
    return (this.live?.trades() ?? (await this.client.tradeBook())).map((t) => toTradeRow(t, this.lookup));
  }

  async positionBook(): Promise<OpenAlgoPositionRow[]> {
    return (await this.client.positions("NetWise")).map((p) => {
      const row = this.livePrice === undefined ? undefined : this.lookup(p.ExchangeInstrumentID, exchangeOf(p.ExchangeSegment));
      return toPositionRow(p, this.lookup, row === undefined ? null : this.livePrice!(row));
    });
  }

  /**
   * Holdings with P&L. XTS's holdings may carry no last price (Jainam's do not); then it comes
   * from a quote of the instrument. If that quote fails too, P&L stays null (unknown), and the
   * holdings themselves are still answered.
   */
  async holdings(): Promise<{ holdings: OpenAlgoHoldingRow[]; statistics: HoldingsStatistics }> {
    const entries = await this.client.holdings();
    const rows = entries.map((h) => holdingInstrument(h, this.lookup));
    const prices = await this.lastPricesOf(entries.flatMap((h, i) => (h.LTP === null && rows[i] !== undefined ? [rows[i]] : [])));
    const items = entries.map((h, i) => toHoldingRow(h, this.lookup, rows[i] === undefined ? null : (prices.get(rows[i]) ?? null)));
    return { holdings: items.map((i) => i.row), statistics: holdingsStatistics(items) };
  }

  private async lastPricesOf(unpriced: readonly SymbolRow[]): Promise<ReadonlyMap<SymbolRow, number>> {
    if (this.prices === undefined || unpriced.length === 0) return new Map();
    try {
      return await this.prices([...new Set(unpriced)]);
    } catch (error) {
      if (!(error instanceof XtsBridgeError)) throw error;
      this.logger.warn({ code: error.code, holdings: unpriced.length }, `holdings answered without P&L: their quotes failed (${error.message})`);
      return new Map();
    }
  }

  async funds(): Promise<OpenAlgoFunds> {
    return toFunds(await this.client.balance());
  }
}
