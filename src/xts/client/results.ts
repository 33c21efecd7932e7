import { parseOhlcBars, type XtsBar } from "../ohlc.js";
import { array, isRecord, nonEmptyString, record, RecordReader, ResultShapeError } from "./record-reader.js";
import type {
  XtsMarginDetails,
  XtsBalance,
  XtsDepthLevel,
  XtsDepthQuote,
  XtsOpenInterest,
  XtsHolding,
  XtsHostLookupResult,
  XtsInteractiveLoginResult,
  XtsMarketLoginResult,
  XtsOrderAck,
  XtsOrderBookEntry,
  XtsOrderSide,
  XtsOrderStatus,
  XtsOrderType,
  XtsPosition,
  XtsProductType,
  XtsProfile,
  XtsQuote,
  XtsTradeBookEntry,
} from "./types.js";

/**
 * The typed parse layer: each function reads the `result` of a success envelope (xts-protocol.md
 * §1, §5.4, §6.1) into a typed record, or throws ResultShapeError naming the row and field of the
 * value it cannot use, which the client reports as XTS_BAD_RESPONSE (or, for an order, as an
 * unknown outcome).
 */
export { ResultShapeError };

/** An id XTS may send as a number or as a string of digits. */
function integerId(value: unknown, what: string): number {
  const id = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof id !== "number" || !Number.isSafeInteger(id)) throw new ResultShapeError(`${what} is missing or not an integer`);
  return id;
}

export function parseHostLookup(result: unknown): XtsHostLookupResult {
  const value = record(result, "hostlookup result");
  return {
    uniqueKey: nonEmptyString(value["uniqueKey"], "result.uniqueKey"),
    connectionString: nonEmptyString(value["connectionString"], "result.connectionString"),
  };
}

export function parseInteractiveLogin(result: unknown): XtsInteractiveLoginResult {
  const value = record(result, "login result");
  const isInvestorClient = value["isInvestorClient"];
  if (typeof isInvestorClient !== "boolean") throw new ResultShapeError("result.isInvestorClient is missing or not a boolean");
  const codes = value["clientCodes"] === undefined || value["clientCodes"] === null ? [] : array(value["clientCodes"], "result.clientCodes");
  if (!codes.every((code) => typeof code === "string")) throw new ResultShapeError("result.clientCodes holds a non-string");
  return {
    ...value,
    token: nonEmptyString(value["token"], "result.token"),
    userID: nonEmptyString(value["userID"], "result.userID"),
    isInvestorClient,
    clientCodes: codes as string[],
  };
}

export function parseMarketLogin(result: unknown): XtsMarketLoginResult {
  const value = record(result, "login result");
  return { ...value, token: nonEmptyString(value["token"], "result.token"), userID: nonEmptyString(value["userID"], "result.userID") };
}

/** Place, modify and cancel answer `result.AppOrderID` (§5.1). */
export function parseOrderAck(result: unknown): XtsOrderAck {
  const value = record(result, "order result");
  return { ...value, AppOrderID: integerId(value["AppOrderID"], "result.AppOrderID") };
}

const ORDER_STATUSES: Readonly<Record<string, XtsOrderStatus>> = {
  new: "New",
  open: "Open",
  pendingnew: "PendingNew",
  partiallyfilled: "PartiallyFilled",
  pendingreplace: "PendingReplace",
  replaced: "Replaced",
  pendingcancel: "PendingCancel",
  triggerpending: "TriggerPending",
  filled: "Filled",
  rejected: "Rejected",
  cancelled: "Cancelled",
  canceled: "Cancelled",
  expired: "Expired",
};
const SIDES: Readonly<Record<string, XtsOrderSide>> = { buy: "BUY", sell: "SELL" };
const ORDER_TYPES: Readonly<Record<string, XtsOrderType>> = { market: "MARKET", limit: "LIMIT", stoplimit: "STOPLIMIT", stopmarket: "STOPMARKET" };
const PRODUCTS: Readonly<Record<string, XtsProductType>> = { mis: "MIS", nrml: "NRML", cnc: "CNC" };

