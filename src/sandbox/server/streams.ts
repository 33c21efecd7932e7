import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import type { GeneratedInstrument } from "../master/master-generator.js";
import { segmentCode } from "../../xts/segments.js";
import { HOSTLOOKUP_INTERACTIVE_BASE } from "./auth-routes.js";
import { encodePacket } from "./binary-frames.js";
import { livePayload } from "./market-routes.js";
import { tradeRecord } from "./order-records.js";
import type { SandboxState } from "./sandbox-state.js";
import type { Session } from "./sessions.js";
import type { StreamMessageCode } from "./subscriptions.js";

/** The market-data socket's path under a broker's socket root (Jainam Prop: /apibinarymarketdata/socket.io). */
function marketSocketPath(root: string): string {
  return `${root}/socket.io`;
}
/** The interactive socket under the direct root and under the hostlookup connection string's (streaming-and-market-data.md §3 [U]). */
export const INTERACTIVE_SOCKET_PATHS = ["/interactive/socket.io", `${HOSTLOOKUP_INTERACTIVE_BASE}/socket.io`] as const;

/** Faults a test can put on the sockets (see SandboxControl.streams). */
export interface StreamControl {
  /** Closes every socket's transport, as a network drop does: clients see "transport close". */
  drop(kind?: "market" | "interactive"): number;
  /** No market data for `ms` (the sockets stay open, the heartbeat keeps going). */
  stall(ms: number): void;
  /** Sends `logout` on every socket, ends those sessions and disconnects them, as XTS does when the session ends elsewhere. */
  logout(kind?: "market" | "interactive"): number;
  /** The next `count` order events are each sent twice. */
  duplicateOrderEvents(count: number): void;
  /** The next `count` pairs of order events are sent newest first. */
  reorderOrderEvents(count: number): void;
  /** Open sockets of each kind. */
  connected(): { market: number; interactive: number };
}

export interface StreamServers {
  readonly control: StreamControl;
  close(): void;
}

function sessionOf(socket: Socket): Session {
  return socket.data.session as Session;
}

/**
 * The XTS socket.io servers: market data at `/apibinarymarketdata/socket.io` (query `token`,
 * `userID`, `publishFormat`, `broadcastMode`) and interactive events at `/interactive/socket.io`
 * (query `token`, `userID`, `apiType=INTERACTIVE`), streaming-and-market-data.md §2–3. Each
 * socket authenticates with the REST session's token; the market socket streams what the
 * session subscribed over REST; the interactive socket gets its account's order and trade events.
 */
