/**
 * Every error xtsbridge raises on purpose is an XtsBridgeError with a stable `code`.
 * Only the API layer turns a code into an HTTP status; everything below throws.
 *
 * `retry` tells the caller what it may do: "never" (fix the input), "safe" (the same
 * call may be repeated), "unsafe" (repeating could duplicate a side effect, e.g. an order).
 */
export type RetryClass = "never" | "safe" | "unsafe";

export class XtsBridgeError extends Error {
  readonly code: string;
  readonly retry: RetryClass;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
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