function orderEntry(r: RecordReader): XtsOrderBookEntry {
  return {
    AppOrderID: r.id("AppOrderID"),
    ClientID: r.optionalText("ClientID"),
    ExchangeSegment: r.segment("ExchangeSegment"),
    ExchangeInstrumentID: r.id("ExchangeInstrumentID"),
    TradingSymbol: r.optionalText("TradingSymbol"),
    OrderSide: r.oneOf("OrderSide", SIDES),
    OrderType: r.oneOf("OrderType", ORDER_TYPES),
    ProductType: r.oneOf("ProductType", PRODUCTS),
    OrderStatus: r.oneOf("OrderStatus", ORDER_STATUSES),
    OrderQuantity: r.whole("OrderQuantity"),
    OrderPrice: r.number("OrderPrice"),
    OrderStopPrice: r.number("OrderStopPrice"),
    OrderAverageTradedPrice: r.optionalNumber("OrderAverageTradedPrice"),
    CumulativeQuantity: r.whole("CumulativeQuantity"),
    OrderDisclosedQuantity: r.optionalWhole("OrderDisclosedQuantity"),
    OrderUniqueIdentifier: r.text("OrderUniqueIdentifier"),
    OrderGeneratedDateTime: r.optionalText("OrderGeneratedDateTime"),
    LastUpdateDateTime: r.optionalText("LastUpdateDateTime"),
    ExchangeTransactTime: r.optionalText("ExchangeTransactTime"),
    CancelRejectReason: r.text("CancelRejectReason"),
  };
}

/** One order-book row: the record, or why it cannot be used (cancel-all reports such rows and goes on). */
export type OrderBookRow = { readonly ok: true; readonly entry: XtsOrderBookEntry } | { readonly ok: false; readonly AppOrderID: number | null; readonly problem: string };

/** Each row of the order book on its own, so one unusable row does not hide the others. */
export function parseOrderBookRows(result: unknown): OrderBookRow[] {
  return array(result, "order book").map((item, index): OrderBookRow => {
    try {
      return { ok: true, entry: orderEntry(new RecordReader(item, `order book[${index}]`)) };
    } catch (error) {
      if (!(error instanceof ResultShapeError)) throw error;
      const raw = isRecord(item) ? item["AppOrderID"] : undefined;
      const id = typeof raw === "number" && Number.isSafeInteger(raw) ? raw : typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : null;
      return { ok: false, AppOrderID: id, problem: error.message };
    }
  });
}

/** The whole order book; any unusable row fails it, naming the row and field. */
export function parseOrderBook(result: unknown): XtsOrderBookEntry[] {
  return parseOrderBookRows(result).map((row) => {
    if (!row.ok) throw new ResultShapeError(row.problem);
    return row.entry;
  });
}

export function parseTradeBook(result: unknown): XtsTradeBookEntry[] {
  return array(result, "trade book").map((item, index) => {
    const r = new RecordReader(item, `trade book[${index}]`);
    return {
      ...orderEntry(r),
      LastTradedPrice: r.optionalNumber("LastTradedPrice"),
      LastTradedQuantity: r.optionalWhole("LastTradedQuantity"),
      LastExecutionTransactTime: r.optionalText("LastExecutionTransactTime"),
    };
  });
}

