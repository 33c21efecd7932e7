import type { XtsBridgeError } from "../errors.js";

export interface ErrorReply {
  readonly body: Record<string, unknown>;
  /** Seconds for a Retry-After header, when the error says how long to wait. */
  readonly retryAfterSeconds?: number;
}

/** What an order operation whose answer was lost may or may not have done. */
const UNCONFIRMED: Readonly<Record<string, string>> = {
  placeOrder: "placed",
  modifyOrder: "modified",
  cancelOrder: "cancelled",
};

function outcomeUnknownMessage(d: Readonly<Record<string, unknown>>): string {
  const done = UNCONFIRMED[String(d["operation"])] ?? "carried out";
  const which = d["appOrderID"] === null || d["appOrderID"] === undefined ? "" : ` ${String(d["appOrderID"])}`;
  return (
    `The broker did not confirm this request (${String(d["reason"] ?? "no answer")}). The order${which} may or may not have been ${done}: ` +
    `check the order book for order_unique_identifier ${String(d["orderUniqueIdentifier"])} before sending it again.`
  );
}

/**
 * The OpenAlgo error envelope `{status:"error", message}` plus our stable `code` and whatever
 * the code needs to be acted on: the field errors, symbol suggestions, the tag of an order
 * whose outcome is unknown, the broker's own code, how long to wait.
 */
export function errorReply(error: XtsBridgeError): ErrorReply {
  const body: Record<string, unknown> = { status: "error", message: error.message, code: error.code };
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
      body["message"] = outcomeUnknownMessage(d);
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
        return { body, retryAfterSeconds: seconds };
      }
      break;
    }
    case "MASTER_REFRESH_FAILED":
      body["data"] = d["report"];
      break;
    default:
      break;
  }
  return { body };
}

/** A client error Fastify raised before a handler ran (body parsing, media type, URL), in plain words. */
export function requestErrorBody(status: number, fastifyCode: string | undefined, bodyLimit: number): Record<string, unknown> {
  const error = (message: string, code = "VALIDATION_ERROR"): Record<string, unknown> => ({ status: "error", message, code });
  if (status === 413) return error(`the request body is larger than ${bodyLimit} bytes`, "BODY_TOO_LARGE");
  if (status === 415) return error("send the body as JSON (content-type application/json, or text/plain holding JSON)");
  switch (fastifyCode) {
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return error("the request body is empty: send a JSON object");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return error("the request body is not valid JSON (keys named __proto__ or constructor.prototype are refused too)");
    default:
      return error(`the request could not be read (HTTP ${status}${fastifyCode === undefined ? "" : `, ${fastifyCode}`})`);
  }
}
