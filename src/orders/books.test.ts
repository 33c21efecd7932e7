import { describe, expect, it } from "vitest";
import type { SymbolRow } from "../store/types.js";
import { parseBalance, parseHoldings, parseOrderBook, parsePositions, parseTradeBook, ResultShapeError } from "../xts/client/results.js";
import { holdingsStatistics, mapOrderStatus, orderStatistics, toFunds, toHoldingRow, toOrderRow, toPositionRow, toTradeRow, type TokenLookup } from "./books.js";

const rows: SymbolRow[] = [
  { broker: "b", symbol: "YESBANK", brsymbol: "YESBANK-EQ", name: "YESBANK", exchange: "NSE", brexchange: "NSECM", token: 11915, expiry: "", strike: 0, lotsize: 1, instrumenttype: "EQ", tick_size: 0.01, freeze_qty: 0, lower_circuit: null, upper_circuit: null },
  { broker: "b", symbol: "NIFTY28MAR2420800CE", brsymbol: "X", name: "NIFTY", exchange: "NFO", brexchange: "NSEFO", token: 43567, expiry: "28-MAR-24", strike: 20800, lotsize: 75, instrumenttype: "CE", tick_size: 0.05, freeze_qty: 0, lower_circuit: null, upper_circuit: null },
];
const lookup: TokenLookup = (token, exchange) => rows.find((r) => r.token === token && r.exchange === exchange);

/** An XTS order-book record as the wire carries it (mixed-case enums, the average as a string). */
const wire = {
  AppOrderID: 1100037597.0, ExchangeSegment: "NSECM", ExchangeInstrumentID: 11915, OrderSide: "Buy", OrderType: "Limit", ProductType: "MIS", OrderStatus: "Filled",
  OrderQuantity: 1, OrderPrice: 16.5, OrderStopPrice: 0, OrderAverageTradedPrice: "16.45", CumulativeQuantity: 1, LeavesQuantity: 0, OrderDisclosedQuantity: 0,
  LastUpdateDateTime: "25-11-2026 10:00:00", OrderGeneratedDateTime: "25-11-2026 09:59:59", CancelRejectReason: "", OrderUniqueIdentifier: "Xabc",
};
const order = (over: Record<string, unknown> = {}) => parseOrderBook([{ ...wire, ...over }])[0]!;

