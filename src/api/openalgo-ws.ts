import type { IncomingMessage, Server as HttpServer } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { ValidationError, XtsBridgeError } from "../errors.js";
import type { Logger } from "../logger.js";
import { parseMode, type FeedMode, type FeedSubscriber, type MarketFeed } from "../streaming/market-feed.js";
import type { OrderFeed, OrderListener } from "../streaming/order-feed.js";
import type { ApiKeys } from "./api-keys.js";

export interface WsLimits {
  /** Open connections one API key may hold. Default 10. */
  readonly connectionsPerKey: number;
  /** Symbol × mode subscriptions across one key's connections. Default 1,000 (OpenAlgo's per-socket limit). */
  readonly symbolsPerKey: number;
  /** Close a connection that has not authenticated within this time, with code 4401. Default 15 s. */
  readonly authTimeoutMs: number;
  /** Above this much unsent data a client's ticks wait (latest per symbol kept); default 1 MiB. */
  readonly highWaterBytes: number;
  /** A client that cannot take even its order updates is closed past this much unsent data; default 16 MiB. */
  readonly closeBytes: number;
}

export const DEFAULT_WS_LIMITS: WsLimits = Object.freeze({ connectionsPerKey: 10, symbolsPerKey: 1000, authTimeoutMs: 15_000, highWaterBytes: 1 << 20, closeBytes: 16 << 20 });

export interface WsDeps {
  readonly apiKeys: ApiKeys;
  readonly feed: Pick<MarketFeed, "subscribeMany" | "unsubscribe" | "unsubscribeAll" | "countOf">;
  readonly orders: Pick<OrderFeed, "add" | "remove">;
  readonly broker: string;
  readonly logger: Logger;
  readonly limits?: Partial<WsLimits>;
  /**
   * The API key of a signed-in dashboard page opening the socket (its session cookie, from its own
   * origin): such a client is authenticated as it connects, and never holds the key itself.
   */
  readonly sessionKey?: (req: IncomingMessage) => string | null;
}

interface SymbolRef {
  readonly symbol: string;
  readonly exchange: string;
  readonly mode?: unknown;
}

/**
 * One OpenAlgo WebSocket client. Ticks go through a queue that keeps only the latest message per
 * symbol and mode while the socket's buffer is above the high-water mark, so a slow client costs at
 * most one message per subscription, never an unbounded backlog; replies and order updates are
 * sent in order, and a client too slow even for those is closed.
 */
export class Client implements FeedSubscriber, OrderListener {
  keyId: number | null = null;
  keyName = "";
  private readonly pending = new Map<string, string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private flushQueued = false;
  superseded = 0;
  closed = false;

  constructor(
    readonly socket: Pick<WebSocket, "send" | "close" | "bufferedAmount">,
    private readonly limits: WsLimits,
  ) {}

  send(message: unknown): void {
    this.sendText(JSON.stringify(message));
  }

  sendText(text: string): void {
    if (this.closed) return;
    if (this.socket.bufferedAmount > this.limits.closeBytes) {
      this.closed = true;
      this.socket.close(1013, "client too slow: unsent data over the limit");
      return;
    }
    this.socket.send(text);
  }

  /** An order update: never dropped, sent in order. */
  deliverOrder(message: string): void {
    this.sendText(message);
  }

  /** A tick: queued, superseding an unsent one of the same symbol and mode. */
  deliver(key: string, message: string): void {
    if (this.closed) return;
    if (this.pending.size === 0 && !this.flushQueued && this.socket.bufferedAmount <= this.limits.highWaterBytes) {
      this.socket.send(message);
      return;
    }
    if (this.pending.has(key)) this.superseded += 1;
    this.pending.set(key, message);
    this.scheduleFlush(0);
  }

