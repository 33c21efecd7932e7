import { describe, expect, it } from "vitest";
import { Client, DEFAULT_WS_LIMITS } from "./openalgo-ws.js";

/** A socket whose send buffer the test controls, recording what was sent. */
function fakeSocket() {
  const sent: string[] = [];
  const closes: number[] = [];
  return {
    sent,
    closes,
    bufferedAmount: 0,
    send(text: string) {
      sent.push(text);
    },
    close(code: number) {
      closes.push(code);
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe("a WebSocket client's tick queue", () => {
  it("sends at once while the socket keeps up", () => {
    const socket = fakeSocket();
    const client = new Client(socket as never, DEFAULT_WS_LIMITS);
    client.deliver("NSE:A:1", "a1");
    client.deliver("NSE:A:1", "a2");
    expect(socket.sent).toEqual(["a1", "a2"]);
  });

  it("keeps only the latest tick per symbol and mode while the socket is backed up, then sends those, oldest symbol first", async () => {
    const socket = fakeSocket();
    const client = new Client(socket as never, { ...DEFAULT_WS_LIMITS, highWaterBytes: 1000 });
    socket.bufferedAmount = 5000;
    for (let i = 0; i < 1000; i += 1) {
      client.deliver("NSE:A:1", `a${i}`);
      client.deliver("NFO:B:3", `b${i}`);
    }
    await settle();
    expect(socket.sent).toEqual([]);
    expect(client.queued).toBe(2);
    expect(client.superseded).toBe(1998);
    socket.bufferedAmount = 0;
    await settle();
    expect(socket.sent).toEqual(["a999", "b999"]);
    expect(client.queued).toBe(0);
  });

  it("never drops an order update, and closes a client too slow even for those", () => {
    const socket = fakeSocket();
    const client = new Client(socket as never, { ...DEFAULT_WS_LIMITS, highWaterBytes: 10, closeBytes: 100 });
    socket.bufferedAmount = 50;
    client.deliverOrder("o1");
    client.deliverOrder("o2");
    expect(socket.sent).toEqual(["o1", "o2"]);
    socket.bufferedAmount = 500;
    client.deliverOrder("o3");
    expect(socket.closes).toEqual([1013]);
    expect(socket.sent).toEqual(["o1", "o2"]);
  });
});