/** `result.positionList`; the token under either spelling, `ExchangeInstrumentId` (upstream's) or `ExchangeInstrumentID` (§5.4). */
export function parsePositions(result: unknown): XtsPosition[] {
  const list = record(result, "positions result")["positionList"];
  if (list === undefined || list === null) return [];
  return array(list, "result.positionList").map((item, index) => {
    const r = new RecordReader(item, `positionList[${index}]`);
    const unrealized = r.optionalNumber("UnrealizedMTM");
    const realized = r.optionalNumber("RealizedMTM");
    const mtm = r.optionalNumber("MTM") ?? (unrealized !== null && realized !== null ? unrealized + realized : null);
    if (mtm === null) throw new ResultShapeError(`positionList[${index}] has neither MTM nor both UnrealizedMTM and RealizedMTM`);
    return {
      ExchangeSegment: r.segment("ExchangeSegment"),
      ExchangeInstrumentID: r.id(r.present("ExchangeInstrumentID", "ExchangeInstrumentId")),
      TradingSymbol: r.optionalText("TradingSymbol"),
      ProductType: r.oneOf("ProductType", PRODUCTS),
      Quantity: r.whole("Quantity"),
      BuyAveragePrice: r.number("BuyAveragePrice"),
      SellAveragePrice: r.number("SellAveragePrice"),
      MTM: mtm,
      UnrealizedMTM: unrealized,
      RealizedMTM: realized,
      LastTradedPrice: r.optionalNumber("LastTradedPrice"),
      NetAmount: r.optionalNumber("NetAmount"),
      Multiplier: r.optionalNumber("Multiplier"),
    };
  });
}

/** `result.RMSHoldings.Holdings`, an object keyed by ISIN, as a list (§5.4). An id of 0 means "not listed there". */
export function parseHoldings(result: unknown): XtsHolding[] {
  const rms = record(record(result, "holdings result")["RMSHoldings"], "result.RMSHoldings");
  const holdings = rms["Holdings"];
  if (holdings === undefined || holdings === null) return [];
  return Object.entries(record(holdings, "result.RMSHoldings.Holdings")).map(([isin, item]) => {
    const r = new RecordReader(item, `holding ${isin}`);
    const nse = r.optionalWhole("ExchangeNSEInstrumentId");
    const bse = r.optionalWhole("ExchangeBSEInstrumentId");
    if (!(nse !== null && nse > 0) && !(bse !== null && bse > 0)) {
      throw new ResultShapeError(`holding ${isin} has neither ExchangeNSEInstrumentId nor ExchangeBSEInstrumentId`);
    }
    return {
      ISIN: r.optionalText("ISIN") ?? isin,
      ExchangeNSEInstrumentId: nse !== null && nse > 0 ? nse : null,
      ExchangeBSEInstrumentId: bse !== null && bse > 0 ? bse : null,
      TradingSymbol: r.optionalText("TradingSymbol"),
      HoldingQuantity: r.whole("HoldingQuantity"),
      BuyAvgPrice: r.number("BuyAvgPrice"),
      LTP: r.optionalNumber(r.present("LTP", "LastTradedPrice")),
    };
  });
}

/** The consolidated limits: the `BalanceList` entry headed `ALL|ALL|ALL`, wherever it stands (§5.4). */
export function parseBalance(result: unknown): XtsBalance {
  const list = array(record(result, "balance result")["BalanceList"], "result.BalanceList");
  const headers = list.map((entry, index) => String(record(entry, `BalanceList[${index}]`)["limitHeader"] ?? ""));
  const index = headers.findIndex((h) => h.replace(/\s/g, "").toUpperCase() === "ALL|ALL|ALL");
  if (index < 0) throw new ResultShapeError(`result.BalanceList has no ALL|ALL|ALL entry (limitHeaders: ${headers.join(", ") || "none"})`);
  const what = `BalanceList[${index}].limitObject.RMSSubLimits`;
  const limits = new RecordReader(record(record(list[index], `BalanceList[${index}]`)["limitObject"], `BalanceList[${index}].limitObject`)["RMSSubLimits"], what);
  // "NaN" is XTS's word for a figure it has not computed; OpenAlgo shows 0.00 (V14). Anything else unreadable fails.
  const figure = (field: string): number => (limits.value[field] === "NaN" ? 0 : limits.number(field));
  return {
    limitHeader: headers[index]!,
    netMarginAvailable: figure("netMarginAvailable"),
    marginUtilized: figure("marginUtilized"),
    UnrealizedMTM: figure("UnrealizedMTM"),
    RealizedMTM: figure("RealizedMTM"),
    collateral: figure("collateral"),
  };
}

/** Every figure must be there: a margin answer missing one is a bad response, never a 0. */
export function parseMarginDetails(result: unknown): XtsMarginDetails {
  const r = new RecordReader(result, "margin details result");
  return { totalMarginRequired: r.number("totalMarginRequired"), spanMargin: r.number("spanMargin"), exposureMargin: r.number("exposureMargin"), marginBenefit: r.number("marginBenefit") };
}

