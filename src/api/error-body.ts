import type { ErrorCode, XtsBridgeError } from "../errors.js";
import type { OrderEffect } from "./handlers.js";

/** OpenAlgo's error envelope plus our stable code and whatever the code needs to be acted on. */
export interface ErrorBody {
  readonly status: "error";
  readonly message: string;
  readonly code: ErrorCode;
  readonly [extra: string]: unknown;
}

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { status: "error", message, code };
}

export interface ErrorReply {
  readonly body: ErrorBody;
  /** Seconds for a Retry-After header, when the error says how long to wait. */
  readonly retryAfterSeconds?: number;
}

/** What an order-changing request whose answer was lost may or may not have done. */
const UNCONFIRMED: Readonly<Record<OrderEffect, string>> = {
  places: "placed",
  modifies: "modified",
  cancels: "cancelled",
  none: "carried out",
};

function outcomeUnknownMessage(d: Readonly<Record<string, unknown>>, effect: OrderEffect): string {
  const which = d["appOrderID"] === null || d["appOrderID"] === undefined ? "" : ` ${String(d["appOrderID"])}`;
  return (
    `The broker did not confirm this request (${String(d["reason"] ?? "no answer")}). The order${which} may or may not have been ${UNCONFIRMED[effect]}: ` +
    `check the order book for order_unique_identifier ${String(d["orderUniqueIdentifier"])} before sending it again.`
  );
}

/**
 * The envelope for a coded error: the field errors, symbol suggestions, the tag of an order whose
 * outcome is unknown (worded by what the route does to orders), the broker's own code, how long to wait.
 */
export function errorReply(error: XtsBridgeError, effect: OrderEffect): ErrorReply {
  const body: Record<string, unknown> = { ...errorBody(error.code, error.message) };
  const d = error.details;
  switch (error.code) {
    case "VALIDATION_ERROR":
      // Services name one field (lot size, tick size, orderid); clients read `errors` either way.
      if (d["errors"] !== undefined) body["errors"] = d["errors"];
      else if (typeof d["field"] === "string") body["errors"] = { [d["field"]]: [error.message] };
      break;
    case "SYMBOL_NOT_FOUND":
      body["suggestions"] = d["suggestions"];
      break;
    case "ORDER_OUTCOME_UNKNOWN":
      body["order_unique_identifier"] = d["orderUniqueIdentifier"];
      if (typeof d["appOrderID"] === "number") body["orderid"] = String(d["appOrderID"]);
      body["message"] = outcomeUnknownMessage(d, effect);
      break;
    case "XTS_REJECTED":
      body["broker_code"] = d["xtsCode"];
      break;
    case "XTS_RATE_LIMITED": {
      // Pass on the broker's Retry-After when it sent one; without it there is nothing true to say.
      const ms = d["retryAfterMs"];
      if (typeof ms === "number" && ms >= 0) {
        const seconds = Math.max(1, Math.ceil(ms / 1000));
        body["retry_after"] = seconds;
        return { body: body as ErrorBody, retryAfterSeconds: seconds };
      }
      break;
    }
    case "MASTER_REFRESH_FAILED":
      body["data"] = d["report"];
      break;
    default:
      break;
  }
  return { body: body as ErrorBody };
}

/** A client error Fastify raised before a handler ran (body parsing, media type, URL), as a code and plain words. */
export function requestErrorCode(status: number, fastifyCode: string | undefined, bodyLimit: number): [ErrorCode, string] {
  if (status === 413) return ["BODY_TOO_LARGE", `the request body is larger than ${bodyLimit} bytes`];
  if (status === 415) return ["UNSUPPORTED_MEDIA_TYPE", "send the body as JSON (content-type application/json, or text/plain holding JSON)"];
  switch (fastifyCode) {
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return ["VALIDATION_ERROR", "the request body is empty: send a JSON object"];
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return ["VALIDATION_ERROR", "the request body is not valid JSON (keys named __proto__ or constructor.prototype are refused too)"];
    default:
      return ["MALFORMED_REQUEST", `the request could not be read (HTTP ${status}${fastifyCode === undefined ? "" : `, ${fastifyCode}`})`];
  }
}
