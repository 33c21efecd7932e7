import { ValidationError, XtsBridgeError } from "../errors.js";
import { exchangeInfo, parseExchange } from "../instruments/exchanges.js";
import type { Resolver } from "../resolver/resolver.js";
import type { SymbolRow } from "../store/types.js";
import { QUOTES_PER_REQUEST, type XtsMarketDataClient } from "../xts/client/market-client.js";
import type { XtsDepthQuote, XtsQuoteInstrument } from "../xts/client/types.js";

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

export interface DepthLevel {
  readonly price: number;
  readonly quantity: number;
  /** Ours, beyond OpenAlgo: the number of orders at that price. */
  readonly orders: number;
}

export interface OpenAlgoDepth {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly ltp: number;
  readonly ltq: number;
  readonly prev_close: number;
  readonly volume: number;
  readonly oi: number;
  readonly totalbuyqty: number;
  readonly totalsellqty: number;
  /** The day's price band from the master contract; null where the master carries none (indices, some cash lines). */
  readonly lower_circuit: number | null;
  readonly upper_circuit: number | null;
  readonly bids: readonly DepthLevel[];
  readonly asks: readonly DepthLevel[];
}

/** A quote with the quantities at the best bid and ask (the option chain shows them). */
export interface BookQuote extends OpenAlgoQuote {
  readonly bid_qty: number;
  readonly ask_qty: number;
}

export type MultiQuoteItem =
  | { readonly symbol: string; readonly exchange: string; readonly data: OpenAlgoQuote }
  | { readonly symbol: string; readonly exchange: string; readonly error: string; readonly code: string };

/** The most symbols one multiquotes call may ask for: 10 XTS requests of 50. */
export const MULTIQUOTES_LIMIT = 500;

function carriesOpenInterest(row: SymbolRow): boolean {
  return exchangeInfo(parseExchange(row.exchange)).openInterest;
}

function instrumentOf(row: SymbolRow): XtsQuoteInstrument {
  return { exchangeSegment: exchangeInfo(parseExchange(row.exchange)).quoteSegmentCode, exchangeInstrumentID: row.token };
}

function quoteOf(q: XtsDepthQuote, oi: number): OpenAlgoQuote {
  return { open: q.Open, high: q.High, low: q.Low, ltp: q.LastTradedPrice, ask: q.AskPrice, bid: q.BidPrice, prev_close: q.Close, volume: q.TotalTradedQuantity, oi };
}

function bookQuoteOf(q: XtsDepthQuote, oi: number): BookQuote {
  return { ...quoteOf(q, oi), bid_qty: q.Bids[0]?.Size ?? 0, ask_qty: q.Asks[0]?.Size ?? 0 };
}

function withoutSizes({ bid_qty: _b, ask_qty: _a, ...quote }: BookQuote): OpenAlgoQuote {
  return quote;
}

/**
 * OpenAlgo `/quotes`, `/multiquotes` and `/depth` from XTS 1502 quotes, with open interest from
 * 1510 for derivatives. Indices quote on segment 1 or 11. Every figure is XTS's own: a quote missing
 * one is XTS_BAD_RESPONSE, never a row of zeros; an XTS error is an error, never an empty success.
 */
export class QuoteService {
  constructor(
    private readonly market: Pick<XtsMarketDataClient, "depthQuotes" | "openInterest">,
    private readonly resolver: Resolver,
  ) {}

  async quote(symbol: string, exchange: string): Promise<OpenAlgoQuote> {
    const row = this.resolver.resolve(symbol, exchange);
    const [q] = await this.market.depthQuotes([instrumentOf(row)]);
    return quoteOf(q!, await this.oiOf(row));
  }

