import type {
  XtsBalance,
  XtsHolding,
  XtsHostLookupResult,
  XtsInteractiveLoginResult,
  XtsMarketLoginResult,
  XtsOrderAck,
  XtsOrderBookEntry,
  XtsPosition,
  XtsProfile,
  XtsQuote,
  XtsTradeBookEntry,
} from "./types.js";

/**
 * Pure checks of the `result` of a success envelope (xts-protocol.md §1, §5.4, §6.1). A result
 * missing what the gateway relies on throws ResultShapeError, which the client reports as
 * XTS_BAD_RESPONSE (or, for an order, as an unknown outcome). Records keep every key XTS sent.
 */
export class ResultShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResultShapeError";
  }
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function record(value: unknown, what: string): Json {
  if (!isRecord(value)) throw new ResultShapeError(`${what} is not an object`);
  return value;
}

function nonEmptyString(value: unknown, what: string): string {
  if (typeof value !== "string" || value === "") throw new ResultShapeError(`${what} is missing or not a string`);
  return value;
}

function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new ResultShapeError(`${what} is not a list`);
  return value;
}

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

function orderRecords(result: unknown, what: string): XtsOrderBookEntry[] {
  return array(result, what).map((item, index) => {
    const entry = record(item, `${what}[${index}]`);
    return { ...entry, AppOrderID: integerId(entry["AppOrderID"], `${what}[${index}].AppOrderID`) };
  });
}

export function parseOrderBook(result: unknown): XtsOrderBookEntry[] {
  return orderRecords(result, "order book");
}

export function parseTradeBook(result: unknown): XtsTradeBookEntry[] {
  return orderRecords(result, "trade book");
}

/** `result.positionList`; `ExchangeInstrumentId` (lower-case d, read by upstream) is copied to `ExchangeInstrumentID` (§5.4). */
export function parsePositions(result: unknown): XtsPosition[] {
  const list = record(result, "positions result")["positionList"];
  if (list === undefined || list === null) return [];
  return array(list, "result.positionList").map((item, index) => {
    const position = record(item, `positionList[${index}]`);
    const id = position["ExchangeInstrumentID"] ?? position["ExchangeInstrumentId"];
    if (typeof id !== "number" && typeof id !== "string") {
      throw new ResultShapeError(`positionList[${index}] has no ExchangeInstrumentID`);
    }
    return {
      ...position,
      ExchangeSegment: nonEmptyString(position["ExchangeSegment"], `positionList[${index}].ExchangeSegment`),
      ExchangeInstrumentID: id,
    };
  });
}

/** `result.RMSHoldings.Holdings`, an object keyed by ISIN, as a list (§5.4). */
export function parseHoldings(result: unknown): XtsHolding[] {
  const rms = record(record(result, "holdings result")["RMSHoldings"], "result.RMSHoldings");
  const holdings = rms["Holdings"];
  if (holdings === undefined || holdings === null) return [];
  return Object.entries(record(holdings, "result.RMSHoldings.Holdings")).map(([isin, item]) => {
    const holding = record(item, `holding ${isin}`);
    const own = holding["ISIN"];
    return { ...holding, ISIN: typeof own === "string" && own !== "" ? own : isin };
  });
}

export function parseBalance(result: unknown): XtsBalance {
  const value = record(result, "balance result");
  const list = array(value["BalanceList"], "result.BalanceList");
  list.forEach((entry, index) => record(entry, `BalanceList[${index}]`));
  return { ...value, BalanceList: list as XtsBalance["BalanceList"] };
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

/**
 * Numbers in balance and book records may arrive as numbers, numeric strings or "NaN" (§5.4):
 * a finite number, or null for anything else.
 */
export function xtsNumber(value: unknown): number | null {
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : null;
}
