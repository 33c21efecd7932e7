import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { ERROR_CODES, XtsBridgeError, type ErrorCode } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Resolver } from "../resolver/resolver.js";
import type { FeedMode, FeedSubscriber, MarketFeed, SubscribeResult } from "./market-feed.js";
import type { OrderFeed, OrderListener } from "./order-feed.js";

/**
 * Streaming across processes over Redis pub/sub: the primary owns the XTS sockets; each replica
 * serves its own WebSocket clients. Channels, under `xtsbridge:{namespace}:`:
 * - `control`: replica → primary, JSON `{op, replica, …}` (`subscribe`, `unsubscribe`, `hello`, `bye`);
 * - `to:{replica}`: primary → one replica, `{key}\n{market_data JSON}` for ticks, or `\n{reply JSON}`;
 * - `orders`: primary → every replica, `order_update` JSON.
 * A replica says `hello` with everything it wants every few seconds, so a restarted primary picks
 * its subscriptions up again; a replica not heard from for three periods is dropped.
 */
const HELLO_MS = 5_000;

/** A code the primary sent, as one of ours; an unknown one (a newer primary) stays an upstream failure. */
function errorCode(code: string): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : "XTS_UNAVAILABLE";
}

interface Want {
  readonly symbol: string;
  readonly exchange: string;
  readonly mode: FeedMode;
}

type Control =
  | { op: "subscribe"; replica: string; id: string; symbols: { symbol: string; exchange: string }[]; mode: FeedMode }
  | { op: "unsubscribe"; replica: string; symbol: string; exchange: string; mode: FeedMode }
  | { op: "hello"; replica: string; wants: Want[] }
  | { op: "bye"; replica: string };

function channels(namespace: string) {
  const base = `xtsbridge:${namespace}:`;
  return { control: `${base}control`, orders: `${base}orders`, to: (replica: string) => `${base}to:${replica}` };
}

function connect(url: string, logger: Logger, role: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 5_000 });
  // ioredis reconnects by itself; an unheard error event would end the process.
  client.on("error", (error: Error) => logger.warn({ err: error, role }, "redis streaming connection failing; ioredis is reconnecting"));
  return client;
}

/** The primary's half: serves replicas' subscriptions from its feed and publishes its order updates. */
export class PrimaryBridge {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly replicas = new Map<string, { subscriber: FeedSubscriber; lastSeen: number }>();
  private readonly channels: ReturnType<typeof channels>;
  private sweep: NodeJS.Timeout | null = null;

  constructor(
    url: string,
    namespace: string,
    private readonly feed: MarketFeed,
    orders: OrderFeed,
    private readonly logger: Logger,
  ) {
    this.channels = channels(namespace);
    this.pub = connect(url, logger, "primary publisher");
    this.sub = connect(url, logger, "primary subscriber");
    orders.onMessage = (text) => void this.pub.publish(this.channels.orders, text).catch(() => undefined);
    this.sub.on("message", (_channel: string, text: string) => {
      let message: Control;
      try {
        message = JSON.parse(text) as Control;
      } catch {
        return;
      }
      this.control(message).catch((error: unknown) => this.logger.warn({ err: error }, "a replica's streaming request failed"));
    });
  }

  async start(): Promise<void> {
    await this.sub.subscribe(this.channels.control);
    this.sweep = setInterval(() => void this.dropSilent(), HELLO_MS);
    this.sweep.unref();
  }

  replicaCount(): number {
    return this.replicas.size;
  }

  private replica(id: string): FeedSubscriber {
    let entry = this.replicas.get(id);
    if (entry === undefined) {
      const channel = this.channels.to(id);
      const subscriber: FeedSubscriber = { deliver: (key, message) => void this.pub.publish(channel, `${key}\n${message}`).catch(() => undefined) };
      entry = { subscriber, lastSeen: Date.now() };
      this.replicas.set(id, entry);
      this.logger.info({ replica: id }, "a replica streams through this primary");
    }
    entry.lastSeen = Date.now();
    return entry.subscriber;
  }

