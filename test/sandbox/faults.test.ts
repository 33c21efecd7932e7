import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/create-sandbox.js";
import type { GeneratedInstrument, GeneratedMaster } from "../../src/sandbox/master/master-generator.js";
import { call, interactive, interactiveLogin, market, marketLogin, smallMaster, startSandbox } from "./sandbox-client.js";
import { xtsOrder } from "../support/xts-orders.js";

let master: GeneratedMaster;
let sandbox: Sandbox;
let token: string;
let stock: GeneratedInstrument;

beforeAll(async () => {
  master = smallMaster();
  sandbox = await startSandbox(master);
  stock = master.instruments.find((i) => i.segment === "NSECM" && i.kind === "cash")!;
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  sandbox.control.clearFaults();
  sandbox.control.reset();
  token = await interactiveLogin(sandbox);
  sandbox.control.clearRequests();
});

const buy = (uid: string) => xtsOrder(stock, uid);

const profile = () => call(interactive(sandbox), "GET", "/user/profile", { token });

describe("status faults", () => {
  it("429 with Retry-After and a JSON envelope, once by default", async () => {
    sandbox.control.inject({ match: { method: "GET", path: "/user/profile" }, action: { type: "status", status: 429, retryAfterSeconds: 2 } });
    const limited = await profile();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(limited.json.type).toBe("error");
    expect((await profile()).status).toBe(200);
  });

  it.each([500, 502, 503, 504] as const)("%i answers an HTML page (non-JSON, as Jainam's nginx/Express do)", async (status) => {
    sandbox.control.inject({ match: { path: "/user/profile" }, action: { type: "status", status } });
    const response = await profile();
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.json).toBeUndefined();
  });

  it("applies `times` times and matches paths by RegExp and method", async () => {
    sandbox.control.inject({ match: { method: "POST", path: /^\/orders/ }, times: 2, action: { type: "status", status: 503, body: "json" } });
    expect((await profile()).status).toBe(200);
    const first = await call(interactive(sandbox), "POST", "/orders", { token, body: buy("a") });
    const second = await call(interactive(sandbox), "POST", "/orders", { token, body: buy("b") });
    const third = await call(interactive(sandbox), "POST", "/orders", { token, body: buy("c") });
    expect([first.status, second.status, third.status]).toEqual([503, 503, 200]);
    expect(first.json.type).toBe("error");
    expect(sandbox.control.orders().map((o) => o.OrderUniqueIdentifier)).toEqual(["c"]);
    expect(sandbox.control.pendingFaults()).toEqual([]);
  });

  it("clearFaults() removes pending faults", async () => {
    sandbox.control.inject({ match: {}, times: 5, action: { type: "status", status: 500 } });
    sandbox.control.clearFaults();
    expect((await profile()).status).toBe(200);
  });

  it("rejects a malformed fault", () => {
    expect(() => sandbox.control.inject({ match: {}, action: { type: "status", status: 418 as 429 } })).toThrow(/status/);
    expect(() => sandbox.control.inject({ match: {}, action: { type: "nonsense" } as never })).toThrow(/unknown fault/);
  });
});

describe("invalid-token fault", () => {
  it.each([200, 400] as const)("answers Invalid Token with HTTP %i without killing the session", async (httpStatus) => {
    sandbox.control.inject({ match: { path: "/user/profile" }, action: { type: "invalid-token", httpStatus } });
    const response = await profile();
    expect(response.status).toBe(httpStatus);
    expect(response.json).toEqual({ type: "error", code: "e-session-0007", description: "Invalid Token", result: {} });
    expect((await profile()).status).toBe(200);
  });
});

describe("dropped connections", () => {
  it("drop: the socket closes, nothing is processed, the request is recorded as dropped", async () => {
    sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "drop" } });
    await expect(call(interactive(sandbox), "POST", "/orders", { token, body: buy("dropped") })).rejects.toThrow();
    expect(sandbox.control.orders()).toHaveLength(0);
    const [recorded] = sandbox.control.requests().filter((r) => r.path === "/orders");
    expect(recorded).toMatchObject({ method: "POST", dropped: true, status: null, fault: "drop" });
  });

  it("drop-after-processing: the order is accepted but the answer never arrives (exactly one order)", async () => {
    sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "drop-after-processing" } });
    await expect(call(interactive(sandbox), "POST", "/orders", { token, body: buy("unknown-outcome") })).rejects.toThrow();
    const orders = sandbox.control.orders();
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ OrderUniqueIdentifier: "unknown-outcome", OrderStatus: "Filled" });
    // The caller resolves the unknown outcome from the order book, not by resending.
    const book = await call(interactive(sandbox), "GET", "/orders", { token });
    expect(book.json.result.filter((o: { OrderUniqueIdentifier: string }) => o.OrderUniqueIdentifier === "unknown-outcome")).toHaveLength(1);
  });

  it("delay: the answer comes after the delay and the request is processed", async () => {
    sandbox.control.inject({ match: { path: "/user/profile" }, action: { type: "delay", ms: 150 } });
    const started = performance.now();
    const response = await profile();
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("a market-data fault does not touch interactive requests", async () => {
    const marketToken = await marketLogin(sandbox);
    sandbox.control.inject({ match: { path: "/instruments/indexlist" }, action: { type: "status", status: 502 } });
    expect((await profile()).status).toBe(200);
    expect((await call(market(sandbox), "GET", "/instruments/indexlist", { token: marketToken, query: { exchangeSegment: 1 } })).status).toBe(502);
  });
});

