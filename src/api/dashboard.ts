import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { XtsBridgeError } from "../errors.js";
import type { SegmentRefreshReport } from "../mastercontract/refresh-types.js";
import type { AppDeps } from "./app-deps.js";
import { CSRF_HEADER, sessionCookie, type DashboardSession, type DashboardSessions } from "./dashboard-sessions.js";
import type { RequestLimits } from "./rate-limits.js";
import type { RequestLog } from "./request-log.js";

/** A file of the page, read once: the dashboard is a handful of static files and works offline. */
interface Asset {
  readonly type: string;
  readonly body: Buffer;
  readonly etag: string;
}

/** `web/` beside `src/` (tests, `tsx`) or beside `dist/` (the built package). */
function webDir(): string {
  for (const up of ["../../web/", "../../../web/"]) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  throw new Error("the dashboard's web/ folder is missing from the installation");
}

function loadAssets(): Map<string, Asset> {
  const dir = webDir();
  // The package exports only its module entry; the standalone build sits beside it in dist/.
  const charts = join(dirname(createRequire(import.meta.url).resolve("lightweight-charts/package.json")), "dist", "lightweight-charts.standalone.production.js");
  const files: [string, string, string][] = [
    ["/", `${dir}index.html`, "text/html; charset=utf-8"],
    ["/assets/app.js", `${dir}app.js`, "text/javascript; charset=utf-8"],
    ["/assets/app.css", `${dir}app.css`, "text/css; charset=utf-8"],
    ["/assets/lightweight-charts.js", charts, "text/javascript; charset=utf-8"],
  ];
  return new Map(
    files.map(([path, file, type]) => {
      const body = readFileSync(file);
      return [path, { type, body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"` }];
    }),
  );
}

const PAGE_HEADERS = {
  // Everything the page needs is its own: no CDN, no inline script, no framing by another site.
  "content-security-policy": "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

export interface DashboardContext {
  readonly deps: AppDeps;
  readonly sessions: DashboardSessions;
  readonly requests: RequestLog;
  readonly limits: RequestLimits;
  /** Marks the API calls the dashboard makes, so the request log can say so. */
  readonly marker: string;
}

export const DASHBOARD_HEADER = "x-xtsbridge-dashboard";

export function dashboardMarker(): string {
  return randomBytes(16).toString("hex");
}

interface RefreshState {
  running: boolean;
  startedAt: string | null;
  segments: readonly SegmentRefreshReport[];
  report: unknown;
  error: { code: string; message: string } | null;
}

/**
 * The trader's screen at `/`: a few static files, a sign-in with an API key that becomes an
 * HttpOnly session cookie, and `/dashboard/*` calls that run the very same `/api/v1` routes with
 * the session's key put in on the server (validation, limits, analyzer and errors as for any
 * client). Every state-changing call carries the session's CSRF token in a header; the cookie is
 * SameSite=Strict. A session ends at sign-out, after SESSION_HOURS, or as soon as its key is revoked.
 */
export function registerDashboard(app: FastifyInstance, ctx: DashboardContext): void {
  const { deps, sessions } = ctx;
  const assets = loadAssets();
  const refresh: RefreshState = { running: false, startedAt: null, segments: [], report: null, error: null };

  for (const [path, asset] of assets) {
    app.get(path, async (request, reply) => {
      reply.headers({ ...PAGE_HEADERS, "content-type": asset.type, etag: asset.etag, "cache-control": "no-cache" });
      if (request.headers["if-none-match"] === asset.etag) return reply.status(304).send();
      return reply.send(asset.body);
    });
  }

  const secure = (request: FastifyRequest): boolean => request.protocol === "https";

  /** The session of a request whose key is still valid; otherwise it is ended and the call refused. */
  async function signedIn(request: FastifyRequest, reply: FastifyReply, mutating: boolean): Promise<DashboardSession> {
    const session = sessions.of(request.raw);
    if (session === undefined) throw new XtsBridgeError("NOT_SIGNED_IN", "sign in with an API key first");
    if ((await deps.apiKeys.verify(session.key)) === undefined) {
      sessions.endForKey(session.keyId);
      reply.header("set-cookie", sessionCookie(null, secure(request)));
      throw new XtsBridgeError("SESSION_ENDED", `the API key "${session.keyName}" was revoked: this session has ended`);
    }
    if (mutating && !sessions.checkCsrf(session, request.raw)) throw new XtsBridgeError("CSRF_REJECTED", `a dashboard action needs the session's ${CSRF_HEADER} header`);
    return session;
  }

  const sessionBody = (s: DashboardSession) => ({ status: "success", data: { key_name: s.keyName, csrf: s.csrf, expires_at: new Date(s.expiresAt).toISOString() } });

  app.post("/dashboard/session", async (request, reply) => {
    const key = (request.body as { apikey?: unknown } | null)?.apikey;
    if (typeof key !== "string" || key === "") throw new XtsBridgeError("VALIDATION_ERROR", "apikey is required", { details: { errors: { apikey: ["apikey is required"] } } });
    const blocked = await ctx.limits.badKeyWait(request.ip, key);
    if (blocked > 0) throw new XtsBridgeError("RATE_LIMITED", "too many invalid API keys from this network: wait a minute", { details: { retryAfterMs: blocked } });
    const record = await deps.apiKeys.verify(key);
    if (record === undefined) {
      await ctx.limits.recordBadKey(request.ip, key);
      throw new XtsBridgeError("INVALID_API_KEY", "Invalid openalgo apikey");
    }
    const session = sessions.create(key, record);
    reply.header("set-cookie", sessionCookie(session, secure(request)));
    return sessionBody(session);
  });

  app.get("/dashboard/session", async (request, reply) => sessionBody(await signedIn(request, reply, false)));

  app.post("/dashboard/signout", async (request, reply) => {
    const session = await signedIn(request, reply, true);
    sessions.end(session.id);
    reply.header("set-cookie", sessionCookie(null, secure(request)));
    return { status: "success", message: "signed out" };
  });

  // Any POST route of the API, with the session's key: the page never holds the key.
  app.post("/dashboard/api/*", async (request, reply) => {
    const session = await signedIn(request, reply, true);
    const path = (request.params as { "*": string })["*"];
    if (!/^[a-z/]+$/.test(path)) throw new XtsBridgeError("NOT_FOUND", `no API route ${path.slice(0, 80)}`);
    const body = request.body !== null && typeof request.body === "object" && !Array.isArray(request.body) ? request.body : {};
    const answer = await app.inject({ method: "POST", url: `/api/v1/${path}`, payload: { ...body, apikey: session.key }, headers: { "content-type": "application/json", [DASHBOARD_HEADER]: ctx.marker } });
    if (answer.statusCode === 403 && answer.body.includes('"INVALID_API_KEY"')) {
      sessions.endForKey(session.keyId);
      reply.header("set-cookie", sessionCookie(null, secure(request)));
      throw new XtsBridgeError("SESSION_ENDED", "the API key of this session is no longer valid: sign in again");
    }
    const retry = answer.headers["retry-after"];
    if (typeof retry === "string") reply.header("retry-after", retry);
    return reply.status(answer.statusCode).header("content-type", String(answer.headers["content-type"] ?? "application/json")).send(answer.rawPayload);
  });

  // The instrument list as a file, with the session's key (the API takes it in the query string).
  app.get("/dashboard/instruments.csv", async (request, reply) => {
    const session = await signedIn(request, reply, false);
    const answer = await app.inject({ method: "GET", url: "/api/v1/instruments", query: { apikey: session.key, format: "csv" }, headers: { [DASHBOARD_HEADER]: ctx.marker } });
    return reply
      .status(answer.statusCode)
      .headers({ "content-type": String(answer.headers["content-type"] ?? "text/csv"), "content-disposition": String(answer.headers["content-disposition"] ?? 'attachment; filename="instruments_all.csv"') })
      .send(answer.rawPayload);
  });

  app.get("/dashboard/keys", async (request, reply) => {
    const session = await signedIn(request, reply, false);
    const keys = await deps.apiKeys.list();
    return { status: "success", data: keys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, created_at: k.createdAt, revoked_at: k.revokedAt, current: k.id === session.keyId })) };
  });

  app.post("/dashboard/keys", async (request, reply) => {
    await signedIn(request, reply, true);
    const name = (request.body as { name?: unknown } | null)?.name;
    if (typeof name !== "string" || name.trim() === "" || name.length > 64) {
      throw new XtsBridgeError("VALIDATION_ERROR", "name must be 1 to 64 characters", { details: { errors: { name: ["name must be 1 to 64 characters"] } } });
    }
    const { key, record } = await deps.apiKeys.create(name.trim());
    return { status: "success", message: "shown once: only its hash is kept", data: { id: record.id, name: record.name, key } };
  });

  app.post("/dashboard/keys/revoke", async (request, reply) => {
    await signedIn(request, reply, true);
    const id = (request.body as { id?: unknown } | null)?.id;
    if (typeof id !== "number" || !Number.isSafeInteger(id)) throw new XtsBridgeError("VALIDATION_ERROR", "id must be a key's number", { details: { errors: { id: ["id must be a key's number"] } } });
    const revoked = await deps.apiKeys.revoke(String(id));
    if (revoked === 0) throw new XtsBridgeError("NOT_FOUND", `no live API key ${id}`);
    const ended = sessions.endForKey(id);
    return { status: "success", message: `key ${id} revoked; ${ended} dashboard session(s) ended` };
  });

  app.get("/dashboard/requests", async (request, reply) => {
    await signedIn(request, reply, false);
    return { status: "success", data: ctx.requests.recent(200) };
  });

  app.get("/dashboard/refresh", async (request, reply) => {
    await signedIn(request, reply, false);
    return { status: "success", data: refresh };
  });

  app.post("/dashboard/refresh", async (request, reply) => {
    await signedIn(request, reply, true);
    if (refresh.running) return reply.status(409).send({ status: "error", code: "REFRESH_IN_PROGRESS", message: "a refresh is already running", data: refresh });
    Object.assign(refresh, { running: true, startedAt: new Date().toISOString(), segments: [], report: null, error: null });
    // Runs on after this answer; the page follows it with GET /dashboard/refresh.
    void deps.master
      .refresh({ force: true, onProgress: (segments) => (refresh.segments = segments.map((s) => ({ ...s }))) })
      .then((report) => {
        refresh.report = report;
        if (report.status === "error") refresh.error = { code: "MASTER_REFRESH_FAILED", message: report.message };
      })
      .catch((error: unknown) => {
        refresh.error = error instanceof XtsBridgeError ? { code: error.code, message: error.message } : { code: "INTERNAL_ERROR", message: "the refresh failed unexpectedly" };
      })
      .finally(() => (refresh.running = false));
    return reply.status(202).send({ status: "success", message: "refresh started", data: refresh });
  });
}
