import { exchangeInfo, parseExchange } from "../instruments/exchanges.js";
import type { Resolver } from "../resolver/resolver.js";
import { holdingsStatistics, orderStatistics, toFunds, toHoldingRow, toOrderRow, toPositionRow, toTradeRow, type TokenLookup } from "./books.js";
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
import { OrderNotFoundError } from "./order-errors.js";
import { parseOrderId } from "./translate.js";

/** The books in OpenAlgo's shapes: reads only, each mapped from XTS's typed records. */
export class BookQueries {
  constructor(
    private readonly client: OrderClient,
    private readonly resolver: Resolver,
    private readonly lookup: TokenLookup,
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