export function parseProfile(result: unknown): XtsProfile {
  return record(result, "profile result");
}

/** `result.indexList`: entries such as "NIFTY 50_26000" (§2.5). */
export function parseIndexList(result: unknown): string[] {
  const list = array(record(result, "index list result")["indexList"], "result.indexList");
  if (!list.every((entry) => typeof entry === "string")) throw new ResultShapeError("result.indexList holds a non-string");
  return list as string[];
}

/** `result.listQuotes` is a list of JSON strings, one per instrument (§6.1). */
export function parseQuotes(result: unknown): XtsQuote[] {
  const list = array(record(result, "quotes result")["listQuotes"], "result.listQuotes");
  return list.map((item, index) => {
    if (isRecord(item)) return item;
    if (typeof item !== "string") throw new ResultShapeError(`listQuotes[${index}] is not a JSON string`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(item);
    } catch {
      throw new ResultShapeError(`listQuotes[${index}] is not valid JSON`);
    }
    return record(parsed, `listQuotes[${index}]`);
  });
}

/** 1502 quotes, one per instrument asked for, in order: the touchline figures /quotes shows, each present. */
export function parseDepthQuotes(result: unknown): XtsDepthQuote[] {
  return parseQuotes(result).map((quote, index) => {
    const what = `listQuotes[${index}]`;
    const q = new RecordReader(quote, what);
    const t = new RecordReader(quote["Touchline"], `${what}.Touchline`);
    return {
      ExchangeSegment: q.whole("ExchangeSegment"),
      ExchangeInstrumentID: q.id("ExchangeInstrumentID"),
      LastTradedPrice: t.number("LastTradedPrice"),
      Open: t.number("Open"),
      High: t.number("High"),
      Low: t.number("Low"),
      Close: t.number("Close"),
      TotalTradedQuantity: t.number("TotalTradedQuantity"),
      BidPrice: new RecordReader(t.value["BidInfo"], `${what}.Touchline.BidInfo`).number("Price"),
      AskPrice: new RecordReader(t.value["AskInfo"], `${what}.Touchline.AskInfo`).number("Price"),
      // Some XTS builds misspell it (§6.1): read whichever came.
      LastTradedQuantity: t.number(t.present("LastTradedQuantity", "LastTradedQunatity")),
      TotalBuyQuantity: t.number("TotalBuyQuantity"),
      TotalSellQuantity: t.number("TotalSellQuantity"),
      Bids: levels(quote["Bids"], `${what}.Bids`),
      Asks: levels(quote["Asks"], `${what}.Asks`),
    };
  });
}

function levels(value: unknown, what: string): XtsDepthLevel[] {
  if (value === undefined || value === null) return [];
  return array(value, what)
    .slice(0, 5)
    .map((level, i) => {
      const r = new RecordReader(level, `${what}[${i}]`);
      return { Price: r.number("Price"), Size: r.number("Size"), TotalOrders: r.number("TotalOrders") };
    });
}

/** 1510 quotes: open interest, one per instrument asked for. */
export function parseOpenInterest(result: unknown): XtsOpenInterest[] {
  return parseQuotes(result).map((quote, index) => {
    const q = new RecordReader(quote, `listQuotes[${index}]`);
    return { ExchangeSegment: q.whole("ExchangeSegment"), ExchangeInstrumentID: q.id("ExchangeInstrumentID"), OpenInterest: q.number("OpenInterest") };
  });
}

/** `GET /instruments/ohlc`: `result.dataReponse` (XTS's spelling) holds the bars (xts-protocol.md §6.2). */
export function parseOhlc(result: unknown): XtsBar[] {
  const value = record(result, "ohlc result");
  const data = value["dataReponse"] ?? value["dataResponse"];
  if (data === undefined || data === null) return [];
  if (typeof data !== "string") throw new ResultShapeError("result.dataReponse is not a string");
  return parseOhlcBars(data);
}
