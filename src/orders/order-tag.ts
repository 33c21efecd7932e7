import { randomBytes } from "node:crypto";

/**
 * Request ids double as XTS `orderUniqueIdentifier`s (≤ 20 characters), so an order whose
 * outcome is unknown can be found again in the order book. Time first (base 36 milliseconds,
 * 9 characters, sortable) then 10 random base-36 characters: unique across processes and
 * restarts without coordination. Upstream sends the constant "openalgo", which makes an
 * unknown outcome impossible to reconcile.
 */
export function newRequestId(now: number = Date.now()): string {
  const time = now.toString(36).padStart(9, "0").slice(-9);
  const bytes = randomBytes(10);
  let random = "";
  for (const b of bytes) random += (b % 36).toString(36);
  return `${time}${random}`;
}

/** The XTS tag of an order placed for `requestId`: `X` + up to 19 characters of the id. */
export function orderTagFor(requestId: string): string {
  const cleaned = requestId.replace(/[^0-9A-Za-z]/g, "");
  return `X${cleaned.slice(-19)}`;
}
