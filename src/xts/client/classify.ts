import { parseRetryAfterMs } from "./backoff.js";

/**
 * Pure classification of what came back from XTS. The HTTP layer turns an outcome into a result
 * or an error according to the operation (a read, a login, an order); nothing here throws.
 */

/** A complete HTTP reply: the body was read to the end. */
export interface XtsReply {
  readonly status: number;
  readonly contentType: string | null;
  readonly retryAfter: string | null;
  readonly body: string;
}

export interface XtsErrorEnvelope {
  readonly code: string;
  readonly description: string;
  readonly result?: unknown;
}

export type ReplyOutcome =
  | { readonly kind: "ok"; readonly status: number; readonly code: string; readonly description: string; readonly result: unknown }
  | { readonly kind: "invalid-token"; readonly status: number; readonly envelope: XtsErrorEnvelope }
  | { readonly kind: "rate-limited"; readonly status: number; readonly retryAfterMs: number | null }
  | {
      readonly kind: "server-error";
      readonly status: number;
      readonly envelope: XtsErrorEnvelope | null;
      readonly retryAfterMs: number | null;
      /** What a non-envelope body said, e.g. an nginx page's title; kept for the error message. */
      readonly detail?: string;
    }
  | { readonly kind: "no-data"; readonly status: number; readonly envelope: XtsErrorEnvelope }
  | { readonly kind: "rejected"; readonly status: number; readonly envelope: XtsErrorEnvelope }
  | { readonly kind: "bad-response"; readonly status: number; readonly reason: string };

export type ParsedEnvelope =
  | { readonly ok: true; readonly success: boolean; readonly code: string; readonly description: string; readonly result: unknown }
  | { readonly ok: false; readonly reason: string };

const MAX_REASON_TEXT = 120;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_REASON_TEXT ? `${flat.slice(0, MAX_REASON_TEXT)}…` : flat;
}

/**
 * `type` is "success"/"error" everywhere except hostlookup, which sends the boolean `true`
 * (xts-protocol.md §1.4; open-bull: "Symphony A returns type=True (bool)").
 */
export function envelopeType(value: unknown): boolean | null {
  if (value === "success" || value === true) return true;
  if (value === "error" || value === false) return false;
  return null;
}

/** Checks an already-decoded value for the XTS envelope shape. */
export function readEnvelope(value: unknown): ParsedEnvelope {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "JSON body is not an object" };
  }
  const record = value as Record<string, unknown>;
  const success = envelopeType(record["type"]);
  if (success === null) return { ok: false, reason: "JSON body has no XTS envelope 'type'" };
  const code = record["code"] ?? "";
  const description = record["description"] ?? "";
  if (typeof code !== "string" || typeof description !== "string") {
    return { ok: false, reason: "XTS envelope 'code' or 'description' is not a string" };
  }
  return { ok: true, success, code, description, result: record["result"] };
}

