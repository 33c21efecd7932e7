/**
 * Every error xtsbridge raises on purpose is an XtsBridgeError with a stable `code`.
 * Only the API layer turns a code into an HTTP status; everything below throws.
 *
 * `retry` tells the caller what it may do: "never" (fix the input), "safe" (the same
 * call may be repeated), "unsafe" (repeating could duplicate a side effect, e.g. an order).
 */
export type RetryClass = "never" | "safe" | "unsafe";

/**
 * Every code xtsbridge answers with, in one place. The API's code → HTTP status table must name
 * each one (`satisfies Record<ErrorCode, number>`), so a new code cannot ship without a status.
 */
export const ERROR_CODES = [
  "VALIDATION_ERROR",
  "UNSUPPORTED_EXCHANGE",
  "MALFORMED_REQUEST",
  "XTS_REJECTED",
  "INVALID_API_KEY",
  "REPLICA_NOT_TRUSTED",
  "NOT_FOUND",
  "SYMBOL_NOT_FOUND",
  "TOKEN_NOT_FOUND",
  "ORDER_NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "REQUEST_TIMEOUT",
  "REFRESH_IN_PROGRESS",
  "BODY_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "RATE_LIMITED",
  "XTS_RATE_LIMITED",
  "HEADERS_TOO_LARGE",
  "CONFIG_ERROR",
  "INTERNAL_ERROR",
  "XTS_AUTH_FAILED",
  "XTS_SESSION_EXPIRED",
  "XTS_UNAVAILABLE",
  "XTS_BAD_RESPONSE",
  "XTS_UNKNOWN_VALUE",
  "MASTER_REFRESH_FAILED",
  "PRIMARY_UNAVAILABLE",
  "PRIMARY_ONLY",
  "STORE_ERROR",
  "CONTRACT_NOT_LOADED",
  "XTS_TIMEOUT",
  "ORDER_OUTCOME_UNKNOWN",
  "PRICE_UNAVAILABLE",
  "NO_IMPLIED_VOLATILITY",
  "NOT_SUPPORTED",
  "NOT_SIGNED_IN",
  "SESSION_ENDED",
  "CSRF_REJECTED",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class XtsBridgeError extends Error {
  readonly code: ErrorCode;
  readonly retry: RetryClass;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; retry?: RetryClass; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retry = options.retry ?? "never";
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }
}

/** Bad input from a user or caller: names the field and what is allowed. */
export class ValidationError extends XtsBridgeError {
  readonly field: string;
  constructor(field: string, message: string, details: Record<string, unknown> = {}) {
    super("VALIDATION_ERROR", message, { details: { field, ...details } });
    this.field = field;
  }
}

export class UnsupportedExchangeError extends XtsBridgeError {
  constructor(exchange: string, supported: readonly string[]) {
    super(
      "UNSUPPORTED_EXCHANGE",
      `Exchange '${exchange}' is not supported by Jainam XTS; supported exchanges: ${supported.join(", ")}`,
      { details: { exchange, supported: [...supported] } },
    );
  }
}

export class SymbolNotFoundError extends XtsBridgeError {
  readonly suggestions: readonly string[];
  constructor(symbol: string, exchange: string, suggestions: readonly string[]) {
    const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(", ")}?` : "";
    super("SYMBOL_NOT_FOUND", `Symbol '${symbol}' not found on exchange ${exchange}${hint}`, {
      details: { symbol, exchange, suggestions: [...suggestions] },
    });
    this.suggestions = suggestions;
  }
}

/** No master contract is stored (or loaded yet) for the broker: nothing can be resolved, and the reason is not the symbol. */
export class ContractNotLoadedError extends XtsBridgeError {
  constructor(broker: string) {
    super(
      "CONTRACT_NOT_LOADED",
      `no master contract is stored for broker ${broker}: download it with 'xtsbridge master download' (needs the JAINAM_* settings) or load saved files with 'xtsbridge master import FILE...'; a server that is starting is downloading it now`,
      { retry: "safe", details: { broker } },
    );
  }
}

export class TokenNotFoundError extends XtsBridgeError {
  constructor(token: number, exchange: string) {
    super("TOKEN_NOT_FOUND", `Token ${token} not found on exchange ${exchange}`, {
      details: { token, exchange },
    });
  }
}

export class ConfigError extends XtsBridgeError {
  constructor(variable: string, message: string) {
    super("CONFIG_ERROR", `${variable}: ${message}`, { details: { variable } });
  }
}

export class StoreError extends XtsBridgeError {
  constructor(message: string, cause?: unknown) {
    super("STORE_ERROR", message, { cause, retry: "safe" });
  }
}