export function attachStreams(http: HttpServer, state: SandboxState): StreamServers {
  const common = { serveClient: false, allowEIO3: true, cors: { origin: false as const } };
  // Heartbeats as the servers set them (§2): market data pings every 20 s (60 s timeout), interactive every 25 s (20 s).
  const market = new Server(http, { ...common, path: marketSocketPath(state.options.profile.marketSocketRoot), pingInterval: 20_000, pingTimeout: 60_000 });
  const interactives = INTERACTIVE_SOCKET_PATHS.map((path) => new Server(http, { ...common, path, pingInterval: 25_000, pingTimeout: 20_000 }));
  /** Emits to every interactive socket, whichever path it came in on. */
  const toAccount = (event: string, data: string): void => {
    for (const server of interactives) server.to("account").emit(event, data);
  };

  const authenticate = (kind: "market" | "interactive") => (socket: Socket, next: (error?: Error) => void) => {
    const token = socket.handshake.query["token"];
    const session = state.sessions.verify(typeof token === "string" ? token : undefined, kind);
    if (session === undefined) return next(new Error("Invalid Token"));
    const userID = socket.handshake.query["userID"];
    if (typeof userID !== "string" || userID === "") return next(new Error("userID is required"));
    socket.data.session = session;
    next();
  };
  market.use(authenticate("market"));
  for (const interactive of interactives) interactive.use(authenticate("interactive"));

  market.on("connection", (socket) => {
    const session = sessionOf(socket);
    socket.data.binary = state.options.streamFormat === "binary" || socket.handshake.query["publishFormat"] === "Binary";
    void socket.join(session.token);
    socket.emit("joined", `${session.userID} joined the market data stream`);
  });
  const onInteractive = (socket: Socket): void => {
    const session = sessionOf(socket);
    void socket.join("account");
    socket.emit("joined", `${session.userID} joined the interactive stream`);
    // Without apiType=INTERACTIVE at least one XTS server says "joined" and hangs up after 10 s (§3).
    if (socket.handshake.query["apiType"] !== "INTERACTIVE") {
      const timer = setTimeout(() => socket.disconnect(true), 10_000);
      socket.once("disconnect", () => clearTimeout(timer));
    }
  };
  for (const interactive of interactives) interactive.on("connection", onInteractive);

  let stalledUntil = 0;
  let sequence = 0;

  /** One instrument's events to every session watching it. */
  const publish = (instrument: GeneratedInstrument): void => {
    const code = segmentCode(instrument.segment);
    for (const [token, entry] of state.subscriptions.watching(instrument, code)) {
      const room = market.to(token);
      for (const messageCode of entry.codes) emitQuote(token, room, instrument, entry.segmentCode, messageCode);
    }
  };

  const emitQuote = (token: string, room: ReturnType<Server["to"]>, instrument: GeneratedInstrument, segment: number, code: StreamMessageCode): void => {
    const payload = livePayload(state, instrument, segment, code);
    const sockets = market.sockets.adapter.rooms.get(token);
    if (sockets === undefined || sockets.size === 0) return;
    // Binary frames exist for 1501, 1502 and 1510 (the SDK reads no others); 1512 stays JSON.
    const binaryWanted = code !== 1512 && [...sockets].some((id) => market.sockets.sockets.get(id)?.data.binary === true);
    if (binaryWanted) {
      sequence += 1;
      // Alternate compressed and plain packets, two per frame, so both paths are exercised.
      const frame = Buffer.concat([encodePacket(code, payload, sequence, sequence % 2 === 0), encodePacket(code, payload, sequence, sequence % 2 === 1)]);
      room.emit("xts-binary-packet", frame);
    } else {
      room.emit(`${code}-json-full`, JSON.stringify(payload));
    }
  };

  const tick = (): void => {
    if (Date.now() < stalledUntil) return;
    for (const token of market.sockets.adapter.rooms.keys()) {
      if (market.sockets.sockets.has(token)) continue; // a socket's own room, not a session's
      if (state.sessions.verify(token, "market") === undefined) {
        // The session ended (logout, a second login, expiry): its sockets go with it.
        market.in(token).disconnectSockets(true);
        state.subscriptions.drop(token);
        continue;
      }
      for (const entry of state.subscriptions.of(token)) {
        for (const code of entry.codes) emitQuote(token, market.to(token), entry.instrument, entry.segmentCode, code);
      }
    }
  };
  const interval = setInterval(tick, state.options.streamIntervalMs);
  interval.unref();

  const onPrice = (instrument: GeneratedInstrument): void => {
    if (Date.now() < stalledUntil) return;
    publish(instrument);
  };
  state.events.on("price", onPrice);

  let duplicate = 0;
  let reorder = 0;
  let held: { text: string; timer: NodeJS.Timeout } | null = null;
  const onOrder = (_order: unknown, record: Readonly<Record<string, unknown>>): void => {
    const text = JSON.stringify(record);
    if (reorder > 0) {
      if (held === null) {
        // Held until the next event overtakes it; sent alone if none comes within 500 ms.
        const timer = setTimeout(() => {
          if (held !== null) toAccount("order", held.text);
          held = null;
        }, 500);
        timer.unref();
        held = { text, timer };
        return;
      }
      clearTimeout(held.timer);
      toAccount("order", text);
      toAccount("order", held.text);
      held = null;
      reorder -= 1;
      return;
    }
    toAccount("order", text);
    if (duplicate > 0) {
      duplicate -= 1;
      toAccount("order", text);
    }
  };
  const onTrade = (trade: Parameters<typeof tradeRecord>[0]): void => {
    toAccount("trade", JSON.stringify(tradeRecord(trade)));
  };
  state.events.on("order", onOrder);
  state.events.on("trade", onTrade);

  const pick = (kind?: "market" | "interactive"): Server[] => (kind === "market" ? [market] : kind === "interactive" ? interactives : [market, ...interactives]);
  const count = (servers: readonly Server[]): number => servers.reduce((n, server) => n + server.sockets.sockets.size, 0);
  const control: StreamControl = {
    drop(kind) {
      let n = 0;
      for (const server of pick(kind)) {
        for (const socket of server.sockets.sockets.values()) {
          socket.conn.close();
          n += 1;
        }
      }
      return n;
    },
    stall(ms) {
      if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`stall ${ms} ms must be a non-negative number`);
      stalledUntil = Date.now() + ms;
    },
    logout(kind) {
      let n = 0;
      for (const server of pick(kind)) {
        for (const socket of [...server.sockets.sockets.values()]) {
          socket.emit("logout", "session logged out");
          state.sessions.logout(sessionOf(socket));
          socket.disconnect(true);
          n += 1;
        }
      }
      return n;
    },
    duplicateOrderEvents(count) {
      duplicate = count;
    },
    reorderOrderEvents(count) {
      reorder = count;
    },
    connected: () => ({ market: count([market]), interactive: count(interactives) }),
  };

  return {
    control,
    close() {
      clearInterval(interval);
      state.events.off("price", onPrice);
      state.events.off("order", onOrder);
      state.events.off("trade", onTrade);
      // The HTTP server is closed by its owner; these only end their sockets.
      for (const server of pick()) server.disconnectSockets(true);
      // Not Server.close(): that would close the HTTP server, which its owner closes.
      for (const server of pick()) server.engine.close();
    },
  };
}
