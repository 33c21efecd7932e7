import { connect } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKeys } from "../../src/api/api-keys.js";
import { buildApp } from "../../src/api/app.js";
import { appDeps } from "../../src/cli/gateway.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

/**
 * A request whose handler takes long (a forced master refresh of a full contract took 9-16 s
 * under `npm run load`) must still get its answer over a real socket. `requestTimeoutMs` is
 * documented as the limit for a slow client's body, not for our own handlers.
 */

const REQUEST_TIMEOUT_MS = 500;
let gw: TestGateway;
let app: FastifyInstance;
let url: string;
let apikey: string;

beforeAll(async () => {
  gw = await startTestGateway({ sandbox: { instruments: 2000 } });
  expect((await gw.master.refresh()).status).toBe("success");
  const apiKeys = new ApiKeys(gw.store);
  apikey = (await apiKeys.create("slow")).key;
  app = buildApp(appDeps(gw, { apiKeys, requestTimeoutMs: REQUEST_TIMEOUT_MS }));
  url = (await app.listen({ host: "127.0.0.1", port: 0 })).replace("[::1]", "localhost");
}, 60_000);

afterAll(async () => {
  await app?.close();
  await gw?.close();
});

describe("handlers slower than the request timeout", () => {
  it("a quick request over the socket answers (the set-up works)", async () => {
    const res = await fetch(`${url}/api/v1/ping`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ apikey }) });
    expect(res.status).toBe(200);
  });

  // requestTimeoutMs once also set Fastify's connectionTimeout (the socket idle timeout), so a
  // refresh slower than it lost its socket (15.6 s under `npm run load`).
  it("POST /mastercontract/refresh that takes longer than requestTimeoutMs still answers 200", async () => {
    gw.sandbox.control.inject({ match: { path: "/instruments/master", segment: "NSEFO" }, action: { type: "delay", ms: REQUEST_TIMEOUT_MS * 3 } });
    const res = await fetch(`${url}/api/v1/mastercontract/refresh`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ apikey, force: true }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe("success");
  });

  it("a client that sends its body too slowly is cut off after requestTimeoutMs", async () => {
    const { port } = new URL(url);
    const socket = connect(Number(port), "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const started = Date.now();
    socket.write("POST /api/v1/ping HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"apikey\"");
    let answer = "";
    socket.setEncoding("utf8").on("data", (t: string) => (answer += t));
    await new Promise<void>((resolve) => socket.once("close", () => resolve()));
    const held = Date.now() - started;
    expect(held).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(held).toBeLessThan(REQUEST_TIMEOUT_MS + 3_000);
    expect(answer === "" || answer.startsWith("HTTP/1.1 408")).toBe(true);
  });
});
