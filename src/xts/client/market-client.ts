import { ValidationError } from "../../errors.js";
import { isXtsSegment, segmentFromCode, type XtsSegment } from "../segments.js";
import type { XtsHttp } from "./http.js";
import type { JainamConfig } from "./jainam-config.js";
import { loginMarket, type MarketSession } from "./login.js";
import { downloadMaster, type DownloadMasterOptions } from "./master-download.js";
import type { Operation } from "./operation.js";
import { XtsBadResponseError, XtsRejectedError } from "./errors.js";
import { xtsTimeOf, type XtsBar, type XtsCompression } from "../ohlc.js";
import { parseDepthQuotes, parseIndexList, parseOhlc, parseOpenInterest, parseQuotes } from "./results.js";
import { runInSession, sessionStreamEndpoint, SessionClient, type ResultParser, type SessionOwner } from "./session.js";
import type { XtsTimeouts } from "./timeouts.js";
import type { StreamEndpoint, XtsDepthQuote, XtsIndexListSegment, XtsOpenInterest, XtsQuote, XtsQuoteInstrument, XtsQuoteMessageCode } from "./types.js";

export type XtsMarketSessionInfo = Omit<MarketSession, "token">;

const QUOTE_MESSAGE_CODES: readonly number[] = [1501, 1502, 1510, 1512] satisfies readonly XtsQuoteMessageCode[];
/** XTS answers at most 50 instruments a quotes request (streaming-and-market-data.md §1). */
export const QUOTES_PER_REQUEST = 50;

/**
 * The XTS market-data API under `{server}{marketDataRoot}` — `/apibinarymarketdata` on Jainam
 * Prop, where `/apimarketdata` answers 404 (xts-protocol.md §1.2, §2, §6). It has its own key
 * pair and its own session.
 */
export class XtsMarketDataClient {
  private readonly http: XtsHttp;
  private readonly timeouts: XtsTimeouts;
  private readonly root: string;
  private readonly socketRoot: string;
  private readonly sessions: SessionClient<MarketSession>;
  private readonly session: SessionOwner<MarketSession>;

  constructor(deps: { http: XtsHttp; config: JainamConfig; timeouts: XtsTimeouts }) {
    this.http = deps.http;
    this.timeouts = deps.timeouts;
    this.root = `${deps.config.server}${deps.config.marketDataRoot}`;
    this.socketRoot = `${deps.config.server}${deps.config.marketSocketRoot}`;
    this.sessions = new SessionClient(
      deps.http,
      () => loginMarket(deps.http, deps.config, deps.timeouts),
      { name: "market logout", kind: "command", timeoutMs: deps.timeouts.readMs },
      (session) => ({ method: "DELETE", url: `${this.root}/auth/logout`, token: session.token }),
    );
    this.session = this.sessions.owner;
  }

  login(): Promise<XtsMarketSessionInfo> {
    return this.sessions.login();
  }

  /** Ends the session on the server; a session the server already dropped counts as ended. */
  logout(): Promise<void> {
    return this.sessions.logout();
  }

  /**
   * The master of one segment as text chunks (lines separated by "\n"), streamed from the
   * response body; feed it to parseMasterStream. Each iteration downloads afresh. A body cut
   * short throws XTS_BAD_RESPONSE ("truncated") after the chunks already yielded: the caller
   * must discard the partial segment.
   */
  downloadMaster(segment: XtsSegment, options: DownloadMasterOptions = {}): AsyncIterable<string> {
    if (!isXtsSegment(segment)) throw new ValidationError("segment", `'${String(segment)}' is not an XTS exchange segment`);
    const request = {
      http: this.http,
      session: this.session,
      url: `${this.root}/instruments/master`,
      segment,
      timeoutMs: this.timeouts.masterMs,
      options,
    };
    return { [Symbol.asyncIterator]: () => downloadMaster(request) };
  }

