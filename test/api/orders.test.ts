import { beforeEach, describe, expect, it } from "vitest";
import { expectError, expectSuccess, ltpOf, restingBuyPrice, apiFixture } from "./harness.js";

/** The order endpoints, driven as OpenAlgo's Python client drives them (numbers as strings). */
describe("order endpoints against the sandbox", () => {
  const h = apiFixture();
  beforeEach(() => {
    h.gw.sandbox.control.reset();
    h.gw.sandbox.control.clearFaults();
  });

  const base = () => ({ apikey: h.key, strategy: "Python", symbol: h.picks.equity.symbol, action: "buy", exchange: "NSE", pricetype: "MARKET", product: "MIS", quantity: "1" });
  // The sandbox keeps orders as XTS books show them ("Buy", "Filled").
  const sandboxOrder = (orderid: unknown) => h.gw.sandbox.control.orders().find((o) => String(o.AppOrderID) === orderid);

  async function restingOrder(): Promise<{ orderid: string; price: number }> {
    const price = restingBuyPrice(await ltpOf(h, h.picks.equity), h.picks.equity.tick_size);
    const body = { ...base(), pricetype: "LIMIT", price: String(price), trigger_price: "0", disclosed_quantity: "0" };
    const placed = expectSuccess(await h.post("placeorder", body));
    return { orderid: placed["orderid"] as string, price };
  }

  async function statusOf(orderid: unknown): Promise<Record<string, unknown>> {
    return expectSuccess(await h.post("orderstatus", { apikey: h.key, strategy: "Python", orderid }))["data"] as Record<string, unknown>;
  }

  it("placeorder: MARKET with string numbers and lower-case action → {status, orderid} with orderid a string, one order at the broker", async () => {
    const body = expectSuccess(await h.post("placeorder", base()));
    expect(Object.keys(body).sort()).toEqual(["orderid", "status"]);
    expect(body["orderid"]).toMatch(/^\d+$/);
    const order = sandboxOrder(body["orderid"]);
    expect(order).toMatchObject({ OrderSide: "Buy", ProductType: "MIS", OrderQuantity: 1, OrderStatus: "Filled" });
    expect(h.gw.sandbox.control.orders()).toHaveLength(1);
  });

  it("placeorder: plain JSON numbers work as well, and the orderid is still a string", async () => {
    const fut = h.picks.future;
    const body = expectSuccess(await h.post("placeorder", { ...base(), symbol: fut.symbol, exchange: "NFO", action: "SELL", quantity: fut.lotsize, product: "NRML" }));
    expect(typeof body["orderid"]).toBe("string");
    expect(sandboxOrder(body["orderid"])).toMatchObject({ OrderSide: "Sell", ProductType: "NRML", OrderQuantity: fut.lotsize });
  });

  it("a resting LIMIT: orderstatus open → modifyorder → the new price → cancelorder → cancelled", async () => {
    const { orderid, price } = await restingOrder();
    expect(await statusOf(orderid)).toMatchObject({ orderid, order_status: "open", pricetype: "LIMIT", price, action: "BUY", exchange: "NSE", symbol: h.picks.equity.symbol });

    const newPrice = Number((price - 2 * h.picks.equity.tick_size).toFixed(6));
    const modify = { ...base(), orderid, pricetype: "LIMIT", price: String(newPrice), quantity: "2", disclosed_quantity: "0", trigger_price: "0" };
    const modified = expectSuccess(await h.post("modifyorder", modify));
    expect(modified).toEqual({ status: "success", orderid });
    expect(await statusOf(orderid)).toMatchObject({ order_status: "open", price: newPrice, quantity: 2 });

    const book = expectSuccess(await h.post("orderbook", { apikey: h.key }))["data"] as { orders: Record<string, unknown>[]; statistics: Record<string, number> };
    expect(book.orders.find((o) => o["orderid"] === orderid)).toMatchObject({ price: newPrice, quantity: 2, order_status: "open" });
    expect(book.statistics["total_open_orders"]).toBe(1);

    // OpenAlgo clients may send the orderid back as a number; it is answered as a string.
    expect(expectSuccess(await h.post("cancelorder", { apikey: h.key, strategy: "Python", orderid: Number(orderid) }))).toEqual({ status: "success", orderid });
    expect((await statusOf(Number(orderid)))["order_status"]).toBe("cancelled");
    const again = expectError(await h.post("cancelorder", { apikey: h.key, strategy: "Python", orderid }), 400, "XTS_REJECTED");
    expect(again["message"]).toMatch(/Cancelled and cannot be cancelled/);
    expect(again["broker_code"]).toBe("e-orders-0031");
  });

  it("modifyorder refuses another symbol, exchange, action or product than the order's, naming the field and both values, and leaves the order as it was", async () => {
    const { orderid, price } = await restingOrder();
    h.gw.sandbox.control.clearRequests();
    const like = (r: { lotsize: number; tick_size: number }) => r.lotsize === 1 && r.tick_size === h.picks.equity.tick_size;
    const other = h.gw.resolver.current.allRows().find((r) => r.exchange === "NSE" && r.instrumenttype === "EQ" && like(r) && r.symbol !== h.picks.equity.symbol)!;
    const modify = { ...base(), orderid, pricetype: "LIMIT", price: String(price), quantity: "7", disclosed_quantity: "0", trigger_price: "0" };
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ symbol: other.symbol }, "symbol", new RegExp(`symbol: order ${orderid} is ${h.picks.equity.symbol}, not ${other.symbol}`)],
      [{ action: "SELL" }, "action", new RegExp(`action: order ${orderid} is BUY, not SELL`)],
      [{ product: "NRML" }, "product", new RegExp(`product: order ${orderid} is MIS, not NRML`)],
    ];
    const onBse = h.gw.resolver.current.rowsOf("BSE").find(like);
    if (onBse !== undefined) cases.push([{ symbol: onBse.symbol, exchange: "BSE" }, "exchange", new RegExp(`exchange: order ${orderid} is NSE, not BSE`)]);
    for (const [over, field, message] of cases) {
      const body = expectError(await h.post("modifyorder", { ...modify, ...over }), 400, "VALIDATION_ERROR", message);
      expect(Object.keys(body["errors"] as object)).toEqual([field]);
    }
    expect(await statusOf(orderid)).toMatchObject({ price, quantity: 1, action: "BUY", order_status: "open" });
    expect(h.gw.sandbox.control.requests().filter((r) => r.method === "PUT" && r.path === "/orders")).toHaveLength(0);
    expectError(await h.post("modifyorder", { ...modify, orderid: "987654" }), 404, "ORDER_NOT_FOUND");
  });

  it("a smart order whose answer was lost and that was found in the book says reconciled:true, as placeorder does", async () => {
    h.gw.sandbox.control.inject({ match: { method: "POST", path: "/orders" }, action: { type: "drop-after-processing" } });
    const body = expectSuccess(await h.post("placesmartorder", { ...base(), quantity: "1", position_size: "2" }));
    expect(body).toEqual({ status: "success", orderid: expect.stringMatching(/^\d+$/), reconciled: true });
    expect(h.gw.sandbox.control.orders()).toHaveLength(1);
  });

  it("funds are the broker's consolidated ALL|ALL|ALL limits, not the all-zero entry XTS lists first", async () => {
    const funds = expectSuccess(await h.post("funds", { apikey: h.key }))["data"];
    expect(funds).toEqual({ availablecash: "10000000.00", collateral: "0.00", m2mrealized: "0.00", m2munrealized: "0.00", utiliseddebits: "0.00" });
  });

  it("orderstatus of an order the book does not hold is 404 'Order <id> not found'", async () => {
    const body = expectError(await h.post("orderstatus", { apikey: h.key, strategy: "Python", orderid: "987654" }), 404, "ORDER_NOT_FOUND");
    expect(body["message"]).toBe("Order 987654 not found");
  });

  it("modifyorder and cancelorder of an unknown order carry the broker's refusal as 400", async () => {
    const cancel = expectError(await h.post("cancelorder", { apikey: h.key, strategy: "Python", orderid: "987654" }), 400, "XTS_REJECTED");
    expect(cancel["message"]).toMatch(/e-orders-0030/);
  });

  it("openposition is 0 (a number) with no position, the net quantity with one", async () => {
    const ask = { apikey: h.key, strategy: "Python", symbol: h.picks.equity.symbol, exchange: "NSE", product: "MIS" };
    expect(expectSuccess(await h.post("openposition", ask))).toEqual({ status: "success", quantity: 0 });
    expectSuccess(await h.post("placeorder", { ...base(), quantity: "3" }));
    expect(expectSuccess(await h.post("openposition", ask))["quantity"]).toBe(3);
    expect(expectSuccess(await h.post("openposition", { ...ask, product: "CNC" }))["quantity"]).toBe(0);
  });

  it("placesmartorder follows the position to position_size, and says so when it already matches", async () => {
    const smart = (positionSize: string, action = "BUY", quantity = "1") => h.post("placesmartorder", { ...base(), action, quantity, position_size: positionSize });
    const position = async () => expectSuccess(await h.post("openposition", { apikey: h.key, strategy: "Python", symbol: h.picks.equity.symbol, exchange: "NSE", product: "MIS" }))["quantity"];

    const first = expectSuccess(await smart("5"));
    expect(first["orderid"]).toMatch(/^\d+$/);
    expect(await position()).toBe(5);
    expect(expectSuccess(await smart("5"))).toEqual({ status: "success", message: "Positions Already Matched. No Action needed." });
    expect(h.gw.sandbox.control.orders()).toHaveLength(1);
    expectSuccess(await smart("-2", "SELL"));
    expect(await position()).toBe(-2);
    expectSuccess(await smart("0", "BUY", "0"));
    expect(await position()).toBe(0);
    expect(h.gw.sandbox.control.orders().map((o) => [o["OrderSide"], o["OrderQuantity"]])).toEqual([["Buy", 5], ["Sell", 7], ["Buy", 2]]);
  });

  it("cancelallorder cancels every open order and reports each id as a string; a failure is reported, not hidden", async () => {
    const a = await restingOrder();
    const b = await restingOrder();
    const c = await restingOrder();
    h.gw.sandbox.control.inject({ match: { method: "DELETE", path: "/orders" }, action: { type: "drop" } });
    const body = expectSuccess(await h.post("cancelallorder", { apikey: h.key, strategy: "Python" }));
    expect(body["message"]).toBe("Canceled 2 orders. Failed to cancel 1 orders.");
    // The connection dropped before XTS read the cancel: that order is still open and is reported.
    const failed = body["failed_cancellations"] as { orderid: string }[];
    expect(failed).toEqual([expect.objectContaining({ status: "error", code: "ORDER_OUTCOME_UNKNOWN", orderid: expect.any(String) })]);
    expect([...(body["canceled_orders"] as string[]), failed[0]!.orderid].sort()).toEqual([a.orderid, b.orderid, c.orderid].sort());
    const rest = expectSuccess(await h.post("cancelallorder", { apikey: h.key, strategy: "Python" }));
    expect(rest).toMatchObject({ message: "Canceled 1 orders. Failed to cancel 0 orders.", canceled_orders: [failed[0]!.orderid], failed_cancellations: [] });
  });

  it("closeposition squares off every open position at market and reports each", async () => {
    expectSuccess(await h.post("closeposition", { apikey: h.key, strategy: "Python" }));
    const fut = h.picks.future;
    expectSuccess(await h.post("placeorder", { ...base(), quantity: "4" }));
    expectSuccess(await h.post("placeorder", { ...base(), symbol: fut.symbol, exchange: "NFO", action: "sell", quantity: String(fut.lotsize), product: "NRML" }));
    const body = expectSuccess(await h.post("closeposition", { apikey: h.key, strategy: "Python" }));
    expect(body["message"]).toBe("All Open Positions Squared Off");
    expect(body["positions"]).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ symbol: h.picks.equity.symbol, exchange: "NSE", quantity: 4, status: "success", orderid: expect.stringMatching(/^\d+$/) }),
        expect.objectContaining({ symbol: fut.symbol, exchange: "NFO", quantity: fut.lotsize, status: "success" }),
      ]),
    );
    const positions = expectSuccess(await h.post("positionbook", { apikey: h.key }))["data"] as { quantity: number }[];
    expect(positions.every((p) => p.quantity === 0)).toBe(true);
    expect(expectSuccess(await h.post("closeposition", { apikey: h.key, strategy: "Python" }))["message"]).toBe("No Open Positions Found");
  });
});