  private scheduleFlush(ms: number): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    const run = () => {
      this.flushQueued = false;
      this.flushTimer = null;
      this.flush();
    };
    if (ms === 0) setImmediate(run);
    else this.flushTimer = setTimeout(run, ms);
  }

  private flush(): void {
    if (this.closed) return;
    for (const [key, message] of this.pending) {
      if (this.socket.bufferedAmount > this.limits.highWaterBytes) {
        this.scheduleFlush(10);
        return;
      }
      this.pending.delete(key);
      this.socket.send(message);
    }
  }

  get queued(): number {
    return this.pending.size;
  }

  dispose(): void {
    this.closed = true;
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.pending.clear();
  }
}

function errorReply(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { status: "error", code, message, ...extra };
}

/** `symbols: [{symbol, exchange}]`, or a single `symbol`/`exchange` pair (OpenAlgo accepts both). */
function symbolsOf(message: Record<string, unknown>): SymbolRef[] {
  const list = message["symbols"];
  if (Array.isArray(list)) {
    return list.map((item, i) => {
      const entry = (item ?? {}) as Record<string, unknown>;
      if (typeof entry["symbol"] !== "string" || typeof entry["exchange"] !== "string") {
        throw new ValidationError(`symbols[${i}]`, `symbols[${i}] must be {"symbol": "...", "exchange": "..."}`);
      }
      return { symbol: entry["symbol"], exchange: entry["exchange"], ...(entry["mode"] === undefined ? {} : { mode: entry["mode"] }) };
    });
  }
  if (typeof message["symbol"] === "string" && typeof message["exchange"] === "string") return [{ symbol: message["symbol"], exchange: message["exchange"] }];
  throw new ValidationError("symbols", 'subscribe needs "symbols": [{"symbol": "RELIANCE", "exchange": "NSE"}, …]');
}

export interface WsStats {
  readonly clients: number;
  readonly authenticated: number;
  readonly queuedTicks: number;
  readonly supersededTicks: number;
}

/**
 * OpenAlgo's WebSocket protocol (its `websocket_proxy/server.py`, streaming-and-market-data.md §4):
 * `authenticate`, `subscribe`/`unsubscribe` in modes LTP, Quote and Depth, `unsubscribe_all`,
 * `subscribe_orders`/`unsubscribe_orders`, `ping`, `get_broker_info`, `get_supported_brokers`.
 * Served on its own port (WEBSOCKET_PORT, 8765 as OpenAlgo) and at `/ws` on the API port.
 */
export class OpenAlgoWebSocket {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  private readonly clients = new Set<Client>();
  private readonly limits: WsLimits;
  private readonly connectionsByKey = new Map<number, number>();

  constructor(private readonly deps: WsDeps) {
    this.limits = { ...DEFAULT_WS_LIMITS, ...deps.limits };
    this.wss.on("connection", (socket: WebSocket, req: IncomingMessage) => this.accept(socket, req));
  }

