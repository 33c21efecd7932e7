import { ValidationError } from "../../errors.js";
import { isXtsSegment, type XtsSegment } from "../segments.js";
import type { XtsHttp, XtsRequest } from "./http.js";
import type { JainamConfig } from "./jainam-config.js";
import { loginInteractive, type InteractiveSession } from "./login.js";
import type { Operation } from "./operation.js";
import {
  parseBalance,
  parseMarginDetails,
  parseHoldings,
  parseOrderAck,
  parseOrderBook,
  parseOrderBookRows,
  type OrderBookRow,
  parsePositions,
  parseProfile,
  parseTradeBook,
} from "./results.js";
import { runInSession, sessionStreamEndpoint, SessionClient, type ResultParser, type SessionOwner } from "./session.js";
import type { XtsTimeouts } from "./timeouts.js";
import type {
  StreamEndpoint,
  XtsBalance,
  XtsCancelAllAck,
  XtsDayOrNet,
  XtsHolding,
  XtsModifyOrderRequest,
  XtsOrderAck,
  XtsOrderBookEntry,
  XtsPlaceOrderRequest,
  XtsPosition,
  XtsMarginDetails,
  XtsMarginOrder,
  XtsProfile,
  XtsTradeBookEntry,
} from "./types.js";

/** What a login established, without the token (which never leaves the client). */
export type XtsInteractiveSessionInfo = Omit<InteractiveSession, "token">;

type Query = Record<string, string | number>;

function positiveInteger(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) throw new ValidationError(field, `${field} must be a positive integer, got ${value}`);
}

function uniqueIdentifier(value: string): void {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ValidationError("orderUniqueIdentifier", "orderUniqueIdentifier is required: it is how an order with an unknown outcome is found again");
  }
}

function segment(value: XtsSegment): void {
  if (!isXtsSegment(value)) throw new ValidationError("exchangeSegment", `'${String(value)}' is not an XTS exchange segment`);
}

/**
 * The XTS interactive API: orders, books, portfolio (xts-protocol.md §5). Dealer logins
 * (`isInvestorClient: false`) get `clientID` on every call — in the query of GET/DELETE, in the
 * body of POST/PUT — and their books come from the dealer endpoints (§5.5, §5.7).
 */
export class XtsInteractiveClient {
  private readonly http: XtsHttp;
  private readonly timeouts: XtsTimeouts;
  private readonly sessions: SessionClient<InteractiveSession>;
  private readonly session: SessionOwner<InteractiveSession>;

  constructor(deps: { http: XtsHttp; config: JainamConfig; timeouts: XtsTimeouts }) {
    this.http = deps.http;
    this.timeouts = deps.timeouts;
    this.sessions = new SessionClient(
      deps.http,
      () => loginInteractive(deps.http, deps.config, deps.timeouts),
      { name: "interactive logout", kind: "command", timeoutMs: deps.timeouts.readMs },
      (session) => ({ method: "DELETE", url: `${session.base}/user/session`, query: session.clientID === null ? {} : ({ clientID: session.clientID } as Query), token: session.token }),
    );
    this.session = this.sessions.owner;
  }

  /** Logs in (or joins a login in flight) and describes the session. */
  login(): Promise<XtsInteractiveSessionInfo> {
    return this.sessions.login();
  }

  /** Ends the session on the server; a session the server already dropped counts as ended. */
  logout(): Promise<void> {
    return this.sessions.logout();
  }

  /**
   * Where the interactive socket connects: `{interactive base}/socket.io` with this client's
   * session token, `userID` and `apiType=INTERACTIVE` (without it at least one XTS server says
   * "joined" and hangs up after 10 s, streaming-and-market-data.md §3).
   */
  streamEndpoint(): Promise<StreamEndpoint> {
    return sessionStreamEndpoint(this.session, (s) => s.base, { apiType: "INTERACTIVE" });
  }

  /** `POST /orders`. Never resent; a lost answer is OrderOutcomeUnknownError (§5.1). */
  async placeOrder(order: XtsPlaceOrderRequest): Promise<XtsOrderAck> {
    segment(order.exchangeSegment);
    positiveInteger("exchangeInstrumentID", order.exchangeInstrumentID);
    uniqueIdentifier(order.orderUniqueIdentifier);
    const operation = this.orderOperation("placeOrder", { orderUniqueIdentifier: order.orderUniqueIdentifier });
    return runInSession(this.http, this.session, operation, (s) => this.withBody(s, "POST", "/orders", { ...order }), parseOrderAck);
  }

  /** `PUT /orders` (§5.2). */
  async modifyOrder(order: XtsModifyOrderRequest): Promise<XtsOrderAck> {
    positiveInteger("appOrderID", order.appOrderID);
    uniqueIdentifier(order.orderUniqueIdentifier);
    const operation = this.orderOperation("modifyOrder", {
      orderUniqueIdentifier: order.orderUniqueIdentifier,
      appOrderID: order.appOrderID,
    });
    return runInSession(this.http, this.session, operation, (s) => this.withBody(s, "PUT", "/orders", { ...order }), parseOrderAck);
  }

