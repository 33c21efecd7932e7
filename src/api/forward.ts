import { createHmac, timingSafeEqual } from "node:crypto";
import { XtsBridgeError } from "../errors.js";
import { orderTagFor, REQUEST_ID_PATTERN } from "../orders/order-tag.js";
import type { Secret } from "../xts/client/jainam-config.js";

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
 * `<unix ms>.<HMAC-SHA256(secret, "<id>.<unix ms>")>`: proves the id comes from a replica that
 * holds XTSBRIDGE_REPLICA_SECRET, without the secret crossing the wire; the time bounds a replay.
 */
export const REPLICA_PROOF_HEADER = "x-xtsbridge-replica-proof";

/** How far a proof's time may be from the primary's clock. */
export const PROOF_WINDOW_MS = 5 * 60_000;

function proofMac(secret: Secret, requestId: string, at: number): Buffer {
  return createHmac("sha256", secret.reveal()).update(`${requestId}.${at}`).digest();
}

export function replicaProof(secret: Secret, requestId: string, now: number = Date.now()): string {
  return `${now}.${proofMac(secret, requestId, now).toString("hex")}`;
}

/** Why a forwarded id cannot be adopted, or null when its proof holds (compared in constant time). */
export function checkReplicaProof(secret: Secret | null, requestId: unknown, proof: unknown, now: number = Date.now()): string | null {
  if (secret === null) return "this gateway has no XTSBRIDGE_REPLICA_SECRET, so it accepts no forwarded request id";
  if (typeof requestId !== "string" || !REQUEST_ID_PATTERN.test(requestId)) return `${FORWARDED_ID_HEADER} must be 19 characters 0-9a-z`;
  const match = typeof proof === "string" ? /^(\d{1,15})\.([0-9a-f]{64})$/.exec(proof) : null;
  if (match === null) return `${REPLICA_PROOF_HEADER} is missing or malformed`;
  const at = Number(match[1]);
  if (Math.abs(now - at) > PROOF_WINDOW_MS) return `${REPLICA_PROOF_HEADER} is older than ${PROOF_WINDOW_MS / 60_000} minutes (or the clocks differ)`;
  const given = Buffer.from(match[2]!, "hex");
  return timingSafeEqual(given, proofMac(secret, requestId, at)) ? null : `${REPLICA_PROOF_HEADER} does not match XTSBRIDGE_REPLICA_SECRET`;
}

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
export function httpForwarder(primaryUrl: string, secret: Secret, timeoutMs = DEFAULT_FORWARD_TIMEOUT_MS): Forwarder {
  return async (path, body, requestId, ordersChange) => {
    try {
      const response = await fetch(`${primaryUrl}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", [FORWARDED_ID_HEADER]: requestId, [REPLICA_PROOF_HEADER]: replicaProof(secret, requestId) },
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