  private async control(message: Control): Promise<void> {
    if (typeof message.replica !== "string") return;
    switch (message.op) {
      case "subscribe": {
        const results = await this.feed.subscribeMany(this.replica(message.replica), message.symbols, message.mode);
        const reply = results.map((r) => (r.ok ? { ok: true, symbol: r.row.symbol, exchange: r.row.exchange } : { ok: false, code: r.error.code, message: r.error.message }));
        await this.pub.publish(this.channels.to(message.replica), `\n${JSON.stringify({ reply: message.id, results: reply })}`);
        return;
      }
      case "unsubscribe":
        await this.feed.unsubscribe(this.replica(message.replica), message.symbol, message.exchange, message.mode);
        return;
      case "hello": {
        // Whatever the replica wants and this primary does not serve it yet (a primary restart) is subscribed again.
        const subscriber = this.replica(message.replica);
        const byMode = new Map<FeedMode, { symbol: string; exchange: string }[]>();
        for (const want of message.wants) byMode.set(want.mode, [...(byMode.get(want.mode) ?? []), { symbol: want.symbol, exchange: want.exchange }]);
        for (const [mode, symbols] of byMode) await this.feed.subscribeMany(subscriber, symbols, mode);
        return;
      }
      case "bye":
        await this.forget(message.replica);
        return;
    }
  }

  private async forget(id: string): Promise<void> {
    const entry = this.replicas.get(id);
    if (entry === undefined) return;
    this.replicas.delete(id);
    await this.feed.unsubscribeAll(entry.subscriber);
    this.logger.info({ replica: id }, "a replica stopped streaming; its subscriptions are released");
  }

  private async dropSilent(): Promise<void> {
    for (const [id, entry] of this.replicas) if (Date.now() - entry.lastSeen > 3 * HELLO_MS) await this.forget(id);
  }

  async close(): Promise<void> {
    if (this.sweep !== null) clearInterval(this.sweep);
    this.pub.disconnect();
    this.sub.disconnect();
  }
}

/**
 * The replica's half: a feed with MarketFeed's interface whose subscriptions are made by the
 * primary. Symbols are checked against the shared contract here; each (symbol, mode) is asked of
 * the primary once however many local clients want it, and released after the last.
 */
export class RemoteFeed {
  readonly id = `r${randomBytes(6).toString("hex")}`;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channels: ReturnType<typeof channels>;
  private readonly local = new Map<string, { want: Want; subscribers: Set<FeedSubscriber> }>();
  private readonly counts = new Map<FeedSubscriber, number>();
  private readonly pending = new Map<string, (results: ({ ok: true } | { ok: false; code: string; message: string })[]) => void>();
  private readonly orderListeners = new Set<OrderListener>();
  private hello: NodeJS.Timeout | null = null;
  private next = 0;

  constructor(
    url: string,
    namespace: string,
    private readonly resolver: Resolver,
    private readonly logger: Logger,
    private readonly replyTimeoutMs = 5_000,
  ) {
    this.channels = channels(namespace);
    this.pub = connect(url, logger, "replica publisher");
    this.sub = connect(url, logger, "replica subscriber");
    this.sub.on("message", (channel: string, text: string) => {
      if (channel === this.channels.orders) {
        for (const listener of this.orderListeners) listener.deliverOrder(text);
        return;
      }
      const cut = text.indexOf("\n");
      if (cut < 0) return;
      if (cut === 0) {
        // A garbled reply is dropped (the request then times out as unanswered), never thrown into ioredis.
        let reply: { reply?: unknown; results?: unknown };
        try {
          reply = JSON.parse(text.slice(1)) as typeof reply;
        } catch {
          this.logger.warn({ channel }, "an unreadable reply from the primary was dropped");
          return;
        }
        if (typeof reply.reply === "string" && Array.isArray(reply.results)) this.pending.get(reply.reply)?.(reply.results as never[]);
        return;
      }
      const key = text.slice(0, cut);
      const entry = this.local.get(key);
      if (entry === undefined) return;
      const message = text.slice(cut + 1);
      for (const subscriber of entry.subscribers) subscriber.deliver(key, message);
    });
  }

  async start(): Promise<void> {
    await this.sub.subscribe(this.channels.orders, this.channels.to(this.id));
    this.hello = setInterval(() => void this.send({ op: "hello", replica: this.id, wants: [...this.local.values()].map((e) => e.want) }), HELLO_MS);
    this.hello.unref();
  }