describe("request recording", () => {
  it("records method, base, path, query, redacted body, status and fault", async () => {
    const lookup = await call(sandbox.url, "POST", "/hostlookup", { body: { accesspassword: "2021HostLookUpAccess", version: "interactive_1.0.1" } });
    await call(`${sandbox.url}/5interactive`, "POST", "/user/session", {
      body: { appKey: sandbox.options.interactiveKey, secretKey: sandbox.options.interactiveSecret, uniqueKey: lookup.json.result.uniqueKey },
    });
    const marketToken = await marketLogin(sandbox);
    await call(market(sandbox), "GET", "/instruments/indexlist", { token: marketToken, query: { exchangeSegment: 11 } });
    await call(`${sandbox.url}/apimarketdata`, "GET", "/instruments/indexlist");

    const requests = sandbox.control.requests();
    expect(requests.map((r) => [r.base, r.method, r.path, r.status])).toEqual([
      ["hostlookup", "POST", "/hostlookup", 200],
      ["hostlookup-interactive", "POST", "/user/session", 200],
      ["market", "POST", "/auth/login", 200],
      ["market", "GET", "/instruments/indexlist", 200],
      ["unknown", "GET", "/apimarketdata/instruments/indexlist", 404],
    ]);
    expect(requests[1]!.body).toMatchObject({ appKey: sandbox.options.interactiveKey, secretKey: "[redacted]" });
    expect(JSON.stringify(requests)).not.toContain(sandbox.options.interactiveSecret);
    expect(requests[3]).toMatchObject({ query: { exchangeSegment: "11" }, hasAuthorization: true, dropped: false, fault: null });
    expect(requests[0]!.time).toBeGreaterThan(0);
    sandbox.control.clearRequests();
    expect(sandbox.control.requests()).toEqual([]);
  });
});

describe("control API over HTTP", () => {
  const control = (method: string, path: string, body?: unknown) => call(`${sandbox.url}/_sandbox`, method, path, body === undefined ? {} : { body });

  it("injects, lists and clears faults; a pathPattern becomes a RegExp", async () => {
    expect((await control("POST", "/faults", { match: { pathPattern: "^/user/" }, times: 3, action: { type: "status", status: 429 } })).status).toBe(200);
    expect((await control("GET", "/faults")).json.faults[0]).toMatchObject({ match: { path: new RegExp("^/user/").source }, remaining: 3 });
    expect((await profile()).status).toBe(429);
    expect((await control("DELETE", "/faults")).status).toBe(200);
    expect((await profile()).status).toBe(200);
    const bad = await control("POST", "/faults", { match: {}, action: { type: "status", status: 200 } });
    expect(bad.status).toBe(400);
    expect(bad.json.ok).toBe(false);
  });

  it("moves prices, lists orders, lists and clears requests, expires sessions, resets", async () => {
    const limit = Number((sandbox.control.price("NSECM", stock.token) - 5 * stock.tickSize).toFixed(2));
    const placed = await call(interactive(sandbox), "POST", "/orders", { token, body: { ...buy("resting"), orderType: "LIMIT", limitPrice: limit } });
    const moved = await control("POST", "/price", { segment: "NSECM", token: stock.token, price: limit });
    expect(moved.json).toMatchObject({ ok: true, price: limit, filled: [placed.json.result.AppOrderID] });
    expect((await control("POST", "/price", { segment: "NSECM", token: 999_999_999, price: 1 })).status).toBe(400);
    const orders = await control("GET", "/orders");
    expect(orders.json.orders).toHaveLength(1);
    expect((await control("GET", "/requests")).json.requests.some((r: { path: string }) => r.path === "/orders")).toBe(true);
    await control("DELETE", "/requests");
    expect((await control("GET", "/requests")).json.requests.map((r: { base: string }) => r.base)).toEqual(["control"]);
    await control("POST", "/expire-sessions");
    expect((await profile()).json.description).toBe("Invalid Token");
    await control("POST", "/reset");
    expect(sandbox.control.orders()).toEqual([]);
  });
});
