import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { OpenAlgoWebSocket, type WsLimits } from "../api/openalgo-ws.js";
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

/**
 * OpenAlgo's WebSocket over the gateway's streams: at `/ws` on the API port and on WEBSOCKET_PORT,
 * then the XTS sockets are started. Only where the gateway streams (the primary).
 */
export async function startWebSocket(gw: Gateway, app: FastifyInstance, limits: Partial<WsLimits> = {}): Promise<RunningWebSocket | null> {
  const streams = gw.streams;
  if (streams === null) return null;
  const server = new OpenAlgoWebSocket({ apiKeys: gw.apiKeys, feed: streams.feed, orders: streams.orders, broker: gw.resolver.broker, logger: gw.logger.child({ component: "websocket" }), limits });
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
  streams.start();
  return {
    server,
    url,
    async close() {
      streams.stop();
      await server.close();
      if (dedicated !== null) {
        const closing = dedicated;
        await new Promise<void>((resolve) => closing.close(() => resolve()));
        closing.closeAllConnections();
      }
    },
  };
}
