import type { Logger } from "../logger.js";
import type { Resolver } from "../resolver/resolver.js";
import type { XtsPlaceOrderRequest } from "../xts/client/types.js";
import { BatchOrders, type BatchItem } from "./batch-orders.js";
import { BookQueries, type LastPrices } from "./book-queries.js";
import type { TokenLookup } from "./books.js";
import type { LiveBooks } from "./live-books.js";
import type { SymbolRow } from "../store/types.js";
import type { ModifyRequest, OrderRequest, Product } from "./openalgo-types.js";
import { OrderCommands, type OrderClient, type PlacedOrder } from "./order-commands.js";
import { SmartOrders } from "./smart-orders.js";

export type { BatchItem } from "./batch-orders.js";
export type { OrderClient, PlacedOrder } from "./order-commands.js";

export interface OrderServiceOptions {
  /** Order-book reads made to find an order whose outcome is unknown, and the pause between them. */
  readonly reconcileAttempts: number;
  readonly reconcileDelayMs: number;
  /** How long a smart order's unseen effect is assumed after it was acknowledged. */
  readonly settleWindowMs: number;
}

const DEFAULTS: OrderServiceOptions = { reconcileAttempts: 3, reconcileDelayMs: 400, settleWindowMs: 5_000 };

/**
 * OpenAlgo orders through XTS, as the API and the CLI use them: one object over the four parts
 * (order commands, batches, smart orders, book reads), which share one client, resolver and
 * reverse lookup.
 */
export class OrderService {
  readonly commands: OrderCommands;
  readonly batches: BatchOrders;
  readonly smart: SmartOrders;
  readonly books: BookQueries;

  /** `prices` prices holdings XTS sends without a last price; without it their P&L is null. */
  /** `live`: books kept from the interactive socket, read by orderbook/orderstatus/tradebook while healthy. */
  constructor(
    client: OrderClient,
    resolver: Resolver,
    logger: Logger,
    options: Partial<OrderServiceOptions> = {},
    prices?: LastPrices,
    live?: { readonly books: LiveBooks; readonly lastPrice: (row: SymbolRow) => number | null },
  ) {
    const o = { ...DEFAULTS, ...options };
    const lookup: TokenLookup = (token, exchange) => resolver.findByToken(token, exchange);
    this.commands = new OrderCommands(client, resolver, lookup, logger, o, live?.books);
    this.books = new BookQueries(client, resolver, lookup, logger, prices, live?.books, live?.lastPrice);
    this.batches = new BatchOrders(client, this.commands, lookup);
    this.smart = new SmartOrders(client, resolver, this.commands, this.books, o.settleWindowMs);
  }

  preview(order: OrderRequest, requestId: string): XtsPlaceOrderRequest {
    return this.commands.preview(order, requestId);
  }
  placeOrder(order: OrderRequest, requestId: string): Promise<PlacedOrder> {
    return this.commands.placeOrder(order, requestId);
  }
  modifyOrder(request: ModifyRequest, requestId: string): Promise<{ orderid: string }> {
    return this.commands.modifyOrder(request, requestId);
  }
  cancelOrder(orderid: string, requestId: string): Promise<{ orderid: string }> {
    return this.commands.cancelOrder(orderid, requestId);
  }
  cancelAllOrders(requestId: string): Promise<{ canceled: string[]; failed: BatchItem[] }> {
    return this.batches.cancelAllOrders(requestId);
  }
  closeAllPositions(requestId: string): Promise<BatchItem[]> {
    return this.batches.closeAllPositions(requestId);
  }
  placeSmartOrder(order: OrderRequest, positionSize: number, requestId: string): ReturnType<SmartOrders["placeSmartOrder"]> {
    return this.smart.placeSmartOrder(order, positionSize, requestId);
  }
  openPosition(symbol: string, exchange: string, product: Product): Promise<number> {
    return this.books.openPosition(symbol, exchange, product);
  }
  orderBook(): ReturnType<BookQueries["orderBook"]> {
    return this.books.orderBook();
  }
  orderStatus(orderid: string): ReturnType<BookQueries["orderStatus"]> {
    return this.books.orderStatus(orderid);
  }
  tradeBook(): ReturnType<BookQueries["tradeBook"]> {
    return this.books.tradeBook();
  }
  positionBook(): ReturnType<BookQueries["positionBook"]> {
    return this.books.positionBook();
  }
  holdings(): ReturnType<BookQueries["holdings"]> {
    return this.books.holdings();
  }
  funds(): ReturnType<BookQueries["funds"]> {
    return this.books.funds();
  }
}
