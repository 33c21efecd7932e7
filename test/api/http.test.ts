import { describe, expect, it } from "vitest";
import { ApiKeys } from "../../src/api/api-keys.js";
import { createLogger } from "../../src/logger.js";
import { expectError, expectSuccess, inject, json, apiFixture } from "./harness.js";

/** What every response shares: envelope, request id, paths, body handling, limits, logs. */
describe("HTTP behaviour of the API", () => {
  const h = apiFixture();

  const ping = () => ({ apikey: h.key });
  const order = () => ({ apikey: h.key, strategy: "TradingView", symbol: h.picks.equity.symbol, action: "BUY", exchange: "NSE", pricetype: "MARKET", product: "MIS", quantity: "1" });

  describe("paths", () => {
    it("a trailing slash (and a doubled one) reaches the same route", async () => {
      expectSuccess(await h.post("ping/", ping()));
      expectSuccess(await h.post("placeorder/", order()));
      expectSuccess(await h.app.inject({ method: "GET", url: `/api/v1/instruments/?apikey=${h.key}&exchange=BSE_INDEX` }));
      expectSuccess(await h.app.inject({ method: "POST", url: "/api/v1//ping", payload: ping() }));
      expect((await h.app.inject({ method: "GET", url: "/docs/" })).statusCode).toBe(200);
    });

    it("an unknown route is 404 in the error envelope, without echoing an apikey", async () => {
      const res = await h.app.inject({ method: "GET", url: `/api/v1/nosuch?apikey=${h.key}` });
      const body = expectError(res, 404, "NOT_FOUND", /no route GET \/api\/v1\/nosuch/);
      expect(JSON.stringify(body)).not.toContain(h.key);
    });

    it("a known route with the wrong method is 405 naming the allowed methods, with Allow", async () => {
      const get = await h.app.inject({ method: "GET", url: `/api/v1/placeorder/?apikey=${h.key}` });
      expectError(get, 405, "METHOD_NOT_ALLOWED", /GET is not allowed on \/api\/v1\/placeorder; use POST/);
      expect(get.headers["allow"]).toBe("POST");
      expect(get.body).not.toContain(h.key);
      const post = await h.app.inject({ method: "POST", url: "/api/v1/instruments", payload: { apikey: h.key } });
      expectError(post, 405, "METHOD_NOT_ALLOWED");
      expect(post.headers["allow"]).toBe("GET, HEAD");
      expect((await h.app.inject({ method: "DELETE", url: "/docs" })).headers["allow"]).toBe("GET, HEAD");
      expect((await h.app.inject({ method: "POST", url: "/api/v1/ticker/NSE:SBIN", payload: {} })).headers["allow"]).toBe("GET, HEAD");
    });
  });

  describe("bodies", () => {
    it("text/plain holding JSON is accepted, as TradingView sends alerts", async () => {
      const body = expectSuccess(await h.post("placeorder", JSON.stringify(order()), { "content-type": "text/plain" }));
      expect(body["orderid"]).toMatch(/^\d+$/);
      expectSuccess(await h.post("ping", JSON.stringify(ping()), { "content-type": "text/plain; charset=utf-8" }));
    });

    it("a body that is not JSON, empty, not an object, or of another media type is a 4xx in the envelope", async () => {
      expectError(await h.post("placeorder", "{not json"), 400, "VALIDATION_ERROR", /not valid JSON/);
      expectError(await h.post("placeorder", "{not json", { "content-type": "text/plain" }), 400, "VALIDATION_ERROR", /not valid JSON/);
      expectError(await h.post("placeorder", ""), 400, "VALIDATION_ERROR", /empty/);
      expectError(await h.post("placeorder", `{"__proto__":{"apikey":"x"}}`, { "content-type": "text/plain" }), 400, "VALIDATION_ERROR", /__proto__/);
      for (const notObject of ["[]", "null", "42", '"text"', "[{}]"]) expectError(await h.post("ping", notObject), 400, "VALIDATION_ERROR", /JSON object/);
      expectError(await h.post("ping", "apikey=x", { "content-type": "application/x-www-form-urlencoded" }), 415, "UNSUPPORTED_MEDIA_TYPE", /JSON/);
      expectError(await h.app.inject({ method: "POST", url: "/api/v1/ping", payload: Buffer.from(JSON.stringify(ping())) }), 415, "UNSUPPORTED_MEDIA_TYPE");
    });

    it("a body over the limit is 413 saying how large a body may be", async () => {
      const small = h.app2({ bodyLimit: 1024 });
      const res = await inject(small, "placeorder", { ...order(), strategy: "x".repeat(2000) });
      expectError(res, 413, "BODY_TOO_LARGE", /larger than 1024 bytes/);
      expectSuccess(await inject(small, "ping", ping()));
    });
  });

  describe("envelope and request id", () => {
    it("every response carries x-request-id, each one different", async () => {
      const responses = [
        await h.post("ping", ping()),
        await h.post("ping", { apikey: "0".repeat(64) }),
        await h.post("ping", "{"),
        await h.post("placeorder", { ...order(), symbol: "NOSUCH" }),
        await h.app.inject({ method: "GET", url: "/nowhere" }),
        await h.app.inject({ method: "GET", url: "/api/v1/openapi.json" }),
        await h.app.inject({ method: "GET", url: "/docs" }),
        await inject(h.app2({ bodyLimit: 10 }), "ping", ping()),
      ];
      const ids = responses.map((r) => r.headers["x-request-id"]);
      for (const id of ids) expect(id).toMatch(/^[0-9a-z]{19}$/);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it("errors are {status:'error', message, code}; a 500 never happens for these inputs", async () => {
      for (const res of [await h.post("ping", {}), await h.post("funds", { apikey: 1 }), await h.post("quotes", { apikey: h.key, symbol: "X", exchange: "NSE" })]) {
        expect(res.statusCode).toBeLessThan(500);
        expect(json(res)).toMatchObject({ status: "error", message: expect.any(String), code: expect.any(String) });
      }
    });
  });

  describe("rate limits", () => {
    it("per API key and group: the next request is 429 with retry_after and Retry-After; other groups and keys go on", async () => {
      const app = h.app2({ limits: { ordersPerSecond: 2, smartOrdersPerSecond: 1, othersPerSecond: 3 } });
      // cancelorder of an unknown order is in the order group and places nothing.
      const cancel = () => inject(app, "cancelorder", { apikey: h.key, strategy: "s", orderid: "1" });
      expect((await cancel()).statusCode).toBe(400);
      expect((await cancel()).statusCode).toBe(400);
      const limited = await cancel();
      const body = expectError(limited, 429, "RATE_LIMITED");
      expect(body["message"]).toBe("Rate limit exceeded. Please slow down your requests.");
      expect(body["retry_after"]).toBe(1);
      expect(limited.headers["retry-after"]).toBe("1");

      expectSuccess(await inject(app, "ping", ping()));
      const smart = { ...order(), quantity: "0", position_size: "0" };
      expectSuccess(await inject(app, "placesmartorder", smart));
      expectError(await inject(app, "placesmartorder", smart), 429, "RATE_LIMITED");

      const { key: second } = await new ApiKeys(h.gw.store).create("second");
      expect((await inject(app, "cancelorder", { apikey: second, strategy: "s", orderid: "1" })).statusCode).toBe(400);
    });

    it("cancelallorder and closeposition count against API_RATE_LIMIT, not ORDER_RATE_LIMIT (OpenAlgo's code)", async () => {
      const app = h.app2({ limits: { ordersPerSecond: 1, othersPerSecond: 100 } });
      expect((await inject(app, "cancelorder", { apikey: h.key, strategy: "s", orderid: "1" })).statusCode).toBe(400);
      expectSuccess(await inject(app, "cancelallorder", { apikey: h.key, strategy: "s" }));
      expectSuccess(await inject(app, "closeposition", { apikey: h.key, strategy: "s" }));
    });

    it("invalid API keys: 403 up to the per-minute limit, then 429 for bad keys from that network; a valid key from it is still served", async () => {
      const app = h.app2({ limits: { invalidKeysPerMinute: 3 } });
      const from = (remoteAddress: string, apikey: string) =>
        app.inject({ method: "POST", url: "/api/v1/ping", payload: { apikey }, headers: { "content-type": "application/json" }, remoteAddress });
      for (let i = 0; i < 3; i += 1) expectError(await from("10.0.0.7", `${i}`.repeat(64)), 403, "INVALID_API_KEY");
      const blocked = await from("10.0.0.7", "f".repeat(64));
      const body = expectError(blocked, 429, "RATE_LIMITED", /too many invalid API keys/);
      expect(body["retry_after"]).toBeGreaterThanOrEqual(59);
      expect(body["retry_after"]).toBeLessThanOrEqual(60);
      expect(blocked.headers["retry-after"]).toBe(String(body["retry_after"]));
      // The strategy with the real key on the same machine is not locked out by someone else's guesses.
      for (let i = 0; i < 5; i += 1) expectSuccess(await from("10.0.0.7", h.key));
      expectError(await from("10.0.0.8", "a".repeat(64)), 403, "INVALID_API_KEY");
    });

    it("rotating loopback addresses does not escape the brake, nor does trying one key prefix from many addresses", async () => {
      const app = h.app2({ limits: { invalidKeysPerMinute: 3 } });
      const from = (remoteAddress: string, apikey: string) =>
        app.inject({ method: "POST", url: "/api/v1/ping", payload: { apikey }, headers: { "content-type": "application/json" }, remoteAddress });
      for (let i = 0; i < 3; i += 1) expectError(await from(`127.0.0.${10 + i}`, `${i}`.repeat(64)), 403, "INVALID_API_KEY");
      expectError(await from("127.9.8.7", "e".repeat(64)), 429, "RATE_LIMITED");
      expectError(await from("::1", "d".repeat(64)), 429, "RATE_LIMITED");
      expectSuccess(await from("127.0.0.99", h.key));
      const prefix = h.key.slice(0, 12);
      for (let i = 0; i < 3; i += 1) expectError(await from(`192.0.2.${i + 1}`, `${prefix}${"0".repeat(51)}${i}`), 403, "INVALID_API_KEY");
      expectError(await from("198.51.100.1", `${prefix}${"1".repeat(52)}`), 429, "RATE_LIMITED", /key prefix/);
      // The key that owns the prefix still works.
      expectSuccess(await from("198.51.100.1", h.key));
    });
  });

  it("a revoked key is refused on its next request", async () => {
    const keys = new ApiKeys(h.gw.store);
    const { key, record } = await keys.create("short-lived");
    expectSuccess(await h.post("ping", { apikey: key }));
    expect(await keys.revoke(String(record.id))).toBe(1);
    expect(expectError(await h.post("ping", { apikey: key }), 403, "INVALID_API_KEY")["message"]).toBe("Invalid openalgo apikey");
  });

  it("an API key never reaches the logs, from the body or from the query string", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "trace", destination: { write: (line: string) => void lines.push(line) } });
    const app = h.app2({ logger });
    expectSuccess(await inject(app, "placeorder", order()));
    expectSuccess(await app.inject({ method: "GET", url: `/api/v1/instruments?apikey=${h.key}&exchange=BSE_INDEX` }));
    expectError(await inject(app, "ping", { apikey: `${h.key.slice(0, 60)}abcd` }), 403, "INVALID_API_KEY");
    expectError(await inject(app, "ping", { apikey: h.key, junk: 1 }), 400, "VALIDATION_ERROR");
    expect(lines.length).toBeGreaterThan(3);
    const all = lines.join("\n");
    expect(all).not.toContain(h.key);
    expect(all).not.toContain(h.key.slice(0, 60));
    expect(all).toContain("apikey=[redacted]");
  });
});