  /** Index entries such as "NIFTY 50_26000" for segment 1 (NSE) or 11 (BSE) (§2.5). */
  async indexList(segmentCode: XtsIndexListSegment): Promise<string[]> {
    if (segmentCode !== 1 && segmentCode !== 11) {
      throw new ValidationError("segmentCode", `index lists exist for segments 1 and 11, not ${String(segmentCode)}`);
    }
    const operation: Operation = { name: "indexList", kind: "read", timeoutMs: this.timeouts.readMs, emptyOnNoData: true };
    return runInSession(
      this.http,
      this.session,
      operation,
      (s) => ({ method: "GET", url: `${this.root}/instruments/indexlist`, query: { exchangeSegment: segmentCode }, token: s.token }),
      parseIndexList,
      () => [],
    );
  }

  /** `POST /instruments/quotes`; each `listQuotes` JSON string comes back parsed (§6.1). A read: retried like a GET. */
  async quotes(instruments: readonly XtsQuoteInstrument[], xtsMessageCode: XtsQuoteMessageCode): Promise<XtsQuote[]> {
    return this.requestQuotes(instruments, xtsMessageCode, parseQuotes);
  }

  /**
   * `GET /instruments/ohlc` for one instrument (§6.2): bars between two IST wall-clock times (epoch
   * seconds of the wall clock read as UTC), in `compressionValue` seconds or `D`. A read: retried
   * like any GET; "no data" is an empty list.
   */
  async ohlc(request: { segment: XtsSegment; token: number; fromWallClock: number; toWallClock: number; compression: XtsCompression }): Promise<XtsBar[]> {
    if (!isXtsSegment(request.segment)) throw new ValidationError("segment", `'${String(request.segment)}' is not an XTS exchange segment`);
    if (!Number.isSafeInteger(request.token) || request.token <= 0) throw new ValidationError("exchangeInstrumentID", `${request.token} is not a positive integer`);
    const operation: Operation = { name: "ohlc", kind: "read", timeoutMs: this.timeouts.readMs, emptyOnNoData: true };
    const query = {
      exchangeSegment: request.segment,
      exchangeInstrumentID: request.token,
      startTime: xtsTimeOf(request.fromWallClock),
      endTime: xtsTimeOf(request.toWallClock),
      compressionValue: String(request.compression),
    };
    return runInSession(this.http, this.session, operation, (s) => ({ method: "GET", url: `${this.root}/instruments/ohlc`, query, token: s.token }), parseOhlc, () => []);
  }

  /** 1502 quotes, typed, in the order asked: every touchline figure /quotes shows is present and numeric, or XTS_BAD_RESPONSE names it. */
  async depthQuotes(instruments: readonly XtsQuoteInstrument[]): Promise<XtsDepthQuote[]> {
    return inAskedOrder(instruments, 1502, await this.requestQuotes(instruments, 1502, parseDepthQuotes));
  }

  /** 1510 quotes: each instrument's open interest, in the order asked. */
  async openInterest(instruments: readonly XtsQuoteInstrument[]): Promise<XtsOpenInterest[]> {
    return inAskedOrder(instruments, 1510, await this.requestQuotes(instruments, 1510, parseOpenInterest));
  }

  /**
   * `POST /instruments/subscription` (§1): the market-data socket streams these instruments from
   * now on. "Instrument Already Subscribed" (e-session-0002) is success: after a reconnect the
   * server may still hold them. A read for retries: subscribing twice does no harm.
   */
  async subscribe(instruments: readonly XtsQuoteInstrument[], xtsMessageCode: XtsQuoteMessageCode): Promise<void> {
    await this.subscription("POST", instruments, xtsMessageCode);
  }

  /** `PUT /instruments/subscription`: stops the stream of these instruments. */
  async unsubscribe(instruments: readonly XtsQuoteInstrument[], xtsMessageCode: XtsQuoteMessageCode): Promise<void> {
    await this.subscription("PUT", instruments, xtsMessageCode);
  }

  /**
   * Where the market-data socket connects, with this client's session: the socket must use the
   * REST session's token, because a second login would end the first (§2, xts-protocol.md §1.6).
   * `renew` logs in again when the socket is refused the token (it joins a login in flight).
   */
  streamEndpoint(): Promise<StreamEndpoint> {
    return sessionStreamEndpoint(this.session, () => this.socketRoot, { publishFormat: "JSON", broadcastMode: "Full" });
  }

