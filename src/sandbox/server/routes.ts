import type { Reply } from "./envelope.js";
import type { MasterFault } from "./master-body.js";
import type { RequestBase } from "./request-log.js";
import type { SandboxState } from "./sandbox-state.js";
import type { Session, SessionKind } from "./sessions.js";

/** What a handler sees of a request: already parsed, authenticated when the route asks for it. */
export interface RouteContext {
  readonly state: SandboxState;
  readonly method: string;
  readonly base: RequestBase;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** The session of the route's kind; undefined only on routes without `auth`. */
  readonly session: Session | undefined;
  /** A master fault (truncate, malformed, empty) the master handler must apply. */
  readonly masterFault: MasterFault;
}

export type Handler = (context: RouteContext) => Reply | Promise<Reply>;

export interface Route {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path after the base, e.g. "/orders". */
  readonly path: string;
  /** Which session the route needs; null for logins. */
  readonly auth: SessionKind | null;
  readonly handler: Handler;
}

export function session(context: RouteContext): Session {
  if (context.session === undefined) throw new Error(`route ${context.method} ${context.path} used a session it did not ask for`);
  return context.session;
}
