import { beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../../src/api/app.js";
import { appDeps } from "../../src/cli/gateway.js";
import { silentLogger } from "../../src/logger.js";
import { MarginService } from "../../src/orders/margin-service.js";
import { apiFixture, expectError, expectSuccess, GENEROUS_LIMITS, inject, json } from "./harness.js";

describe("basketorder, splitorder and margin against the sandbox", () => {
  const h = apiFixture();
  beforeEach(() => {
    h.gw.sandbox.control.reset();
    h.gw.sandbox.control.clearFaults();
    h.gw.sandbox.control.clearRequests();
  });
  /** A price inside the row's band, on its tick. */
  const inBand = (row: { lower_circuit: number | null; upper_circuit: number | null; tick_size: number }): number =>
    Number((Math.round((row.lower_circuit! + row.upper_circuit!) / 2 / row.tick_size) * row.tick_size).toFixed(4));
  const placed = () => h.gw.sandbox.control.requests().filter((r) => r.method === "POST" && r.path === "/orders" && r.status === 200).map((r) => r.body as { orderSide: string; orderQuantity: number; exchangeInstrumentID: number });
  const equity = () => ({ symbol: h.picks.equity.symbol, exchange: "NSE", quantity: "1", product: "MIS" });

  it("basketorder: every order attempted, BUY before SELL, a result per order in the order given; a bad order fails alone", async () => {
    const fut = h.picks.future;
    const body = expectSuccess(
      await h.post("basketorder", {
        apikey: h.key,
        strategy: "Basket",
        orders: [
          { ...equity(), action: "SELL" },
          { symbol: "NOSUCHSTOCK", exchange: "NSE", action: "BUY", quantity: "1" },
          { symbol: fut.symbol, exchange: "NFO", action: "buy", quantity: String(fut.lotsize), product: "NRML" },
          { symbol: fut.symbol, exchange: "NFO", action: "BUY", quantity: "1", product: "NRML" },
        ],
      }),
    );
    const results = body["results"] as Record<string, unknown>[];
    expect(results.map((r) => [r["symbol"], r["status"]])).toEqual([
      [h.picks.equity.symbol, "success"],
      ["NOSUCHSTOCK", "error"],
      [fut.symbol, "success"],
      [fut.symbol, "error"],
    ]);
    expect(results[1]).toMatchObject({ code: "SYMBOL_NOT_FOUND" });
    expect(results[3]).toMatchObject({ code: "VALIDATION_ERROR", message: expect.stringMatching(/lot size/) });
    expect(placed().map((o) => o.orderSide)).toEqual(["BUY", "SELL"]);
    const ids = results.filter((r) => r["status"] === "success").map((r) => r["orderid"]);
    expect(new Set(ids).size).toBe(2);
    // Nothing placed at all: an error, and still every order's reason.
    h.gw.sandbox.control.clearRequests();
    const none = expectError(await h.post("basketorder", { apikey: h.key, strategy: "Basket", orders: [{ symbol: "NOSUCH", exchange: "NSE", action: "BUY", quantity: 1 }] }), 404, "SYMBOL_NOT_FOUND", /every order failed/);
    expect(none["results"]).toHaveLength(1);
    expectError(await h.post("basketorder", { apikey: h.key, strategy: "Basket", orders: [{ ...equity(), action: "HOLD" }] }), 400, "VALIDATION_ERROR", /orders\.0\.action/);
    expect(placed()).toHaveLength(0);
  });

  it("splitorder: parts of splitsize with the remainder last; a splitsize at the freeze quantity is refused before anything is sent", async () => {
    const fut = h.picks.future;
    const body = expectSuccess(await h.post("splitorder", { apikey: h.key, strategy: "Split", symbol: fut.symbol, exchange: "NFO", action: "BUY", quantity: 7 * fut.lotsize, splitsize: 3 * fut.lotsize, product: "NRML" }));
    expect(body).toMatchObject({ split_size: 3 * fut.lotsize, total_quantity: 7 * fut.lotsize });
    expect((body["results"] as Record<string, unknown>[]).map((r) => [r["order_num"], r["quantity"], r["status"]])).toEqual([
      [1, 3 * fut.lotsize, "success"],
      [2, 3 * fut.lotsize, "success"],
      [3, fut.lotsize, "success"],
    ]);
    expect(placed().map((o) => o.orderQuantity)).toEqual([3 * fut.lotsize, 3 * fut.lotsize, fut.lotsize]);
    h.gw.sandbox.control.clearRequests();
    const atFreeze = Math.ceil(fut.freeze_qty / fut.lotsize) * fut.lotsize;
    expectError(await h.post("splitorder", { apikey: h.key, strategy: "Split", symbol: fut.symbol, exchange: "NFO", action: "BUY", quantity: 2 * atFreeze, splitsize: atFreeze }), 400, "VALIDATION_ERROR", /splitsize \d+ reaches the freeze quantity/);
    expectError(await h.post("splitorder", { apikey: h.key, strategy: "Split", ...equity(), action: "BUY", quantity: 1000, splitsize: 1 }), 400, "VALIDATION_ERROR", /1000 orders; at most 100/);
    expectError(await h.post("splitorder", { apikey: h.key, strategy: "Split", ...equity(), action: "BUY", splitsize: 0 }), 400, "VALIDATION_ERROR", /splitsize must be a positive whole number/);
    expect(placed()).toHaveLength(0);
  });

  it("margin: the broker's figures for a basket (the sandbox's RMS: futures 15 % of notional, cash MIS 20 %); a bad position is named by its place", async () => {
    const fut = h.picks.future;
    const price = inBand(fut);
    const cash = inBand(h.picks.equity);
    const body = expectSuccess(
      await h.post("margin", {
        apikey: h.key,
        positions: [
          { symbol: fut.symbol, exchange: "NFO", action: "SELL", quantity: String(2 * fut.lotsize), product: "NRML", pricetype: "LIMIT", price: String(price) },
          { symbol: h.picks.equity.symbol, exchange: "NSE", action: "BUY", quantity: "10", product: "MIS", pricetype: "LIMIT", price: String(cash) },
        ],
      }),
    );
    const data = body["data"] as Record<string, number>;
    expect(data["span_margin"]).toBeCloseTo(2 * fut.lotsize * price * 0.15, 2);
    expect(data["exposure_margin"]).toBeCloseTo(10 * cash * 0.2, 2);
    expect(data["total_margin_required"]).toBeCloseTo(data["span_margin"]! + data["exposure_margin"]!, 2);
    expect(data["margin_benefit"]).toBe(0);
    expect(placed()).toHaveLength(0);
    const bad = expectError(
      await h.post("margin", { apikey: h.key, positions: [{ ...equity(), action: "BUY", pricetype: "MARKET" }, { symbol: fut.symbol, exchange: "NFO", action: "BUY", quantity: "1", product: "NRML", pricetype: "MARKET" }] }),
      400,
      "VALIDATION_ERROR",
      /positions\[1\]: quantity 1 is not a multiple of the lot size/,
    );
    expect((bad["errors"] as Record<string, unknown>)["positions[1].quantity"]).toBeDefined();
  });

  it("margin on a broker without a margin calculator is NOT_SUPPORTED (501), never a figure of our own", async () => {
    const app = buildApp(appDeps(h.gw, { logger: silentLogger(), apiKeys: h.gw.apiKeys, limits: GENEROUS_LIMITS, margin: new MarginService(h.gw.xts.interactive, h.gw.resolver, false) }));
    try {
      const res = await inject(app, "margin", { apikey: h.key, positions: [{ ...equity(), action: "BUY", pricetype: "MARKET" }] });
      expect(res.statusCode).toBe(501);
      expect(json(res)).toMatchObject({ status: "error", code: "NOT_SUPPORTED", message: expect.stringMatching(/XTS_MARGIN_DETAILS/) });
      expect(h.gw.sandbox.control.requests().filter((r) => r.path === "/orders/margindetails")).toHaveLength(0);
    } finally {
      await app.close();
    }
  });
});