  /** Serves upgrades on `server` at `path` (null: any path, for the dedicated port). */
  attach(server: HttpServer, path: string | null): void {
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
      if (path !== null && pathname !== path) {
        // Not ours (the XTS sandbox's socket.io paths share no server with this): leave it alone only if someone else listens.
        if (server.listenerCount("upgrade") === 1) socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit("connection", ws, req));
    });
  }

  stats(): WsStats {
    let authenticated = 0;
    let queuedTicks = 0;
    let supersededTicks = 0;
    for (const c of this.clients) {
      if (c.keyId !== null) authenticated += 1;
      queuedTicks += c.queued;
      supersededTicks += c.superseded;
    }
    return { clients: this.clients.size, authenticated, queuedTicks, supersededTicks };
  }

  /** Closes every client (1001 going away) and releases their subscriptions. */
  async close(): Promise<void> {
    for (const client of [...this.clients]) {
      client.socket.close(1001, "server shutting down");
      await this.release(client);
    }
    this.wss.close();
  }

  private accept(socket: WebSocket, req: IncomingMessage): void {
    const client = new Client(socket, this.limits);
    this.clients.add(client);
    const sessionKey = this.deps.sessionKey?.(req) ?? null;
    const timer = setTimeout(() => {
      if (client.keyId === null) socket.close(4401, "not authenticated within 15 s");
    }, this.limits.authTimeoutMs);
    timer.unref();
    let chain = sessionKey === null ? Promise.resolve() : this.authenticate(client, { api_key: sessionKey });
    socket.on("message", (data: RawData, isBinary: boolean) => {
      // One message at a time per client, in order: a subscribe finishes before the next unsubscribe.
      chain = chain.then(() => this.handle(client, data, isBinary)).catch((error: unknown) => {
        this.deps.logger.warn({ err: error }, "websocket message handling failed");
        client.send(errorReply("INTERNAL_ERROR", "the message could not be handled"));
      });
    });
    socket.on("close", () => {
      clearTimeout(timer);
      void chain.then(() => this.release(client));
    });
    socket.on("error", (error: Error) => this.deps.logger.info({ err: error }, "websocket client error"));
  }

  private async release(client: Client): Promise<void> {
    if (!this.clients.delete(client)) return;
    client.dispose();
    this.deps.orders.remove(client);
    await this.deps.feed.unsubscribeAll(client);
    if (client.keyId !== null) {
      const n = (this.connectionsByKey.get(client.keyId) ?? 1) - 1;
      if (n <= 0) this.connectionsByKey.delete(client.keyId);
      else this.connectionsByKey.set(client.keyId, n);
    }
  }

  /** Subscriptions across one key's connections (each client's count is kept by the feed). */
  private symbolsOfKey(keyId: number): number {
    let n = 0;
    for (const c of this.clients) if (c.keyId === keyId) n += this.deps.feed.countOf(c);
    return n;
  }

  private async handle(client: Client, data: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) return client.send(errorReply("INVALID_MESSAGE", "messages are JSON text"));
    let message: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(data.toString());
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      message = parsed as Record<string, unknown>;
    } catch {
      return client.send(errorReply("INVALID_JSON", "a message must be a JSON object such as {\"action\": \"ping\"}"));
    }
    const action = typeof message["action"] === "string" ? message["action"] : typeof message["type"] === "string" ? message["type"] : "";
    const { broker } = this.deps;
    switch (action) {
      case "ping":
        return client.send({ type: "pong", status: "success", server_timestamp: Date.now() });
      case "authenticate":
      case "auth":
        return this.authenticate(client, message);
      case "get_supported_brokers":
        return client.send({ type: "supported_brokers", status: "success", brokers: [broker] });
    }
    if (client.keyId === null) return client.send(errorReply("NOT_AUTHENTICATED", `authenticate first: {"action": "authenticate", "api_key": "…"}`));
    switch (action) {
      case "subscribe":
        return this.subscribe(client, message);
      case "unsubscribe":
        return this.unsubscribe(client, message);
      case "unsubscribe_all": {
        const removed = await this.deps.feed.unsubscribeAll(client);
        return client.send({ type: "unsubscribe_all", status: "success", message: `unsubscribed from ${removed} subscriptions`, broker });
      }
      case "subscribe_orders":
        this.deps.orders.add(client);
        return client.send({ type: "subscribe_orders", status: "success", message: "order updates on", broker });
      case "unsubscribe_orders":
        this.deps.orders.remove(client);
        return client.send({ type: "unsubscribe_orders", status: "success", message: "order updates off", broker });
      case "get_broker_info":
        return client.send({ type: "broker_info", status: "success", broker, supported_features: { ltp: true, quote: true, depth: true } });
      default:
        return client.send(
          errorReply("INVALID_ACTION", `unknown action ${JSON.stringify(action)}; allowed: authenticate, subscribe, unsubscribe, unsubscribe_all, subscribe_orders, unsubscribe_orders, ping, get_broker_info, get_supported_brokers`),
        );
    }
  }

  private async authenticate(client: Client, message: Record<string, unknown>): Promise<void> {
    const key = message["api_key"] ?? message["apikey"];
    if (typeof key !== "string" || key === "") return client.send({ type: "auth", ...errorReply("INVALID_API_KEY", "api_key is required") });
    const record = await this.deps.apiKeys.verify(key);
    if (record === undefined) return client.send({ type: "auth", ...errorReply("INVALID_API_KEY", "Invalid API key") });
    if (client.keyId !== record.id) {
      const open = this.connectionsByKey.get(record.id) ?? 0;
      if (open >= this.limits.connectionsPerKey) {
        client.send({ type: "auth", ...errorReply("TOO_MANY_CONNECTIONS", `this API key already has ${open} connections open (limit ${this.limits.connectionsPerKey})`) });
        client.socket.close(4429, "too many connections for this API key");
        return;
      }
      this.connectionsByKey.set(record.id, open + 1);
    }
    client.keyId = record.id;
    client.keyName = record.name;
    client.send({
      type: "auth",
      status: "success",
      message: "Authentication successful",
      broker: this.deps.broker,
      user_id: record.name,
      supported_features: { ltp: true, quote: true, depth: true },
    });
  }

  private async subscribe(client: Client, message: Record<string, unknown>): Promise<void> {
    const { broker } = this.deps;
    let symbols: SymbolRef[];
    let mode: FeedMode;
    try {
      symbols = symbolsOf(message);
      mode = parseMode(message["mode"] ?? 1);
    } catch (error) {
      if (!(error instanceof XtsBridgeError)) throw error;
      return client.send({ type: "subscribe", ...errorReply(error.code, error.message), broker });
    }
    const room = Math.max(0, this.limits.symbolsPerKey - this.symbolsOfKey(client.keyId!));
    const results = await this.deps.feed.subscribeMany(client, symbols.slice(0, room), mode);
    const subscriptions: Record<string, unknown>[] = symbols.map((s, i) => {
      const base = { symbol: s.symbol, exchange: s.exchange, mode, depth: 5, broker };
      const result = results[i];
      if (result === undefined) return { ...base, status: "error", code: "TOO_MANY_SYMBOLS", message: `this API key has reached its ${this.limits.symbolsPerKey} subscriptions` };
      if (!result.ok) return { ...base, status: "error", code: result.error.code, message: result.error.message };
      return { ...base, symbol: result.row.symbol, exchange: result.row.exchange, status: "success" };
    });
    const ok = subscriptions.filter((s) => s.status === "success").length;
    const status = ok === subscriptions.length ? "success" : ok === 0 ? "error" : "partial";
    client.send({ type: "subscribe", status, subscriptions, message: `subscribed to ${ok} of ${subscriptions.length} symbols`, broker });
  }

  private async unsubscribe(client: Client, message: Record<string, unknown>): Promise<void> {
    const { broker } = this.deps;
    let symbols: SymbolRef[];
    try {
      symbols = symbolsOf(message);
    } catch (error) {
      if (!(error instanceof XtsBridgeError)) throw error;
      return client.send({ type: "unsubscribe", ...errorReply(error.code, error.message), broker });
    }
    const successful: Record<string, unknown>[] = [];
    const failed: Record<string, unknown>[] = [];
    for (const s of symbols) {
      try {
        const modeValue = s.mode ?? message["mode"];
        const mode = modeValue === undefined ? undefined : parseMode(modeValue);
        if (await this.deps.feed.unsubscribe(client, s.symbol, s.exchange, mode)) successful.push({ symbol: s.symbol, exchange: s.exchange, ...(mode === undefined ? {} : { mode }) });
        else failed.push({ symbol: s.symbol, exchange: s.exchange, code: "NOT_SUBSCRIBED", message: "not subscribed" });
      } catch (error) {
        if (!(error instanceof XtsBridgeError)) throw error;
        failed.push({ symbol: s.symbol, exchange: s.exchange, code: error.code, message: error.message });
      }
    }
    const status = failed.length === 0 ? "success" : successful.length === 0 ? "error" : "partial";
    client.send({ type: "unsubscribe", status, successful, failed, broker });
  }
}
