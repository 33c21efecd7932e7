import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { XtsBridgeError, type ErrorCode } from "../errors.js";
import { RequestIds } from "../orders/order-tag.js";
import { DEFAULT_RATE_LIMITS, RequestLimits } from "./rate-limits.js";
import type { AppDeps } from "./app-deps.js";
import { errorBody, errorReply, requestErrorCode, type ErrorBody } from "./error-body.js";
import { httpStatusFor } from "./error-status.js";
import { checkReplicaProof, FORWARDED_ID_HEADER, PROOF_WINDOW_MS, REPLICA_PROOF_HEADER } from "./forward.js";
import { ROUTES, type OrderEffect, type Route } from "./handlers.js";
import { InstrumentsCache, streamOf } from "./instruments-cache.js";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { openApiDocument } from "./openapi.js";
import { DASHBOARD_HEADER, dashboardMarker, registerDashboard } from "./dashboard.js";
import { DashboardSessions } from "./dashboard-sessions.js";
import { RequestLog } from "./request-log.js";
import { describeIssues } from "./schema-helpers.js";

export const API_PREFIX = "/api/v1";

/** Hides `apikey=…` in logged URLs (GET /instruments takes the key in the query string). */
export function redactUrl(url: string): string {
  if (!url.includes("?")) return url;
  return url.replace(/([?&]apikey=)[^&]*/gi, "$1[redacted]");
}

