/** Per-operation deadlines, each covering the whole exchange (head and body). */
export interface XtsTimeouts {
  readonly loginMs: number;
  /** The whole streamed master download of one segment (NSEFO is ~85k lines, §2.1). */
  readonly masterMs: number;
  /** Books, portfolio, profile, index list, quotes, logout. */
  readonly readMs: number;
  /** Place, modify, cancel, cancel-all: short, since a slow answer is reported as unknown and resolved from the book. */
  readonly orderMs: number;
}

export const DEFAULT_TIMEOUTS: XtsTimeouts = Object.freeze({
  loginMs: 10_000,
  masterMs: 120_000,
  readMs: 10_000,
  orderMs: 5_000,
});
