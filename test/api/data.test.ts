import { beforeEach, describe, expect, it } from "vitest";
import { ROUTES } from "../../src/api/handlers.js";
import { expectError, expectSuccess, inject, apiFixture } from "./harness.js";

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
/** `29-DEC-26` → `2026-12-29`, for ordering OpenAlgo expiry strings. */
function isoOf(expiry: string): string {
  const [d, m, y] = expiry.split("-");
  return `20${y}-${String(MONTHS.indexOf(m!) + 1).padStart(2, "0")}-${d}`;
}

/** Books, account, symbols, quotes, master contract and the API's own description. */
describe("account and data endpoints", () => {
  const h = apiFixture();
  beforeEach(() => h.gw.sandbox.control.reset());

  const read = async (path: string, extra: Record<string, unknown> = {}) => expectSuccess(await h.post(path, { apikey: h.key, ...extra }))["data"];
  const buy = (quantity: string) =>
    h.post("placeorder", { apikey: h.key, strategy: "Python", symbol: h.picks.equity.symbol, action: "BUY", exchange: "NSE", pricetype: "MARKET", product: "MIS", quantity });

  describe("books", () => {
    it("empty books (XTS 'Data Not Available') are empty lists, not errors", async () => {
      expect(await read("orderbook")).toEqual({
        orders: [],
        statistics: { total_buy_orders: 0, total_sell_orders: 0, total_completed_orders: 0, total_open_orders: 0, total_rejected_orders: 0 },
      });
      expect(await read("tradebook")).toEqual([]);
      expect(await read("positionbook")).toEqual([]);
    });

    it("orderbook, tradebook and positionbook show a filled order in OpenAlgo's shapes", async () => {
      const orderid = expectSuccess(await buy("2"))["orderid"];
      const book = (await read("orderbook")) as { orders: Record<string, unknown>[]; statistics: Record<string, unknown> };
      expect(book.orders).toEqual([
        expect.objectContaining({ action: "BUY", symbol: h.picks.equity.symbol, exchange: "NSE", orderid, product: "MIS", quantity: 2, price: 0, pricetype: "MARKET", order_status: "complete", trigger_price: 0 }),
      ]);
      expect(book.statistics).toEqual({ total_buy_orders: 1, total_sell_orders: 0, total_completed_orders: 1, total_open_orders: 0, total_rejected_orders: 0 });
      const trades = (await read("tradebook")) as Record<string, unknown>[];
      expect(trades).toEqual([expect.objectContaining({ action: "BUY", symbol: h.picks.equity.symbol, exchange: "NSE", orderid, product: "MIS", quantity: 2 })]);
      expect(Object.keys(trades[0]!).sort()).toEqual(["action", "average_price", "exchange", "orderid", "product", "quantity", "symbol", "timestamp", "trade_value"]);
      const positions = (await read("positionbook")) as Record<string, unknown>[];
      expect(positions).toEqual([expect.objectContaining({ symbol: h.picks.equity.symbol, exchange: "NSE", product: "MIS", quantity: 2 })]);
      // The XTS mapping in OpenAlgo formats average_price as a 2-dp string.
      expect(positions[0]!["average_price"]).toMatch(/^\d+\.\d{2}$/);
    });

    it("holdings carry holdings and statistics; funds are 2-dp strings", async () => {
      const holdings = (await read("holdings")) as { holdings: Record<string, unknown>[]; statistics: Record<string, unknown> };
      expect(holdings.holdings.length).toBeGreaterThan(0);
      for (const row of holdings.holdings) expect(Object.keys(row).sort()).toEqual(["exchange", "pnl", "pnlpercent", "product", "quantity", "symbol"]);
      expect(Object.keys(holdings.statistics).sort()).toEqual(["totalholdingvalue", "totalinvvalue", "totalpnlpercentage", "totalprofitandloss"]);
      const funds = (await read("funds")) as Record<string, unknown>;
      expect(Object.keys(funds).sort()).toEqual(["availablecash", "collateral", "m2mrealized", "m2munrealized", "utiliseddebits"]);
      for (const value of Object.values(funds)) expect(value).toMatch(/^-?\d+\.\d{2}$/);
    });
  });

  describe("symbols", () => {
    it("symbol returns the stored row; exchange case is forgiven", async () => {
      const eq = h.picks.equity;
      const data = await read("symbol", { symbol: eq.symbol, exchange: "nse" });
      const { broker: _broker, ...row } = eq;
      expect(data).toEqual(row);
    });

    it("search: every result matches, the exchange filter holds, no match is 200 with an empty list", async () => {
      const body = expectSuccess(await h.post("search", { apikey: h.key, query: "NIFTY FUT", exchange: "NFO" }));
      const rows = body["data"] as { symbol: string; exchange: string; instrumenttype: string }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(body["message"]).toBe(`Found ${rows.length} matching symbols`);
      for (const r of rows) expect(r).toMatchObject({ exchange: "NFO", symbol: expect.stringMatching(/NIFTY.*FUT/) });
      const none = expectSuccess(await h.post("search", { apikey: h.key, query: "QQQZZZXXX" }));
      expect(none).toMatchObject({ message: "No matching symbols found", data: [] });
    });

    it("expiry: DD-MMM-YY, ascending, past dates dropped", async () => {
      const ask = { apikey: h.key, symbol: "NIFTY", exchange: "NFO", instrumenttype: "options" };
      const all = expectSuccess(await h.post("expiry", ask));
      const dates = all["data"] as string[];
      expect(dates.length).toBeGreaterThan(2);
      expect(all["message"]).toBe(`Found ${dates.length} expiry dates for NIFTY options in NFO`);
      for (const d of dates) expect(d).toMatch(/^\d{2}-[A-Z]{3}-\d{2}$/);
      expect(dates.map(isoOf)).toEqual([...dates.map(isoOf)].sort());
      const today = isoOf(dates[1]!);
      const later = expectSuccess(await inject(h.app2({ today }), "expiry", ask))["data"] as string[];
      expect(later).toEqual(dates.slice(1));
      const futures = expectSuccess(await h.post("expiry", { ...ask, instrumenttype: "FUTURES" }))["data"] as string[];
      expect(futures.length).toBeGreaterThan(0);
      expect(expectSuccess(await h.post("expiry", { ...ask, symbol: "NOSUCHUNDERLYING" }))["data"]).toEqual([]);
    });

    it("instruments (GET, apikey in the query): JSON of every row, or one exchange", async () => {
      const all = expectSuccess(await h.call("GET", "instruments", { apikey: h.key }));
      expect(all["message"]).toBe(`Found ${h.gw.resolver.current.size} instruments`);
      expect((all["data"] as unknown[]).length).toBe(h.gw.resolver.current.size);
      const nfo = expectSuccess(await h.call("GET", "instruments", { apikey: h.key, exchange: "nfo", format: "json" }))["data"] as { exchange: string }[];
      expect(nfo.length).toBe(h.gw.resolver.current.rowsOf("NFO").length);
      expect(new Set(nfo.map((r) => r.exchange))).toEqual(new Set(["NFO"]));
    });

    it("instruments as CSV: attachment named by exchange, OpenAlgo's columns, one line per row", async () => {
      const res = await h.call("GET", "instruments", { apikey: h.key, exchange: "NSE", format: "csv" });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
      expect(res.headers["content-disposition"]).toBe("attachment; filename=instruments_nse.csv");
      const lines = res.body.trimEnd().split("\n");
      expect(lines[0]).toBe("symbol,brsymbol,name,exchange,brexchange,token,expiry,strike,lotsize,instrumenttype,tick_size,freeze_qty,lower_circuit,upper_circuit");
      expect(lines.length - 1).toBe(h.gw.resolver.current.rowsOf("NSE").length);
      const eq = h.picks.equity;
      expect(lines).toContain([eq.symbol, eq.brsymbol, eq.name, "NSE", eq.brexchange, eq.token, "", eq.strike, eq.lotsize, eq.instrumenttype, eq.tick_size, eq.freeze_qty, eq.lower_circuit ?? "", eq.upper_circuit ?? ""].join(","));
      expect(lines.some((l) => l.endsWith("null"))).toBe(false);
      const every = await h.call("GET", "instruments", { apikey: h.key, format: "csv" });
      expect(every.headers["content-disposition"]).toBe("attachment; filename=instruments_all.csv");
      const bad = await h.call("GET", "instruments", { apikey: "0".repeat(64), format: "csv" });
      expectError(bad, 403, "INVALID_API_KEY");
    });
  });

  it("ping answers pong with the broker", async () => {
    expect(await read("ping")).toEqual({ message: "pong", broker: "jainam_prop" });
  });

  it("quotes: OpenAlgo's fields as numbers, for an equity and an index", async () => {
    for (const row of [h.picks.equity, h.picks.index]) {
      const quote = (await read("quotes", { symbol: row.symbol, exchange: row.exchange })) as Record<string, unknown>;
      expect(Object.keys(quote).sort()).toEqual(["ask", "bid", "high", "low", "ltp", "oi", "open", "prev_close", "volume"]);
      for (const v of Object.values(quote)) expect(typeof v).toBe("number");
      expect(quote["ltp"]).toBeGreaterThan(0);
    }
  });

  describe("master contract", () => {
    it("status reports the stored contract and the index", async () => {
      const data = (await read("mastercontract/status")) as Record<string, unknown>;
      expect(data).toMatchObject({ broker: "jainam_prop", status: "success", totalSymbols: h.gw.resolver.current.size });
      expect(data["index"]).toMatchObject({ rows: h.gw.resolver.current.size });
    });

    it("refresh downloads again; a failed one is 502 with the report, and the old contract keeps serving", async () => {
      const ok = expectSuccess(await h.post("mastercontract/refresh", { apikey: h.key, force: true }));
      expect(ok["data"]).toMatchObject({ status: "success", forced: true });
      h.gw.sandbox.control.inject({ match: { path: "/instruments/master", segment: "NSECM" }, action: { type: "empty-segment" } });
      const failed = expectError(await h.post("mastercontract/refresh", { apikey: h.key }), 502, "MASTER_REFRESH_FAILED");
      expect(failed["message"]).toMatch(/previous contract kept: .*NSECM: returned no instruments/);
      expect(failed["data"]).toMatchObject({ status: "error" });
      expect(await read("symbol", { symbol: h.picks.equity.symbol, exchange: "NSE" })).toMatchObject({ token: h.picks.equity.token });
    });
  });

  describe("the API describes itself", () => {
    it("/api/v1/openapi.json lists every route with its fields and required ones", async () => {
      const res = await h.app.inject({ method: "GET", url: "/api/v1/openapi.json" });
      expect(res.statusCode).toBe(200);
      const doc = JSON.parse(res.body) as { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>> };
      expect(doc.openapi).toBe("3.1.0");
      expect(Object.keys(doc.paths).sort()).toEqual(ROUTES.map((r) => `/api/v1${r.path.replace(/:(\w+)/g, "{$1}")}`).sort());
      const place = doc.paths["/api/v1/placeorder"]!["post"]!;
      const schema = (place["requestBody"] as { content: { "application/json": { schema: { properties: object; required: string[]; additionalProperties: unknown } } } }).content["application/json"].schema;
      expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["apikey", "strategy", "symbol", "exchange", "action", "quantity", "price"]));
      expect(schema.required).toEqual(expect.arrayContaining(["apikey", "strategy", "symbol", "exchange", "action", "quantity"]));
      expect(schema.additionalProperties).toBe(false);
      // Input the JSON schema cannot spell (case-free enums, numbers as strings) is described in words.
      const props = schema.properties as Record<string, { description?: string }>;
      expect(props["exchange"]!.description).toBe("one of NSE, BSE, NFO, BFO, CDS, MCX, NSE_INDEX, BSE_INDEX (any case)");
      expect(props["action"]!.description).toBe("one of BUY, SELL (any case)");
      expect(props["quantity"]!.description).toMatch(/a number, or a string of a positive whole number \(digits only/);
      const instruments = doc.paths["/api/v1/instruments"]!["get"]!;
      expect(instruments["parameters"]).toEqual(expect.arrayContaining([expect.objectContaining({ name: "apikey", in: "query", required: true })]));
    });

    it("/docs is Swagger UI, served from the package (no CDN), over the same document", async () => {
      const page = await h.app.inject({ method: "GET", url: "/docs" });
      expect(page.statusCode).toBe(200);
      expect(page.headers["content-type"]).toMatch(/^text\/html/);
      expect(page.body).toContain("swagger-ui");
      expect(page.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z]/i);
      const bundle = await h.app.inject({ method: "GET", url: "/docs/static/swagger-ui-bundle.js" });
      expect(bundle.statusCode).toBe(200);
      expect(bundle.body.length).toBeGreaterThan(100_000);
      const served = JSON.parse((await h.app.inject({ method: "GET", url: "/docs/json" })).body) as unknown;
      expect(served).toEqual(JSON.parse((await h.app.inject({ method: "GET", url: "/api/v1/openapi.json" })).body));
    });

    it("every operation has a request example and documents its error statuses, 409, 413, 415 and 503 included", async () => {
      const doc = JSON.parse((await h.app.inject({ method: "GET", url: "/api/v1/openapi.json" })).body) as { paths: Record<string, Record<string, Record<string, unknown>>> };
      for (const route of ROUTES) {
        const op = doc.paths[`/api/v1${route.path.replace(/:(\w+)/g, "{$1}")}`]![route.method.toLowerCase()]!;
        const responses = op["responses"] as Record<string, { description: string; content?: Record<string, { example?: unknown }> }>;
        expect(Object.keys(responses), route.path).toEqual(expect.arrayContaining(["200", "400", "403", "413", "415", "429", "503"]));
        expect(responses["200"]!.content?.["application/json"]?.example, route.path).toMatchObject({ status: "success" });
        const example =
          route.source === "query"
            ? Object.fromEntries(((op["parameters"] as { name: string; example?: unknown }[]) ?? []).filter((p) => p.example !== undefined).map((p) => [p.name, p.example]))
            : (op["requestBody"] as { content: Record<string, { example: Record<string, unknown> }> }).content["application/json"]!.example;
        expect(example, route.path).toHaveProperty("apikey");
        // The example request is valid input for the route's own schema.
        expect(route.schema.safeParse(example).success, route.path).toBe(true);
      }
      const refresh = doc.paths["/api/v1/mastercontract/refresh"]!["post"]!["responses"] as Record<string, { description: string }>;
      expect(refresh["409"]!.description).toMatch(/REFRESH_IN_PROGRESS/);
      expect((doc.paths["/api/v1/placeorder"]!["post"]!["responses"] as Record<string, { description: string }>)["504"]!.description).toMatch(/ORDER_OUTCOME_UNKNOWN/);
    });
  });
});
