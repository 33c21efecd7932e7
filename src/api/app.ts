import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { XtsBridgeError } from "../errors.js";
import type { IncomingMessage } from "node:http";
import { RequestIds } from "../orders/order-tag.js";
import { DEFAULT_RATE_LIMITS, type AppDeps, type RateLimits } from "./app-deps.js";
import { errorReply, requestErrorBody } from "./error-body.js";
import { httpStatusFor } from "./error-status.js";
import { ROUTES, type Route, type RouteGroup } from "./handlers.js";
import { docsPage, openApiDocument } from "./openapi.js";
import { SlidingWindowLimiter } from "./rate-limiter.js";
import { checkReplicaProof, FORWARDED_ID_HEADER, PROOF_WINDOW_MS, REPLICA_PROOF_HEADER } from "./forward.js";
import { describeIssues } from "./schema-helpers.js";

export const API_PREFIX = "/api/v1";

/**
 * What a replica answers itself from the shared contract; every other route touches the broker
 * and goes to the primary, which owns the only XTS session (a new route is forwarded by default).
 */
const SERVED_LOCALLY: ReadonlySet<string> = new Set(["/symbol", "/search", "/expiry", "/instruments", "/ping", "/mastercontract/status"]);

/** Forwarded routes that place, change or cancel orders: a lost answer leaves their outcome unknown. */
const ORDER_ROUTES: ReadonlySet<string> = new Set(["/placeorder", "/placesmartorder", "/modifyorder", "/cancelorder", "/cancelallorder", "/closeposition"]);

/** Hides `apikey=…` in logged URLs (GET /instruments takes the key in the query string). */
export function redactUrl(url: string): string {
  return url.replace(/([?&]apikey=)[^&]*/gi, "$1[redacted]");
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
    const why = checkReplicaProof(deps.replicaSecret ?? null, forwarded, raw.headers[REPLICA_PROOF_HEADER], now) ?? (adopted.has(String(forwarded)) ? `request id ${String(forwarded)} was already used` : null);
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
  const limits: RateLimits = { ...DEFAULT_RATE_LIMITS, ...deps.limits };
  const perGroup: Record<RouteGroup, SlidingWindowLimiter> = {
    order: new SlidingWindowLimiter(limits.ordersPerSecond, 1000),
    smart: new SlidingWindowLimiter(limits.smartOrdersPerSecond, 1000),
    other: new SlidingWindowLimiter(limits.othersPerSecond, 1000),
  };
  const invalidKeys = new SlidingWindowLimiter(limits.invalidKeysPerMinute, 60_000);
  const bodyLimit = deps.bodyLimit ?? 64 * 1024;

  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: requestIdFor,
    // Our own onResponse hook logs each request once, with the URL's apikey redacted.
    logController: new LogController({ requestIdLogLabel: "requestId", disableRequestLogging: true }),
    bodyLimit,
    // Slow clients: the whole request (headers and body) must arrive within this time. It does not
    // bound our own handlers: a forced master refresh may legitimately take longer to answer.
    requestTimeout: deps.requestTimeoutMs ?? 15_000,
    // Node sweeps for timed-out requests every 30 s by default, and skips requestTimeout while
    // headersTimeout (60 s unless set when the server is made) is larger: set both up front.
    http: {
      connectionsCheckingInterval: Math.min(1_000, deps.requestTimeoutMs ?? 15_000),
      headersTimeout: deps.requestTimeoutMs ?? 15_000,
    },
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
  });

  // TradingView and some webhook senders post JSON as text/plain. Same parser as application/json,
  // so `__proto__` and `constructor.prototype` keys are refused on both.
  app.addContentTypeParser("text/plain", { parseAs: "string" }, app.getDefaultJsonParser("error", "error"));

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    const why = refused.get(request.raw);
    if (why !== undefined) {
      request.log.warn({ reason: why }, "forwarded request id refused");
      return reply.status(403).send({ status: "error", message: `${FORWARDED_ID_HEADER} refused: ${why}`, code: "REPLICA_NOT_TRUSTED" });
    }
  });
  app.addHook("onResponse", async (request, reply) => {
    request.log.info({ method: request.method, url: redactUrl(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, "request");
  });

  app.setErrorHandler((error: FastifyError | XtsBridgeError, request, reply) => {
    if (error instanceof XtsBridgeError) {
      const status = httpStatusFor(error.code);
      if (status >= 500) request.log.warn({ code: error.code, reason: error.message }, "request failed");
      const { body, retryAfterSeconds } = errorReply(error);
      if (retryAfterSeconds !== undefined) reply.header("retry-after", String(retryAfterSeconds));
      return reply.status(status).send(body);
    }
    const status = (error as FastifyError).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      return reply.status(status).send(requestErrorBody(status, (error as FastifyError).code, bodyLimit));
    }
    request.log.error({ err: error }, "unhandled error");
    return reply.status(500).send({ status: "error", message: "internal error; the request id in x-request-id identifies it in the logs", code: "INTERNAL_ERROR" });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ status: "error", message: `no route ${request.method} ${redactUrl(request.url).slice(0, 200)}`, code: "NOT_FOUND" });
  });

  for (const route of ROUTES) {
    app.route({
      method: route.method,
      url: `${API_PREFIX}${route.path}`,
      handler: (request, reply) => handle(route, request, reply),
    });
  }

  async function handle(route: Route, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const address = request.ip;
    const blocked = invalidKeys.blockedFor(address);
    if (blocked > 0) return tooMany(reply, blocked, "too many invalid API keys from this address");

    const raw = route.source === "query" ? request.query : request.body;
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
      invalidKeys.take(address);
      request.log.warn({ address, route: route.path }, "invalid API key");
      return reply.status(403).send({ status: "error", message: "Invalid openalgo apikey", code: "INVALID_API_KEY" });
    }
    const wait = perGroup[route.group].take(String(key.id));
    if (wait > 0) return tooMany(reply, wait, "Rate limit exceeded. Please slow down your requests.");

    if (deps.forward !== undefined && !SERVED_LOCALLY.has(route.path)) {
      const forwarded = await deps.forward(`${API_PREFIX}${route.path}`, raw, request.id, ORDER_ROUTES.has(route.path));
      return reply.status(forwarded.status).header("content-type", forwarded.contentType).send(forwarded.body);
    }
    const result = await route.handle(parsed.data, { requestId: request.id, deps });
    if (result.kind === "csv") {
      return reply.header("content-type", "text/csv; charset=utf-8").header("content-disposition", `attachment; filename=${result.filename}`).send(result.body);
    }
    return reply.send(result.body);
  }

  app.get(`${API_PREFIX}/openapi.json`, async () => openApiDocument(ROUTES, API_PREFIX));
  app.get("/docs", async (_request, reply) => reply.header("content-type", "text/html; charset=utf-8").send(docsPage(openApiDocument(ROUTES, API_PREFIX))));
  return app;
}

function tooMany(reply: FastifyReply, waitMs: number, message: string): FastifyReply {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return reply.status(429).header("retry-after", String(seconds)).send({ status: "error", message, code: "RATE_LIMITED", retry_after: seconds });
}
