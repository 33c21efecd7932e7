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
  /**
   * The orders in AppOrderID order, kept up to date in place: a changed order replaces its slot,
   * a new one (ids grow) is appended, so a read after a change costs no sort. Rebuilt (sorted) only
   * when an id arrives out of order. Changed in place: read it at once, do not keep it.
   */
  private sorted: XtsOrderBookEntry[] | null = [];
  private slots = new Map<number, number>();
  private changes = 0;
  private readonly tags = new Map<string, number>();
  private readonly tagWaiters = new Map<string, Set<() => void>>();

  /** Grows with every change of the order book, so a reader can keep what it derived from it. */
  get version(): number {
    return this.changes;
  }
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
      this.place(entry);
      this.changes += 1;
      if (entry.OrderUniqueIdentifier !== "") {
        this.tags.set(entry.OrderUniqueIdentifier, entry.AppOrderID);
        const waiters = this.tagWaiters.get(entry.OrderUniqueIdentifier);
        this.tagWaiters.delete(entry.OrderUniqueIdentifier);
        for (const wake of waiters ?? []) wake();
      }
      for (const listener of this.listeners) listener(entry, change);
    }
    return change;
  }

  private place(entry: XtsOrderBookEntry): void {
    if (this.sorted === null) return;
    const slot = this.slots.get(entry.AppOrderID);
    const last = this.sorted[this.sorted.length - 1];
    if (slot !== undefined) {
      this.sorted[slot] = entry;
    } else if (last === undefined || entry.AppOrderID > last.AppOrderID) {
      this.slots.set(entry.AppOrderID, this.sorted.length);
      this.sorted.push(entry);
    } else {
      this.sorted = null;
    }
  }

  /** The order seen under this tag (`orderUniqueIdentifier`), healthy or not: an event is a fact even if others were missed. */
  findByTag(tag: string): XtsOrderBookEntry | undefined {
    const id = this.tags.get(tag);
    return id === undefined ? undefined : this.orderMap.get(id);
  }

  /** Resolves when an order under `tag` is seen, or after `ms`; never rejects. */
  waitForTag(tag: string, ms: number): Promise<void> {
    if (this.tags.has(tag)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.tagWaiters.get(tag) ?? new Set<() => void>();
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (waiters.size === 0 && this.tagWaiters.get(tag) === waiters) this.tagWaiters.delete(tag);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      waiters.add(wake);
      this.tagWaiters.set(tag, waiters);
    });
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
  orders(): readonly XtsOrderBookEntry[] | null {
    if (!this.healthy) return null;
    if (this.sorted === null) {
      this.sorted = [...this.orderMap.values()].sort((a, b) => a.AppOrderID - b.AppOrderID);
      this.slots = new Map(this.sorted.map((o, i) => [o.AppOrderID, i]));
    }
    return this.sorted;
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
    this.tags.clear();
    this.sorted = [];
    this.slots = new Map();
    this.changes += 1;
    this.healthy = false;
  }

  get size(): number {
    return this.orderMap.size;
  }
}
