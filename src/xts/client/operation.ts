import type { ReplyOutcome } from "./classify.js";
import {
  OrderOutcomeUnknownError,
  XtsAuthFailedError,
  XtsBadResponseError,
  XtsRateLimitedError,
  XtsRejectedError,
  XtsSessionExpiredError,
  XtsTimeoutError,
  XtsUnavailableError,
  type XtsErrorContext,
} from "./errors.js";

/**
 * What kind of call an operation is decides how its failures read (undici's retry handler names
 * its methods and leaves POST out; nautilus_trader's order-outcome policy):
 * - "read": no side effect; retried, re-logged-in once on "Invalid Token".
 * - "login": retried; an error envelope means the credentials were refused.
 * - "order": place/modify/cancel; never retried; a lost answer is ORDER_OUTCOME_UNKNOWN.
 * - "command": other calls with an effect (cancel-all, logout); never retried; a lost answer is
 *   an ordinary error marked retry "unsafe".
 */
export type OperationKind = "read" | "login" | "order" | "command";

export interface Operation {
  /** Client method or step, used in logs and error messages: "orderBook", "hostlookup", … */
  readonly name: string;
  readonly kind: OperationKind;
  readonly timeoutMs: number;
  /** Book and list reads: an `e-*-0005` "Data Not Available" answer means an empty list. */
  readonly emptyOnNoData?: boolean;
  /** Order operations: how the caller finds the order again after an unknown outcome. */
  readonly order?: { readonly orderUniqueIdentifier: string; readonly appOrderID?: number };
}

/** A request that failed below HTTP: no reply at all, or the body could not be read to the end. */
export class TransportFailure extends Error {
  /** "timeout": our deadline fired; "not-sent": failed before the request was written; "maybe-sent": anything else. */
  readonly kind: "timeout" | "not-sent" | "maybe-sent";
  /** "request": before the response head arrived; "body": while reading the body (so the request was received). */
  readonly phase: "request" | "body";
  constructor(kind: TransportFailure["kind"], phase: TransportFailure["phase"], detail: string, cause: unknown) {
    super(detail, { cause });
    this.name = "TransportFailure";
    this.kind = kind;
    this.phase = phase;
  }
}

export function retryable(operation: Operation): boolean {
  return operation.kind === "read" || operation.kind === "login";
}

/** Whether another attempt could do better; only asked for retryable operations. */
export function isRetryableOutcome(outcome: ReplyOutcome): outcome is Extract<ReplyOutcome, { kind: "rate-limited" | "server-error" }> {
  return outcome.kind === "rate-limited" || outcome.kind === "server-error";
}

function context(operation: Operation, httpStatus?: number): XtsErrorContext {
  return httpStatus === undefined ? { operation: operation.name } : { operation: operation.name, httpStatus };
}

function unknownOutcome(operation: Operation, reason: string, cause: unknown, httpStatus?: number): OrderOutcomeUnknownError {
  const order = operation.order ?? { orderUniqueIdentifier: "(none)" };
  return new OrderOutcomeUnknownError(context(operation, httpStatus), order, reason, cause);
}

/** The error for a transport failure, once retries (if any) are spent. */
export function transportError(operation: Operation, failure: TransportFailure) {
  const reached = failure.kind !== "not-sent";
  switch (operation.kind) {
    case "order":
      // A refused connection never carried the order: a definite "not sent", safe to try again.
      if (!reached) return new XtsUnavailableError(context(operation), failure.message, { cause: failure });
      return unknownOutcome(
        operation,
        failure.kind === "timeout" ? `no answer within ${operation.timeoutMs} ms` : `connection lost: ${failure.message}`,
        failure,
      );
    case "command":
    case "read":
    case "login": {
      const retry = operation.kind === "command" && reached ? "unsafe" : "safe";
      if (failure.kind === "timeout") return new XtsTimeoutError(context(operation), operation.timeoutMs, { cause: failure, retry });
      return new XtsUnavailableError(context(operation), failure.message, { cause: failure, retry });
    }
    default: {
      const unknownKind: never = operation.kind;
      throw new Error(`unknown operation kind ${String(unknownKind)}`);
    }
  }
}

/**
 * The error for a final outcome that is not "ok" (and not an empty list). "invalid-token" here
 * means the session was already renewed once, or the operation may not be repeated.
 */
export function outcomeError(operation: Operation, outcome: Exclude<ReplyOutcome, { kind: "ok" }>) {
  const ctx = context(operation, outcome.status);
  switch (outcome.kind) {
    case "invalid-token":
      if (operation.kind === "login") {
        return new XtsAuthFailedError(ctx, { xtsCode: outcome.envelope.code, description: outcome.envelope.description });
      }
      return new XtsSessionExpiredError(
        ctx,
        operation.kind === "read"
          ? `session refused again after a fresh login (${outcome.envelope.code}: ${outcome.envelope.description})`
          : `session expired (${outcome.envelope.code}: ${outcome.envelope.description}); the request was not carried out and was not resent, the session has been renewed`,
      );
    case "rate-limited":
      return new XtsRateLimitedError(ctx, outcome.retryAfterMs);
    case "server-error": {
      const said =
        outcome.envelope !== null ? ` (${outcome.envelope.code}: ${outcome.envelope.description})` : outcome.detail === undefined ? "" : ` (${outcome.detail})`;
      if (operation.kind === "order") return unknownOutcome(operation, `HTTP ${outcome.status}${said}`, undefined, outcome.status);
      const retry = operation.kind === "command" ? "unsafe" : "safe";
      return new XtsUnavailableError(ctx, `server error${said}`, { retry });
    }
    case "no-data":
    case "rejected":
      if (operation.kind === "login") {
        return new XtsAuthFailedError(ctx, { xtsCode: outcome.envelope.code, description: outcome.envelope.description });
      }
      return new XtsRejectedError(ctx, outcome.envelope);
    case "bad-response":
      return badResponseError(operation, outcome.status, outcome.reason);
    default: {
      const unknownOutcomeKind: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unknownOutcomeKind)}`);
    }
  }
}

/**
 * A body we cannot read as an answer. For an order it is an unknown outcome unless the status
 * is 4xx: a 4xx (an nginx 404 page, "plain HTTP request was sent to HTTPS port", §5.6) means the
 * request was refused before the order service saw it, so nothing was done.
 */
export function badResponseError(operation: Operation, status: number, reason: string, cause?: unknown) {
  const ctx = context(operation, status);
  const refused = status >= 400 && status <= 499;
  if (operation.kind === "order" && !refused) return unknownOutcome(operation, `unreadable answer: ${reason}`, cause, status);
  const retry = operation.kind === "order" ? "never" : operation.kind === "command" && !refused ? "unsafe" : "safe";
  return new XtsBadResponseError(ctx, reason, { cause, retry });
}
