import type { XtsOrderBookEntry, XtsOrderStatus, XtsTradeBookEntry } from "../xts/client/types.js";

const TERMINAL: ReadonlySet<XtsOrderStatus> = new Set(["Filled", "Cancelled", "Rejected", "Expired"]);

/** What one order event did to the book. */
export type OrderChange = "new" | "changed" | "duplicate" | "stale";

function sameState(a: XtsOrderBookEntry, b: XtsOrderBookEntry): boolean {
  return (
    a.OrderStatus === b.OrderStatus &&
    a.CumulativeQuantity === b.CumulativeQuantity &&
    a.OrderQuantity === b.OrderQuantity &&
    a.OrderPrice === b.OrderPrice &&
    a.OrderStopPrice === b.OrderStopPrice &&
    a.LastUpdateDateTime === b.LastUpdateDateTime &&
    a.CancelRejectReason === b.CancelRejectReason
  );
}

/**
 * An event older than what the book holds: a final state never goes back to a working one, and
 * the filled quantity never shrinks. (Events can come twice or out of order — after a reconnect,
 * or when a REST snapshot taken before an event lands after it.)
 */
function isStale(held: XtsOrderBookEntry, incoming: XtsOrderBookEntry): boolean {
  if (incoming.CumulativeQuantity < held.CumulativeQuantity) return true;
  return TERMINAL.has(held.OrderStatus) && !TERMINAL.has(incoming.OrderStatus);
}

/**
 * The account's order and trade books kept from the interactive socket's events and reconciled
 * with a REST fetch on every (re)connect and on a slow timer. `orders()` and `trades()` answer
 * only while the socket is up and a reconcile has completed since it came up; otherwise null, and
 * the caller reads REST — the book is never served from a stream that may have missed events.
 */
export class LiveBooks {
  private readonly orderMap = new Map<number, XtsOrderBookEntry>();
  private readonly tradeMap = new Map<string, XtsTradeBookEntry>();
  private healthy = false;
  private listeners = new Set<(entry: XtsOrderBookEntry, change: OrderChange) => void>();

  /** Called for every new or changed order, from an event or from a reconcile. */
  onChange(listener: (entry: XtsOrderBookEntry, change: OrderChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get isHealthy(): boolean {
    return this.healthy;
  }

  /** The socket went down: until the next reconcile the books answer null. */
  markUnhealthy(): void {
    this.healthy = false;
  }

  applyOrder(entry: XtsOrderBookEntry): OrderChange {
    const held = this.orderMap.get(entry.AppOrderID);
    let change: OrderChange;
    if (held === undefined) change = "new";
    else if (isStale(held, entry)) change = "stale";
    else if (sameState(held, entry)) change = "duplicate";
    else change = "changed";
    if (change === "new" || change === "changed") {
      this.orderMap.set(entry.AppOrderID, entry);
      for (const listener of this.listeners) listener(entry, change);
    }
    return change;
  }

  applyTrade(entry: XtsTradeBookEntry): boolean {
    const key = `${entry.AppOrderID}|${entry.CumulativeQuantity}|${entry.LastExecutionTransactTime ?? ""}|${entry.LastTradedQuantity ?? ""}`;
    if (this.tradeMap.has(key)) return false;
    this.tradeMap.set(key, entry);
    return true;
  }

  /**
   * Merges a REST snapshot: each row goes through the same rules as an event (a snapshot taken
   * before an event cannot undo it), and the books are served from now on.
   */
  reconcile(orders: readonly XtsOrderBookEntry[], trades: readonly XtsTradeBookEntry[]): { changed: number } {
    let changed = 0;
    for (const entry of orders) {
      const change = this.applyOrder(entry);
      if (change === "new" || change === "changed") changed += 1;
    }
    for (const trade of trades) this.applyTrade(trade);
    this.healthy = true;
    return { changed };
  }

  /** Orders in AppOrderID order (as placed), or null while the books cannot be trusted. */
  orders(): XtsOrderBookEntry[] | null {
    if (!this.healthy) return null;
    return [...this.orderMap.values()].sort((a, b) => a.AppOrderID - b.AppOrderID);
  }

  order(appOrderID: number): XtsOrderBookEntry | undefined | null {
    if (!this.healthy) return null;
    return this.orderMap.get(appOrderID);
  }

  trades(): XtsTradeBookEntry[] | null {
    if (!this.healthy) return null;
    return [...this.tradeMap.values()];
  }

  /** A new trading day (the daily token rollover): yesterday's books are not today's. */
  clear(): void {
    this.orderMap.clear();
    this.tradeMap.clear();
    this.healthy = false;
  }

  get size(): number {
    return this.orderMap.size;
  }
}
