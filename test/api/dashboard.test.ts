import type { LightMyRequestResponse } from "fastify";
import { describe, expect, it } from "vitest";
import { apiFixture, json } from "./harness.js";

/** The dashboard's server side through inject: pages, sign-in, CSRF, keys, the request log. */
describe("dashboard server", () => {
  const h = apiFixture();
  const signIn = async (apikey = h.key): Promise<{ cookie: string; csrf: string; res: LightMyRequestResponse }> => {
    const res = await h.app.inject({ method: "POST", url: "/dashboard/session", payload: { apikey } });
    const cookie = String(res.headers["set-cookie"] ?? "").split(";")[0]!;
    return { cookie, csrf: (json(res)["data"] as { csrf?: string } | undefined)?.csrf ?? "", res };
  };
  const call = (s: { cookie: string; csrf?: string }, url: string, payload: unknown = {}) =>
    h.app.inject({ method: "POST", url, payload: payload as Record<string, unknown>, headers: { cookie: s.cookie, ...(s.csrf === undefined ? {} : { "x-csrf-token": s.csrf }) } });

  it("serves the page and its assets from the package, with a strict content policy and ETags", async () => {
    const page = await h.app.inject({ method: "GET", url: "/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.body).not.toMatch(/https?:\/\/(?!127)/);
    for (const asset of ["/assets/app.js", "/assets/app.css", "/assets/lightweight-charts.js"]) {
      const res = await h.app.inject({ method: "GET", url: asset });
      expect(res.statusCode, asset).toBe(200);
      const again = await h.app.inject({ method: "GET", url: asset, headers: { "if-none-match": String(res.headers["etag"]) } });
      expect(again.statusCode, asset).toBe(304);
    }
  });

  it("sign-in: a bad key is 403 and sets no cookie; a good one sets an HttpOnly SameSite=Strict cookie and returns the CSRF token", async () => {
    const bad = await signIn("f".repeat(64));
    expect(bad.res.statusCode).toBe(403);
    expect(json(bad.res)["code"]).toBe("INVALID_API_KEY");
    expect(bad.res.headers["set-cookie"]).toBeUndefined();
    const good = await signIn();
    expect(String(good.res.headers["set-cookie"])).toMatch(/^xb_session=[\w-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(good.res.body).not.toContain(h.key);
    const session = await h.app.inject({ method: "GET", url: "/dashboard/session", headers: { cookie: good.cookie } });
    expect(json(session)["data"]).toMatchObject({ key_name: "test", csrf: good.csrf });
  });

  it("every dashboard call needs the session; every action needs its CSRF token too", async () => {
    const none = await h.app.inject({ method: "POST", url: "/dashboard/api/funds", payload: {} });
    expect(none.statusCode).toBe(401);
    expect(json(none)["code"]).toBe("NOT_SIGNED_IN");
    const s = await signIn();
    const forged = await call({ cookie: s.cookie }, "/dashboard/api/funds");
    expect(forged.statusCode).toBe(403);
    expect(json(forged)["code"]).toBe("CSRF_REJECTED");
    const funds = await call(s, "/dashboard/api/funds");
    expect(funds.statusCode, funds.body).toBe(200);
    expect(json(funds)["data"]).toHaveProperty("availablecash");
    // The API's own validation and errors come through unchanged.
    const invalid = await call(s, "/dashboard/api/placeorder", { strategy: "x", symbol: "SBIN", exchange: "NSE", action: "HOLD", quantity: 1 });
    expect(invalid.statusCode).toBe(400);
    expect(json(invalid)).toMatchObject({ code: "VALIDATION_ERROR", errors: { action: [expect.stringMatching(/BUY, SELL/)] } });
    const out = await call(s, "/dashboard/signout");
    expect(String(out.headers["set-cookie"])).toContain("Max-Age=0");
    expect((await call(s, "/dashboard/api/funds")).statusCode).toBe(401);
  });

  it("keys: created and shown once, listed without the key; revoking one ends its sessions at once", async () => {
    const s = await signIn();
    const created = await call(s, "/dashboard/keys", { name: "amibroker" });
    const made = json(created)["data"] as { id: number; key: string };
    expect(made.key).toMatch(/^[0-9a-f]{64}$/);
    const list = await h.app.inject({ method: "GET", url: "/dashboard/keys", headers: { cookie: s.cookie } });
    expect(list.body).not.toContain(made.key);
    expect(json(list)["data"]).toEqual(expect.arrayContaining([expect.objectContaining({ id: made.id, name: "amibroker", revoked_at: null, current: false })]));
    const other = await signIn(made.key);
    expect((await call(other, "/dashboard/api/ping")).statusCode).toBe(200);
    const revoked = await call(s, "/dashboard/keys/revoke", { id: made.id });
    expect(json(revoked)["message"]).toMatch(/1 dashboard session\(s\) ended/);
    const after = await call(other, "/dashboard/api/ping");
    expect(after.statusCode).toBe(401);
    expect((await call(s, "/dashboard/keys/revoke", { id: made.id })).statusCode).toBe(404);
  });

  it("a key revoked elsewhere (the CLI) ends the session on its next call", async () => {
    const { key, record } = await h.gw.apiKeys.create("cli-revoked");
    const s = await signIn(key);
    await h.gw.apiKeys.revoke(record.prefix);
    const res = await h.app.inject({ method: "GET", url: "/dashboard/session", headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(401);
    expect(json(res)).toMatchObject({ code: "SESSION_ENDED", message: expect.stringMatching(/cli-revoked.*revoked/) });
    expect(String(res.headers["set-cookie"])).toContain("Max-Age=0");
  });

  it("the request log lists API calls newest first with status, code and latency, and which came from the dashboard", async () => {
    await h.post("orderstatus", { apikey: h.key, strategy: "x", orderid: "999999" });
    const s = await signIn();
    await call(s, "/dashboard/api/ping");
    const log = json(await h.app.inject({ method: "GET", url: "/dashboard/requests", headers: { cookie: s.cookie } }))["data"] as { path: string; status: number; code: string | null; ms: number; dashboard: boolean }[];
    expect(log[0]).toMatchObject({ path: "/api/v1/ping", status: 200, code: null, dashboard: true });
    expect(log.find((r) => r.path === "/api/v1/orderstatus")).toMatchObject({ status: 404, code: "ORDER_NOT_FOUND", dashboard: false });
    expect(log.every((r) => !r.path.includes("apikey"))).toBe(true);
  });

  it("the instrument list downloads as CSV with the session's key", async () => {
    const s = await signIn();
    const res = await h.app.inject({ method: "GET", url: "/dashboard/instruments.csv", headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    expect(res.body.split("\n")[0]).toContain("symbol");
  });
});
