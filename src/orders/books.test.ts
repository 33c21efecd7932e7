import { describe, expect, it } from "vitest";
import type { SymbolRow } from "../store/types.js";
import { mapOrderStatus, orderStatistics, toFunds, toHoldingRow, toOrderRow, toPositionRow, toTradeRow, type TokenLookup } from "./books.js";

const rows: SymbolRow[] = [
  { broker: "b", symbol: "YESBANK", brsymbol: "YESBANK-EQ", name: "YESBANK", exchange: "NSE", brexchange: "NSECM", token: 11915, expiry: "", strike: 0, lotsize: 1, instrumenttype: "EQ", tick_size: 0.01, freeze_qty: 0 },
  { broker: "b", symbol: "NIFTY28MAR2420800CE", brsymbol: "X", name: "NIFTY", exchange: "NFO", brexchange: "NSEFO", token: 43567, expiry: "28-MAR-24", strike: 20800, lotsize: 75, instrumenttype: "CE", tick_size: 0.05, freeze_qty: 0 },
];
const lookup: TokenLookup = (token, exchange) => rows.find((r) => r.token === token && r.exchange === exchange);

describe("V11: order book rows", () => {
  const xts = { OrderSide: "BUY", OrderStatus: "Filled", OrderType: "Limit", ExchangeSegment: "NSECM", AppOrderID: 1100037597.0, OrderQuantity: 1, OrderPrice: 16.5, OrderStopPrice: 0, ProductType: "MIS", LastUpdateDateTime: "25-11-2026 10:00:00", ExchangeInstrumentID: 11915 };

  it("maps the row with the symbol from the reverse lookup and the id as a string", () => {
    expect(toOrderRow(xts, lookup)).toMatchObject({
      symbol: "YESBANK", exchange: "NSE", action: "BUY", quantity: 1, price: 16.5, trigger_price: 0, pricetype: "LIMIT", product: "MIS", orderid: "1100037597", order_status: "complete", timestamp: "25-11-2026 10:00:00",
    });
  });

  it("maps StopLimit to SL and StopMarket to SL-M, and shows 0 as a market order's price", () => {
    expect(toOrderRow({ ...xts, OrderType: "StopLimit" }, lookup).pricetype).toBe("SL");
    expect(toOrderRow({ ...xts, OrderType: "StopMarket" }, lookup).pricetype).toBe("SL-M");
    expect(toOrderRow({ ...xts, OrderType: "Market", OrderPrice: 17.2 }, lookup).price).toBe(0);
  });

  it("maps every known status and fails on an unknown one (upstream passes it through raw)", () => {
    expect(["New", "Open", "PendingNew", "PartiallyFilled", "Filled", "Rejected", "Cancelled"].map(mapOrderStatus)).toEqual([
      "open", "open", "open", "open", "complete", "rejected", "cancelled",
    ]);
    expect(() => mapOrderStatus("Exploded")).toThrow(expect.objectContaining({ code: "XTS_UNKNOWN_VALUE" }));
  });

  it("keeps XTS's trading symbol when the token is not in the contract", () => {
    expect(toOrderRow({ ...xts, ExchangeInstrumentID: 1, TradingSymbol: "ODD-EQ" }, lookup).symbol).toBe("ODD-EQ");
  });

  it("counts the statistics block", () => {
    const list = [toOrderRow(xts, lookup), toOrderRow({ ...xts, OrderSide: "Sell", OrderStatus: "New" }, lookup), toOrderRow({ ...xts, OrderStatus: "Rejected" }, lookup)];
    expect(orderStatistics(list)).toEqual({ total_buy_orders: 2, total_sell_orders: 1, total_completed_orders: 1, total_open_orders: 1, total_rejected_orders: 1 });
  });
});

describe("V12: trade book rows", () => {
  it("quantity × average price is the trade value", () => {
    const t = toTradeRow({ AppOrderID: 5, OrderSide: "Sell", ExchangeSegment: "NSECM", ExchangeInstrumentID: 11915, ProductType: "MIS", OrderQuantity: 10, OrderAverageTradedPrice: 83.74, OrderGeneratedDateTime: "t" }, lookup);
    expect(t).toMatchObject({ quantity: 10, average_price: 83.74, trade_value: 837.4, action: "SELL", symbol: "YESBANK", orderid: "5", timestamp: "t" });
  });
  it("uses the fill's own quantity and price when XTS gives them (correction: upstream uses the order's totals)", () => {
    const t = toTradeRow({ AppOrderID: 5, OrderSide: "Buy", ExchangeSegment: "NSECM", ExchangeInstrumentID: 11915, OrderQuantity: 10, OrderAverageTradedPrice: "83.5", LastTradedQuantity: 4, LastTradedPrice: "83.25" }, lookup);
    expect(t).toMatchObject({ quantity: 4, average_price: 83.25, trade_value: 333 });
  });
});

describe("V13: position rows", () => {
  it("a short position takes the sell average; quantity becomes a number (correction: XTS sends '-1')", () => {
    const p = toPositionRow({ ExchangeSegment: "NSECM", ExchangeInstrumentID: "11915", ProductType: "MIS", Quantity: "-1", SellAveragePrice: 83.74, BuyAveragePrice: 0 }, lookup);
    expect(p).toMatchObject({ symbol: "YESBANK", exchange: "NSE", quantity: -1, average_price: "83.74", product: "MIS" });
  });
  it("a long position takes the buy average", () => {
    expect(toPositionRow({ ExchangeSegment: "NSEFO", ExchangeInstrumentID: 43567, Quantity: "75", BuyAveragePrice: "101.5", MTM: "12.345" }, lookup)).toMatchObject({
      symbol: "NIFTY28MAR2420800CE", exchange: "NFO", quantity: 75, average_price: "101.50", pnl: 12.35,
    });
  });
});

describe("holdings", () => {
  it("maps an NSE holding and totals the statistics", () => {
    const h = toHoldingRow({ ISIN: "INE", ExchangeNSEInstrumentId: 11915, HoldingQuantity: "10", BuyAvgPrice: "20", LTP: 22 }, lookup);
    expect(h.row).toEqual({ symbol: "YESBANK", exchange: "NSE", product: "CNC", quantity: 10, pnl: 20, pnlpercent: 10 });
  });
});

describe("V14: funds", () => {
  it("maps RMSSubLimits to 2-dp strings, NaN to 0.00", () => {
    const funds = toFunds({ BalanceList: [{ limitObject: { RMSSubLimits: { netMarginAvailable: "1000.5", collateral: 0, UnrealizedMTM: "NaN", RealizedMTM: "-12.345", marginUtilized: 250 } } }] });
    expect(funds).toEqual({ availablecash: "1000.50", collateral: "0.00", m2munrealized: "0.00", m2mrealized: "-12.35", utiliseddebits: "250.00" });
  });
});

describe("quantities that orders are placed from", () => {
  it("must be whole numbers: a garbled or missing quantity fails instead of reading as flat", async () => {
    const { wholeNumber } = await import("./books.js");
    expect(wholeNumber("Quantity", "-75")).toBe(-75);
    expect(wholeNumber("Quantity", 0)).toBe(0);
    for (const bad of [undefined, "", "NaN", "1.5", "abc", null]) {
      expect(() => wholeNumber("Quantity", bad)).toThrow(expect.objectContaining({ code: "XTS_UNKNOWN_VALUE" }));
    }
  });
});
