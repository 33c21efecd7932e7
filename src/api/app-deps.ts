import type { Logger } from "../logger.js";
import type { HistoryService } from "../marketdata/history.js";
import type { MasterContractService } from "../mastercontract/refresh.js";
import type { OrderService } from "../orders/order-service.js";
import type { QuoteService } from "../orders/quote-service.js";
import type { MarginService } from "../orders/margin-service.js";
import type { MultiOrders } from "../orders/multi-orders.js";
import type { OptionsService } from "../options/options-service.js";
import type { ExchangeCalendar } from "../calendar/exchange-calendar.js";
import type { Analyzer } from "../analyzer/analyzer.js";
import type { DashboardSessions } from "./dashboard-sessions.js";
import type { RequestLog } from "./request-log.js";
import type { Resolver } from "../resolver/resolver.js";
import type { ApiKeys } from "./api-keys.js";
import type { RequestIds } from "../orders/order-tag.js";
import type { Secret } from "../xts/client/jainam-config.js";
import type { Forwarder } from "./forward.js";
import type { LimiterFactory, RateLimits } from "./rate-limits.js";

export type { RateLimits } from "./rate-limits.js";

/** What the order and account routes need of whoever takes the orders: the broker's OrderService or the paper engine. */
export type TradingDesk = Pick<
  OrderService,
  "placeOrder" | "placeSmartOrder" | "modifyOrder" | "cancelOrder" | "cancelAllOrders" | "closeAllPositions" | "orderStatus" | "openPosition" | "orderBook" | "tradeBook" | "positionBook" | "holdings" | "funds"
>;

export interface AppDeps {
  readonly logger: Logger;
  readonly apiKeys: ApiKeys;
  readonly resolver: Resolver;
  readonly orders: OrderService;
  readonly quotes: QuoteService;
  readonly history: HistoryService;
  readonly master: MasterContractService;
  readonly options: OptionsService;
  readonly multi: MultiOrders;
  readonly margin: MarginService;
  readonly calendar: ExchangeCalendar;
  /** The analyzer switch and its paper engine; absent on a replica (the primary answers). */
  readonly analyzer?: Analyzer;
  readonly limits?: Partial<RateLimits>;
  /** Where rate-limit counters live (memory by default; Redis or PostgreSQL across processes). */
  readonly limiters?: LimiterFactory;
  /** Instrument downloads one API key may have in flight at once (2). */
  readonly instrumentDownloadsPerKey?: number;
  /** Largest JSON body accepted, in bytes. */
  readonly bodyLimit?: number;
  /** Give up on a request whose body has not arrived within this time (slow clients). */
  readonly requestTimeoutMs?: number;
  /** Set on a replica: broker-facing routes are sent to the primary instead of `orders`/`quotes`/`master`. */
  readonly forward?: Forwarder;
  /** The shared secret a replica proves its forwarded request ids with (XTSBRIDGE_REPLICA_SECRET). */
  readonly replicaSecret?: Secret | null;
  /** Where request ids (and so order tags) come from; one per process. */
  readonly requestIds?: RequestIds;
  /** The streaming health `/stream/status` shows (the XTS sockets, live books, WebSocket clients); absent where nothing streams. */
  readonly streamStatus?: () => Record<string, unknown>;
  /** Signed-in dashboard browsers; shared with the WebSocket, which lets a session's page in by its cookie. */
  readonly sessions?: DashboardSessions;
  /** The recent API requests the dashboard lists. */
  readonly requestLog?: RequestLog;
  /** Today's date in IST (`YYYY-MM-DD`), for dropping past expiries; injectable for tests. */
  readonly today?: () => string;
}
