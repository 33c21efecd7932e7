import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { OpenAlgoWebSocket, type WsDeps, type WsLimits } from "../api/openalgo-ws.js";
import { CliExit, EXIT } from "./io.js";
import type { Gateway } from "./gateway.js";

export interface RunningWebSocket {
  readonly server: OpenAlgoWebSocket;
  /** `ws://host:port` of the dedicated port, or null when WEBSOCKET_PORT is off. */
  readonly url: string | null;
  close(): Promise<void>;
}

/** A page for a browser that opens the WebSocket port by hand: it says what the port is for. */
function plainAnswer(server: Server): void {
  server.on("request", (_req, res) => {
    res.writeHead(426, { "content-type": "text/plain; charset=utf-8", upgrade: "websocket" });
    res.end("This is xtsbridge's OpenAlgo WebSocket: connect with a WebSocket client (OpenAlgo's feed), not HTTP.\n");
  });
}

/** Where a WebSocket's ticks and order updates come from: the gateway's own streams, or the primary's over Redis. */
export type FeedSource = Pick<WsDeps, "feed" | "orders">;

/**
 * OpenAlgo's WebSocket at `/ws` on the API port and on WEBSOCKET_PORT. On the primary it runs over
 * the gateway's streams and starts the XTS sockets; on a replica over `source` (the primary's feed
 * through Redis). Null on a replica without one.
 */
export async function startWebSocket(gw: Gateway, app: FastifyInstance, options: { limits?: Partial<WsLimits>; source?: FeedSource } = {}): Promise<RunningWebSocket | null> {
  const streams = gw.streams;
  const source: FeedSource | undefined = options.source ?? (streams === null ? undefined : { feed: streams.feed, orders: streams.orders });
  if (source === undefined) return null;
  const server = new OpenAlgoWebSocket({
    apiKeys: gw.apiKeys,
    ...source,
    broker: gw.resolver.broker,
    logger: gw.logger.child({ component: "websocket" }),
    sessionKey: (req) => gw.sessions.webSocketKey(req),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  server.attach(app.server, "/ws");
  const { host, port } = gw.config.websocket;
  let dedicated: Server | null = null;
  let url: string | null = null;
  if (port !== null) {
    dedicated = createServer();
    plainAnswer(dedicated);
    server.attach(dedicated, null);
    const bound = dedicated;
    const address = await new Promise<AddressInfo>((resolve, reject) => {
      bound.once("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "EADDRINUSE") reject(new CliExit(EXIT.failed, `error: WEBSOCKET_PORT ${port} on ${host} is already in use (is OpenAlgo's own WebSocket running?): stop it, or set WEBSOCKET_PORT to another port or off`));
        else reject(error);
      });
      bound.listen(port, host, () => resolve(bound.address() as AddressInfo));
    });
    url = `ws://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  }
  streams?.start();
  return {
    server,
    url,
    async close() {
      streams?.stop();
      await server.close();
      if (dedicated !== null) {
        const closing = dedicated;
        const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
        // Idle keep-alive sockets (a browser that looked at the port) would hold close() open.
        closing.closeAllConnections();
        await closed;
      }
    },
  };
}
