import { ValidationError, XtsBridgeError } from "../errors.js";
import { exchangeInfo, parseExchange } from "../instruments/exchanges.js";
import type { Logger } from "../logger.js";
import type { Resolver } from "../resolver/resolver.js";
import { detachedRow } from "../resolver/contract-columns.js";
import type { SymbolRow } from "../store/types.js";
import type { StreamInstrument } from "../xts/stream/market-stream.js";
import { unixMsOfXtsSeconds, type XtsLevel, type XtsStreamCode, type XtsTick } from "../xts/stream/ticks.js";

/** OpenAlgo's modes: 1 LTP, 2 Quote, 3 Depth (streaming-and-market-data.md §4). */
export type FeedMode = 1 | 2 | 3;

const MODE_NAMES: Readonly<Record<string, FeedMode>> = { "1": 1, "2": 2, "3": 3, ltp: 1, quote: 2, depth: 3 };

/** 1|2|3, or the names LTP, Quote, Depth in any case; anything else names the field and the allowed values. */
export function parseMode(value: unknown): FeedMode {
  const key = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim().toLowerCase() : "";
  const mode = Object.hasOwn(MODE_NAMES, key) ? MODE_NAMES[key] : undefined;
  if (mode === undefined) throw new ValidationError("mode", `mode ${JSON.stringify(value ?? null)} is not one of 1, 2, 3, LTP, Quote, Depth`);
  return mode;
}

/** Whoever receives ticks (one OpenAlgo WebSocket client, or the Redis publisher). */
export interface FeedSubscriber {
  /** `key` identifies symbol and mode: a newer message with the same key supersedes an unsent one. */
  deliver(key: string, message: string): void;
}

/** Subscribing and unsubscribing at XTS; the market-data socket locally, the primary on a replica. */
export interface MarketUpstream {
  subscribe(list: readonly StreamInstrument[]): Promise<void>;
  unsubscribe(list: readonly StreamInstrument[]): Promise<void>;
}

export interface FeedOptions {
  readonly broker: string;
  /** The message code behind LTP mode: 1501 touchline (every XTS build) or 1512 (newer ones). */
  readonly ltpCode: 1501 | 1512;
  readonly now?: () => number;
  readonly logger?: Logger;
}

interface Snapshot {
  ltp: number | null;
  ltq: number;
  ltt: number;
  volume: number | null;
  open: number;
  high: number;
  low: number;
  close: number;
  averagePrice: number;
  totalBuyQuantity: number;
  totalSellQuantity: number;
  bids: readonly XtsLevel[] | null;
  asks: readonly XtsLevel[] | null;
  oi: number | null;
}

interface Watched {
  readonly row: SymbolRow;
  readonly segment: number;
  readonly oi: boolean;
  readonly snapshot: Snapshot;
  readonly subscribers: Map<FeedSubscriber, Set<FeedMode>>;
}

export type SubscribeResult = { readonly ok: true; readonly row: SymbolRow } | { readonly ok: false; readonly error: XtsBridgeError };

export interface FeedStats {
  readonly instruments: number;
  readonly subscribers: number;
  readonly upstream: number;
  readonly ticks: number;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * OpenAlgo market data from XTS ticks: which client wants which symbol in which mode, one
 * upstream subscription per instrument and message code however many clients share it
 * (subscribed at XTS for the first, unsubscribed after the last), and the latest figures per
 * instrument, merged from every code, so a Depth subscription also serves LTP and Quote. Each tick
 * is serialised once per mode and handed to every subscriber of that mode.
 */
export class MarketFeed {
  private readonly watched = new Map<string, Watched>();
  /** `segment:token` → the watched entries (an index and a stock can share a segment, never a token). */
  private readonly byInstrument = new Map<string, Watched>();
  /** Upstream subscriptions: how many (subscriber, mode) pairs need each, and when XTS confirmed it. */
  private readonly references = new Map<string, { readonly instrument: StreamInstrument; count: number; ready: Promise<void> }>();
  private readonly counts = new Map<FeedSubscriber, number>();
  private ticks = 0;
  private readonly now: () => number;

