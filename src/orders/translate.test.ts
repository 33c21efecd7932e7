import { describe, expect, it } from "vitest";
import type { SymbolRow } from "../store/types.js";
import type { OrderRequest } from "./openalgo-types.js";
import { decideSmartOrder } from "./smart-order.js";
import { largestSlice, parseOrderId, toXtsModifyOrder, toXtsOrderType, toXtsPlaceOrder } from "./translate.js";
import { orderTagFor, RequestIds } from "./order-tag.js";

import { SMART_ORDER_TABLE } from "../../test/support/smart-order-table.js";

const requestIds = new RequestIds();
const newRequestId = (): string => requestIds.next();

const yesbank: SymbolRow = {
  broker: "jainam_prop", symbol: "YESBANK", brsymbol: "YESBANK-EQ", name: "YESBANK", exchange: "NSE", brexchange: "NSECM",
  token: 11915, expiry: "", strike: 0, lotsize: 1, instrumenttype: "EQ", tick_size: 0.01, freeze_qty: 0, lower_circuit: null, upper_circuit: null,
};
const niftyCe: SymbolRow = {
  ...yesbank, symbol: "NIFTY28MAR2420800CE", brsymbol: "NIFTY24MAR20800CE", name: "NIFTY", exchange: "NFO", brexchange: "NSEFO",
  token: 43567, expiry: "28-MAR-24", strike: 20800, lotsize: 75, instrumenttype: "CE", tick_size: 0.05,
};

const order = (o: Partial<OrderRequest>): OrderRequest => ({
  symbol: "YESBANK", exchange: "NSE", action: "BUY", quantity: 1, pricetype: "MARKET", product: "MIS", price: 0, trigger_price: 0, disclosed_quantity: 0, ...o,
});

describe("OpenAlgo order → XTS payload (spec vectors)", () => {
  it("V1: NSE market order; the token is an integer and the tag is unique, not upstream's constant 'openalgo'", () => {
    expect(toXtsPlaceOrder(order({}), yesbank, "X123")).toEqual({
      exchangeSegment: "NSECM",
      exchangeInstrumentID: 11915,
      productType: "MIS",
      orderType: "MARKET",
      orderSide: "BUY",
      timeInForce: "DAY",
      disclosedQuantity: 0,
      orderQuantity: 1,
      limitPrice: 0,
      stopPrice: 0,
      orderUniqueIdentifier: "X123",
    });
  });

  it("V2: SL is STOPLIMIT with both prices (the fork sends STOPMARKET and zeroes the limit)", () => {
    const sl = toXtsPlaceOrder(order({ pricetype: "SL", price: 1180, trigger_price: 1185, action: "SELL" }), yesbank, "X1");
    expect(sl).toMatchObject({ orderType: "STOPLIMIT", limitPrice: 1180, stopPrice: 1185, orderSide: "SELL" });
  });

  it("V3: SL-M is STOPMARKET with the trigger only", () => {
    const slm = toXtsPlaceOrder(order({ pricetype: "SL-M", trigger_price: 50, price: 49 }), yesbank, "X1");
    expect(slm).toMatchObject({ orderType: "STOPMARKET", stopPrice: 50, limitPrice: 0 });
  });

  it("V4: NFO option goes to NSEFO with quantity in units", () => {
    const o = toXtsPlaceOrder(order({ exchange: "NFO", symbol: "NIFTY28MAR2420800CE", product: "NRML", quantity: 75 }), niftyCe, "X1");
    expect(o).toMatchObject({ exchangeSegment: "NSEFO", exchangeInstrumentID: 43567, productType: "NRML", orderQuantity: 75 });
  });

  it("V5: an exchange without a segment is refused (upstream sends the literal 'EXCHANGE')", () => {
    expect(() => toXtsPlaceOrder(order({ exchange: "BCD" }), yesbank, "X1")).toThrow(expect.objectContaining({ code: "UNSUPPORTED_EXCHANGE" }));
    expect(() => toXtsPlaceOrder(order({ exchange: "NSE_INDEX" }), yesbank, "X1")).toThrow(/indices and cannot be traded/);
  });

  it("V7: modify carries every modified* field, with an integer appOrderID", () => {
    const m = toXtsModifyOrder({ ...order({ product: "CNC", pricetype: "LIMIT", quantity: 1, price: 16.5 }), orderid: "1100037597" }, yesbank, "X9");
    expect(m).toEqual({
      appOrderID: 1100037597,
      modifiedProductType: "CNC",
      modifiedOrderType: "LIMIT",
      modifiedOrderQuantity: 1,
      modifiedDisclosedQuantity: 0,
      modifiedLimitPrice: 16.5,
      modifiedStopPrice: 0,
      modifiedTimeInForce: "DAY",
      orderUniqueIdentifier: "X9",
    });
  });

  it("maps every price type and refuses unknown ones", () => {
    expect(["MARKET", "LIMIT", "SL", "SL-M"].map((p) => toXtsOrderType(p as never))).toEqual(["MARKET", "LIMIT", "STOPLIMIT", "STOPMARKET"]);
    expect(() => toXtsOrderType("STOP" as never)).toThrow(/pricetype 'STOP' is not one of MARKET, LIMIT, SL, SL-M/);
  });
});