  private async subscription(method: "POST" | "PUT", instruments: readonly XtsQuoteInstrument[], xtsMessageCode: XtsQuoteMessageCode): Promise<void> {
    this.checkQuoteRequest(instruments, xtsMessageCode);
    const operation: Operation = { name: method === "POST" ? "subscribe" : "unsubscribe", kind: "read", timeoutMs: this.timeouts.readMs };
    const body = { instruments: instruments.map(({ exchangeSegment, exchangeInstrumentID }) => ({ exchangeSegment, exchangeInstrumentID })), xtsMessageCode };
    try {
      await runInSession(this.http, this.session, operation, (s) => ({ method, url: `${this.root}/instruments/subscription`, body, token: s.token }), () => undefined);
    } catch (error) {
      if (error instanceof XtsRejectedError && isAlreadySubscribed(error)) return;
      throw error;
    }
  }

  private checkQuoteRequest(instruments: readonly XtsQuoteInstrument[], xtsMessageCode: XtsQuoteMessageCode): void {
    if (instruments.length === 0) throw new ValidationError("instruments", "at least one instrument is required");
    if (instruments.length > QUOTES_PER_REQUEST) throw new ValidationError("instruments", `XTS takes at most ${QUOTES_PER_REQUEST} instruments a request, got ${instruments.length}`);
    for (const instrument of instruments) {
      if (segmentFromCode(instrument.exchangeSegment) === undefined) {
        throw new ValidationError("exchangeSegment", `${instrument.exchangeSegment} is not an XTS segment code`);
      }
      if (!Number.isSafeInteger(instrument.exchangeInstrumentID) || instrument.exchangeInstrumentID <= 0) {
        throw new ValidationError("exchangeInstrumentID", `${instrument.exchangeInstrumentID} is not a positive integer`);
      }
    }
    if (!QUOTE_MESSAGE_CODES.includes(xtsMessageCode)) {
      throw new ValidationError("xtsMessageCode", `xtsMessageCode must be one of ${QUOTE_MESSAGE_CODES.join(", ")}`);
    }
  }

  private requestQuotes<T>(instruments: readonly XtsQuoteInstrument[], xtsMessageCode: XtsQuoteMessageCode, parse: ResultParser<T[]>): Promise<T[]> {
    this.checkQuoteRequest(instruments, xtsMessageCode);
    const operation: Operation = { name: "quotes", kind: "read", timeoutMs: this.timeouts.readMs };
    const body = {
      instruments: instruments.map(({ exchangeSegment, exchangeInstrumentID }) => ({ exchangeSegment, exchangeInstrumentID })),
      xtsMessageCode,
      publishFormat: "JSON",
    };
    return runInSession(
      this.http,
      this.session,
      operation,
      (s) => ({ method: "POST", url: `${this.root}/instruments/quotes`, body, token: s.token }),
      parse,
    );
  }
}

/** e-session-0002 "Instrument Already Subscribed" (streaming-and-market-data.md §1). */
function isAlreadySubscribed(error: XtsRejectedError): boolean {
  return error.xtsCode === "e-session-0002" || /already subscribed/i.test(error.message);
}

/**
 * One quote per instrument asked, in the order asked, each matched by segment and id: a quote is
 * never taken for another instrument's because of where it stands in XTS's list, and an instrument
 * XTS sent nothing for is XTS_BAD_RESPONSE naming it.
 */
function inAskedOrder<T extends { readonly ExchangeSegment: number; readonly ExchangeInstrumentID: number }>(
  instruments: readonly XtsQuoteInstrument[],
  xtsMessageCode: XtsQuoteMessageCode,
  quotes: readonly T[],
): T[] {
  const byInstrument = new Map(quotes.map((q) => [`${q.ExchangeSegment}:${q.ExchangeInstrumentID}`, q]));
  return instruments.map(({ exchangeSegment, exchangeInstrumentID }) => {
    const quote = byInstrument.get(`${exchangeSegment}:${exchangeInstrumentID}`);
    if (quote === undefined) {
      throw new XtsBadResponseError({ operation: "quotes" }, `asked for ${instruments.length} ${xtsMessageCode} quotes, got ${quotes.length}: none for ${exchangeSegment}:${exchangeInstrumentID}`);
    }
    return quote;
  });
}
