import type { ErrorCode } from "../errors.js";

/**
 * The one table from error codes to HTTP statuses (hono's http-exception, fastify's errors
 * catalogue). Services throw coded errors; only this layer knows HTTP. Every code has a status:
 * there is no fallback.
 */
export const STATUS_BY_CODE = {
  VALIDATION_ERROR: 400,
  UNSUPPORTED_EXCHANGE: 400,
  MALFORMED_REQUEST: 400,
  XTS_REJECTED: 400,
  // The dashboard: no session, or its key was revoked (sign in again); an action without the session's CSRF token.
  NOT_SIGNED_IN: 401,
  SESSION_ENDED: 401,
  INVALID_API_KEY: 403,
  CSRF_REJECTED: 403,
  REPLICA_NOT_TRUSTED: 403,
  NOT_FOUND: 404,
  SYMBOL_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  REFRESH_IN_PROGRESS: 409,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  XTS_RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  // The request was understood and the figures are XTS's, but they admit no volatility.
  NO_IMPLIED_VOLATILITY: 422,
  // A configuration error reaching a request is a deployment fault, not the client's.
  CONFIG_ERROR: 500,
  INTERNAL_ERROR: 500,
  XTS_AUTH_FAILED: 502,
  XTS_SESSION_EXPIRED: 502,
  XTS_UNAVAILABLE: 502,
  XTS_BAD_RESPONSE: 502,
  XTS_UNKNOWN_VALUE: 502,
  MASTER_REFRESH_FAILED: 502,
  PRIMARY_UNAVAILABLE: 502,
  PRIMARY_ONLY: 502,
  NOT_SUPPORTED: 501,
  STORE_ERROR: 503,
  // Nothing has traded yet: a price the answer needs is unknown (never taken as 0).
  PRICE_UNAVAILABLE: 503,
  CONTRACT_NOT_LOADED: 503,
  XTS_TIMEOUT: 504,
  ORDER_OUTCOME_UNKNOWN: 504,
} as const satisfies Record<ErrorCode, number>;

export function httpStatusFor(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}
