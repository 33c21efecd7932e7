import WebSocket from "ws";
import { until } from "../support/poll.js";

export type Message = Record<string, unknown> & { type?: string; status?: string };

/** An OpenAlgo WebSocket client as a strategy uses one: JSON in, JSON out, every message kept. */
export class WsClient {
  readonly messages: Message[] = [];
  closed: { code: number; reason: string } | null = null;
  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => this.messages.push(JSON.parse(data.toString()) as Message));
    socket.on("close", (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  static async open(url: string): Promise<WsClient> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return new WsClient(socket);
  }

  send(message: unknown): void {
    this.socket.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** The first message (from `from` on) that matches; waits up to `timeoutMs`. */
  next(test: (m: Message) => boolean, options: { from?: number; timeoutMs?: number; what?: string } = {}): Promise<Message> {
    const from = options.from ?? 0;
    return until(options.what ?? "a matching WebSocket message", () => this.messages.slice(from).find(test), {
      timeoutMs: options.timeoutMs ?? 3000,
      everyMs: 5,
      context: () => JSON.stringify(this.messages.slice(-5)),
    });
  }

  async request(message: Record<string, unknown>, type: string): Promise<Message> {
    const from = this.messages.length;
    this.send(message);
    return this.next((m) => m.type === type || (m.status === "error" && m.type === undefined), { from, what: `the ${type} reply` });
  }

  async authenticate(key: string): Promise<Message> {
    return this.request({ action: "authenticate", api_key: key }, "auth");
  }

  close(): void {
    this.socket.close();
  }
}