  async depth(symbol: string, exchange: string): Promise<OpenAlgoDepth> {
    const row = this.resolver.resolve(symbol, exchange);
    const [q] = await this.market.depthQuotes([instrumentOf(row)]);
    const level = (l: { Price: number; Size: number; TotalOrders: number }): DepthLevel => ({ price: l.Price, quantity: l.Size, orders: l.TotalOrders });
    return {
      open: q!.Open,
      high: q!.High,
      low: q!.Low,
      ltp: q!.LastTradedPrice,
      ltq: q!.LastTradedQuantity,
      prev_close: q!.Close,
      volume: q!.TotalTradedQuantity,
      oi: await this.oiOf(row),
      totalbuyqty: q!.TotalBuyQuantity,
      totalsellqty: q!.TotalSellQuantity,
      lower_circuit: row.lower_circuit,
      upper_circuit: row.upper_circuit,
      // The levels XTS sent, best first; an index has none, and none are made up.
      bids: q!.Bids.map(level),
      asks: q!.Asks.map(level),
    };
  }

  /**
   * Quotes of many symbols, in the order asked, in batches of 50 (XTS's limit). A symbol that does
   * not resolve is reported in its place; the others are still quoted.
   */
  async multiquotes(symbols: readonly { symbol: string; exchange: string }[]): Promise<MultiQuoteItem[]> {
    if (symbols.length > MULTIQUOTES_LIMIT) throw new ValidationError("symbols", `at most ${MULTIQUOTES_LIMIT} symbols a request, got ${symbols.length}`);
    const resolved = symbols.map((s) => {
      try {
        return { ...s, row: this.resolver.resolve(s.symbol, s.exchange) };
      } catch (error) {
        if (!(error instanceof XtsBridgeError)) throw error;
        return { ...s, error };
      }
    });
    const quotes = await this.quoteRows(resolved.flatMap((r) => ("row" in r ? [r.row] : [])));
    return resolved.map((r) =>
      "row" in r ? { symbol: r.row.symbol, exchange: r.row.exchange, data: withoutSizes(quotes.get(r.row)!) } : { symbol: r.symbol, exchange: r.exchange, error: r.error.message, code: r.error.code },
    );
  }

  /**
   * Quotes of contract rows, 50 to an XTS request, with open interest for derivatives (one more
   * request per batch that holds any). The same row asked twice is quoted once.
   */
  async quoteRows(rows: readonly SymbolRow[]): Promise<Map<SymbolRow, BookQuote>> {
    const unique = [...new Set(rows)];
    const quotes = new Map<SymbolRow, BookQuote>();
    for (let start = 0; start < unique.length; start += QUOTES_PER_REQUEST) {
      const batch = unique.slice(start, start + QUOTES_PER_REQUEST);
      const depth = await this.market.depthQuotes(batch.map(instrumentOf));
      const derivatives = batch.filter(carriesOpenInterest);
      const oi = derivatives.length === 0 ? [] : await this.market.openInterest(derivatives.map(instrumentOf));
      const oiByRow = new Map(derivatives.map((row, i) => [row, oi[i]!.OpenInterest]));
      batch.forEach((row, i) => quotes.set(row, bookQuoteOf(depth[i]!, oiByRow.get(row) ?? 0)));
    }
    return quotes;
  }

  /**
   * Last traded prices of contract rows, 50 a request. A row XTS quotes at 0 or less (nothing
   * traded) is left out: its price is unknown, not zero.
   */
  async lastPrices(rows: readonly SymbolRow[]): Promise<Map<SymbolRow, number>> {
    const prices = new Map<SymbolRow, number>();
    for (let start = 0; start < rows.length; start += QUOTES_PER_REQUEST) {
      const batch = rows.slice(start, start + QUOTES_PER_REQUEST);
      const quotes = await this.market.depthQuotes(batch.map(instrumentOf));
      batch.forEach((row, i) => {
        const ltp = quotes[i]!.LastTradedPrice;
        if (ltp > 0) prices.set(row, ltp);
      });
    }
    return prices;
  }

  private async oiOf(row: SymbolRow): Promise<number> {
    if (!carriesOpenInterest(row)) return 0;
    const [oi] = await this.market.openInterest([instrumentOf(row)]);
    return oi!.OpenInterest;
  }
}
