import type { GeneratedInstrument } from "../master/master-generator.js";
import type { SessionSummary } from "./price-path.js";
import { roundToTick } from "./wire-values.js";

/** Message codes the sandbox quotes: 1501 touchline, 1502 touchline + depth, 1510 open interest, 1512 LTP (xts-protocol.md §6.1). */
export const QUOTE_MESSAGE_CODES = [1501, 1502, 1510, 1512] as const;
export type QuoteMessageCode = (typeof QUOTE_MESSAGE_CODES)[number];

export function isQuoteMessageCode(value: number): value is QuoteMessageCode {
  return (QUOTE_MESSAGE_CODES as readonly number[]).includes(value);
}

const DOS_EPOCH_UNIX_SECONDS = 315_532_800;
const IST_OFFSET_SECONDS = 19_800;

/**
 * Exchange timestamps are seconds since 1980-01-01 ("DOS time", xts-protocol.md §6.2). The sandbox
 * counts IST wall-clock seconds, the reading the spec leans towards.
 */
export function dosSeconds(nowMs: number): number {
  return Math.floor(nowMs / 1000) + IST_OFFSET_SECONDS - DOS_EPOCH_UNIX_SECONDS;
}

export interface QuoteInput {
  readonly instrument: GeneratedInstrument;
  readonly segmentCode: number;
  readonly ltp: number;
  /** The latest session from the price path (open, high, low, volume, previous close, OI). */
  readonly session: SessionSummary;
  readonly nowMs: number;
}

interface Level {
  readonly Size: number;
  readonly Price: number;
  readonly TotalOrders: number;
  readonly BuyBackMarketMaker: number;
}

function depth(input: QuoteInput, side: -1 | 1): Level[] {
  const { instrument, ltp } = input;
  if (instrument.kind === "index") return [];
  const levels: Level[] = [];
  for (let i = 1; i <= 5; i += 1) {
    const price = roundToTick(ltp + side * i * instrument.tickSize, instrument.tickSize);
    const size = instrument.lotSize * (i + (instrument.token % 4));
    levels.push({ Size: size, Price: price, TotalOrders: i + 1, BuyBackMarketMaker: 0 });
  }
  return levels;
}

const EMPTY_LEVEL: Level = { Size: 0, Price: 0, TotalOrders: 0, BuyBackMarketMaker: 0 };

function touchline(input: QuoteInput, bids: readonly Level[], asks: readonly Level[]) {
  const { instrument, ltp, session } = input;
  const tick = instrument.tickSize;
  const { open, prevClose: close } = session;
  const high = Math.max(session.high, ltp);
  const low = Math.min(session.low, ltp);
  const traded = session.volume;
  const lastQuantity = instrument.kind === "index" ? 0 : instrument.lotSize;
  const time = dosSeconds(input.nowMs);
  return {
    BidInfo: bids[0] ?? EMPTY_LEVEL,
    AskInfo: asks[0] ?? EMPTY_LEVEL,
    LastTradedPrice: ltp,
    LastTradedQuantity: lastQuantity,
    // Some XTS payloads spell it this way (xts-protocol.md §6.1); the sandbox sends both.
    LastTradedQunatity: lastQuantity,
    TotalBuyQuantity: bids.reduce((sum, level) => sum + level.Size, 0),
    TotalSellQuantity: asks.reduce((sum, level) => sum + level.Size, 0),
    TotalTradedQuantity: traded,
    AverageTradedPrice: roundToTick((high + low) / 2, tick),
    LastTradedTime: time,
    LastUpdateTime: time,
    PercentChange: close === 0 ? 0 : Number((((ltp - close) / close) * 100).toFixed(2)),
    Open: open,
    High: high,
    Low: low,
    Close: close,
    TotalValueTraded: null,
    BuyBackTotalBuy: 0,
    BuyBackTotalSell: 0,
  };
}

/** One `listQuotes` entry as an object; the route sends it JSON-encoded, as XTS does. */
export function quotePayload(code: QuoteMessageCode, input: QuoteInput): Record<string, unknown> {
  const head = {
    MessageCode: code,
    MessageVersion: 4,
    ApplicationType: 0,
    TokenID: 0,
    ExchangeSegment: input.segmentCode,
    ExchangeInstrumentID: input.instrument.token,
    ExchangeTimeStamp: dosSeconds(input.nowMs),
  };
  if (code === 1510) {
    return { ...head, OpenInterest: input.session.oi, UnderlyingExchangeSegment: input.segmentCode, UnderlyingInstrumentID: input.instrument.token, UnderlyingTotalOpenInterest: input.session.oi };
  }
  if (code === 1512) {
    return {
      ...head,
      BookType: 1,
      XMarketType: 1,
      LastTradedPrice: input.ltp,
      LastTradedQuantity: input.instrument.kind === "index" ? 0 : input.instrument.lotSize,
      LastTradedQunatity: input.instrument.kind === "index" ? 0 : input.instrument.lotSize,
      LastTradedTime: dosSeconds(input.nowMs),
    };
  }
  const bids = depth(input, -1);
  const asks = depth(input, 1);
  const line = touchline(input, bids, asks);
  if (code === 1501) return { ...head, Touchline: line };
  return { ...head, Bids: bids, Asks: asks, Touchline: line, BookType: 1, XMarketType: 1, SequenceNumber: 0 };
}
