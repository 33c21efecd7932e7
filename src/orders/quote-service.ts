import { exchangeInfo, parseExchange } from "../instruments/exchanges.js";
import type { Resolver } from "../resolver/resolver.js";
import type { XtsMarketDataClient } from "../xts/client/market-client.js";
import { num } from "./books.js";

export interface OpenAlgoQuote {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly ltp: number;
  readonly ask: number;
  readonly bid: number;
  readonly prev_close: number;
  readonly volume: number;
  readonly oi: number;
}

/** OpenAlgo `/quotes` from an XTS 1502 (touchline + depth) quote. Indices quote on segment 1 or 11. */
export class QuoteService {
  constructor(
    private readonly market: Pick<XtsMarketDataClient, "quotes">,
    private readonly resolver: Resolver,
  ) {}

  async quote(symbol: string, exchange: string): Promise<OpenAlgoQuote> {
    const row = this.resolver.resolve(symbol, exchange);
    const segment = exchangeInfo(parseExchange(row.exchange)).quoteSegmentCode;
    const [quote] = await this.market.quotes([{ exchangeSegment: segment, exchangeInstrumentID: row.token }], 1502);
    const t = quote?.Touchline ?? {};
    return {
      open: num(t.Open),
      high: num(t.High),
      low: num(t.Low),
      ltp: num(t.LastTradedPrice ?? quote?.LastTradedPrice),
      ask: num(t.AskInfo?.Price),
      bid: num(t.BidInfo?.Price),
      prev_close: num(t.Close),
      volume: num(t.TotalTradedQuantity),
      oi: num(quote?.["OpenInterest"]),
    };
  }
}