describe("validation names the field and what is allowed", () => {
  const cases: [string, Partial<OrderRequest>, SymbolRow, string, RegExp][] = [
    ["quantity not a lot multiple", { quantity: 50, exchange: "NFO" }, niftyCe, "quantity", /not a multiple of the lot size 75/],
    ["zero quantity", { quantity: 0 }, yesbank, "quantity", /positive whole number/],
    ["fractional quantity", { quantity: 1.5 }, yesbank, "quantity", /positive whole number/],
    ["LIMIT without price", { pricetype: "LIMIT" }, yesbank, "price", /LIMIT needs price > 0/],
    ["SL without trigger", { pricetype: "SL", price: 10 }, yesbank, "trigger_price", /SL needs trigger_price > 0/],
    ["SL-M without trigger", { pricetype: "SL-M" }, yesbank, "trigger_price", /SL-M needs trigger_price > 0/],
    ["price off tick", { pricetype: "LIMIT", price: 100.03, exchange: "NFO", quantity: 75 }, niftyCe, "price", /tick size 0.05/],
    ["trigger off tick", { pricetype: "SL-M", trigger_price: 10.001 }, yesbank, "trigger_price", /tick size 0.01/],
    ["disclosed above quantity", { disclosed_quantity: 2 }, yesbank, "disclosed_quantity", /0 to quantity \(1\)/],
    ["negative price", { price: -1 }, yesbank, "price", /≥ 0/],
    ["quantity at the freeze quantity", { quantity: 1875, exchange: "NFO" }, { ...niftyCe, freeze_qty: 1801 }, "quantity", /reaches the exchange freeze quantity 1801 .*send at most 1800 per order/],
    ["CNC on derivatives", { product: "CNC", exchange: "NFO", quantity: 75 }, niftyCe, "product", /CNC is for NSE and BSE cash; on NFO use MIS or NRML/],
    ["SL buy with limit below trigger", { pricetype: "SL", price: 10, trigger_price: 11 }, yesbank, "price", /SL BUY needs price ≥ trigger_price/],
  ];
  for (const [what, o, row, field, message] of cases) {
    it(what, () => {
      expect(() => toXtsPlaceOrder(order(o), row, "X1")).toThrow(expect.objectContaining({ code: "VALIDATION_ERROR", field, message: expect.stringMatching(message) }));
    });
  }

  it("accepts prices on the tick despite binary floating point", () => {
    expect(() => toXtsPlaceOrder(order({ pricetype: "LIMIT", price: 19.35, exchange: "NFO", quantity: 75 }), niftyCe, "X1")).not.toThrow();
    expect(() => toXtsPlaceOrder(order({ pricetype: "LIMIT", price: 0.07 }), yesbank, "X1")).not.toThrow();
  });

  it("order ids must be XTS AppOrderIDs", () => {
    expect(parseOrderId(" 1100037597 ")).toBe(1100037597);
    for (const bad of ["", "abc", "-1", "1e5", "0", "99999999999999999"]) expect(() => parseOrderId(bad)).toThrow(/orderid must be/);
  });
});

describe("largestSlice", () => {
  it("is the biggest lot multiple below the freeze quantity, or unlimited without one", () => {
    expect(largestSlice({ freeze_qty: 1801, lotsize: 75 })).toBe(1800);
    expect(largestSlice({ freeze_qty: 1800, lotsize: 75 })).toBe(1725);
    expect(largestSlice({ freeze_qty: 10, lotsize: 75 })).toBe(75);
    expect(largestSlice({ freeze_qty: 0, lotsize: 1 })).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe("V10: smart order decision table", () => {
  for (const [action, qty, target, current, expected] of SMART_ORDER_TABLE) {
    it(`${action} ${qty}, position_size ${target}, current ${current} → ${expected}`, () => {
      const d = decideSmartOrder(action, qty, target, current);
      expect(d.kind === "order" ? `${d.action} ${d.quantity}` : "none").toBe(expected);
    });
  }
  it("explains why nothing was placed", () => {
    expect(decideSmartOrder("BUY", 0, 0, 0)).toEqual({ kind: "none", message: "No OpenPosition Found. Not placing Exit order." });
    expect(decideSmartOrder("BUY", 100, 100, 100)).toEqual({ kind: "none", message: "Positions Already Matched. No Action needed." });
  });
});

describe("order tags", () => {
  it("are at most 20 characters and unique", () => {
    const tags = new Set(Array.from({ length: 10_000 }, () => orderTagFor(newRequestId())));
    expect(tags.size).toBe(10_000);
    for (const t of tags) expect(t.length).toBeLessThanOrEqual(20);
  });
});
