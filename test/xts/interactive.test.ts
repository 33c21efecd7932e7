import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/create-sandbox.js";
import { SANDBOX_DEFAULTS } from "../../src/sandbox/sandbox-options.js";
import type { Harness } from "./xts-harness.js";
import { caught, cashStock, expectNoSecrets, harness, marketOrder, requestsTo, restingOrder, startSandbox } from "./xts-harness.js";

/** The interactive API against the sandbox, for an investor login and for a dealer login. */
describe.each([
  { login: "investor", dealer: false, clientID: null },
  { login: "dealer", dealer: true, clientID: "CLIENT1" },
] as const)("$login login", ({ dealer, clientID }) => {
  let sandbox: Sandbox;
  let h: Harness;

  beforeAll(async () => {
    sandbox = await startSandbox({ dealer, seedHoldings: true });
    h = harness(sandbox);
  });

  afterAll(async () => {
    expectNoSecrets(h);
    await sandbox.close();
  });

  beforeEach(() => {
    sandbox.control.clearFaults();
    sandbox.control.reset();
  });

  it("reports the login's kind and the clientID it acts for", async () => {
    const session = await h.client.interactive.login();
    expect(session.isInvestorClient).toBe(!dealer);
    expect(session.clientID).toBe(clientID);
    expect(session).not.toHaveProperty("token");
  });

  it("reads empty books as empty lists (HTTP 400 e-*-0005 'Data Not Available')", async () => {
    sandbox.control.clearRequests();
    expect(await h.client.interactive.orderBook()).toEqual([]);
    expect(await h.client.interactive.tradeBook()).toEqual([]);
    expect(await h.client.interactive.positions()).toEqual([]);
    expect(await h.client.interactive.positions("DayWise")).toEqual([]);
    const statuses = sandbox.control.requests().map((request) => request.status);
    expect(statuses).toEqual([400, 400, 400, 400]);
  });

  it("places, reads back, modifies and cancels an order, with every book", async () => {
    const stock = cashStock();
    const placed = await h.client.interactive.placeOrder(restingOrder(sandbox, stock, "ix-rest-1"));
    expect(placed.AppOrderID).toBeGreaterThan(0);

    const book = await h.client.interactive.orderBook();
    const mine = book.find((order) => order.AppOrderID === placed.AppOrderID);
    expect(mine).toMatchObject({ OrderUniqueIdentifier: "ix-rest-1", OrderStatus: "New", ExchangeSegment: "NSECM" });
    if (clientID !== null) expect(mine?.ClientID).toBe(clientID);

    const resting = restingOrder(sandbox, stock, "ix-rest-1");
    const modified = await h.client.interactive.modifyOrder({
      appOrderID: placed.AppOrderID,
      modifiedProductType: "MIS",
      modifiedOrderType: "LIMIT",
      modifiedOrderQuantity: resting.orderQuantity * 2,
      modifiedDisclosedQuantity: 0,
      modifiedLimitPrice: resting.limitPrice,
      modifiedStopPrice: 0,
      modifiedTimeInForce: "DAY",
      orderUniqueIdentifier: "ix-rest-1",
    });
    expect(modified.AppOrderID).toBe(placed.AppOrderID);

    const history = await h.client.interactive.orderHistory(placed.AppOrderID);
    expect(history.length).toBeGreaterThanOrEqual(2);
    expect(history.every((state) => state.AppOrderID === placed.AppOrderID)).toBe(true);

    const cancelled = await h.client.interactive.cancelOrder(placed.AppOrderID, "ix-rest-1");
    expect(cancelled.AppOrderID).toBe(placed.AppOrderID);
    expect(sandbox.control.orders().find((order) => order.AppOrderID === placed.AppOrderID)?.OrderStatus).toBe("Cancelled");

    const filled = await h.client.interactive.placeOrder(marketOrder(stock, "ix-mkt-1"));
    const trades = await h.client.interactive.tradeBook();
    expect(trades.some((trade) => trade.AppOrderID === filled.AppOrderID)).toBe(true);
    const positions = await h.client.interactive.positions("NetWise");
    const position = positions.find((p) => Number(p.ExchangeInstrumentID) === stock.token);
    expect(position).toMatchObject({ ExchangeSegment: "NSECM" });
    expect(Number(position?.Quantity)).toBe(stock.lotSize);
  });

  it("cancels all open orders of an instrument", async () => {
    const stock = cashStock();
    await h.client.interactive.placeOrder(restingOrder(sandbox, stock, "ix-ca-1"));
    await h.client.interactive.placeOrder(restingOrder(sandbox, stock, "ix-ca-2"));
    const ack = await h.client.interactive.cancelAll("NSECM", stock.token);
    expect(ack.code).toMatch(/^s-/);
    expect(sandbox.control.orders().filter((order) => order.OrderStatus === "New")).toEqual([]);
  });

  it("reads holdings, balance and profile", async () => {
    const holdings = await h.client.interactive.holdings();
    expect(holdings.length).toBeGreaterThan(0);
    expect(holdings.every((holding) => /^IN[A-Z0-9]{10}$/.test(holding.ISIN))).toBe(true);
    const balance = await h.client.interactive.balance();
    // The sandbox lists an all-zero CASH|NSE|MTF entry first; the consolidated ALL|ALL|ALL one holds the opening balance.
    expect(balance).toMatchObject({ limitHeader: "ALL|ALL|ALL", netMarginAvailable: SANDBOX_DEFAULTS.openingBalance, marginUtilized: 0 });
    const profile = await h.client.interactive.profile();
    expect(profile).toBeTypeOf("object");
  });

  it(dealer ? "sends clientID on every call: query for GET/DELETE, body for POST/PUT, dealer book endpoints" : "never sends clientID, and uses the investor book endpoints", async () => {
    sandbox.control.clearRequests();
    const stock = cashStock();
    const placed = await h.client.interactive.placeOrder(restingOrder(sandbox, stock, "ix-cid-1"));
    const resting = restingOrder(sandbox, stock, "ix-cid-1");
    await h.client.interactive.modifyOrder({
      appOrderID: placed.AppOrderID,
      modifiedProductType: "MIS",
      modifiedOrderType: "LIMIT",
      modifiedOrderQuantity: resting.orderQuantity,
      modifiedDisclosedQuantity: 0,
      modifiedLimitPrice: resting.limitPrice,
      modifiedStopPrice: 0,
      modifiedTimeInForce: "DAY",
      orderUniqueIdentifier: "ix-cid-1",
    });
    await h.client.interactive.orderHistory(placed.AppOrderID);
    await h.client.interactive.cancelOrder(placed.AppOrderID, "ix-cid-1");
    await h.client.interactive.cancelAll("NSECM", stock.token);
    await h.client.interactive.orderBook();
    await h.client.interactive.tradeBook();
    await h.client.interactive.positions();
    await h.client.interactive.holdings();
    await h.client.interactive.balance();
    await h.client.interactive.profile();
    await h.client.interactive.logout();

    const calls = sandbox.control.requests();
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /orders",
      "PUT /orders",
      "GET /orders",
      "DELETE /orders",
      "POST /orders/cancelall",
      dealer ? "GET /orders/dealerorderbook" : "GET /orders",
      dealer ? "GET /orders/dealertradebook" : "GET /orders/trades",
      dealer ? "GET /portfolio/dealerpositions" : "GET /portfolio/positions",
      "GET /portfolio/holdings",
      "GET /user/balance",
      "GET /user/profile",
      "DELETE /user/session",
    ]);
    for (const call of calls) {
      const sent = call.method === "GET" || call.method === "DELETE" ? call.query["clientID"] : (call.body as Record<string, unknown>)["clientID"];
      expect(sent, `${call.method} ${call.path}`).toBe(clientID ?? undefined);
      expect(call.hasAuthorization).toBe(true);
    }
    expect(calls.every((call) => call.status === 200 || call.status === 400)).toBe(true);
    expect(requestsTo(sandbox, "DELETE", "/orders")[0]?.query).toMatchObject({ appOrderID: String(placed.AppOrderID), orderUniqueIdentifier: "ix-cid-1" });
    expect(requestsTo(sandbox, "GET", "/portfolio/" + (dealer ? "dealerpositions" : "positions"))[0]?.query["dayOrNet"]).toBe("NetWise");
  });

  it("keeps XTS's code and description when an order is rejected", async () => {
    const error = await caught(h.client.interactive.placeOrder({ ...marketOrder(cashStock(), "ix-bad-1"), exchangeInstrumentID: 999_999_999 }));
    expect(error.code).toBe("XTS_REJECTED");
    expect(error.details).toMatchObject({ xtsCode: expect.stringMatching(/^e-/), description: expect.any(String) });
    expect(error.message).toContain(String(error.details["description"]));
  });
});

describe("dealer clientID", () => {
  it("uses JAINAM_CLIENT_ID over clientCodes[0]", async () => {
    const sandbox = await startSandbox({ dealer: true });
    try {
      const h = harness(sandbox, { jainam: { clientId: "CLIENT2" } });
      expect((await h.client.interactive.login()).clientID).toBe("CLIENT2");
      await h.client.interactive.orderBook();
      expect(requestsTo(sandbox, "GET", "/orders/dealerorderbook")[0]?.query["clientID"]).toBe("CLIENT2");
    } finally {
      await sandbox.close();
    }
  });

  it("reports the dealer's 'not mapped' refusal verbatim", async () => {
    const sandbox = await startSandbox({ dealer: true });
    try {
      const h = harness(sandbox, { jainam: { clientId: "SOMEONE" } });
      const error = await caught(h.client.interactive.orderBook());
      expect(error).toMatchObject({ code: "XTS_REJECTED", details: { xtsCode: "e-trade-00002", description: "Supplied client not mapped under dealer" } });
    } finally {
      await sandbox.close();
    }
  });
});
