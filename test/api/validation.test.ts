import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SUPPORTED_EXCHANGES } from "../../src/instruments/exchanges.js";
import { ENDPOINTS, type Endpoint } from "./endpoints.js";
import { expectError, expectSuccess, json, apiFixture } from "./harness.js";

/** Each class of bad input, on every endpoint: 4xx naming the field, never a 500. */
describe("every endpoint refuses bad input with a 4xx that names the field", () => {
  const h = apiFixture();

  const valid = (e: Endpoint): Record<string, unknown> => e.body(h.key, h.picks);
  const send = (e: Endpoint, fields: Record<string, unknown>) => h.call(e.method, e.path, fields);
  const without = (fields: Record<string, unknown>, name: string): Record<string, unknown> => Object.fromEntries(Object.entries(fields).filter(([k]) => k !== name));

  function expectFieldError(res: Awaited<ReturnType<typeof send>>, field: string, message: RegExp): void {
    const body = expectError(res, 400, "VALIDATION_ERROR");
    const errors = body["errors"] as Record<string, string[]>;
    expect(Object.keys(errors), res.body).toContain(field);
    expect(errors[field]!.join(" ")).toMatch(message);
    expect(body["message"]).toContain(field);
  }

  describe.each(ENDPOINTS.map((e) => [e.path, e] as const))("%s", (_path, e) => {
    it("a missing required field is 400 '<field> is required', for each required field", async () => {
      for (const field of e.required) expectFieldError(await send(e, without(valid(e), field)), field, new RegExp(`^${field} is required$`));
    });

    it("a field of the wrong type is 400 naming the field and what it must be, not 'required'", async () => {
      for (const field of Object.keys(valid(e))) {
        // A query string only carries strings; a repeated parameter is its wrong type (an array).
        const wrong = e.method === "GET" ? [String(valid(e)[field]), "x"] : { nested: true };
        const res = await send(e, { ...valid(e), [field]: wrong });
        expectFieldError(res, field, /must/);
        expect(res.body).not.toMatch(new RegExp(`${field} is required`));
      }
    });

    it("an unknown field is rejected by name, including names of Object.prototype members", async () => {
      for (const field of ["position_size_x", "constructor", "toString", "hasOwnProperty", "__defineGetter__"]) {
        expectFieldError(await send(e, { ...valid(e), [field]: "1" }), field, /^Unknown field\.$/);
      }
    });

    it("a bad API key is 403 'Invalid openalgo apikey' (well-formed, malformed, and revoked-looking)", async () => {
      for (const apikey of [randomBytes(32).toString("hex"), "not-a-key", h.key.toUpperCase(), `${h.key.slice(0, 63)}0`]) {
        if (apikey === h.key) continue;
        const body = expectError(await send(e, { ...valid(e), apikey }), 403, "INVALID_API_KEY");
        expect(body["message"]).toBe("Invalid openalgo apikey");
      }
    });

    if (e.exchanges !== undefined) {
      it("an unknown exchange is 400 listing the allowed exchanges", async () => {
        const allowed = e.exchanges === "fno" ? ["NFO", "BFO", "CDS", "MCX"] : SUPPORTED_EXCHANGES;
        for (const exchange of ["XYZ", "CRYPTO", "NCDEX", ""]) {
          const res = await send(e, { ...valid(e), exchange });
          expectFieldError(res, "exchange", exchange === "" && e.method === "GET" ? /must/ : new RegExp(allowed.join(", ")));
        }
        if (e.exchanges !== "fno") {
          // An OpenAlgo exchange Jainam does not serve says so, not just "unknown".
          expectFieldError(await send(e, { ...valid(e), exchange: "BCD" }), "exchange", /BSE currency derivatives \(BSECD\) are not offered by Jainam/);
        }
      });
    }

    if (e.resolvesSymbol === true) {
      it("an unknown symbol is 404 SYMBOL_NOT_FOUND naming symbol and exchange, with close suggestions", async () => {
        const typo = h.picks.equity.symbol.slice(0, -1);
        const body = expectError(await send(e, { ...valid(e), symbol: typo }), 404, "SYMBOL_NOT_FOUND");
        expect(body["message"]).toContain(`'${typo}'`);
        expect(body["message"]).toContain("NSE");
        expect(body["suggestions"]).toContain(h.picks.equity.symbol);
        const none = expectError(await send(e, { ...valid(e), symbol: "ZZZQQQXXX" }), 404, "SYMBOL_NOT_FOUND");
        expect(none["suggestions"]).toEqual([]);
      });
    }
  });

  describe("out of range", () => {
    const place = () => valid(ENDPOINTS.find((e) => e.path === "placeorder")!);
    const placeOrder = (over: Record<string, unknown>) => h.post("placeorder", { ...place(), ...over });

    it("placeorder: quantity 0, negative or fractional; negative price, trigger or disclosed quantity", async () => {
      expectFieldError(await placeOrder({ quantity: "0" }), "quantity", /positive whole number/);
      expectFieldError(await placeOrder({ quantity: -5 }), "quantity", /positive whole number/);
      expectFieldError(await placeOrder({ quantity: "1.5" }), "quantity", /positive whole number/);
      expectFieldError(await placeOrder({ quantity: "1e400" }), "quantity", /digits only/);
      expectFieldError(await placeOrder({ price: -1, pricetype: "LIMIT" }), "price", /≥ 0/);
      expectFieldError(await placeOrder({ price: "-1", pricetype: "LIMIT" }), "price", /plain decimal/);
      expectFieldError(await placeOrder({ trigger_price: -0.05 }), "trigger_price", /≥ 0/);
      expectFieldError(await placeOrder({ disclosed_quantity: "-1" }), "disclosed_quantity", /whole number/);
      expectFieldError(await placeOrder({ price: "abc" }), "price", /plain decimal/);
    });

    it("numbers are plain decimals: '1e3', ' 2 ', '+5', '0x10', '1_000', '16.', '.5' are refused by name, and nothing is placed", async () => {
      const before = h.gw.sandbox.control.orders().length;
      for (const quantity of ["1e3", " 2 ", "2 ", "+5", "0x10", "1_000", "1,000", "", "٣"]) {
        expectFieldError(await placeOrder({ quantity }), "quantity", /digits only/);
      }
      for (const price of ["1e2", " 16", "16.", ".5", "16.5.1", "Infinity", "-0"]) {
        expectFieldError(await placeOrder({ pricetype: "LIMIT", price }), "price", /plain decimal/);
      }
      expectFieldError(await h.post("placesmartorder", { ...place(), position_size: "1e1" }), "position_size", /whole number such as/);
      expect(h.gw.sandbox.control.orders()).toHaveLength(before);
      // JSON numbers are numbers, however written; digit strings and "16.5" are fine.
      expectSuccess(await placeOrder({ quantity: 1 }));
      expectSuccess(await placeOrder({ quantity: "1" }));
      expectSuccess(await h.post("placesmartorder", { ...place(), quantity: "1", position_size: "-1" }));
    });

    it("an API key with surrounding whitespace is not the key: 403", async () => {
      for (const apikey of [`${h.key} `, ` ${h.key}`, `${h.key}\n`]) {
        expectError(await h.post("ping", { apikey }), 403, "INVALID_API_KEY");
      }
      expectSuccess(await h.post("ping", { apikey: h.key }));
    });

    it("placeorder: a quantity off the lot size, a price off the tick, LIMIT without a price, are 400 naming the field", async () => {
      const fut = h.picks.future;
      const lot = expectError(await placeOrder({ symbol: fut.symbol, exchange: "NFO", quantity: String(fut.lotsize + 1) }), 400, "VALIDATION_ERROR");
      expect(lot["message"]).toMatch(new RegExp(`not a multiple of the lot size ${fut.lotsize} of ${fut.symbol}`));
      expect(Object.keys(lot["errors"] as object)).toEqual(["quantity"]);
      const tick = expectError(await placeOrder({ pricetype: "LIMIT", price: "100.001" }), 400, "VALIDATION_ERROR");
      expect(tick["message"]).toMatch(/tick size/);
      expect(Object.keys(tick["errors"] as object)).toEqual(["price"]);
      expect(json(await placeOrder({ pricetype: "LIMIT", price: "0" }))["message"]).toMatch(/LIMIT needs price > 0/);
      expect(json(await placeOrder({ pricetype: "SL-M" }))["message"]).toMatch(/SL-M needs trigger_price > 0/);
      expect(json(await placeOrder({ disclosed_quantity: "2" }))["message"]).toMatch(/disclosed_quantity must be a whole number from 0 to quantity/);
    });

    it("placeorder: an index cannot be traded; pricetype and product are case-sensitive as in OpenAlgo", async () => {
      const idx = expectError(await placeOrder({ symbol: h.picks.index.symbol, exchange: "NSE_INDEX" }), 400, "VALIDATION_ERROR");
      expect(idx["message"]).toMatch(/indices and cannot be traded/);
      expectFieldError(await placeOrder({ pricetype: "limit" }), "pricetype", /MARKET, LIMIT, SL, SL-M/);
      expectFieldError(await placeOrder({ product: "mis" }), "product", /MIS, NRML, CNC/);
      expectFieldError(await placeOrder({ action: "HOLD" }), "action", /BUY, SELL/);
    });

    it("placesmartorder: quantity 0 is allowed but negative is not; position_size must be whole", async () => {
      const smart = { ...place(), position_size: "0" };
      expectFieldError(await h.post("placesmartorder", { ...smart, quantity: "-1" }), "quantity", /whole number ≥ 0/);
      expectFieldError(await h.post("placesmartorder", { ...smart, position_size: "1.5" }), "position_size", /whole number/);
      expect((await h.post("placesmartorder", { ...smart, quantity: "0" })).statusCode).toBeLessThan(500);
    });

    it("orderid that is not an XTS AppOrderID is 400 on modify, cancel and orderstatus", async () => {
      for (const path of ["cancelorder", "orderstatus"]) {
        for (const orderid of ["abc", "0", "-3", "1.5", "99999999999999999999", " "]) {
          const res = await h.post(path, { apikey: h.key, strategy: "s", orderid });
          const body = expectError(res, 400, "VALIDATION_ERROR");
          expect(body["message"]).toMatch(/orderid/);
        }
      }
      const modify = { ...valid(ENDPOINTS.find((e) => e.path === "modifyorder")!), orderid: "x1" };
      expect(json(await h.post("modifyorder", modify))["message"]).toMatch(/orderid must be an XTS AppOrderID/);
    });

    it("search with an empty query, expiry with an unknown instrument type, instruments in another format", async () => {
      expectFieldError(await h.post("search", { apikey: h.key, query: "  " }), "query", /must not be empty/);
      expectFieldError(await h.post("expiry", { apikey: h.key, symbol: "NIFTY", exchange: "NFO", instrumenttype: "stocks" }), "instrumenttype", /futures or options/);
      expectFieldError(await h.call("GET", "instruments", { apikey: h.key, format: "xml" }), "format", /json or csv/);
      expectFieldError(await h.post("mastercontract/refresh", { apikey: h.key, force: "maybe" }), "force", /true or false/);
    });
  });

  it("a valid body with every number as a string and a lower-case action is accepted everywhere it can be", async () => {
    for (const e of ENDPOINTS.filter((x) => !["modifyorder", "cancelorder", "orderstatus"].includes(x.path))) {
      expectSuccess(await send(e, valid(e)));
    }
  });
});
