import type { IncomingMessage, ServerResponse } from "node:http";
import type { SandboxControl } from "../control.js";
import { HOSTLOOKUP_INTERACTIVE_BASE, HOSTLOOKUP_ROUTES, INTERACTIVE_SESSION_ROUTES, MARKET_SESSION_ROUTES } from "./auth-routes.js";
import { ControlRequestError, handleControl } from "./control-routes.js";
import { errorReply, invalidToken, XtsHttpError, type Reply } from "./envelope.js";
import { expressNotFound, faultStatusReply, nginxNotFound } from "./error-pages.js";
import { FaultSpecError, isMasterFault, MASTER_PATH, type Fault } from "./faults.js";
import { BodyTooLargeError, parseBody, readBody, sendReply } from "./http-io.js";
import { MARKET_DATA_ROUTES, requestedSegments } from "./market-routes.js";
import { ORDER_ROUTES } from "./order-routes.js";
import { PORTFOLIO_ROUTES } from "./portfolio-routes.js";
import type { RequestBase, RequestEntry } from "./request-log.js";
import type { Route, RouteContext } from "./routes.js";
import type { SandboxState } from "./sandbox-state.js";
import type { Session } from "./sessions.js";

type Area = "interactive" | "market" | "hostlookup";

type Root = { readonly prefix: string; readonly base: RequestBase; readonly area: Area | "control" };

/**
 * Roots one origin serves: direct interactive, the hostlookup connection string, market data under
 * the impersonated broker's root. Jainam Prop serves market data only under /apibinarymarketdata;
 * /apimarketdata is an nginx 404 there ([LIVE], xts-protocol.md §1.2), and the other root is a 404
 * here too, whichever broker is impersonated.
 */
function rootsFor(marketDataRoot: string): readonly Root[] {
  return [
    { prefix: "/interactive", base: "interactive", area: "interactive" },
    { prefix: HOSTLOOKUP_INTERACTIVE_BASE, base: "hostlookup-interactive", area: "interactive" },
    { prefix: marketDataRoot, base: "market", area: "market" },
    { prefix: "/_sandbox", base: "control", area: "control" },
  ];
}

function splitPath(roots: readonly Root[], pathname: string): { base: RequestBase; area: Area | "control" | null; path: string } {
  if (pathname === "/hostlookup") return { base: "hostlookup", area: "hostlookup", path: "/hostlookup" };
  for (const root of roots) {
    if (pathname.startsWith(`${root.prefix}/`)) return { base: root.base, area: root.area, path: pathname.slice(root.prefix.length) };
  }
  return { base: "unknown", area: null, path: pathname };
}

function routeTable(): Map<string, Route> {
  const table = new Map<string, Route>();
  const add = (area: Area, routes: readonly Route[]) => {
    for (const route of routes) table.set(`${area} ${route.method} ${route.path}`, route);
  };
  add("hostlookup", HOSTLOOKUP_ROUTES);
  add("interactive", [...INTERACTIVE_SESSION_ROUTES, ...ORDER_ROUTES, ...PORTFOLIO_ROUTES]);
  add("market", [...MARKET_SESSION_ROUTES, ...MARKET_DATA_ROUTES]);
  return table;
}

function controlError(error: unknown): Reply | undefined {
  if (error instanceof FaultSpecError || error instanceof ControlRequestError || error instanceof RangeError) {
    return { kind: "json", status: 400, body: { ok: false, error: error.message } };
  }
  return undefined;
}

/** The sandbox's whole HTTP surface: recording, faults, authentication, then the route. */
export function createRequestHandler(state: SandboxState, control: SandboxControl): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = routeTable();
  const roots = rootsFor(state.options.profile.marketDataRoot);

  const dispatch = async (
    req: IncomingMessage,
    route: Route | undefined,
    context: Omit<RouteContext, "session">,
    bodyError: string | undefined,
    fullPath: string,
  ): Promise<Reply> => {
    if (route === undefined) return expressNotFound(context.method, fullPath);
    if (bodyError !== undefined) return errorReply(400, "e-request-0001", `Request body is not valid JSON: ${bodyError}`);
    try {
      let session: Session | undefined;
      if (route.auth !== null) {
        // The token goes in a raw Authorization header, no "Bearer " (xts-protocol.md §1.6).
        session = state.sessions.verify(req.headers.authorization, route.auth);
        if (session === undefined) throw invalidToken();
      }
      return await route.handler({ ...context, session });
    } catch (error) {
      if (error instanceof XtsHttpError) return errorReply(error.status, error.code, error.description, error.result);
      return errorReply(500, "e-sandbox-0500", `Sandbox internal error: ${(error as Error).message}`);
    }
  };

  const drop = (req: IncomingMessage, entry: RequestEntry) => {
    entry.dropped = true;
    req.socket.destroy();
  };

  const send = async (res: ServerResponse, reply: Reply, entry: RequestEntry) => {
    entry.status = reply.status;
    await sendReply(res, reply);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    const { base, area, path } = splitPath(roots, url.pathname);
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      res.writeHead(413, { connection: "close" }).end();
      return;
    }
    const parsed = parseBody(raw, req.headers["content-type"]);
    const body = parsed.ok ? parsed.value : raw;
    const entry = state.requests.start({
      time: state.now(),
      method,
      base,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      hasAuthorization: req.headers.authorization !== undefined,
    });

    if (area === "control") {
      let reply: Reply;
      try {
        reply = (parsed.ok ? handleControl(control, method, path, body) : controlError(new ControlRequestError(`body is not JSON: ${parsed.error}`))) ?? expressNotFound(method, url.pathname);
      } catch (error) {
        const handled = controlError(error);
        if (handled === undefined) throw error;
        reply = handled;
      }
      await send(res, reply, entry);
      return;
    }
    if (area === null) {
      await send(res, nginxNotFound(), entry);
      return;
    }

    const fault: Fault | undefined = state.faults.take({ method, path, segments: path === MASTER_PATH ? requestedSegments(body) : [] });
    entry.fault = fault?.action.type ?? null;
    const action = fault?.action;
    if (action?.type === "drop") return drop(req, entry);
    if (action?.type === "status") return send(res, faultStatusReply(action.status, action.retryAfterSeconds, action.body), entry);
    if (action?.type === "invalid-token") return send(res, errorReply(action.httpStatus, "e-session-0007", "Invalid Token"), entry);
    if (action?.type === "delay") await state.timers.sleep(action.ms);

    const masterFault = fault !== undefined && isMasterFault(fault.action) ? { action: fault.action, segment: fault.match.segment } : undefined;
    const route = routes.get(`${area} ${method} ${path}`);
    const context = { state, method, base, path, query: entry.query, body, masterFault };
    const reply = await dispatch(req, route, context, parsed.ok ? undefined : parsed.error, url.pathname);
    if (action?.type === "drop-after-processing") return drop(req, entry);
    if (action?.type === "truncate-body" && reply.kind === "json") {
      const text = JSON.stringify(reply.body);
      const cut = text.slice(0, Math.floor(text.length * (action.fraction ?? 0.5)));
      return send(res, { kind: "text", status: reply.status, body: cut, contentType: "application/json; charset=utf-8" }, entry);
    }
    await send(res, reply, entry);
  };

  return (req, res) => {
    req.on("error", () => req.socket.destroy());
    res.on("error", () => res.destroy());
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const text = JSON.stringify({ type: "error", code: "e-sandbox-0500", description: `Sandbox internal error: ${(error as Error).message}`, result: {} });
      res.writeHead(500, { "content-type": "application/json; charset=utf-8" }).end(text);
    });
  };
}
