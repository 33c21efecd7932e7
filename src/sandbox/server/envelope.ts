/**
 * The XTS response envelope: `{type, code, description, result}`. Success codes start with `s-`,
 * error codes with `e-` (xts-protocol.md §5.6). Handlers throw XtsHttpError; the router turns it
 * into an envelope so no handler builds an error body by hand.
 */
export interface XtsEnvelope {
  readonly type: "success" | "error";
  readonly code: string;
  readonly description: string;
  readonly result: unknown;
}

/** A JSON reply, or a body streamed in chunks (the master). */
export type Reply =
  | { readonly kind: "json"; readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: "text"; readonly status: number; readonly body: string; readonly contentType: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: "stream"; readonly status: number; readonly write: (sink: BodySink) => Promise<void> };

/** Where a streamed body goes; `write` resolves false once the client has gone away. */
export interface BodySink {
  write(chunk: string): Promise<boolean>;
  /** Ends the response normally. */
  end(): void;
}

export class XtsHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly result: unknown = {},
  ) {
    super(`${code}: ${description}`);
    this.name = "XtsHttpError";
  }
}

export function success(code: string, description: string, result: unknown, status = 200): Reply {
  const body: XtsEnvelope = { type: "success", code, description, result };
  return { kind: "json", status, body };
}

export function errorReply(status: number, code: string, description: string, result: unknown = {}): Reply {
  const body: XtsEnvelope = { type: "error", code, description, result };
  return { kind: "json", status, body };
}

/** A request-level problem named by the field it concerns; XTS puts details in `result.errors`. */
export function badRequest(code: string, field: string, description: string): XtsHttpError {
  return new XtsHttpError(400, code, description, { errors: [{ field, message: description }] });
}

// Session failures: the SDK expects HTTP 400 with "Invalid Token" (xts-protocol.md §1.6).
export function invalidToken(status = 400): XtsHttpError {
  return new XtsHttpError(status, "e-session-0007", "Invalid Token", {});
}

// Jainam answers an empty book with HTTP 400 "Data Not Available" instead of [] (xts-protocol.md §5.6, [LIVE]).
export function dataNotAvailable(code: string): XtsHttpError {
  return new XtsHttpError(400, code, "Data Not Available", {});
}
