import type { Socket } from "socket.io-client";
import type { Logger } from "../../logger.js";
import { backoffDelayMs } from "../client/backoff.js";
import type { StreamEndpoint } from "../client/types.js";

export type LinkState = "stopped" | "connecting" | "connected" | "reconnecting";

/** What /api/v1/stream/status shows of one socket. */
export interface LinkStatus {
  readonly state: LinkState;
  /** When the state last changed (ms). */
  readonly since: number;
  readonly connects: number;
  /** The last failure or disconnect reason, for the operator; null while nothing went wrong. */
  readonly lastError: string | null;
  /** When the last data event arrived (ms); null before the first. */
  readonly lastEventAt: number | null;
  readonly events: number;
}

export interface SocketLinkOptions {
  readonly name: "market" | "interactive";
  readonly endpoint: () => Promise<StreamEndpoint>;
  /** Runs on every (re)connect before the link reports itself connected: resubscribe, reconcile. */
  readonly onConnect: () => Promise<void>;
  /** Data events by name; each call counts as a sign of life. */
  readonly events: Readonly<Record<string, (data: unknown) => void>>;
  readonly logger: Logger;
  readonly onState?: (status: LinkStatus) => void;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly random?: () => number;
  readonly now?: () => number;
}

/**
 * One XTS socket.io connection that stays up: reconnects with exponential backoff and full jitter
 * after any drop, logs in again when the token is refused (the daily rollover, a session ended
 * elsewhere) and reruns `onConnect`, so what was subscribed is subscribed again. socket.io's own
 * reconnection is off: it would reuse a dead token. The heartbeat is engine.io's, on the server's
 * ping settings.
 */
export class SocketLink {
  private socket: Socket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private running = false;
  /** Status without the event counters, which change on every tick and are kept as plain fields. */
  private status: Omit<LinkStatus, "lastEventAt" | "events">;
  private lastEventAt: number | null = null;
  private events = 0;
  private readonly now: () => number;

  constructor(private readonly options: SocketLinkOptions) {
    this.now = options.now ?? Date.now;
    this.status = { state: "stopped", since: this.now(), connects: 0, lastError: null };
  }

  get state(): LinkStatus {
    return { ...this.status, lastEventAt: this.lastEventAt, events: this.events };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.set({ state: "stopped" });
  }

  private set(change: Partial<Omit<LinkStatus, "lastEventAt" | "events">>): void {
    const stateChanged = change.state !== undefined && change.state !== this.status.state;
    this.status = { ...this.status, ...change, ...(stateChanged ? { since: this.now() } : {}) };
    if (stateChanged) this.options.onState?.(this.state);
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    this.set({ state: this.status.connects === 0 ? "connecting" : "reconnecting" });
    let endpoint: StreamEndpoint;
    try {
      endpoint = await this.options.endpoint();
    } catch (error) {
      this.retry(`login for the ${this.options.name} socket failed: ${(error as Error).message}`);
      return;
    }
    if (!this.running) return;
    // Loaded on first connect: a process that never streams (a replica, a CLI command) does not pay for it.
    const { io } = await import("socket.io-client");
    if (!this.running) return;
    const socket = io(endpoint.origin, {
      path: endpoint.path,
      query: { ...endpoint.query },
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      timeout: 10_000,
    });
    this.socket = socket;
    const log = this.options.logger;
    socket.on("connect", () => {
      void this.joined(socket);
    });
    socket.on("connect_error", (error: Error) => {
      if (socket !== this.socket) return;
      socket.removeAllListeners();
      if (/invalid token|e-session-0007/i.test(error.message)) {
        log.warn({ socket: this.options.name }, "the XTS socket refused the session token: logging in again");
        void endpoint.renew().then(
          () => this.retry(`token refused: ${error.message}`, 0),
          (renewError: unknown) => this.retry(`token refused and logging in again failed: ${(renewError as Error).message}`),
        );
        return;
      }
      this.retry(`connect failed: ${error.message}`);
    });
    socket.on("disconnect", (reason: string) => {
      if (socket !== this.socket || !this.running) return;
      socket.removeAllListeners();
      log.warn({ socket: this.options.name, reason }, "the XTS socket disconnected; reconnecting");
      this.retry(`disconnected: ${reason}`);
    });
    socket.on("logout", () => {
      if (socket !== this.socket) return;
      // The session ended on the server (logged out, or replaced by a login elsewhere): a new token is needed.
      socket.removeAllListeners();
      socket.disconnect();
      log.warn({ socket: this.options.name }, "XTS sent logout on the socket: logging in again and reconnecting");
      void endpoint.renew().then(
        () => this.retry("logout from XTS", 0),
        (error: unknown) => this.retry(`logout from XTS; logging in again failed: ${(error as Error).message}`),
      );
    });
    for (const [event, handler] of Object.entries(this.options.events)) {
      socket.on(event, (data: unknown) => {
        // On every tick: two field writes, no new status object.
        this.lastEventAt = this.now();
        this.events += 1;
        try {
          handler(data);
        } catch (error) {
          log.warn({ socket: this.options.name, event, err: error }, "an XTS socket event could not be used");
        }
      });
    }
  }

  private async joined(socket: Socket): Promise<void> {
    try {
      await this.options.onConnect();
    } catch (error) {
      if (socket !== this.socket) return;
      socket.removeAllListeners();
      socket.disconnect();
      this.retry(`after connecting, ${(error as Error).message}`);
      return;
    }
    if (socket !== this.socket) return;
    this.attempt = 0;
    this.set({ state: "connected", connects: this.status.connects + 1, lastError: null });
    this.options.logger.info({ socket: this.options.name, connects: this.status.connects }, "the XTS socket is connected");
  }

  private retry(reason: string, delayOverride?: number): void {
    if (!this.running) return;
    this.socket = null;
    this.attempt += 1;
    const delay =
      delayOverride ??
      backoffDelayMs(this.attempt, { baseDelayMs: this.options.baseDelayMs ?? 500, maxDelayMs: this.options.maxDelayMs ?? 30_000, random: this.options.random ?? Math.random });
    this.set({ state: "reconnecting", lastError: reason });
    this.options.logger.info({ socket: this.options.name, attempt: this.attempt, delayMs: delay, reason }, "reconnecting the XTS socket");
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
    this.timer.unref();
  }
}

/** A stream over one SocketLink: started, stopped and asked whether it is up the same way. */
export abstract class LinkedStream {
  protected abstract readonly link: SocketLink;

  start(): void {
    this.link.start();
  }

  stop(): void {
    this.link.stop();
  }

  get connected(): boolean {
    return this.link.state.state === "connected";
  }
}
