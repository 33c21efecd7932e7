import { describe, expect, it } from "vitest";
import {
  parseBalance,
  parseMarginDetails,
  parseDepthQuotes,
  parseHoldings,
  parseHostLookup,
  parseIndexList,
  parseInteractiveLogin,
  parseMarketLogin,
  parseOrderAck,
  parseOrderBook,
  parseOrderBookRows,
  parsePositions,
  parseQuotes,
  ResultShapeError,
} from "./results.js";

describe("result parsers", () => {
  it("reads a hostlookup result", () => {
    expect(parseHostLookup({ uniqueKey: "u", connectionString: "http://h/5interactive" })).toEqual({
      uniqueKey: "u",
      connectionString: "http://h/5interactive",
    });
    expect(() => parseHostLookup({ uniqueKey: "u" })).toThrow(ResultShapeError);
  });

  it("reads an interactive login and requires token, userID and isInvestorClient", () => {
    const login = parseInteractiveLogin({ token: "t", userID: "D1", isInvestorClient: false, clientCodes: ["C1"], enums: {} });
    expect(login).toMatchObject({ token: "t", userID: "D1", isInvestorClient: false, clientCodes: ["C1"], enums: {} });
    expect(parseInteractiveLogin({ token: "t", userID: "I1", isInvestorClient: true }).clientCodes).toEqual([]);
    expect(() => parseInteractiveLogin({ token: "t", userID: "I1" })).toThrow(/isInvestorClient/);
    expect(() => parseInteractiveLogin({ token: "", userID: "I1", isInvestorClient: true })).toThrow(/token/);
    expect(() => parseInteractiveLogin({ token: "t", userID: "I1", isInvestorClient: true, clientCodes: [1] })).toThrow(/clientCodes/);
  });

  it("reads a market login", () => {
    expect(parseMarketLogin({ token: "t", userID: "U", appVersion: "1" })).toMatchObject({ token: "t", userID: "U" });
    expect(() => parseMarketLogin(null)).toThrow(/not an object/);
  });

  it("reads AppOrderID as a number, from a digit string too", () => {
    expect(parseOrderAck({ AppOrderID: 10026325, OrderUniqueIdentifier: "a" }).AppOrderID).toBe(10026325);
    expect(parseOrderAck({ AppOrderID: "42" }).AppOrderID).toBe(42);
    expect(() => parseOrderAck({ OrderUniqueIdentifier: "a" })).toThrow(/AppOrderID/);
    expect(() => parseOrderAck({ AppOrderID: "4x" })).toThrow(/AppOrderID/);
  });

  it("reads books as lists of typed records, naming the row and field of an unusable value", () => {
    const wire = { AppOrderID: "1", ExchangeSegment: "NSECM", ExchangeInstrumentID: "2885", OrderSide: "Buy", OrderType: "Limit", ProductType: "NRML", OrderStatus: "Trigger Pending", OrderQuantity: "5", OrderPrice: "10.5", OrderStopPrice: 10, OrderAverageTradedPrice: "", CumulativeQuantity: 0 };
    expect(parseOrderBook([wire])).toEqual([
      expect.objectContaining({ AppOrderID: 1, ExchangeInstrumentID: 2885, OrderSide: "BUY", OrderType: "LIMIT", ProductType: "NRML", OrderStatus: "TriggerPending", OrderQuantity: 5, OrderPrice: 10.5, OrderAverageTradedPrice: null, OrderUniqueIdentifier: "", CancelRejectReason: "" }),
    ]);
    expect(parseOrderBook([])).toEqual([]);
    expect(() => parseOrderBook({})).toThrow(/not a list/);
    expect(() => parseOrderBook([wire, { ...wire, AppOrderID: undefined }])).toThrow(/order book\[1\]\.AppOrderID is missing/);
    const rows = parseOrderBookRows([wire, { ...wire, AppOrderID: 7, OrderStatus: "Exploded" }]);
    expect(rows.map((r) => r.ok)).toEqual([true, false]);
    expect(rows[1]).toEqual({ ok: false, AppOrderID: 7, problem: expect.stringMatching(/order book\[1\]\.OrderStatus is "Exploded"/) });
  });

  it("reads positions with either spelling of the instrument id", () => {
    const common = { ProductType: "MIS", Quantity: "-50", BuyAveragePrice: "0", SellAveragePrice: "10", MTM: "0" };
    const positions = parsePositions({
      positionList: [
        { ...common, ExchangeSegment: "NSEFO", ExchangeInstrumentId: "43567" },
        { ...common, ExchangeSegment: "NSECM", ExchangeInstrumentID: 2885 },
      ],
    });
    expect(positions.map((p) => [p.ExchangeInstrumentID, p.Quantity])).toEqual([[43567, -50], [2885, -50]]);
    expect(parsePositions({ positionList: null })).toEqual([]);
    expect(() => parsePositions({ positionList: [{ ...common, ExchangeSegment: "NSECM" }] })).toThrow(/positionList\[0\]\.ExchangeInstrumentID is missing/);
  });

  it("lists holdings keyed by ISIN", () => {
    const holdings = parseHoldings({
      RMSHoldings: { Holdings: { INE002A01018: { HoldingQuantity: 5, BuyAvgPrice: "10", ExchangeNSEInstrumentId: 2885 }, INE009A01021: { ISIN: "INE009A01021", HoldingQuantity: 1, BuyAvgPrice: 2, ExchangeBSEInstrumentId: "500209" } } },
    });
    expect(holdings.map((h) => [h.ISIN, h.HoldingQuantity, h.ExchangeNSEInstrumentId, h.ExchangeBSEInstrumentId, h.LTP])).toEqual([
      ["INE002A01018", 5, 2885, null, null],
      ["INE009A01021", 1, null, 500209, null],
    ]);
    expect(parseHoldings({ RMSHoldings: { Holdings: null } })).toEqual([]);
    expect(() => parseHoldings({})).toThrow(/RMSHoldings/);
  });

  it("reads the ALL|ALL|ALL balance entry", () => {
    const limits = { netMarginAvailable: "NaN", marginUtilized: "1", UnrealizedMTM: "0", RealizedMTM: "0", collateral: "0" };
    expect(parseBalance({ BalanceList: [{ limitHeader: "ALL|ALL|ALL", limitObject: { RMSSubLimits: limits } }] })).toMatchObject({ netMarginAvailable: 0, marginUtilized: 1 });
    expect(() => parseBalance({ BalanceList: [1] })).toThrow(/BalanceList\[0\]/);
  });

  it("reads margin details only when every figure is there: a missing one is a bad response, not 0", () => {
    const full = { totalMarginRequired: "1500.5", spanMargin: 1000, exposureMargin: 500.5, marginBenefit: 0 };
    expect(parseMarginDetails(full)).toEqual({ totalMarginRequired: 1500.5, spanMargin: 1000, exposureMargin: 500.5, marginBenefit: 0 });
    const { spanMargin: _span, ...partial } = full;
    expect(() => parseMarginDetails(partial)).toThrow(/spanMargin/);
  });

  it("reads 1502 quotes with every touchline figure present", () => {
    const quote = {
      MessageCode: 1502,
      ExchangeSegment: 1,
      ExchangeInstrumentID: 2885,
      Touchline: { LastTradedPrice: 1440.4, LastTradedQunatity: 3, Open: 1, High: 2, Low: 0.5, Close: 1.2, TotalTradedQuantity: 9, TotalBuyQuantity: 40, TotalSellQuantity: 30, BidInfo: { Price: 1440 }, AskInfo: { Price: 1441 } },
      Bids: [{ Price: 1440, Size: 40, TotalOrders: 2, BuyBackMarketMaker: 0 }],
      Asks: [{ Price: 1441, Size: 30, TotalOrders: 1, BuyBackMarketMaker: 0 }],
    };
    expect(parseDepthQuotes({ listQuotes: [JSON.stringify(quote)] })).toEqual([
      {
        ExchangeSegment: 1, ExchangeInstrumentID: 2885, LastTradedPrice: 1440.4, Open: 1, High: 2, Low: 0.5, Close: 1.2, TotalTradedQuantity: 9, BidPrice: 1440, AskPrice: 1441,
        LastTradedQuantity: 3, TotalBuyQuantity: 40, TotalSellQuantity: 30, Bids: [{ Price: 1440, Size: 40, TotalOrders: 2 }], Asks: [{ Price: 1441, Size: 30, TotalOrders: 1 }],
      },
    ]);
    expect(() => parseDepthQuotes({ listQuotes: [JSON.stringify({ ...quote, Touchline: undefined })] })).toThrow(/listQuotes\[0\]\.Touchline is not an object/);
    expect(() => parseDepthQuotes({ listQuotes: [JSON.stringify({ ...quote, Touchline: { ...quote.Touchline, LastTradedPrice: null } })] })).toThrow(/Touchline\.LastTradedPrice is null, not a number/);
  });

  it("reads the index list", () => {
    expect(parseIndexList({ exchangeSegment: "1", indexList: ["NIFTY 50_26000"] })).toEqual(["NIFTY 50_26000"]);
    expect(() => parseIndexList({ indexList: [1] })).toThrow(ResultShapeError);
  });

  it("parses each listQuotes JSON string", () => {
    const quote = { MessageCode: 1502, ExchangeInstrumentID: 2885, Touchline: { LastTradedPrice: 1440.4 } };
    expect(parseQuotes({ listQuotes: [JSON.stringify(quote)], quotesList: [] })).toEqual([quote]);
    expect(() => parseQuotes({ listQuotes: ["{bad"] })).toThrow(/listQuotes\[0\] is not valid JSON/);
    expect(() => parseQuotes({ listQuotes: [1] })).toThrow(/not a JSON string/);
  });
});
