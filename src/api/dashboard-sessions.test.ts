import { describe, expect, it } from "vitest";
import { cookieValue, DashboardSessions, SESSION_HOURS, sessionCookie } from "./dashboard-sessions.js";

describe("dashboard sessions", () => {
  const key = "a".repeat(64);
  const headers = (cookie?: string, extra: Record<string, string> = {}) => ({ headers: { ...(cookie === undefined ? {} : { cookie }), ...extra } });

  it("a cookie names a session until it expires; the CSRF token must match exactly", () => {
    let now = 1_000_000;
    const sessions = new DashboardSessions(() => now);
    const s = sessions.create(key, { id: 7, name: "desk" });
    const cookie = `other=1; xb_session=${s.id}`;
    expect(sessions.of(headers(cookie))).toBe(s);
    expect(sessions.of(headers("xb_session=nope"))).toBeUndefined();
    expect(sessions.checkCsrf(s, headers(cookie, { "x-csrf-token": s.csrf }))).toBe(true);
    expect(sessions.checkCsrf(s, headers(cookie, { "x-csrf-token": `${s.csrf}x` }))).toBe(false);
    expect(sessions.checkCsrf(s, headers(cookie))).toBe(false);
    now += SESSION_HOURS * 3_600_000;
    expect(sessions.of(headers(cookie))).toBeUndefined();
  });

  it("revoking a key ends all its sessions and no other", () => {
    const sessions = new DashboardSessions();
    const a = sessions.create(key, { id: 1, name: "a" });
    sessions.create(key, { id: 1, name: "a" });
    const b = sessions.create("b".repeat(64), { id: 2, name: "b" });
    expect(sessions.endForKey(1)).toBe(2);
    expect(sessions.of(headers(`xb_session=${a.id}`))).toBeUndefined();
    expect(sessions.of(headers(`xb_session=${b.id}`))).toBe(b);
  });

  it("the WebSocket gets the key only from the page's own origin", () => {
    const sessions = new DashboardSessions();
    const s = sessions.create(key, { id: 1, name: "a" });
    const cookie = `xb_session=${s.id}`;
    expect(sessions.webSocketKey(headers(cookie, { origin: "http://127.0.0.1:5000", host: "127.0.0.1:5000" }))).toBe(key);
    expect(sessions.webSocketKey(headers(cookie, { origin: "http://evil.example", host: "127.0.0.1:5000" }))).toBeNull();
    expect(sessions.webSocketKey(headers(cookie, { host: "127.0.0.1:5000" }))).toBeNull();
    expect(sessions.webSocketKey(headers(undefined, { origin: "http://127.0.0.1:5000", host: "127.0.0.1:5000" }))).toBeNull();
  });

  it("the cookie is HttpOnly, SameSite=Strict, expiring; a removal expires it at once", () => {
    const s = new DashboardSessions().create(key, { id: 1, name: "a" });
    expect(sessionCookie(s, false)).toBe(`xb_session=${s.id}; Max-Age=${SESSION_HOURS * 3600}; Path=/; HttpOnly; SameSite=Strict`);
    expect(sessionCookie(s, true)).toMatch(/; Secure$/);
    expect(sessionCookie(null, false)).toBe("xb_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
    expect(cookieValue("a=1;  xb_session = v ; c", "xb_session")).toBe("v");
  });
});
