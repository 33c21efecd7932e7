/**
 * The one table from error codes to HTTP statuses (hono's http-exception, fastify's errors
 * catalogue). Services throw coded errors; only this layer knows HTTP.
 */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  VALIDATION_ERROR: 400,
  UNSUPPORTED_EXCHANGE: 400,
  XTS_REJECTED: 400,
  INVALID_API_KEY: 403,
  SYMBOL_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  REFRESH_IN_PROGRESS: 409,
  RATE_LIMITED: 429,
  XTS_RATE_LIMITED: 429,
  XTS_AUTH_FAILED: 502,
  XTS_SESSION_EXPIRED: 502,
  XTS_UNAVAILABLE: 502,
  XTS_BAD_RESPONSE: 502,
  XTS_UNKNOWN_VALUE: 502,
  MASTER_REFRESH_FAILED: 502,
  MASTER_CONTRACT_NOT_READY: 503,
  PRIMARY_UNAVAILABLE: 502,
  PRIMARY_ONLY: 502,
  STORE_ERROR: 503,
  XTS_TIMEOUT: 504,
  ORDER_OUTCOME_UNKNOWN: 504,
};

export function httpStatusFor(code: string): number {
  return STATUS_BY_CODE[code] ?? 500;
}
