import { randomBytes } from "node:crypto";

const COUNTER_LIMIT = 36 ** 6;

function randomBase36(length: number): string {
  let out = "";
  for (const b of randomBytes(length)) out += (b % 36).toString(36);
  return out;
}

/**
 * Request ids double as XTS `orderUniqueIdentifier`s (≤ 20 characters), so an order whose
 * outcome is unknown can be found again in the order book. An id is the process epoch (its
 * start in base-36 milliseconds, 9 characters), 4 random characters naming this instance (two
 * processes started in the same millisecond), then a 6-character counter: unique within a
 * process by construction and across restarts by the epoch, never by luck alone. Upstream sends
 * the constant "openalgo", which makes an unknown outcome impossible to reconcile.
 */
export class RequestIds {
  private epoch = "";
  private counter = 0;

  constructor(private readonly now: () => number = Date.now) {
    this.renew();
  }

  next(): string {
    if (this.counter >= COUNTER_LIMIT) this.renew();
    const id = `${this.epoch}${this.counter.toString(36).padStart(6, "0")}`;
    this.counter += 1;
    return id;
  }

  /** A new epoch; after 2.1 billion ids the counter would wrap, so the epoch moves on instead. */
  private renew(): void {
    const previous = this.epoch === "" ? 0 : parseInt(this.epoch.slice(0, 9), 36);
    const start = Math.max(this.now(), previous + 1);
    this.epoch = `${start.toString(36).padStart(9, "0").slice(-9)}${randomBase36(4)}`;
    this.counter = 0;
  }
}

/** A request id as RequestIds makes them: 19 base-36 characters. */
export const REQUEST_ID_PATTERN = /^[0-9a-z]{19}$/;

/** The XTS tag of an order placed for `requestId`: `X` + up to 19 characters of the id. */
export function orderTagFor(requestId: string): string {
  const cleaned = requestId.replace(/[^0-9A-Za-z]/g, "");
  return `X${cleaned.slice(-19)}`;
}
