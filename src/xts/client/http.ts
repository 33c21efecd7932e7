import type { Logger } from "../../logger.js";
import { nextRetryDelayMs, type RetryPolicy } from "./backoff.js";
import { classifyFetchFailure, classifyReply, describeFetchFailure, type ReplyOutcome, type XtsReply } from "./classify.js";
import { isRetryableOutcome, retryable, transportError, TransportFailure, type Operation } from "./operation.js";
import { Deadline, type Transport, type TransportResponse } from "./transport.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";



export interface XtsRequest {
  readonly method: HttpMethod;
  /** Absolute URL without query. */
  readonly url: string;
  readonly query?: Readonly<Record<string, string | number>>;
  /** Serialised as JSON. */
  readonly body?: unknown;
  /** Sent raw as `Authorization: <token>`, without "Bearer" (xts-protocol.md §1.6). */
  readonly token?: string;
}

/** A response whose head has arrived; the body is still on the wire. Call `close()` when done. */
export interface OpenResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly retryAfter: string | null;
  readonly contentLength: number | null;
  /** Body chunks; a failure while reading is thrown as TransportFailure (phase "body"). */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Reads the rest of the body as text. */
  text(): Promise<string>;
  close(): void;
}

export interface HttpOptions {
  readonly transport: Transport;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  readonly now: () => number;
}

function buildUrl(request: XtsRequest): string {
  if (request.query === undefined) return request.url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query)) params.set(key, String(value));
  const query = params.toString();
  return query === "" ? request.url : `${request.url}?${query}`;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/**
 * HTTP to XTS over a transport (undici's pooled `request` unless one is handed in): one deadline per operation covering the head and
 * the body, the retry loop for retryable operations, and one debug line per exchange that names
 * the method, path, status and duration — never a header, a body or a query value.
 */
export class XtsHttp {
  private readonly options: HttpOptions;

  constructor(options: HttpOptions) {
    this.options = options;
  }

  get logger(): Logger {
    return this.options.logger;
  }

  get retryPolicy(): RetryPolicy {
    return this.options.retry;
  }

  now(): number {
    return this.options.now();
  }

  /** Sends once and returns the response head; the deadline keeps running until `close()`. */
  async open(operation: Operation, request: XtsRequest, attempt = 1): Promise<OpenResponse> {
    const deadline = new Deadline();
    const timer = setTimeout(() => deadline.abort(), operation.timeoutMs);
    const started = performance.now();
    // The SDKs send Content-Type on every call, GETs included (xts-protocol.md §1.6).
    const headers: Record<string, string> = { Accept: "application/json", "Content-Type": "application/json" };
    if (request.token !== undefined) headers["Authorization"] = request.token;
    const logger = this.options.logger;
    const log = (fields: Record<string, unknown>) => {
      if (!logger.isLevelEnabled("debug")) return;
      logger.debug({ op: operation.name, method: request.method, path: pathOf(request.url), attempt, durationMs: Math.round(performance.now() - started), ...fields }, "xts call");
    };
    const failure = (phase: "request" | "body", error: unknown): TransportFailure => {
      const kind = deadline.aborted ? "timeout" : phase === "body" ? "maybe-sent" : classifyFetchFailure(error);
      const detail = kind === "timeout" ? `timed out after ${operation.timeoutMs} ms` : describeFetchFailure(error);
      log({ failure: kind, phase, detail });
      return new TransportFailure(kind, phase, detail, error);
    };

    let response: TransportResponse;
    try {
      response = await this.options.transport(buildUrl(request), {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: deadline,
      });
    } catch (error) {
      clearTimeout(timer);
      throw failure("request", error);
    }
    log({ status: response.status });
    const lengthHeader = response.header("content-length");
    const contentLength = lengthHeader === null || !/^\d+$/.test(lengthHeader) ? null : Number(lengthHeader);
    return {
      status: response.status,
      contentType: response.header("content-type"),
      retryAfter: response.header("retry-after"),
      contentLength,
      chunks: {
        async *[Symbol.asyncIterator]() {
          const iterator = response.chunks[Symbol.asyncIterator]();
          try {
            for (;;) {
              let next: IteratorResult<Uint8Array>;
              try {
                next = await iterator.next();
              } catch (error) {
                throw failure("body", error);
              }
              if (next.done === true) return;
              yield next.value;
            }
          } finally {
            clearTimeout(timer);
            response.cancel();
          }
        },
      },
      text: async () => {
        try {
          return await response.text();
        } catch (error) {
          throw failure("body", error);
        } finally {
          clearTimeout(timer);
        }
      },
      close: () => {
        clearTimeout(timer);
        response.cancel();
      },
    };
  }

  /** One complete exchange: head and body. */
  async exchange(operation: Operation, request: XtsRequest, attempt = 1): Promise<XtsReply> {
    const response = await this.open(operation, request, attempt);
    try {
      const body = await response.text();
      return { status: response.status, contentType: response.contentType, retryAfter: response.retryAfter, body };
    } finally {
      response.close();
    }
  }

  /**
   * Sends, retrying a retryable operation on 429, 5xx and network failures with backoff; returns
   * the final outcome (which may still be an error outcome) or throws the mapped transport error.
   * Timeouts are not retried: the deadline is the operation's whole budget. Orders and commands
   * get exactly one attempt (DESIGN invariant 5).
   */
  async send(operation: Operation, request: XtsRequest): Promise<ReplyOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      let outcome: ReplyOutcome;
      try {
        outcome = classifyReply(await this.exchange(operation, request, attempt), this.options.now());
      } catch (error) {
        if (!(error instanceof TransportFailure)) throw error;
        if (retryable(operation) && error.kind !== "timeout" && (await this.backoff(operation, attempt, null, error.message))) continue;
        throw transportError(operation, error);
      }
      if (retryable(operation) && isRetryableOutcome(outcome)) {
        if (await this.backoff(operation, attempt, outcome.retryAfterMs, `HTTP ${outcome.status}`)) continue;
      }
      return outcome;
    }
  }

  /** Waits before the next attempt; false when the attempts are spent or Retry-After is too long. */
  async backoff(operation: Operation, attempt: number, retryAfterMs: number | null, reason: string): Promise<boolean> {
    const delayMs = nextRetryDelayMs(attempt, retryAfterMs, this.options.retry);
    if (delayMs === null) return false;
    this.options.logger.warn({ op: operation.name, attempt, delayMs, reason }, "xts call failed; retrying");
    await this.options.retry.delay(delayMs);
    return true;
  }
}
