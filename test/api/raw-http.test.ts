import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { apiFixture } from "./harness.js";

/** Sends raw bytes and returns everything the server writes back before it closes. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(bytes));
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
    socket.setTimeout(5_000, () => socket.destroy(new Error("no answer")));
  });
}

function envelope(answer: string): { status: number; body: Record<string, unknown> } {
  const [head = "", body = ""] = answer.split("\r\n\r\n");
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body: JSON.parse(body) as Record<string, unknown> };
}

/** Requests Node itself refuses before Fastify sees them still answer in the documented envelope. */
describe("malformed HTTP", () => {
  let port: number;
  apiFixture({}, async (h) => {
    await h.app.listen({ host: "127.0.0.1", port: 0 });
    port = (h.app.server.address() as AddressInfo).port;
  });

  it("a request line that is not HTTP is 400 MALFORMED_REQUEST as JSON", async () => {
    const answer = envelope(await raw(port, "HELLO THERE\r\n\r\n"));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: "error", code: "MALFORMED_REQUEST", message: expect.stringMatching(/not valid HTTP/) });
  });

  it("headers too large are 431 HEADERS_TOO_LARGE as JSON", async () => {
    const answer = envelope(await raw(port, `POST /api/v1/ping HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`));
    expect(answer.status).toBe(431);
    expect(answer.body).toMatchObject({ status: "error", code: "HEADERS_TOO_LARGE" });
  });

  it("a bad Content-Length is 400 in the envelope too", async () => {
    const answer = envelope(await raw(port, "POST /api/v1/ping HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"));
    expect(answer.status).toBe(400);
    expect(answer.body["code"]).toBe("MALFORMED_REQUEST");
  });
});
