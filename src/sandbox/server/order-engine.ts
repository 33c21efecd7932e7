import type { GeneratedInstrument } from "../master/master-generator.js";
import { XtsHttpError } from "./envelope.js";
import { marginFor } from "./margin.js";
import type { MarketPrices } from "./market-prices.js";
import { orderRecord, type XtsOrderRecord } from "./order-records.js";
import { ORDER_ERRORS as E, type OrderTerms, type SandboxOrderStatus, type XtsOrderSide, type XtsProductType } from "./order-types.js";
import type { ModifyOrderRequest, PlaceOrderRequest } from "./order-validation.js";

export interface SimOrder {
  readonly appOrderID: number;
  readonly clientID: string;
  readonly instrument: GeneratedInstrument;
  readonly side: XtsOrderSide;
  readonly apiOrderSource: string;
  readonly createdAt: number;
  terms: OrderTerms;
  orderUniqueIdentifier: string;
  status: SandboxOrderStatus;
  /** A stop order whose trigger has been hit; a triggered STOPLIMIT behaves as a limit order. */
  triggered: boolean;
  filledQuantity: number;
  averagePrice: number;
  exchangeOrderID: string;
  updatedAt: number;
  exchangeTransactAt: number;
  rejectReason: string;
  sequence: number;
  readonly history: XtsOrderRecord[];
}

export interface SimTrade {
  readonly executionID: string;
  readonly order: SimOrder;
  readonly quantity: number;
  readonly price: number;
  readonly time: number;
  /** The order record right after this fill. */
  readonly orderRecord: XtsOrderRecord;
}

export interface OrderEngineDeps {
  readonly loginID: string;
  readonly prices: MarketPrices;
  readonly now: () => number;
  /** Margin the client has left, with its open orders' blocked margin already taken off. */
  readonly availableMargin: (clientID: string) => number;
  /** Net quantity the client holds of an instrument and product (positive long, negative short). */
  readonly netPosition: (clientID: string, instrument: GeneratedInstrument, productType: XtsProductType) => number;
  readonly onFill: (trade: SimTrade) => void;
  /** Every new state of an order, as the record the order book shows (the interactive socket's `order` event). */
  readonly onOrderEvent?: (order: SimOrder, record: XtsOrderRecord) => void;
}

const FIRST_APP_ORDER_ID = 1_100_000_001;
const FIRST_EXCHANGE_ORDER_ID = 1_000_000_000_000_001n;

function instrumentKey(instrument: GeneratedInstrument): string {
  return `${instrument.segment}:${instrument.token}`;
}

/**
 * The sandbox exchange: orders per client, immediate fills for market orders, resting limit and
 * stop orders that fill when the simulated price crosses them. Orders always fill in full.
 */
export class OrderEngine {
  private orders = new Map<number, SimOrder>();
  private open = new Map<string, Set<SimOrder>>();
  private trades: SimTrade[] = [];
  private nextAppOrderID = FIRST_APP_ORDER_ID;
  private nextExchangeOrderID = FIRST_EXCHANGE_ORDER_ID;
  private nextExecution = 1;
  private sequence = 0;

  constructor(private readonly deps: OrderEngineDeps) {}

  place(clientID: string, request: PlaceOrderRequest): SimOrder {
    const now = this.deps.now();
    const order: SimOrder = {
      appOrderID: this.nextAppOrderID++,
      clientID,
      instrument: request.instrument,
      side: request.side,
      apiOrderSource: request.apiOrderSource,
      createdAt: now,
      terms: request.terms,
      orderUniqueIdentifier: request.orderUniqueIdentifier,
      status: "New",
      triggered: false,
      filledQuantity: 0,
      averagePrice: 0,
      exchangeOrderID: "",
      updatedAt: now,
      exchangeTransactAt: now,
      rejectReason: "",
      sequence: 0,
      history: [],
    };
    this.orders.set(order.appOrderID, order);
    // Only the part of an order that adds exposure needs margin: selling out of a long frees it.
    const held = this.deps.netPosition(clientID, order.instrument, order.terms.productType);
    const signed = order.side === "BUY" ? order.terms.quantity : -order.terms.quantity;
    const added = Math.max(0, Math.abs(held + signed) - Math.abs(held));
    const required = marginFor(order.instrument, order.terms.productType, added, this.referencePrice(order));
    const available = this.deps.availableMargin(clientID);
    if (required > available) {
      // XTS accepts the request and the RMS rejects the order afterwards: the book shows it Rejected.
      order.status = "Rejected";
      order.rejectReason = `RMS:Margin Exceeds, Required: ${required.toFixed(2)}, Available: ${available.toFixed(2)}`;
      this.snapshot(order);
      return order;
    }
    order.exchangeOrderID = String(this.nextExchangeOrderID++);
    this.snapshot(order);
    this.track(order);
    this.evaluate(order, false);
    return order;
  }

  /** The order a client may act on; another client's order is as unknown as a missing one. */
  find(clientID: string, appOrderID: number): SimOrder {
    const order = this.orders.get(appOrderID);
    if (order === undefined || order.clientID !== clientID) {
      throw new XtsHttpError(400, E.unknownOrder, `Order ${appOrderID} not found`, {});
    }
    return order;
  }