describe("V11: order book rows", () => {
  it("maps the row with the symbol from the reverse lookup and the id as a string", () => {
    expect(toOrderRow(order(), lookup)).toMatchObject({
      symbol: "YESBANK", exchange: "NSE", action: "BUY", quantity: 1, price: 16.5, trigger_price: 0, pricetype: "LIMIT", product: "MIS", orderid: "1100037597", order_status: "complete", timestamp: "25-11-2026 10:00:00", average_price: 16.45, filled_quantity: 1,
    });
  });

  it("maps StopLimit to SL and StopMarket to SL-M, and shows 0 as a market order's price", () => {
    expect(toOrderRow(order({ OrderType: "StopLimit" }), lookup).pricetype).toBe("SL");
    expect(toOrderRow(order({ OrderType: "StopMarket" }), lookup).pricetype).toBe("SL-M");
    expect(toOrderRow(order({ OrderType: "Market", OrderPrice: 17.2 }), lookup).price).toBe(0);
  });

  it("maps every known status; an unknown one is refused by the parser naming the row (upstream passes it through raw)", () => {
    const statuses = ["New", "Open", "PendingNew", "PartiallyFilled", "Filled", "Rejected", "Cancelled", "Trigger Pending", "Canceled"];
    expect(statuses.map((s) => mapOrderStatus(order({ OrderStatus: s }).OrderStatus))).toEqual(["open", "open", "open", "open", "complete", "rejected", "cancelled", "trigger pending", "cancelled"]);
    expect(() => order({ OrderStatus: "Exploded" })).toThrow(/order book\[0\]\.OrderStatus is "Exploded", not one of New, Open/);
  });

  it("keeps XTS's trading symbol when the token is not in the contract", () => {
    expect(toOrderRow(order({ ExchangeInstrumentID: 1, TradingSymbol: "ODD-EQ" }), lookup).symbol).toBe("ODD-EQ");
  });

  it("an unfilled order has no average (XTS sends \"\") and shows 0; a filled one without an average is refused", () => {
    expect(toOrderRow(order({ OrderStatus: "New", OrderAverageTradedPrice: "", CumulativeQuantity: 0 }), lookup).average_price).toBe(0);
    expect(() => toOrderRow(order({ OrderAverageTradedPrice: "", CumulativeQuantity: 1 }), lookup)).toThrow(/filled 1 but sent no OrderAverageTradedPrice/);
  });

  it("a garbled quantity, an unknown segment, side, type or product is refused naming row and field, never shown as 0 or passed through", () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ OrderQuantity: "abc" }, /order book\[0\]\.OrderQuantity is "abc", not a whole number/],
      [{ OrderQuantity: undefined }, /OrderQuantity is missing, not a whole number/],
      [{ CumulativeQuantity: "1.5" }, /CumulativeQuantity is "1.5", not a whole number/],
      [{ OrderPrice: "NaN" }, /OrderPrice is "NaN", not a number/],
      [{ ExchangeSegment: "NSEXX" }, /ExchangeSegment is "NSEXX", not one of NSECM/],
      [{ OrderSide: "Hold" }, /OrderSide is "Hold", not one of BUY, SELL/],
      [{ OrderType: "Iceberg" }, /OrderType is "Iceberg"/],
      [{ ProductType: "CO" }, /ProductType is "CO", not one of MIS, NRML, CNC/],
    ];
    for (const [over, message] of cases) {
      expect(() => order(over)).toThrow(ResultShapeError);
      expect(() => order(over)).toThrow(message);
    }
    // A segment XTS defines but Jainam does not serve is no OpenAlgo exchange.
    expect(() => toOrderRow(order({ ExchangeSegment: "NCDEX" }), lookup)).toThrow(expect.objectContaining({ code: "XTS_UNKNOWN_VALUE" }));
  });

  it("counts the statistics block", () => {
    const list = [toOrderRow(order(), lookup), toOrderRow(order({ OrderSide: "Sell", OrderStatus: "New", CumulativeQuantity: 0, OrderAverageTradedPrice: "" }), lookup), toOrderRow(order({ OrderStatus: "Rejected" }), lookup)];
    expect(orderStatistics(list)).toEqual({ total_buy_orders: 2, total_sell_orders: 1, total_completed_orders: 1, total_open_orders: 1, total_rejected_orders: 1 });
  });
});

describe("V12: trade book rows", () => {
  const trade = (over: Record<string, unknown>) => parseTradeBook([{ ...wire, ...over }])[0]!;
  it("quantity × average price is the trade value", () => {
    const t = trade({ AppOrderID: 5, OrderSide: "Sell", CumulativeQuantity: 10, OrderQuantity: 10, OrderAverageTradedPrice: 83.74, LastUpdateDateTime: "", OrderGeneratedDateTime: "t" });
    expect(toTradeRow(t, lookup)).toMatchObject({ quantity: 10, average_price: 83.74, trade_value: 837.4, action: "SELL", symbol: "YESBANK", orderid: "5", timestamp: "t" });
  });
  it("uses the fill's own quantity and price when XTS gives them (correction: upstream uses the order's totals)", () => {
    const t = trade({ OrderQuantity: 10, CumulativeQuantity: 10, OrderAverageTradedPrice: "83.5", LastTradedQuantity: 4, LastTradedPrice: "83.25" });
    expect(toTradeRow(t, lookup)).toMatchObject({ quantity: 4, average_price: 83.25, trade_value: 333 });
  });
});

describe("V13: position rows", () => {
  const position = (p: Record<string, unknown>) => parsePositions({ positionList: [{ ProductType: "MIS", BuyAveragePrice: "0", SellAveragePrice: "0", MTM: "0", ...p }] })[0]!;
  it("a short position takes the sell average; quantity becomes a number (correction: XTS sends '-1')", () => {
    const p = toPositionRow(position({ ExchangeSegment: "NSECM", ExchangeInstrumentId: "11915", Quantity: "-1", SellAveragePrice: 83.74 }), lookup);
    expect(p).toMatchObject({ symbol: "YESBANK", exchange: "NSE", quantity: -1, average_price: "83.74", product: "MIS", ltp: null });
  });
  it("a long position takes the buy average", () => {
    expect(toPositionRow(position({ ExchangeSegment: "NSEFO", ExchangeInstrumentID: 43567, Quantity: "75", BuyAveragePrice: "101.5", MTM: "12.345" }), lookup)).toMatchObject({
      symbol: "NIFTY28MAR2420800CE", exchange: "NFO", quantity: 75, average_price: "101.50", pnl: 12.35,
    });
  });
  it("a garbled quantity is refused instead of reading as a flat position", () => {
    for (const Quantity of ["", "abc", "1.5", undefined]) {
      expect(() => position({ ExchangeSegment: "NSECM", ExchangeInstrumentID: 11915, Quantity })).toThrow(/positionList\[0\]\.Quantity is .*, not a whole number/);
    }
  });
  it("P&L is MTM, or the two MTM halves; neither is refused, not shown as 0", () => {
    expect(position({ ExchangeSegment: "NSECM", ExchangeInstrumentID: 11915, Quantity: "1", MTM: undefined, UnrealizedMTM: "2.5", RealizedMTM: "-1" }).MTM).toBe(1.5);
    expect(() => position({ ExchangeSegment: "NSECM", ExchangeInstrumentID: 11915, Quantity: "1", MTM: undefined })).toThrow(/neither MTM nor both/);
  });
});

