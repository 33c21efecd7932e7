import { describe, expect, it } from "vitest";
import {
  parseBalance,
  parseHoldings,
  parseHostLookup,
  parseIndexList,
  parseInteractiveLogin,
  parseMarketLogin,
  parseOrderAck,
  parseOrderBook,
  parsePositions,
  parseQuotes,
  ResultShapeError,
  xtsNumber,
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

  it("reads books as lists of records with AppOrderID", () => {
    expect(parseOrderBook([{ AppOrderID: 1, OrderStatus: "New" }])).toEqual([{ AppOrderID: 1, OrderStatus: "New" }]);
    expect(parseOrderBook([])).toEqual([]);
    expect(() => parseOrderBook({})).toThrow(/not a list/);
    expect(() => parseOrderBook([{ OrderStatus: "New" }])).toThrow(/\[0\]\.AppOrderID/);
  });

  it("reads positions with either spelling of the instrument id", () => {
    const positions = parsePositions({
      positionList: [
        { ExchangeSegment: "NSEFO", ExchangeInstrumentId: "43567", Quantity: "-50" },
        { ExchangeSegment: "NSECM", ExchangeInstrumentID: 2885 },
      ],
    });
    expect(positions.map((p) => p.ExchangeInstrumentID)).toEqual(["43567", 2885]);
    expect(parsePositions({ positionList: null })).toEqual([]);
    expect(() => parsePositions({ positionList: [{ ExchangeSegment: "NSECM" }] })).toThrow(/ExchangeInstrumentID/);
  });

  it("lists holdings keyed by ISIN", () => {
    const holdings = parseHoldings({
      RMSHoldings: { Holdings: { INE002A01018: { HoldingQuantity: 5 }, INE009A01021: { ISIN: "INE009A01021", HoldingQuantity: 1 } } },
    });
    expect(holdings).toEqual([
      { ISIN: "INE002A01018", HoldingQuantity: 5 },
      { ISIN: "INE009A01021", HoldingQuantity: 1 },
    ]);
    expect(parseHoldings({ RMSHoldings: { Holdings: null } })).toEqual([]);
    expect(() => parseHoldings({})).toThrow(/RMSHoldings/);
  });

  it("reads the balance list", () => {
    const balance = parseBalance({ BalanceList: [{ limitObject: { RMSSubLimits: { netMarginAvailable: "NaN" } } }] });
    expect(balance.BalanceList[0]?.limitObject?.RMSSubLimits?.netMarginAvailable).toBe("NaN");
    expect(() => parseBalance({ BalanceList: [1] })).toThrow(/BalanceList\[0\]/);
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

  it.each([
    [12.5, 12.5],
    ["12.5", 12.5],
    ["NaN", null],
    ["", null],
    [null, null],
    [Number.POSITIVE_INFINITY, null],
  ])("xtsNumber(%j) = %j", (value, expected) => {
    expect(xtsNumber(value)).toBe(expected);
  });
});