  /** `DELETE /orders?appOrderID=…&orderUniqueIdentifier=…` (§5.3). */
  async cancelOrder(appOrderID: number, orderUniqueIdentifier: string): Promise<XtsOrderAck> {
    positiveInteger("appOrderID", appOrderID);
    uniqueIdentifier(orderUniqueIdentifier);
    const operation = this.orderOperation("cancelOrder", { orderUniqueIdentifier, appOrderID });
    return runInSession(
      this.http,
      this.session,
      operation,
      (s) => this.withQuery(s, "DELETE", "/orders", { appOrderID, orderUniqueIdentifier }),
      parseOrderAck,
    );
  }

  /** `POST /orders/cancelall` for one instrument (§5.3). Never resent. */
  async cancelAll(exchangeSegment: XtsSegment, exchangeInstrumentID: number): Promise<XtsCancelAllAck> {
    segment(exchangeSegment);
    positiveInteger("exchangeInstrumentID", exchangeInstrumentID);
    const operation: Operation = { name: "cancelAll", kind: "command", timeoutMs: this.timeouts.orderMs };
    return runInSession(
      this.http,
      this.session,
      operation,
      (s) => this.withBody(s, "POST", "/orders/cancelall", { exchangeSegment, exchangeInstrumentID }),
      (result, envelope) => ({ code: envelope.code, description: envelope.description, result }),
    );
  }

  async orderBook(): Promise<XtsOrderBookEntry[]> {
    return this.readList("orderBook", (s) => this.orderBookRequest(s), parseOrderBook);
  }

  /** The order book row by row: an unusable row is reported with its problem instead of failing the whole read. */
  async orderBookRows(): Promise<OrderBookRow[]> {
    return this.readList("orderBook", (s) => this.orderBookRequest(s), parseOrderBookRows);
  }

  private orderBookRequest(s: InteractiveSession): XtsRequest {
    return this.withQuery(s, "GET", s.clientID === null ? "/orders" : "/orders/dealerorderbook", {});
  }

  /** Every state of one order, oldest first as XTS sends it. */
  async orderHistory(appOrderID: number): Promise<XtsOrderBookEntry[]> {
    positiveInteger("appOrderID", appOrderID);
    return this.readList("orderHistory", (s) => this.withQuery(s, "GET", "/orders", { appOrderID }), parseOrderBook);
  }

  async tradeBook(): Promise<XtsTradeBookEntry[]> {
    return this.readList(
      "tradeBook",
      (s) => this.withQuery(s, "GET", s.clientID === null ? "/orders/trades" : "/orders/dealertradebook", {}),
      parseTradeBook,
    );
  }

  async positions(dayOrNet: XtsDayOrNet = "NetWise"): Promise<XtsPosition[]> {
    if (dayOrNet !== "NetWise" && dayOrNet !== "DayWise") {
      throw new ValidationError("dayOrNet", `dayOrNet must be NetWise or DayWise, got '${String(dayOrNet)}'`);
    }
    return this.readList(
      "positions",
      (s) => this.withQuery(s, "GET", s.clientID === null ? "/portfolio/positions" : "/portfolio/dealerpositions", { dayOrNet }),
      parsePositions,
    );
  }

  async holdings(): Promise<XtsHolding[]> {
    return this.readList("holdings", (s) => this.withQuery(s, "GET", "/portfolio/holdings", {}), parseHoldings);
  }

  async balance(): Promise<XtsBalance> {
    return this.read("balance", (s) => this.withQuery(s, "GET", "/user/balance", {}), parseBalance);
  }

  /** `POST /orders/margindetails` [U]: a read (nothing is placed), so it may be retried. */
  async marginDetails(orders: readonly XtsMarginOrder[]): Promise<XtsMarginDetails> {
    return this.read("marginDetails", (s) => this.withBody(s, "POST", "/orders/margindetails", { orders }), parseMarginDetails);
  }

  async profile(): Promise<XtsProfile> {
    return this.read("profile", (s) => this.withQuery(s, "GET", "/user/profile", {}), parseProfile);
  }

  private orderOperation(name: string, order: NonNullable<Operation["order"]>): Operation {
    return { name, kind: "order", timeoutMs: this.timeouts.orderMs, order };
  }

  private read<T>(name: string, build: (s: InteractiveSession) => XtsRequest, parse: ResultParser<T>): Promise<T> {
    const operation: Operation = { name, kind: "read", timeoutMs: this.timeouts.readMs };
    return runInSession(this.http, this.session, operation, build, parse);
  }

  /** A book read: "Data Not Available" (HTTP 400, e-*-0005) is an empty book, not an error (§5.6). */
  private readList<T>(name: string, build: (s: InteractiveSession) => XtsRequest, parse: ResultParser<T[]>): Promise<T[]> {
    const operation: Operation = { name, kind: "read", timeoutMs: this.timeouts.readMs, emptyOnNoData: true };
    return runInSession(this.http, this.session, operation, build, parse, () => []);
  }

  private withQuery(s: InteractiveSession, method: "GET" | "DELETE", path: string, query: Query): XtsRequest {
    return {
      method,
      url: `${s.base}${path}`,
      query: s.clientID === null ? query : { ...query, clientID: s.clientID },
      token: s.token,
    };
  }

  private withBody(s: InteractiveSession, method: "POST" | "PUT", path: string, body: Record<string, unknown>): XtsRequest {
    return { method, url: `${s.base}${path}`, body: s.clientID === null ? body : { ...body, clientID: s.clientID }, token: s.token };
  }
}