  modify(clientID: string, request: ModifyOrderRequest): SimOrder {
    const order = this.openOrder(clientID, request.appOrderID, "modified");
    order.terms = request.terms;
    if (request.orderUniqueIdentifier !== undefined) order.orderUniqueIdentifier = request.orderUniqueIdentifier;
    order.triggered = false;
    order.updatedAt = this.deps.now();
    this.snapshot(order);
    this.evaluate(order, false);
    return order;
  }

  cancel(clientID: string, appOrderID: number): SimOrder {
    const order = this.openOrder(clientID, appOrderID, "cancelled");
    this.close(order, "Cancelled");
    return order;
  }

  /** Cancels the client's open orders in one instrument; returns the cancelled ids. */
  cancelAll(clientID: string, instrument: GeneratedInstrument): number[] {
    const targets = [...(this.open.get(instrumentKey(instrument)) ?? [])].filter((order) => order.clientID === clientID);
    for (const order of targets) this.close(order, "Cancelled");
    return targets.map((order) => order.appOrderID);
  }

  /** Re-checks resting orders after the instrument's price moved; returns the orders that filled. */
  priceMoved(instrument: GeneratedInstrument): SimOrder[] {
    const resting = [...(this.open.get(instrumentKey(instrument)) ?? [])];
    return resting.filter((order) => {
      this.evaluate(order, true);
      return order.status === "Filled";
    });
  }

  ordersOf(clientIDs: readonly string[]): SimOrder[] {
    return [...this.orders.values()].filter((order) => clientIDs.includes(order.clientID));
  }

  tradesOf(clientIDs: readonly string[]): SimTrade[] {
    return this.trades.filter((trade) => clientIDs.includes(trade.order.clientID));
  }

  openOrdersOf(clientID: string): SimOrder[] {
    const result: SimOrder[] = [];
    for (const orders of this.open.values()) for (const order of orders) if (order.clientID === clientID) result.push(order);
    return result;
  }

  all(): SimOrder[] {
    return [...this.orders.values()];
  }

  /** Forgets every order and trade; ids keep counting up so old ids never come back. */
  reset(): void {
    this.orders = new Map();
    this.open = new Map();
    this.trades = [];
  }

  /** The price margin is blocked at: the limit, else the trigger, else the market. */
  referencePrice(order: SimOrder): number {
    if (order.terms.limitPrice > 0) return order.terms.limitPrice;
    if (order.terms.stopPrice > 0) return order.terms.stopPrice;
    return this.deps.prices.ltp(order.instrument);
  }

  private openOrder(clientID: string, appOrderID: number, verb: string): SimOrder {
    const order = this.find(clientID, appOrderID);
    if (order.status !== "New") {
      throw new XtsHttpError(400, E.notOpen, `Order ${appOrderID} is ${order.status} and cannot be ${verb}`, {});
    }
    return order;
  }

  /**
   * Fills the order if the simulated price allows. An order that was resting on the book and is
   * crossed by a price move trades at its own limit; an order that is marketable on entry (or on
   * modification, or when its stop triggers) trades at the simulated price.
   */
  private evaluate(order: SimOrder, priceMove: boolean): void {
    if (order.status !== "New") return;
    const ltp = this.deps.prices.ltp(order.instrument);
    const { orderType, stopPrice, limitPrice } = order.terms;
    const buy = order.side === "BUY";
    let resting = priceMove;
    if ((orderType === "STOPLIMIT" || orderType === "STOPMARKET") && !order.triggered) {
      if (!(buy ? ltp >= stopPrice : ltp <= stopPrice)) return;
      order.triggered = true;
      resting = false;
    }
    if (orderType === "MARKET" || orderType === "STOPMARKET") {
      this.fill(order, ltp);
      return;
    }
    if (buy ? ltp <= limitPrice : ltp >= limitPrice) this.fill(order, resting ? limitPrice : ltp);
  }

  private fill(order: SimOrder, price: number): void {
    const quantity = order.terms.quantity - order.filledQuantity;
    order.averagePrice = price;
    order.filledQuantity += quantity;
    const now = this.deps.now();
    order.exchangeTransactAt = now;
    this.close(order, "Filled");
    const trade: SimTrade = {
      executionID: String(this.nextExecution++),
      order,
      quantity,
      price,
      time: now,
      orderRecord: order.history[order.history.length - 1]!,
    };
    this.trades.push(trade);
    this.deps.onFill(trade);
  }

  private close(order: SimOrder, status: "Filled" | "Cancelled"): void {
    order.status = status;
    order.updatedAt = this.deps.now();
    this.open.get(instrumentKey(order.instrument))?.delete(order);
    this.snapshot(order);
  }

  private track(order: SimOrder): void {
    const key = instrumentKey(order.instrument);
    let set = this.open.get(key);
    if (set === undefined) {
      set = new Set();
      this.open.set(key, set);
    }
    set.add(order);
  }

  private snapshot(order: SimOrder): void {
    order.sequence = ++this.sequence;
    const record = orderRecord(order, this.deps.loginID);
    order.history.push(record);
    this.deps.onOrderEvent?.(order, record);
  }
}