/** The path of a URL as the router matches it: no query, no repeated or trailing slashes. */
function routePath(url: string): string {
  // The usual case, already clean: no query, no doubled or trailing slash.
  if (!url.includes("?") && !url.includes("//") && !url.endsWith("/")) return url;
  const path = url.split("?")[0]!.replace(/\/{2,}/g, "/");
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

/**
 * An HTTP request Node could not even parse (bad request line, headers too large, a body too
 * slow): answered on the socket in the same envelope as every other error, then closed.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const [code, message]: [ErrorCode, string] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? ["HEADERS_TOO_LARGE", "the request headers are too large"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? ["REQUEST_TIMEOUT", "the request did not arrive in time"]
        : ["MALFORMED_REQUEST", `the request is not valid HTTP (${error.code ?? "parse error"})`];
  const status = httpStatusFor(code);
  const body = JSON.stringify(errorBody(code, message));
  socket.end(`HTTP/1.1 ${status} ${code}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/**
 * The OpenAlgo-compatible REST API. Built without listening (tests use `inject`); `listen`
 * is the caller's. Every error leaves as `{status:"error", message, code}` with the status
 * from error-status.ts; a true bug is a 500 with no internals in the body.
 */
export function buildApp(deps: AppDeps): FastifyInstance {
  const requestIds = deps.requestIds ?? new RequestIds();
  // A replica's request id becomes the order tag here too, so the replica can name it when the
  // answer is lost. Only a replica that proves XTSBRIDGE_REPLICA_SECRET may hand one over (any
  // client could otherwise choose a tag, or reuse another order's, and be "reconciled" to it),
  // and each id is adopted once.
  const adopted = new Map<string, number>();
  const refused = new WeakMap<object, string>();
  const requestIdFor = (raw: IncomingMessage): string => {
    const forwarded = raw.headers[FORWARDED_ID_HEADER];
    if (forwarded === undefined) return requestIds.next();
    const now = Date.now();
    const why =
      checkReplicaProof(deps.replicaSecret ?? null, forwarded, raw.headers[REPLICA_PROOF_HEADER], now) ??
      (adopted.has(String(forwarded)) ? `request id ${String(forwarded)} was already used` : null);
    if (why !== null) {
      refused.set(raw, why);
      return requestIds.next();
    }
    const id = String(forwarded);
    adopted.set(id, now);
    // A proof is good for PROOF_WINDOW_MS, so ids older than twice that can never come back.
    if (adopted.size > 10_000) for (const [old, at] of adopted) if (now - at > 2 * PROOF_WINDOW_MS) adopted.delete(old);
    return id;
  };
  const limits = new RequestLimits({ ...DEFAULT_RATE_LIMITS, ...deps.limits }, deps.limiters);
  const instruments = new InstrumentsCache();
  const downloads = new Map<number, number>();
  const downloadsPerKey = deps.instrumentDownloadsPerKey ?? 2;
  const bodyLimit = deps.bodyLimit ?? 64 * 1024;
  const requestTimeoutMs = deps.requestTimeoutMs ?? 15_000;

  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: requestIdFor,
    // Our own onResponse hook logs each request once, with the URL's apikey redacted.
    logController: new LogController({ requestIdLogLabel: "requestId", disableRequestLogging: true }),
    bodyLimit,
    // Slow clients: the whole request (headers and body) must arrive within this time. It does not
    // bound our own handlers: a forced master refresh may legitimately take longer to answer.
    requestTimeout: requestTimeoutMs,
    // Node sweeps for timed-out requests every 30 s by default, and skips requestTimeout while
    // headersTimeout (60 s unless set when the server is made) is larger: set both up front.
    http: { connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs), headersTimeout: requestTimeoutMs },
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    clientErrorHandler: answerClientError,
  });

  // TradingView and some webhook senders post JSON as text/plain. Same parser as application/json,
  // so `__proto__` and `constructor.prototype` keys are refused on both.
  app.addContentTypeParser("text/plain", { parseAs: "string" }, app.getDefaultJsonParser("error", "error"));

  const analyzing = (): boolean => deps.analyzer?.active === true;
  const requestLog = deps.requestLog ?? new RequestLog();
  const sessions = deps.sessions ?? new DashboardSessions();
  const marker = dashboardMarker();
  /** The error code each failed request was answered with, for the request log. */
  const failures = new WeakMap<object, string>();
  const fail = (reply: FastifyReply, body: ErrorBody, headers: Record<string, string> = {}): FastifyReply => {
    failures.set(reply.request.raw, body.code);
    return reply.status(httpStatusFor(body.code)).headers(headers).send(body);
  };

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    const why = refused.get(request.raw);
    if (why !== undefined) {
      request.log.warn({ reason: why }, "forwarded request id refused");
      return fail(reply, errorBody("REPLICA_NOT_TRUSTED", `${FORWARDED_ID_HEADER} refused: ${why}`));
    }
  });
  app.addHook("onResponse", async (request, reply) => {
    request.log.info({ method: request.method, url: redactUrl(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, "request");
    const path = routePath(request.url);
    if (path.startsWith(API_PREFIX)) {
      const code = failures.get(request.raw) ?? (reply.statusCode >= 400 ? `HTTP_${reply.statusCode}` : null);
      requestLog.add({ at: new Date().toISOString(), method: request.method, path, status: reply.statusCode, code, ms: Math.round(reply.elapsedTime * 10) / 10, dashboard: request.headers[DASHBOARD_HEADER] === marker });
    }
  });

  app.setErrorHandler((error: FastifyError | XtsBridgeError, request, reply) => {
    if (error instanceof XtsBridgeError) {
      const status = httpStatusFor(error.code);
      if (status >= 500) request.log.warn({ code: error.code, reason: error.message }, "request failed");
      const config = request.routeOptions.config as { effect?: OrderEffect; analyzable?: boolean };
      const { body, retryAfterSeconds } = errorReply(error, config.effect ?? "none");
      // A failed order in analyzer mode says so too: the client must never mistake it for a live one.
      return fail(reply, config.analyzable === true && analyzing() ? { ...body, mode: "analyze" } : body, retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) });
    }
    const status = (error as FastifyError).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      const [code, message] = requestErrorCode(status, (error as FastifyError).code, bodyLimit);
      return fail(reply, errorBody(code, message));
    }
    request.log.error({ err: error }, "unhandled error");
    return fail(reply, errorBody("INTERNAL_ERROR", "internal error; the request id in x-request-id identifies it in the logs"));
  });

  // Each path's methods, so a request with the wrong one is told which are allowed (405) rather than "no route" (404).
  const methodsByPath = new Map<string, string[]>();
  /** Paths with parameters (`/ticker/:symbol`), matched by pattern. */
  const patterns: [RegExp, string][] = [];
  const known = (path: string, method: string): void => {
    methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), method, ...(method === "GET" ? ["HEAD"] : [])]);
    if (path.includes("/:")) patterns.push([new RegExp(`^${path.replace(/:\w+/g, "[^/]+")}$`), path]);
  };
  const allowedFor = (url: string): string[] | undefined => {
    const path = routePath(url);
    return methodsByPath.get(path) ?? methodsByPath.get(patterns.find(([pattern]) => pattern.test(path))?.[1] ?? "");
  };
  app.setNotFoundHandler((request, reply) => {
    const allowed = allowedFor(request.url);
    if (allowed !== undefined) {
      return fail(reply, errorBody("METHOD_NOT_ALLOWED", `${request.method} is not allowed on ${routePath(request.url)}; use ${allowed.join(" or ")}`), { allow: allowed.join(", ") });
    }
    return fail(reply, errorBody("NOT_FOUND", `no route ${request.method} ${redactUrl(request.url).slice(0, 200)}`));
  });

  registerDashboard(app, { deps, sessions, requests: requestLog, limits, marker });

  for (const route of ROUTES) {
    known(`${API_PREFIX}${route.path}`, route.method);
    app.route({ method: route.method, url: `${API_PREFIX}${route.path}`, config: { effect: route.effect, analyzable: route.analyzable === true }, handler: (request, reply) => handle(route, request, reply) });
  }

  async function handle(route: Route, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    // GET routes read the query string, with the path's own parameters (ticker's EXCHANGE:SYMBOL) in it.
    const raw = route.source === "query" ? { ...(request.query as object), ...(request.params as object) } : request.body;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      throw new XtsBridgeError("VALIDATION_ERROR", "the body must be a JSON object", { details: { errors: { body: ["must be a JSON object"] } } });
    }
    const parsed = route.schema.safeParse(raw);
    if (!parsed.success) {
      const { message, errors } = describeIssues(parsed.error, raw);
      throw new XtsBridgeError("VALIDATION_ERROR", message, { details: { errors } });
    }
    const input = parsed.data as { apikey: string };
    const key = await deps.apiKeys.verify(input.apikey);
    if (key === undefined) {
      // Only requests whose own key fails are braked; a valid key is served whatever else arrives.
      const blocked = (await limits.badKeyWait(request.ip, input.apikey)) || (await limits.recordBadKey(request.ip, input.apikey));
      request.log.warn({ address: request.ip, route: route.path, blocked: blocked > 0 }, "invalid API key");
      if (blocked > 0) return tooMany(reply, blocked, "too many invalid API keys from this network or for this key prefix");
      return fail(reply, errorBody("INVALID_API_KEY", "Invalid openalgo apikey"));
    }
    const wait = await limits.forKey(route.group, key.id);
    if (wait > 0) return tooMany(reply, wait, "Rate limit exceeded. Please slow down your requests.");

    if (deps.forward !== undefined && route.runsOn === "primary") {
      const forwarded = await deps.forward(`${API_PREFIX}${route.path}`, raw, request.id, route.effect !== "none");
      return reply.status(forwarded.status).header("content-type", forwarded.contentType).send(forwarded.body);
    }
    const result = await route.handle(parsed.data, { requestId: request.id, deps, instruments });
    if (result.kind === "json") return reply.status(result.httpStatus ?? 200).send(route.analyzable === true && analyzing() ? { ...result.body, mode: "analyze" } : result.body);
    // Large answers: a few per key at a time, each streamed from the shared serialised copy.
    const active = downloads.get(key.id) ?? 0;
    if (active >= downloadsPerKey) return tooMany(reply, 1000, `at most ${downloadsPerKey} instrument downloads at a time per API key; wait for one to finish`);
    downloads.set(key.id, active + 1);
    reply.raw.once("close", () => {
      const left = (downloads.get(key.id) ?? 1) - 1;
      if (left <= 0) downloads.delete(key.id);
      else downloads.set(key.id, left);
    });
    reply.header("content-type", result.contentType).header("content-length", String(result.body.length));
    if (result.filename !== undefined) reply.header("content-disposition", `attachment; filename=${result.filename}`);
    return reply.send(streamOf(result.body));
  }

  // The interactive reference (Swagger UI, served from the package, no CDN) over the same document.
  const document = openApiDocument(ROUTES, API_PREFIX);
  known(`${API_PREFIX}/openapi.json`, "GET");
  known("/docs", "GET");
  app.get(`${API_PREFIX}/openapi.json`, async () => document);
  void app.register(swagger, { mode: "static", specification: { document: document as never } });
  void app.register(swaggerUi, { routePrefix: "/docs", uiConfig: { docExpansion: "list", deepLinking: true, tryItOutEnabled: true, displayRequestDuration: true, layout: "BaseLayout" } });
  return app;

  function tooMany(reply: FastifyReply, waitMs: number, message: string): FastifyReply {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    return fail(reply, { ...errorBody("RATE_LIMITED", message), retry_after: seconds }, { "retry-after": String(seconds) });
  }
}
