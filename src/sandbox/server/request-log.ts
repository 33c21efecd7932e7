import type { FaultType } from "./faults.js";

/** Which root a request came in on; `hostlookup-interactive` is the connection string hostlookup returned. */
export type RequestBase = "interactive" | "hostlookup-interactive" | "market" | "hostlookup" | "control" | "unknown";

export interface RecordedRequest {
  readonly seq: number;
  readonly time: number;
  readonly method: string;
  readonly base: RequestBase;
  /** The path after the base, e.g. "/orders"; the full path for unknown roots. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The parsed body with secrets redacted; null when there was none. */
  readonly body: unknown;
  readonly hasAuthorization: boolean;
  /** The HTTP status sent; null when the socket was dropped before answering. */
  readonly status: number | null;
  readonly dropped: boolean;
  readonly fault: FaultType | null;
}

export type RequestEntry = { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] };

const TRIM_BATCH = 1024;
const SECRET_KEYS = new Set(["secretKey", "password", "accessToken"]);

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, SECRET_KEYS.has(key) ? "[redacted]" : redact(inner)]),
  );
}

/**
 * Every request the sandbox received, oldest first. Bounded, so a long benchmark run does not
 * grow without limit: past `capacity` the oldest entries go.
 */
export class RequestLog {
  private entries: RequestEntry[] = [];
  private seq = 0;

  constructor(private readonly capacity: number) {}

  start(init: Omit<RequestEntry, "seq" | "status" | "dropped" | "fault" | "body"> & { body: unknown }): RequestEntry {
    this.seq += 1;
    const entry: RequestEntry = { ...init, body: redact(init.body), seq: this.seq, status: null, dropped: false, fault: null };
    this.entries.push(entry);
    // Trim in batches so a full log does not copy itself on every request.
    if (this.entries.length > this.capacity + TRIM_BATCH) this.entries = this.entries.slice(-this.capacity);
    return entry;
  }

  list(): readonly RecordedRequest[] {
    return this.entries.slice(-this.capacity).map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.entries = [];
  }
}
