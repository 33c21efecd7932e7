import { EventEmitter } from "node:events";
import type * as UndiciModule from "undici";
import type { Agent, Dispatcher } from "undici";

/**
 * An exchange's deadline: emits `abort` once, when `abort()` is called (the operation's timer).
 * undici takes an EventEmitter as its signal; an AbortController per call (an EventTarget, its
 * listener bookkeeping) was ~4 % of a saturated `placeorder` (docs/benchmarks.md › Issue 19).
 * `toAbortSignal()` gives `fetch` the WHATWG signal it needs.
 */
export class Deadline extends EventEmitter {
  aborted = false;
  reason: Error | undefined;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = new Error("the operation's deadline passed");
    this.emit("abort");
  }

  toAbortSignal(): AbortSignal {
    const controller = new AbortController();
    if (this.aborted) controller.abort(this.reason);
    else this.once("abort", () => controller.abort(this.reason));
    return controller.signal;
  }
}

/** What XtsHttp sends: the URL with its query, and a deadline it aborts. */
export interface TransportRequest {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: Deadline;
}

/** A response whose head has arrived. The body must be read (`chunks`, `text`) or `cancel`led. */
export interface TransportResponse {
  readonly status: number;
  /** A header's value, by lower-case name; null when absent. */
  header(name: string): string | null;
  /** The body as it arrives; a socket failure part-way is thrown from the iterator. */
  readonly chunks: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  /** Gives up on the rest of the body. */
  cancel(): void;
}

/**
 * One HTTP exchange with XTS. A failure before the head arrives is thrown as the client
 * library's own error (its `code` and `cause` are what classifyFetchFailure reads).
 */
export type Transport = (url: string, request: TransportRequest) => Promise<TransportResponse>;

export type FetchFunction = typeof fetch;

/**
 * The default: undici's `request` over one keep-alive pool per XTS host. Against Node's `fetch`
 * it skips the WHATWG Request/Response/stream objects — about a third of an order's own cost
 * (docs/benchmarks.md › Issue 19). undici's own timeouts are left off: the operation's deadline
 * (the signal) bounds the head and the body together, as it did with fetch.
 */
export function undiciTransport(dispatcher?: Dispatcher): Transport {
  return async (url, init) => {
    const undici = await loadUndici();
    const response = await undici.request(url, {
      method: init.method,
      headers: init.headers,
      body: init.body ?? null,
      signal: init.signal,
      dispatcher: dispatcher ?? defaultAgent(undici),
    });
    const body = response.body;
    return {
      status: response.statusCode,
      header: (name) => {
        const value = response.headers[name];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
      chunks: body,
      text: () => body.text(),
      cancel: () => {
        if (!body.destroyed) body.destroy();
      },
    };
  };
}

type Undici = typeof UndiciModule;
let undiciModule: Promise<Undici> | undefined;
let agent: Agent | undefined;

/** undici takes ~65 ms to import: a process that never calls XTS (a replica, the CLI's lookups) never pays it. */
function loadUndici(): Promise<Undici> {
  undiciModule ??= import("undici");
  return undiciModule;
}

/**
 * One pool per origin for the process. Keep-alive as fetch's global agent keeps it (undici's
 * defaults, and the server's own Keep-Alive hint): a longer idle reuse would meet more sockets the
 * server has already closed, and an order sent on one of those can only be reported as unknown.
 */
function defaultAgent(undici: Undici): Agent {
  agent ??= new undici.Agent({ headersTimeout: 0, bodyTimeout: 0 });
  return agent;
}

/** A `fetch` as the transport: for tests that rewrite or observe an exchange at that seam. */
export function fetchTransport(fetchFunction: FetchFunction): Transport {
  return async (url, init) => {
    const response = await fetchFunction(url, { method: init.method, headers: init.headers, body: init.body, signal: init.signal.toAbortSignal() });
    const body = response.body;
    return {
      status: response.status,
      header: (name) => response.headers.get(name),
      chunks: {
        async *[Symbol.asyncIterator]() {
          if (body === null) return;
          const reader = body.getReader();
          try {
            for (;;) {
              const next = await reader.read();
              if (next.done) return;
              yield next.value;
            }
          } finally {
            reader.cancel().catch(() => undefined);
            reader.releaseLock();
          }
        },
      },
      text: () => response.text(),
      cancel: () => {
        if (!response.bodyUsed && body !== null) body.cancel().catch(() => undefined);
      },
    };
  };
}
