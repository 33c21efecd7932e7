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
  private readonly entries: LoggedRequest[] = [];

  constructor(private readonly capacity = 500) {}

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  /** Newest first. */
  recent(limit = 200): LoggedRequest[] {
    return this.entries.slice(-limit).reverse();
  }
}