  constructor(
    private readonly upstream: MarketUpstream,
    private readonly resolver: Resolver,
    private readonly options: FeedOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  stats(): FeedStats {
    const subscribers = new Set<FeedSubscriber>();
    for (const w of this.watched.values()) for (const s of w.subscribers.keys()) subscribers.add(s);
    return { instruments: this.watched.size, subscribers: subscribers.size, upstream: this.references.size, ticks: this.ticks };
  }

  private codesOf(mode: FeedMode, oi: boolean): XtsStreamCode[] {
    if (mode === 1) return [this.options.ltpCode];
    if (mode === 2) return [1501];
    return oi ? [1502, 1510] : [1502];
  }

  /** One symbol; throws what subscribeMany would report for it. */
  async subscribe(subscriber: FeedSubscriber, symbol: string, exchange: string, mode: FeedMode): Promise<SymbolRow> {
    const [result] = await this.subscribeMany(subscriber, [{ symbol, exchange }], mode);
    if (!result!.ok) throw result!.error;
    return result!.row;
  }

  /**
   * Adds symbols in one mode for a subscriber, with one upstream subscription request for all the
   * new ones (XTS takes 50 a request; not one blocking POST per symbol). Each symbol's result is
   * its row, or its error (SYMBOL_NOT_FOUND, the upstream's failure); nothing is kept for a failed
   * one. The latest known figures of each are sent at once.
   */
  async subscribeMany(subscriber: FeedSubscriber, symbols: readonly { symbol: string; exchange: string }[], mode: FeedMode): Promise<SubscribeResult[]> {
    const results: SubscribeResult[] = [];
    const adding: { index: number; watched: Watched; wanted: StreamInstrument[] }[] = [];
    for (const [index, { symbol, exchange }] of symbols.entries()) {
      let row: SymbolRow;
      try {
        row = this.resolver.resolve(symbol, exchange);
      } catch (error) {
        if (!(error instanceof XtsBridgeError)) throw error;
        results.push({ ok: false, error });
        continue;
      }
      const watched = this.watch(row);
      results.push({ ok: true, row });
      if (watched.subscribers.get(subscriber)?.has(mode) === true || adding.some((a) => a.watched === watched)) continue;
      adding.push({ index, watched, wanted: this.codesOf(mode, watched.oi).map((code) => ({ segment: watched.segment, token: row.token, code })) });
    }
    const wanted = adding.flatMap((a) => a.wanted);
    try {
      // A subscription another client started is waited for too: its failure is this one's.
      await Promise.all(this.retain(wanted));
    } catch (error) {
      this.release(wanted);
      for (const a of adding) {
        this.unwatchIfUnused(a.watched);
        results[a.index] = { ok: false, error: error instanceof XtsBridgeError ? error : new XtsBridgeError("XTS_UNAVAILABLE", `subscribing at XTS failed: ${(error as Error).message}`) };
      }
      return results;
    }
    for (const { watched } of adding) {
      const modes = watched.subscribers.get(subscriber) ?? new Set<FeedMode>();
      modes.add(mode);
      watched.subscribers.set(subscriber, modes);
      this.counts.set(subscriber, (this.counts.get(subscriber) ?? 0) + 1);
      const message = this.message(watched, mode);
      if (message !== null) subscriber.deliver(`${watched.row.exchange}:${watched.row.symbol}:${mode}`, message);
    }
    return results;
  }

  /** The instrument's entry, created (and findable by its ticks) on first use. */
  private watch(looked: SymbolRow): Watched {
    const found = this.watched.get(`${looked.exchange}:${looked.symbol}`);
    if (found !== undefined) return found;
    // Held for as long as anyone subscribes, across refreshes: a copy that does not keep the index's text alive.
    const row = detachedRow(looked);
    const key = `${row.exchange}:${row.symbol}`;
    const info = exchangeInfo(parseExchange(row.exchange));
    const watched: Watched = {
      row,
      segment: info.quoteSegmentCode,
      oi: info.openInterest,
      snapshot: { ltp: null, ltq: 0, ltt: 0, volume: null, open: 0, high: 0, low: 0, close: 0, averagePrice: 0, totalBuyQuantity: 0, totalSellQuantity: 0, bids: null, asks: null, oi: info.openInterest ? null : 0 },
      subscribers: new Map(),
    };
    this.watched.set(key, watched);
    this.byInstrument.set(`${watched.segment}:${row.token}`, watched);
    return watched;
  }

  private unwatchIfUnused(watched: Watched): void {
    if (watched.subscribers.size > 0) return;
    this.watched.delete(`${watched.row.exchange}:${watched.row.symbol}`);
    this.byInstrument.delete(`${watched.segment}:${watched.row.token}`);
  }

  /** Removes one symbol (in one mode, or all of its modes); unknown subscriptions are a no-op answering false. */
  async unsubscribe(subscriber: FeedSubscriber, symbol: string, exchange: string, mode?: FeedMode): Promise<boolean> {
    const row = this.resolver.resolve(symbol, exchange);
    const key = `${row.exchange}:${row.symbol}`;
    const watched = this.watched.get(key);
    const modes = watched?.subscribers.get(subscriber);
    if (watched === undefined || modes === undefined) return false;
    const leaving = mode === undefined ? [...modes] : modes.has(mode) ? [mode] : [];
    if (leaving.length === 0) return false;
    for (const m of leaving) modes.delete(m);
    this.counts.set(subscriber, (this.counts.get(subscriber) ?? leaving.length) - leaving.length);
    if (modes.size === 0) watched.subscribers.delete(subscriber);
    this.unwatchIfUnused(watched);
    await this.releaseUpstream(leaving.flatMap((m) => this.codesOf(m, watched.oi).map((code) => ({ segment: watched.segment, token: watched.row.token, code }))));
    return true;
  }

  /** Everything of one subscriber (it closed, or asked for unsubscribe_all). */
  async unsubscribeAll(subscriber: FeedSubscriber): Promise<number> {
    let removed = 0;
    const released: StreamInstrument[] = [];
    for (const watched of [...this.watched.values()]) {
      const modes = watched.subscribers.get(subscriber);
      if (modes === undefined) continue;
      removed += modes.size;
      for (const m of modes) for (const code of this.codesOf(m, watched.oi)) released.push({ segment: watched.segment, token: watched.row.token, code });
      watched.subscribers.delete(subscriber);
      this.unwatchIfUnused(watched);
    }
    this.counts.delete(subscriber);
    await this.releaseUpstream(released);
    return removed;
  }

  /** The latest traded price the feed holds for a contract row, or null (not watched, or no tick yet). */
  lastPrice(row: Pick<SymbolRow, "exchange" | "symbol">): number | null {
    return this.watched.get(`${row.exchange}:${row.symbol}`)?.snapshot.ltp ?? null;
  }

  /** Subscriptions (symbol × mode) a subscriber holds. */
  countOf(subscriber: FeedSubscriber): number {
    return this.counts.get(subscriber) ?? 0;
  }

  private async releaseUpstream(list: readonly StreamInstrument[]): Promise<void> {
    const gone = this.release(list);
    if (gone.length === 0) return;
    try {
      await this.upstream.unsubscribe(gone);
    } catch (error) {
      // The client is gone either way; XTS keeps streaming what nobody reads until the next reconnect.
      if (!(error instanceof XtsBridgeError)) throw error;
      this.options.logger?.warn({ err: error, instruments: gone.length }, "unsubscribing at XTS failed; its ticks are dropped until the next reconnect");
    }
  }

  /** Counts the list in, subscribing upstream what was not; answers when each is confirmed. */
  private retain(list: readonly StreamInstrument[]): Promise<void>[] {
    const fresh: StreamInstrument[] = [];
    const waits: Promise<void>[] = [];
    const refs: { ready: Promise<void> }[] = [];
    for (const instrument of list) {
      const key = `${instrument.segment}:${instrument.token}:${instrument.code}`;
      const ref = this.references.get(key);
      if (ref === undefined) {
        const created = { instrument, count: 1, ready: Promise.resolve() };
        this.references.set(key, created);
        refs.push(created);
        fresh.push(instrument);
      } else {
        ref.count += 1;
        waits.push(ref.ready);
      }
    }
    if (fresh.length > 0) {
      const ready = this.upstream.subscribe(fresh);
      // Never unhandled: each waiter handles it, and a failed subscription is dropped by release().
      ready.catch(() => undefined);
      for (const ref of refs) ref.ready = ready;
      waits.push(ready);
    }
    return waits;
  }

  /** Counts the list out; answers the instruments nobody wants any more. */
  private release(list: readonly StreamInstrument[]): StreamInstrument[] {
    const gone: StreamInstrument[] = [];
    for (const instrument of list) {
      const key = `${instrument.segment}:${instrument.token}:${instrument.code}`;
      const ref = this.references.get(key);
      if (ref === undefined) continue;
      ref.count -= 1;
      if (ref.count === 0) {
        this.references.delete(key);
        gone.push(instrument);
      }
    }
    return gone;
  }

  /** One XTS tick: merged into the instrument's figures, then sent to each of its subscribers in their modes. */
  onTick(tick: XtsTick): void {
    const watched = this.byInstrument.get(`${tick.segment}:${tick.token}`);
    if (watched === undefined) return;
    this.ticks += 1;
    const s = watched.snapshot;
    switch (tick.code) {
      case 1501:
      case 1502: {
        const t = tick.touchline;
        s.ltp = t.ltp;
        s.ltq = t.ltq;
        s.ltt = t.ltt;
        s.volume = t.volume;
        s.open = t.open;
        s.high = t.high;
        s.low = t.low;
        s.close = t.close;
        s.averagePrice = t.averagePrice;
        s.totalBuyQuantity = t.totalBuyQuantity;
        s.totalSellQuantity = t.totalSellQuantity;
        if (tick.code === 1502) {
          s.bids = tick.bids;
          s.asks = tick.asks;
        }
        break;
      }
      case 1510:
        s.oi = tick.openInterest;
        break;
      case 1512:
        s.ltp = tick.ltp;
        s.ltq = tick.ltq;
        s.ltt = tick.ltt;
        break;
    }
    const texts = new Map<FeedMode, string | null>();
    const key = `${watched.row.exchange}:${watched.row.symbol}`;
    for (const [subscriber, modes] of watched.subscribers) {
      for (const mode of modes) {
        let text = texts.get(mode);
        if (text === undefined) {
          text = this.message(watched, mode);
          texts.set(mode, text);
        }
        if (text !== null) subscriber.deliver(`${key}:${mode}`, text);
      }
    }
  }

  /**
   * OpenAlgo's `market_data` message for one mode, or null while a figure it needs has not
   * arrived (a Depth message waits for the first depth tick; nothing is sent as 0 meanwhile).
   */
  private message(watched: Watched, mode: FeedMode): string | null {
    const s = watched.snapshot;
    if (s.ltp === null) return null;
    const { symbol, exchange } = watched.row;
    const data: Record<string, unknown> = { symbol, exchange, mode, ltp: s.ltp, ltt: unixMsOfXtsSeconds(s.ltt), ltq: s.ltq, timestamp: this.now() };
    if (mode >= 2) {
      if (s.volume === null) return null;
      Object.assign(data, {
        volume: s.volume,
        open: s.open,
        high: s.high,
        low: s.low,
        close: s.close,
        last_quantity: s.ltq,
        average_price: round2(s.averagePrice),
        total_buy_quantity: s.totalBuyQuantity,
        total_sell_quantity: s.totalSellQuantity,
      });
    }
    if (mode === 3) {
      if (s.bids === null || s.asks === null || s.oi === null) return null;
      const side = (levels: readonly XtsLevel[]) => levels.slice(0, 5).map((l) => ({ price: l.price, quantity: l.size, orders: l.orders }));
      Object.assign(data, {
        oi: s.oi,
        upper_circuit: watched.row.upper_circuit,
        lower_circuit: watched.row.lower_circuit,
        depth: { buy: side(s.bids), sell: side(s.asks) },
      });
    }
    return JSON.stringify({ type: "market_data", symbol, exchange, mode, broker: this.options.broker, data });
  }
}
