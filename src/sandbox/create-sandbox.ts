import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createControl, type SandboxControl } from "./control.js";
import { generateMaster, type GeneratedMaster } from "./master/master-generator.js";
import { resolveSandboxOptions, type ResolvedSandboxOptions, type SandboxOptions } from "./sandbox-options.js";
import { createRequestHandler } from "./server/router.js";
import { createSandboxState } from "./server/sandbox-state.js";
import { attachStreams } from "./server/streams.js";

export interface Sandbox {
  /** The origin, e.g. http://127.0.0.1:41234: hostlookup at /hostlookup, interactive at /interactive, market data at /apibinarymarketdata. */
  readonly url: string;
  readonly control: SandboxControl;
  readonly master: GeneratedMaster;
  readonly options: ResolvedSandboxOptions;
  /** Stops listening and destroys every open socket; resolves once the server is closed. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

function originOf(address: AddressInfo): string {
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Starts an XTS-protocol server on loopback for tests, benchmarks and `xtsbridge sandbox`. */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const resolved = resolveSandboxOptions(options);
  const master =
    options.master ??
    generateMaster({
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.instruments === undefined ? {} : { instruments: options.instruments }),
      ...(options.referenceDate === undefined ? {} : { referenceDate: options.referenceDate }),
    });
  const state = createSandboxState(resolved, master, options.now ?? Date.now);
  const sockets = new Set<Socket>();
  // The handler is bound late: the control needs the socket servers, which need the HTTP server.
  const bound: { handler?: ReturnType<typeof createRequestHandler> } = {};
  const server = createServer((req, res) => bound.handler!(req, res));
  const streams = attachStreams(server, state);
  const control = createControl(state, streams.control);
  bound.handler = createRequestHandler(state, control);
  // Idle keep-alive sockets would otherwise hold close() open until they time out.
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const address = await listen(server, resolved.port, resolved.host);
  state.origin = originOf(address);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      state.timers.cancelAll();
      streams.close();
      server.close((error) => (error === undefined ? resolve() : reject(error)));
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };
  return { url: state.origin, control, master, options: resolved, close };
}
