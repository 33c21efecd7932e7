import { XtsBridgeError } from "../errors.js";
import { orderTagFor } from "../orders/order-tag.js";

/** What a replica sends on to the primary: the original path and body; what comes back, verbatim. */
export interface ForwardedReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** `ordersChange`: the route places, changes or cancels orders. */
export type Forwarder = (path: string, body: unknown, requestId: string, ordersChange: boolean) => Promise<ForwardedReply>;

/** Header carrying the replica's request id; the primary adopts it, so both know the order's tag. */
export const FORWARDED_ID_HEADER = "x-xtsbridge-request-id";

/**
 * The primary's worst case for one order: a cold login (10 s), the order POST (5 s), then up to
 * three order-book reads (10 s each, with their retries) to reconcile a lost answer.
 */
export const DEFAULT_FORWARD_TIMEOUT_MS = 90_000;

/**
 * Forwards broker-facing requests to the primary process, the only one logged in to XTS
 * (a second XTS login would end the first). The primary authenticates the same API key against
 * the shared database and answers in OpenAlgo's shape; the reply is passed through unchanged.
 * Never retried: the request may be an order. When an order-changing request got no answer, the
 * outcome is unknown and the caller is given the order's tag to look for.
 */
export function httpForwarder(primaryUrl: string, timeoutMs = DEFAULT_FORWARD_TIMEOUT_MS): Forwarder {
  return async (path, body, requestId, ordersChange) => {
    try {
      const response = await fetch(`${primaryUrl}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", [FORWARDED_ID_HEADER]: requestId },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.status, contentType: response.headers.get("content-type") ?? "application/json", body: await response.text() };
    } catch (error) {
      const refused = (error as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED";
      if (ordersChange && !refused) {
        const tag = orderTagFor(requestId);
        throw new XtsBridgeError("ORDER_OUTCOME_UNKNOWN", `the primary gateway at ${primaryUrl} did not answer`, {
          cause: error,
          retry: "unsafe",
          details: { orderUniqueIdentifier: tag, reason: `no answer from the primary (${(error as Error).name})` },
        });
      }
      const done = refused ? "nothing was sent to it" : "it may still be working on the request";
      throw new XtsBridgeError("PRIMARY_UNAVAILABLE", `the primary gateway at ${primaryUrl} did not answer (${(error as Error).name}); ${done}`, {
        cause: error,
        retry: "safe",
      });
    }
  };
}
