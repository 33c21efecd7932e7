import fc from "fast-check";
import type { LightMyRequestResponse } from "fastify";
import { describe, expect, it } from "vitest";
import { placeOrderSchema } from "../../src/api/schemas.js";
import { POST_ENDPOINTS } from "./endpoints.js";
import { inject, apiFixture } from "./harness.js";

const FIELDS = [
  "apikey", "strategy", "symbol", "exchange", "action", "quantity", "pricetype", "product", "price", "trigger_price", "disclosed_quantity",
  "position_size", "orderid", "query", "instrumenttype", "format", "force", "underlying_ltp",
];
const AWKWARD_KEYS = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "prototype", "", " ", "apikey ", "a.b", "0"];

/** No input may produce a 500: every answer is the envelope with a 2xx or 4xx status. */
function expectHandled(res: LightMyRequestResponse): void {
  expect(res.statusCode, res.body).toBeLessThan(500);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  if (res.statusCode === 200) {
    expect(body["status"]).toBe("success");
    if ("orderid" in body) expect(body["orderid"]).toMatch(/^\d+$/);
  } else {
    expect(body).toMatchObject({ status: "error", message: expect.any(String), code: expect.any(String) });
  }
}

describe("properties: arbitrary bodies never reach a 500", () => {
  const h = apiFixture();

  const key = fc.oneof(fc.constantFrom(...FIELDS, ...AWKWARD_KEYS), fc.string({ maxLength: 12 }));
  const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom("1", "-1", "0", "1e309", "NaN", " 5 ", "BUY", "buy", "NSE", "NFO", "LIMIT", "MIS"));
  const endpoint = fc.constantFrom(...POST_ENDPOINTS.filter((e) => e.path !== "mastercontract/refresh"));

  it("any JSON object, with the real key or not, to any POST endpoint", async () => {
    await fc.assert(
      fc.asyncProperty(endpoint, fc.dictionary(key, value, { maxKeys: 8 }), fc.boolean(), async (e, fields, withKey) => {
        const body = withKey ? { ...fields, apikey: h.key } : fields;
        expectHandled(await h.post(e.path, body));
      }),
      { numRuns: 100 },
    );
  });

  it("a valid body with one field replaced by anything", async () => {
    await fc.assert(
      fc.asyncProperty(endpoint, fc.nat(), value, async (e, pick, replacement) => {
        const body: Record<string, unknown> = e.body(h.key, h.picks);
        const names = Object.keys(body);
        body[names[pick % names.length]!] = replacement;
        expectHandled(await h.post(e.path, body));
      }),
      { numRuns: 100 },
    );
  });

  it("any text as the body, sent as application/json or text/plain", async () => {
    await fc.assert(
      fc.asyncProperty(endpoint, fc.oneof(fc.string(), fc.json()), fc.constantFrom("application/json", "text/plain"), async (e, text, type) => {
        expectHandled(await h.post(e.path, text, { "content-type": type }));
      }),
      { numRuns: 100 },
    );
  });

  it("any query string on GET /instruments", async () => {
    const params = fc.dictionary(fc.constantFrom("apikey", "exchange", "format", "x", "__proto__", "constructor"), fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 2 })), { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(params, fc.boolean(), async (query, withKey) => {
        const res = await h.app.inject({ method: "GET", url: "/api/v1/instruments", query: withKey ? { ...query, apikey: h.key, exchange: "BSE_INDEX" } : query });
        if (String(res.headers["content-type"]).startsWith("text/csv")) expect(res.statusCode).toBe(200);
        else expectHandled(res);
      }),
      { numRuns: 100 },
    );
  });

  it("a number is a JSON number or plain digits: 5 and \"5\" are one quantity; \" 5 \", \"5.0\", \"5e0\", \"+5\" are refused", () => {
    const base = { apikey: "k", strategy: "s", symbol: "S", exchange: "nse", action: "sell" };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 100_000 }), (quantity, paise) => {
        const price = paise / 100;
        for (const q of [quantity, String(quantity)]) {
          const parsed = placeOrderSchema.parse({ ...base, quantity: q, price: String(price) });
          expect(parsed).toMatchObject({ quantity, price, exchange: "NSE", action: "SELL", pricetype: "MARKET", product: "MIS" });
        }
        for (const q of [` ${quantity} `, `${quantity}.0`, `${quantity}e0`, `+${quantity}`, `0x${quantity.toString(16)}`]) {
          const result = placeOrderSchema.safeParse({ ...base, quantity: q, price: String(price) });
          expect(result.success, q).toBe(false);
          expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["quantity"]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("any content-type with any JSON text", async () => {
    const header = fc.record({ "content-type": fc.constantFrom("application/json", "text/plain", "application/json; charset=latin1", "text/html", "application/octet-stream", "") });
    await fc.assert(
      fc.asyncProperty(header, fc.json(), async (headers, text) => {
        const res = await inject(h.app, "ping", text, headers);
        expect(res.statusCode, res.body).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
  });
});
