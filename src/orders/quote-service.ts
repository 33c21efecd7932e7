import { exchangeInfo, parseExchange } from "../instruments/exchanges.js";
import type { Resolver } from "../resolver/resolver.js";
import type { XtsMarketDataClient } from "../xts/client/market-client.js";

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

/**
 * OpenAlgo `/quotes` from an XTS 1502 (touchline + depth) quote. Indices quote on segment 1 or 11.
 * Every figure is XTS's own: a quote missing one is XTS_BAD_RESPONSE, never a row of zeros.
 */
export class QuoteService {
  constructor(
    private readonly market: Pick<XtsMarketDataClient, "depthQuotes">,
    private readonly resolver: Resolver,
  ) {}

  async quote(symbol: string, exchange: string): Promise<OpenAlgoQuote> {
    const row = this.resolver.resolve(symbol, exchange);
    const segment = exchangeInfo(parseExchange(row.exchange)).quoteSegmentCode;
    const [q] = await this.market.depthQuotes([{ exchangeSegment: segment, exchangeInstrumentID: row.token }]);
    return {
      open: q!.Open,
      high: q!.High,
      low: q!.Low,
      ltp: q!.LastTradedPrice,
      ask: q!.AskPrice,
      bid: q!.BidPrice,
      prev_close: q!.Close,
      volume: q!.TotalTradedQuantity,
      // Open interest needs a 1510 quote, which xtsbridge does not request yet: 0, as OpenAlgo shows for cash.
      oi: 0,
    };
  }
}