  private send(message: Control): Promise<unknown> {
    return this.pub.publish(this.channels.control, JSON.stringify(message)).catch((error: unknown) => this.logger.warn({ err: error }, "could not reach the primary over redis"));
  }

  countOf(subscriber: FeedSubscriber): number {
    return this.counts.get(subscriber) ?? 0;
  }

  async subscribeMany(subscriber: FeedSubscriber, symbols: readonly { symbol: string; exchange: string }[], mode: FeedMode): Promise<SubscribeResult[]> {
    const results: SubscribeResult[] = [];
    const ask: { index: number; key: string; want: Want }[] = [];
    for (const [index, s] of symbols.entries()) {
      try {
        const row = this.resolver.resolve(s.symbol, s.exchange);
        results.push({ ok: true, row });
        const key = `${row.exchange}:${row.symbol}:${mode}`;
        const entry = this.local.get(key);
        if (entry?.subscribers.has(subscriber) === true) continue;
        if (entry !== undefined) {
          entry.subscribers.add(subscriber);
          this.counts.set(subscriber, this.countOf(subscriber) + 1);
        } else if (!ask.some((a) => a.key === key)) {
          ask.push({ index, key, want: { symbol: row.symbol, exchange: row.exchange, mode } });
        }
      } catch (error) {
        if (!(error instanceof XtsBridgeError)) throw error;
        results.push({ ok: false, error });
      }
    }
    if (ask.length === 0) return results;
    const id = `${this.id}-${(this.next += 1)}`;
    const answered = new Promise<({ ok: true } | { ok: false; code: string; message: string })[] | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), this.replyTimeoutMs);
      this.pending.set(id, (replies) => {
        clearTimeout(timer);
        resolve(replies);
      });
    });
    // Listed first, so the ticks that follow the primary's reply find their subscribers.
    for (const a of ask) this.local.set(a.key, { want: a.want, subscribers: new Set([subscriber]) });
    await this.send({ op: "subscribe", replica: this.id, id, symbols: ask.map((a) => ({ symbol: a.want.symbol, exchange: a.want.exchange })), mode });
    const replies = await answered;
    this.pending.delete(id);
    ask.forEach((a, i) => {
      const reply = replies?.[i];
      if (reply?.ok === true) {
        this.counts.set(subscriber, this.countOf(subscriber) + 1);
        return;
      }
      this.local.delete(a.key);
      results[a.index] = {
        ok: false,
        error: reply === undefined ? new XtsBridgeError("XTS_UNAVAILABLE", `the primary did not answer within ${this.replyTimeoutMs} ms over redis`) : new XtsBridgeError(errorCode(reply.code), reply.message),
      };
    });
    return results;
  }

  async unsubscribe(subscriber: FeedSubscriber, symbol: string, exchange: string, mode?: FeedMode): Promise<boolean> {
    const row = this.resolver.resolve(symbol, exchange);
    let removed = false;
    for (const m of mode === undefined ? ([1, 2, 3] as const) : [mode]) removed = this.leave(subscriber, `${row.exchange}:${row.symbol}:${m}`) || removed;
    return removed;
  }

  async unsubscribeAll(subscriber: FeedSubscriber): Promise<number> {
    let removed = 0;
    for (const key of [...this.local.keys()]) if (this.leave(subscriber, key)) removed += 1;
    this.counts.delete(subscriber);
    return removed;
  }

  private leave(subscriber: FeedSubscriber, key: string): boolean {
    const entry = this.local.get(key);
    if (entry === undefined || !entry.subscribers.delete(subscriber)) return false;
    this.counts.set(subscriber, Math.max(0, this.countOf(subscriber) - 1));
    if (entry.subscribers.size === 0) {
      this.local.delete(key);
      void this.send({ op: "unsubscribe", replica: this.id, ...entry.want });
    }
    return true;
  }

  /** OrderFeed's interface for the WebSocket: order updates arrive from the primary. */
  readonly orders = {
    add: (listener: OrderListener): void => void this.orderListeners.add(listener),
    remove: (listener: OrderListener): boolean => this.orderListeners.delete(listener),
  };

  async close(): Promise<void> {
    if (this.hello !== null) clearInterval(this.hello);
    await this.send({ op: "bye", replica: this.id });
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