describe("holdings", () => {
  const holding = (h: Record<string, unknown>) => parseHoldings({ RMSHoldings: { Holdings: { INE1: { HoldingQuantity: "10", BuyAvgPrice: "20", ...h } } } })[0]!;
  it("maps an NSE holding and totals the statistics", () => {
    const h = toHoldingRow(holding({ ExchangeNSEInstrumentId: 11915, LTP: 22 }), lookup);
    expect(h.row).toEqual({ symbol: "YESBANK", exchange: "NSE", product: "CNC", quantity: 10, pnl: 20, pnlpercent: 10 });
    expect(holdingsStatistics([h])).toEqual({ totalholdingvalue: 220, totalinvvalue: 200, totalprofitandloss: 20, totalpnlpercentage: 10 });
  });
  it("without a last price the P&L is unknown (null), not 0; a BSE-only holding is BSE's; no id at all is refused", () => {
    const h = toHoldingRow(holding({ ExchangeNSEInstrumentId: 0, ExchangeBSEInstrumentId: 500325, TradingSymbol: "RELIANCE" }), lookup);
    expect(h.row).toEqual({ symbol: "RELIANCE", exchange: "BSE", product: "CNC", quantity: 10, pnl: null, pnlpercent: null });
    expect(holdingsStatistics([h])).toEqual({ totalholdingvalue: null, totalinvvalue: 200, totalprofitandloss: null, totalpnlpercentage: null });
    expect(() => holding({ ExchangeNSEInstrumentId: 0 })).toThrow(/holding INE1 has neither ExchangeNSEInstrumentId nor ExchangeBSEInstrumentId/);
  });
});

describe("V14: funds", () => {
  const limits = { netMarginAvailable: "1000.5", collateral: 0, UnrealizedMTM: "NaN", RealizedMTM: "-12.345", marginUtilized: 250 };
  it("maps the ALL|ALL|ALL entry's RMSSubLimits to 2-dp strings, NaN to 0.00, wherever the entry stands in the list", () => {
    const zeroFirst = { limitHeader: "CASH|NSE|MTF", limitObject: { RMSSubLimits: { netMarginAvailable: "0", collateral: "0", UnrealizedMTM: "0", RealizedMTM: "0", marginUtilized: "0" } } };
    const funds = toFunds(parseBalance({ BalanceList: [zeroFirst, { limitHeader: "ALL|ALL|ALL", limitObject: { RMSSubLimits: limits } }] }));
    expect(funds).toEqual({ availablecash: "1000.50", collateral: "0.00", m2munrealized: "0.00", m2mrealized: "-12.35", utiliseddebits: "250.00" });
  });
  it("no ALL|ALL|ALL entry, or a figure missing or garbled, is refused rather than shown as zeros", () => {
    expect(() => parseBalance({ BalanceList: [{ limitHeader: "CASH|NSE|MTF", limitObject: { RMSSubLimits: limits } }] })).toThrow(/no ALL\|ALL\|ALL entry \(limitHeaders: CASH\|NSE\|MTF\)/);
    expect(() => parseBalance({ BalanceList: [{ limitHeader: "ALL|ALL|ALL", limitObject: {} }] })).toThrow(/RMSSubLimits is not an object/);
    expect(() => parseBalance({ BalanceList: [{ limitHeader: "ALL|ALL|ALL", limitObject: { RMSSubLimits: { ...limits, netMarginAvailable: "n/a" } } }] })).toThrow(/netMarginAvailable is "n\/a", not a number/);
  });
});
