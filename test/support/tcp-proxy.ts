import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A loopback TCP proxy whose target can be switched: lets a test move a running gateway from one
 * sandbox to another (a "new day's" master) without restarting it. Switching drops open
 * connections so the next request opens a new one to the new target.
 */
export class TcpProxy {
  private target: number;
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  port = 0;

  constructor(targetPort: number) {
    this.target = targetPort;
  }

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target, "127.0.0.1");
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server!.address() as { port: number }).port;
  }

  switchTo(targetPort: number): void {
    this.target = targetPort;
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
