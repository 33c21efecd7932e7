import { XtsBridgeError, type RetryClass } from "../../errors.js";

/**
 * The XTS client's failures, classed by what the caller should do (undici lib/core/errors.js:
 * one stable code per class). Messages name the operation, the HTTP status and the XTS code;
 * they never carry an app key, a secret, a session token or a request body.
 */

/** Common context every XTS error records in `details`. */
export interface XtsErrorContext {
  /** The client operation, e.g. "placeOrder", "orderBook", "interactive login". */
  readonly operation: string;
  readonly httpStatus?: number;
}

function describe(context: XtsErrorContext): string {
  return context.httpStatus === undefined ? context.operation : `${context.operation} (HTTP ${context.httpStatus})`;
}

/** Bad credentials, or the server refused the login (any error envelope on a login call). */
export class XtsAuthFailedError extends XtsBridgeError {
  readonly xtsCode: string | null;
  readonly description: string | null;
  constructor(
    context: XtsErrorContext,
    reason: { xtsCode?: string | null; description?: string | null; message?: string },
    cause?: unknown,
  ) {
    const xtsCode = reason.xtsCode ?? null;
    const description = reason.description ?? null;
    const what = reason.message ?? (description === null ? "login refused" : `${xtsCode ?? "no code"}: ${description}`);
    super("XTS_AUTH_FAILED", `XTS ${describe(context)} failed: ${what}`, {
      cause,
      retry: "never",
      details: { ...context, xtsCode, description },
    });
    this.xtsCode = xtsCode;
    this.description = description;
  }
}

/**
 * The session token was refused ("Invalid Token") after the one re-login a read gets, or on an
 * order call, which is never resent. The session has been renewed where possible, so the same
 * call may be made again: the server refused the request before acting on it.
 */
export class XtsSessionExpiredError extends XtsBridgeError {
  constructor(context: XtsErrorContext, message: string, cause?: unknown) {
    super("XTS_SESSION_EXPIRED", `XTS ${describe(context)}: ${message}`, {
      cause,
      retry: "safe",
      details: { ...context },
    });
  }
}

/** HTTP 429. `retryAfterMs` comes from the Retry-After header when the server sent one. */
export class XtsRateLimitedError extends XtsBridgeError {
  readonly retryAfterMs: number | null;
  constructor(context: XtsErrorContext, retryAfterMs: number | null) {
    const hint = retryAfterMs === null ? "" : `; retry after ${retryAfterMs} ms`;
    super("XTS_RATE_LIMITED", `XTS ${describe(context)} was rate limited${hint}`, {
      retry: "safe",
      details: { ...context, retryAfterMs },
    });
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * XTS answered with an error envelope. `xtsCode` and `description` are XTS's own words, kept
 * verbatim: OpenAlgo's XTS adapters read a `message` key XTS never sends and lose them.
 */
export class XtsRejectedError extends XtsBridgeError {
  readonly xtsCode: string;
  readonly description: string;
  readonly result: unknown;
  constructor(context: XtsErrorContext, envelope: { code: string; description: string; result?: unknown }) {
    super("XTS_REJECTED", `XTS ${describe(context)} rejected: ${envelope.code}: ${envelope.description}`, {
      retry: "never",
      details: { ...context, xtsCode: envelope.code, description: envelope.description },
    });
    this.xtsCode = envelope.code;
    this.description = envelope.description;
    this.result = envelope.result;
  }
}

/**
 * XTS could not be reached or failed on its side: HTTP 5xx, connection refused, reset or
 * dropped. `retry` is "safe" unless the call has a side effect and may have reached the server.
 */
export class XtsUnavailableError extends XtsBridgeError {
  constructor(context: XtsErrorContext, message: string, options: { cause?: unknown; retry?: RetryClass } = {}) {
    super("XTS_UNAVAILABLE", `XTS ${describe(context)}: ${message}`, {
      cause: options.cause,
      retry: options.retry ?? "safe",
      details: { ...context },
    });
  }
}

export class XtsTimeoutError extends XtsBridgeError {
  readonly timeoutMs: number;
  constructor(context: XtsErrorContext, timeoutMs: number, options: { cause?: unknown; retry?: RetryClass } = {}) {
    super("XTS_TIMEOUT", `XTS ${describe(context)} timed out after ${timeoutMs} ms`, {
      cause: options.cause,
      retry: options.retry ?? "safe",
      details: { ...context, timeoutMs },
    });
    this.timeoutMs = timeoutMs;
  }
}

/** A body that is not the XTS envelope: non-JSON, an HTML error page, truncated JSON, missing fields. */
export class XtsBadResponseError extends XtsBridgeError {
  constructor(context: XtsErrorContext, message: string, options: { cause?: unknown; retry?: RetryClass } = {}) {
    super("XTS_BAD_RESPONSE", `XTS ${describe(context)} returned a bad response: ${message}`, {
      cause: options.cause,
      retry: options.retry ?? "safe",
      details: { ...context },
    });
  }
}

/**
 * An order request (place, modify, cancel) may have reached XTS but no definite answer came
 * back: timeout after sending, connection dropped, HTTP 5xx or an unparseable body. The order
 * must be found again by `orderUniqueIdentifier` in the order book, never resent
 * (DESIGN invariant 5; nautilus_trader adapters guide, "order command outcome policy").
 */
export class OrderOutcomeUnknownError extends XtsBridgeError {
  readonly orderUniqueIdentifier: string;
  readonly appOrderID: number | null;
  constructor(
    context: XtsErrorContext,
    order: { orderUniqueIdentifier: string; appOrderID?: number | null },
    reason: string,
    cause: unknown,
  ) {
    const appOrderID = order.appOrderID ?? null;
    const which = appOrderID === null ? "" : ` appOrderID ${appOrderID}`;
    super(
      "ORDER_OUTCOME_UNKNOWN",
      `XTS ${describe(context)}: outcome unknown for orderUniqueIdentifier '${order.orderUniqueIdentifier}'${which} (${reason}); ` +
        "check the order book before acting again",
      {
        cause,
        retry: "unsafe",
        details: { ...context, orderUniqueIdentifier: order.orderUniqueIdentifier, appOrderID, reason },
      },
    );
    this.orderUniqueIdentifier = order.orderUniqueIdentifier;
    this.appOrderID = appOrderID;
  }
}

export type XtsClientError =
  | XtsAuthFailedError
  | XtsSessionExpiredError
  | XtsRateLimitedError
  | XtsRejectedError
  | XtsUnavailableError
  | XtsTimeoutError
  | XtsBadResponseError
  | OrderOutcomeUnknownError;