/** Decodes a body as an XTS envelope. Non-JSON bodies (nginx and Express error pages, §5.6) are named by their title. */
export function parseEnvelope(body: string, contentType: string | null): ParsedEnvelope {
  const text = body.trim();
  if (text === "") return { ok: false, reason: "empty body" };
  if (!text.startsWith("{")) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
    const kind = contentType === null ? "no content-type" : `content-type ${clip(contentType)}`;
    return { ok: false, reason: `not JSON (${kind})${title === undefined ? "" : `: ${clip(title)}`}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: `JSON body is malformed or truncated (${text.length} characters)` };
  }
  return readEnvelope(value);
}

/**
 * Jainam reports a dead session as "Invalid Token" (code e-session-0007) with HTTP 400 per the
 * SDK and HTTP 200 per a production report (xts-protocol.md §1.6, §7.3): judge by the body.
 */
export function isInvalidToken(envelope: XtsErrorEnvelope): boolean {
  return envelope.code === "e-session-0007" || /invalid token/i.test(envelope.description);
}

/**
 * Empty books arrive as HTTP 400 `e-orders-0005`, `e-tradeBook-0005`, … "Data Not Available"
 * (§5.6, [LIVE]). Both the code and the description must say so: other `-0005` codes mean other
 * things (the sandbox's `e-user-0005` is a bad uniqueKey), and reading one of them as an empty
 * book would hide a real failure.
 */
export function isNoData(envelope: XtsErrorEnvelope): boolean {
  return /^e-[a-z]+-0005$/i.test(envelope.code) && /^data not available\.?$/i.test(envelope.description.trim());
}

/** Classifies an envelope already decoded (the master stream decodes its own). */
export function classifyEnvelope(status: number, envelope: ParsedEnvelope, retryAfterMs: number | null): ReplyOutcome {
  const failed = envelope.ok && !envelope.success ? errorEnvelope(envelope) : null;
  if (failed !== null && isInvalidToken(failed)) return { kind: "invalid-token", status, envelope: failed };
  if (status === 429) return { kind: "rate-limited", status, retryAfterMs };
  // A 503 may carry Retry-After too (RFC 9110 §10.2.3).
  if (status >= 500) return envelope.ok ? { kind: "server-error", status, envelope: failed, retryAfterMs } : { kind: "server-error", status, envelope: failed, retryAfterMs, detail: envelope.reason };
  if (!envelope.ok) return { kind: "bad-response", status, reason: envelope.reason };
  if (failed !== null) return isNoData(failed) ? { kind: "no-data", status, envelope: failed } : { kind: "rejected", status, envelope: failed };
  if (status < 200 || status > 299) {
    return { kind: "bad-response", status, reason: `success envelope with HTTP ${status}` };
  }
  return { kind: "ok", status, code: envelope.code, description: envelope.description, result: envelope.result };
}

function errorEnvelope(envelope: ParsedEnvelope & { ok: true }): XtsErrorEnvelope {
  return envelope.result === undefined
    ? { code: envelope.code, description: envelope.description }
    : { code: envelope.code, description: envelope.description, result: envelope.result };
}

export function classifyReply(reply: XtsReply, now: number): ReplyOutcome {
  return classifyEnvelope(reply.status, parseEnvelope(reply.body, reply.contentType), parseRetryAfterMs(reply.retryAfter, now));
}

/**
 * Whether a failed fetch could have put the request on the wire. Connection refused, DNS
 * failure, connect timeout, unreachable network and TLS certificate failures all happen before
 * a byte of the request is written. Everything else (reset, "other side closed", an unknown
 * cause) is "maybe-sent": undici does not say how much of a request it wrote before a socket
 * died, and a reset on a reused keep-alive socket looks the same whether or not the server read
 * the request — so an order failing that way is reported as outcome unknown.
 */
export function classifyFetchFailure(error: unknown): "not-sent" | "maybe-sent" {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (current === null || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NOT_SENT_CODES.test(code)) return "not-sent";
    const message = (current as { message?: unknown }).message;
    // fetch refuses the spec's "bad ports" (e.g. 1, 9, 6000) before connecting.
    if (typeof message === "string" && message === "bad port") return "not-sent";
    if (current instanceof AggregateError) pending.push(...current.errors);
    pending.push((current as { cause?: unknown }).cause);
  }
  return "maybe-sent";
}

const NOT_SENT_CODES =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT|ERR_TLS_CERT_ALTNAME_INVALID|CERT_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_[A-Z_]+)$/;

/** A short, secret-free description of a network failure for error messages. */
export function describeFetchFailure(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === "object"; depth += 1) {
    const code = (current as { code?: unknown }).code;
    const message = (current as { message?: unknown }).message;
    if (typeof code === "string") parts.push(code);
    else if (typeof message === "string" && message !== "fetch failed") parts.push(clip(message));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.length === 0 ? "network error" : parts.join(": ");
}
