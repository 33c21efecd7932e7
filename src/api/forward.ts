import { XtsBridgeError } from "../errors.js";

/** What a replica sends on to the primary: the original path and body; what comes back, verbatim. */
export interface ForwardedReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export type Forwarder = (path: string, body: unknown, requestId: string) => Promise<ForwardedReply>;

/**
 * Forwards broker-facing requests to the primary process, the only one logged in to XTS
 * (a second XTS login would end the first). The primary authenticates the same API key against
 * the shared database and answers in OpenAlgo's shape; the reply is passed through unchanged.
 * Never retried: the request may be an order.
 */
export function httpForwarder(primaryUrl: string, timeoutMs = 30_000): Forwarder {
  return async (path, body, requestId) => {
    let response: Response;
    try {
      response = await fetch(`${primaryUrl}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": requestId },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new XtsBridgeError("PRIMARY_UNAVAILABLE", `the primary gateway at ${primaryUrl} did not answer (${(error as Error).name}); if this was an order, check the order book before sending it again`, {
        cause: error,
        retry: "unsafe",
      });
    }
    return { status: response.status, contentType: response.headers.get("content-type") ?? "application/json", body: await response.text() };
  };
}
