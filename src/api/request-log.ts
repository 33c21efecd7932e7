/** One answered API request, as the dashboard's "recent requests" page shows it. */
export interface LoggedRequest {
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The error code of a failed request; null for a success. */
  readonly code: string | null;
  readonly ms: number;
  /** Made by the dashboard on a signed-in browser's behalf. */
  readonly dashboard: boolean;
}

/** The last `capacity` API requests of this process, newest last; never the query string (it may hold a key). */
export class RequestLog {
  /** A ring: `next` is where the next entry goes, and the oldest once the ring is full. */
  private readonly entries: LoggedRequest[] = [];
  private next = 0;

  constructor(private readonly capacity = 500) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be an integer ≥ 1, got ${capacity}`);
  }

  add(entry: LoggedRequest): void {
    if (this.entries.length < this.capacity) this.entries.push(entry);
    else this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Newest first. */
  recent(limit = 200): LoggedRequest[] {
    const count = Math.min(Math.max(0, limit), this.entries.length);
    const out: LoggedRequest[] = [];
    for (let i = 1; i <= count; i += 1) out.push(this.entries[(this.next - i + this.capacity) % this.capacity]!);
    return out;
  }
}
