import { XtsBridgeError } from "../../errors.js";
import type { ReplyOutcome } from "./classify.js";
import { XtsSessionExpiredError } from "./errors.js";
import type { XtsHttp, XtsRequest } from "./http.js";
import { badResponseError, outcomeError, type Operation } from "./operation.js";
import { ResultShapeError } from "./results.js";
import type { StreamEndpoint } from "./types.js";

/**
 * The one owner of a session token in this process. XTS allows one session per app key and a
 * second login silently kills the first (xts-protocol.md §1.6, §7.4), so concurrent callers
 * must share a single login: whoever needs a session while a login is running waits for it.
 */
export class SessionOwner<S extends { readonly token: string }> {
  private readonly loginFn: () => Promise<S>;
  private current: S | null = null;
  private pending: Promise<S> | null = null;
  /** Bumped by clear(), so a login that finishes after a logout is not kept. */
  private generation = 0;

  constructor(login: () => Promise<S>) {
    this.loginFn = login;
  }

  /** The live session, logging in when there is none. */
  get(): Promise<S> {
    return this.current !== null ? Promise.resolve(this.current) : this.login();
  }

  /** Joins the running login, or starts a fresh one. */
  login(): Promise<S> {
    return this.pending ?? this.start();
  }

  /**
   * `stale` was refused: log in again — unless another caller already replaced it, in which case
   * its successor is returned, so N callers refused together cause one login, not N.
   */
  renew(stale: S): Promise<S> {
    if (this.current !== null && this.current !== stale) return Promise.resolve(this.current);
    this.current = null;
    return this.login();
  }

  peek(): S | null {
    return this.current;
  }

  /** Forgets the session (after logout). */
  clear(): void {
    this.current = null;
    this.pending = null;
    this.generation += 1;
  }

  private start(): Promise<S> {
    const generation = this.generation;
    const attempt = this.loginFn().then(
      (session) => {
        if (this.generation === generation) {
          this.current = session;
          this.pending = null;
        }
        return session;
      },
      (error: unknown) => {
        if (this.generation === generation) this.pending = null;
        throw error;
      },
    );
    this.pending = attempt;
    return attempt;
  }
}

/** Turns a final outcome into the parsed result, the empty value, or the operation's error. */
export type ResultParser<T> = (result: unknown, envelope: { readonly code: string; readonly description: string }) => T;

export function settle<T>(operation: Operation, outcome: ReplyOutcome, parse: ResultParser<T>, empty?: () => T): T {
  if (outcome.kind === "ok") {
    try {
      return parse(outcome.result, { code: outcome.code, description: outcome.description });
    } catch (error) {
      if (error instanceof ResultShapeError) throw badResponseError(operation, outcome.status, error.message, error);
      throw error;
    }
  }
  if (outcome.kind === "no-data" && operation.emptyOnNoData === true && empty !== undefined) return empty();
  throw outcomeError(operation, outcome);
}

/**
 * Runs one call with the session's token. "Invalid Token" — with any HTTP status, Jainam sends
 * it with 200 too (§1.6) — renews the session; a read is then repeated once, while an order or
 * command is not repeated (it reports XTS_SESSION_EXPIRED, and the next call has a fresh token).
 */
export async function runInSession<S extends { readonly token: string }, T>(
  http: XtsHttp,
  owner: SessionOwner<S>,
  operation: Operation,
  build: (session: S) => XtsRequest,
  parse: ResultParser<T>,
  empty?: () => T,
): Promise<T> {
  const session = await owner.get();
  let outcome = await http.send(operation, build(session));
  if (outcome.kind === "invalid-token") {
    http.logger.info({ op: operation.name, status: outcome.status }, "xts session refused (Invalid Token); logging in again");
    if (operation.kind !== "read") {
      let renewal: unknown;
      try {
        await owner.renew(session);
      } catch (error) {
        if (!(error instanceof XtsBridgeError)) throw error;
        renewal = error;
      }
      throw new XtsSessionExpiredError(
        { operation: operation.name, httpStatus: outcome.status },
        `session expired (${outcome.envelope.code}: ${outcome.envelope.description}); the request was not carried out and ` +
          (renewal === undefined ? "was not resent; a new session is ready for the next call" : "was not resent; logging in again failed"),
        renewal,
      );
    }
    const renewed = await owner.renew(session);
    outcome = await http.send(operation, build(renewed));
  }
  return settle(operation, outcome, parse, empty);
}

/**
 * Login and logout of one XTS API (interactive or market data), shared by both clients: they
 * differ only in how they log in and which request ends the session.
 */
export class SessionClient<S extends { readonly token: string }> {
  readonly owner: SessionOwner<S>;

  constructor(
    private readonly http: XtsHttp,
    login: () => Promise<S>,
    private readonly logoutOperation: Operation,
    private readonly logoutRequest: (session: S) => XtsRequest,
  ) {
    this.owner = new SessionOwner(login);
  }

  /** Logs in (or joins a login in flight) and describes the session, without its token (which never leaves the client). */
  async login(): Promise<Omit<S, "token">> {
    const { token: _token, ...info } = await this.owner.login();
    return info;
  }

  /** Ends the session on the server; a session the server already dropped counts as ended. */
  async logout(): Promise<void> {
    const session = this.owner.peek();
    this.owner.clear();
    if (session === null) return;
    const outcome = await this.http.send(this.logoutOperation, this.logoutRequest(session));
    if (outcome.kind !== "ok" && outcome.kind !== "invalid-token") throw outcomeError(this.logoutOperation, outcome);
  }
}

/**
 * A socket's endpoint under `base` (`{base}/socket.io`) with the session's own token: sockets
 * never log in themselves, since a second login would end this session. `renew` replaces a token
 * the socket was refused (joining a login in flight).
 */
export async function sessionStreamEndpoint<S extends { readonly token: string; readonly userID: string }>(
  owner: SessionOwner<S>,
  base: (session: S) => string,
  query: Readonly<Record<string, string>>,
): Promise<StreamEndpoint> {
  const session = await owner.get();
  const url = new URL(base(session));
  return {
    origin: url.origin,
    path: `${url.pathname.replace(/\/$/, "")}/socket.io`,
    query: { token: session.token, userID: session.userID, ...query },
    renew: async () => {
      await owner.renew(session);
    },
  };
}
