import { RecordReader, ResultShapeError } from "../client/record-reader.js";
import type { XtsLevel, XtsStreamCode, XtsTick, XtsTickTouchline } from "./ticks.js";

/**
 * The `{code}-json-full` events of the market-data socket (streaming-and-market-data.md §2). The
 * payload is a JSON string (Symphony's SDKs parse it) or, from some servers, an object already.
 * A payload without a figure the tick needs throws ResultShapeError naming it: a missing price is
 * never read as 0.
 */
function payloadReader(data: unknown, event: string): RecordReader {
  let value = data;
  if (typeof data === "string") {
    try {
      value = JSON.parse(data);
    } catch {
      throw new ResultShapeError(`${event} payload is not valid JSON`);
    }
  } else if (data instanceof Uint8Array) {
    throw new ResultShapeError(`${event} payload is binary, not JSON`);
  }
  return new RecordReader(value, event);
}

function level(value: unknown, what: string): XtsLevel {
  const r = new RecordReader(value, what);
  return { price: r.number("Price"), size: r.number("Size"), orders: r.number("TotalOrders") };
}

function levels(value: unknown, what: string): XtsLevel[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ResultShapeError(`${what} is not a list`);
  return value.map((item, i) => level(item, `${what}[${i}]`));
}

function touchline(value: unknown, what: string): XtsTickTouchline {
  const t = new RecordReader(value, what);
  return {
    ltp: t.number("LastTradedPrice"),
    // Some XTS builds misspell it (§1): read whichever came.
    ltq: t.number(t.present("LastTradedQuantity", "LastTradedQunatity")),
    ltt: t.number("LastTradedTime"),
    volume: t.number("TotalTradedQuantity"),
    averagePrice: t.number("AverageTradedPrice"),
    open: t.number("Open"),
    high: t.number("High"),
    low: t.number("Low"),
    close: t.number("Close"),
    totalBuyQuantity: t.number("TotalBuyQuantity"),
    totalSellQuantity: t.number("TotalSellQuantity"),
    bid: level(t.value["BidInfo"], `${what}.BidInfo`),
    ask: level(t.value["AskInfo"], `${what}.AskInfo`),
  };
}

/** One `{code}-json-full` payload as a tick. */
export function parseJsonTick(code: XtsStreamCode, data: unknown): XtsTick {
  const event = `${code}-json-full`;
  const q = payloadReader(data, event);
  const payload = q.value;
  const segment = q.whole("ExchangeSegment");
  const token = q.id("ExchangeInstrumentID");
  switch (code) {
    case 1501:
      // 1501 comes nested under Touchline from some servers and flat from others (§1).
      return { code, segment, token, touchline: touchline(payload["Touchline"] ?? payload, `${event}.Touchline`) };
    case 1502:
      return { code, segment, token, touchline: touchline(payload["Touchline"], `${event}.Touchline`), bids: levels(payload["Bids"], `${event}.Bids`), asks: levels(payload["Asks"], `${event}.Asks`) };
    case 1510:
      return { code, segment, token, openInterest: q.number("OpenInterest") };
    case 1512:
      return {
        code,
        segment,
        token,
        ltp: q.number("LastTradedPrice"),
        ltq: q.number(q.present("LastTradedQuantity", "LastTradedQunatity")),
        ltt: q.number(q.present("LastTradedTime", "LastUpdateTime")),
      };
  }
}
