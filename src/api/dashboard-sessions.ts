import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const SESSION_COOKIE = "xb_session";
export const CSRF_HEADER = "x-csrf-token";
/** A dashboard session lasts this long from sign-in, whatever happens in between. */
export const SESSION_HOURS = 12;

export interface DashboardSession {
  readonly id: string;
  /** Sent back on every state-changing call in CSRF_HEADER; never in a cookie. */
  readonly csrf: string;
  /** The API key the session signed in with: kept here, on the server, never sent to the browser. */
  readonly key: string;
  readonly keyId: number;
  readonly keyName: string;
  readonly expiresAt: number;
}

/** The value of one cookie in a Cookie header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Signed-in dashboard browsers, in this process's memory (a restart signs everyone out). The
 * browser holds only an opaque, HttpOnly, SameSite=Strict cookie; the API key stays here and is
 * put into each API call on the server.
 */
export class DashboardSessions {
  private readonly sessions = new Map<string, DashboardSession>();

  constructor(private readonly now: () => number = Date.now) {}

  create(key: string, record: { id: number; name: string }): DashboardSession {
    this.sweep();
    const session: DashboardSession = {
      id: randomBytes(32).toString("base64url"),
      csrf: randomBytes(24).toString("base64url"),
      key,
      keyId: record.id,
      keyName: record.name,
      expiresAt: this.now() + SESSION_HOURS * 3_600_000,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session a request's cookie names, or undefined (none, unknown or expired). */
  of(req: Pick<IncomingMessage, "headers">): DashboardSession | undefined {
    const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  /** Whether a state-changing request proves it comes from the dashboard's own page. */
  checkCsrf(session: DashboardSession, req: Pick<IncomingMessage, "headers">): boolean {
    const token = req.headers[CSRF_HEADER];
    return typeof token === "string" && sameText(token, session.csrf);
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends every session of a key (it was revoked). */
  endForKey(keyId: number): number {
    let ended = 0;
    for (const [id, s] of this.sessions) {
      if (s.keyId === keyId) {
        this.sessions.delete(id);
        ended += 1;
      }
    }
    return ended;
  }

  get size(): number {
    this.sweep();
    return this.sessions.size;
  }

  /**
   * The API key for a WebSocket upgrade that carries a live session cookie, from the page's own
   * origin only: a page elsewhere cannot ride the cookie into the feed (cross-site WebSocket hijacking).
   */
  webSocketKey(req: Pick<IncomingMessage, "headers">): string | null {
    const session = this.of(req);
    if (session === undefined) return null;
    const origin = req.headers.origin;
    const host = req.headers.host;
    if (origin === undefined || host === undefined) return null;
    try {
      if (new URL(origin).host !== host) return null;
    } catch {
      return null;
    }
    return session.key;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
  }
}

/** The `Set-Cookie` value of a session (or of its removal, with `null`). */
export function sessionCookie(session: DashboardSession | null, secure: boolean): string {
  const attributes = ["Path=/", "HttpOnly", "SameSite=Strict", ...(secure ? ["Secure"] : [])];
  if (session === null) return [`${SESSION_COOKIE}=`, "Max-Age=0", ...attributes].join("; ");
  return [`${SESSION_COOKIE}=${session.id}`, `Max-Age=${SESSION_HOURS * 3600}`, ...attributes].join("; ");
}
