export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./backoff.js";
export { createXtsClient, type CreateXtsClientOptions, type XtsClient } from "./create-client.js";
export {
  OrderOutcomeUnknownError,
  XtsAuthFailedError,
  XtsBadResponseError,
  XtsRateLimitedError,
  XtsRejectedError,
  XtsSessionExpiredError,
  XtsTimeoutError,
  XtsUnavailableError,
  type XtsClientError,
} from "./errors.js";
export type { FetchFunction, Transport, TransportRequest, TransportResponse } from "./transport.js";
export { fetchTransport, undiciTransport } from "./transport.js";
export { XtsInteractiveClient, type XtsInteractiveSessionInfo } from "./interactive-client.js";
export { Secret, type HostlookupMode, type JainamConfig } from "./jainam-config.js";
export { XtsMarketDataClient, type XtsMarketSessionInfo } from "./market-client.js";
export type { DownloadMasterOptions, MasterProgress } from "./master-download.js";
export type { OrderBookRow } from "./results.js";
export { DEFAULT_TIMEOUTS, type XtsTimeouts } from "./timeouts.js";
export type * from "./types.js";
