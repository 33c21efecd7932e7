/**
 * Fault injection: explicit, queued instructions that make the next matching request(s) fail in a
 * chosen way. Tests say what should break; no symbol or amount triggers a failure by magic
 * (STYLE principle 6).
 */
export type FaultStatus = 429 | 500 | 502 | 503 | 504;

export type FaultAction =
  /** Answer with this status instead of processing. 429 gets a JSON envelope, 5xx an HTML page unless `body` says otherwise. */
  | { readonly type: "status"; readonly status: FaultStatus; readonly retryAfterSeconds?: number; readonly body?: "json" | "html" }
  /** Answer "Invalid Token" without processing; Jainam has been seen to send it with HTTP 200 (xts-protocol.md §1.6). */
  | { readonly type: "invalid-token"; readonly httpStatus: 200 | 400 }
  /** Destroy the socket without answering; the request is NOT processed. */
  | { readonly type: "drop" }
  /** Process the request (an order is accepted), then destroy the socket: the unknown-outcome case. */
  | { readonly type: "drop-after-processing" }
  /** Wait, then process normally. */
  | { readonly type: "delay"; readonly ms: number }
  /** Any JSON route: process the request, then send only `fraction` (default half) of the answer's JSON. */
  | { readonly type: "truncate-body"; readonly fraction?: number }
  /** Master only: send part of the body and end the response, leaving invalid JSON. */
  | { readonly type: "truncate-master"; readonly fraction?: number }
  /** Master only: a valid envelope with garbage lines mixed into the text. */
  | { readonly type: "malformed-master"; readonly lines?: number }
  /** Master only: success with an empty `result` (as NSECD/MCXFO on a Prop account, [LIVE]). */
  | { readonly type: "empty-segment" };

export type FaultType = FaultAction["type"];

export interface FaultMatch {
  readonly method?: string;
  /** The path after the base, e.g. "/orders" or "/instruments/master"; a RegExp is tested against it. */
  readonly path?: string | RegExp;
  /** Master requests only: matches when the request's exchangeSegmentList names this segment. */
  readonly segment?: string;
}

export interface Fault {
  readonly match: FaultMatch;
  /** How many requests this fault applies to; default 1. */
  readonly times?: number;
  readonly action: FaultAction;
}

export interface PendingFault {
  readonly fault: Fault;
  readonly remaining: number;
}

/** What the queue needs to know about a request to match it. */
export interface FaultProbe {
  readonly method: string;
  readonly path: string;
  readonly segments: readonly string[];
}

export const MASTER_PATH = "/instruments/master";

const MASTER_FAULTS: ReadonlySet<FaultType> = new Set(["truncate-master", "malformed-master", "empty-segment"]);

/** Faults that change the master's body rather than the exchange: the master handler applies them. */
export function isMasterFault(action: FaultAction): boolean {
  return MASTER_FAULTS.has(action.type);
}
const STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

export class FaultSpecError extends Error {}

function check(condition: boolean, message: string): void {
  if (!condition) throw new FaultSpecError(message);
}

function validate(fault: Fault): void {
  check(typeof fault === "object" && fault !== null, "a fault is an object {match, action, times?}");
  check(typeof fault.match === "object" && fault.match !== null, "fault.match must be an object");
  const { action } = fault;
  check(typeof action === "object" && action !== null, "fault.action must be an object");
  check(fault.times === undefined || (Number.isSafeInteger(fault.times) && fault.times > 0), "fault.times must be a positive integer");
  const { path, method, segment } = fault.match;
  check(path === undefined || typeof path === "string" || path instanceof RegExp, "fault.match.path must be a string or RegExp");
  check(method === undefined || typeof method === "string", "fault.match.method must be a string");
  check(segment === undefined || typeof segment === "string", "fault.match.segment must be a string");
  switch (action.type) {
    case "status":
      check(STATUSES.has(action.status), "status must be 429, 500, 502, 503 or 504");
      check(action.retryAfterSeconds === undefined || (Number.isFinite(action.retryAfterSeconds) && action.retryAfterSeconds >= 0), "retryAfterSeconds must be >= 0");
      check(action.body === undefined || action.body === "json" || action.body === "html", "body must be 'json' or 'html'");
      return;
    case "invalid-token":
      check(action.httpStatus === 200 || action.httpStatus === 400, "invalid-token httpStatus must be 200 or 400");
      return;
    case "delay":
      check(Number.isFinite(action.ms) && action.ms >= 0, "delay ms must be >= 0");
      return;
    case "truncate-master":
    case "truncate-body":
      check(action.fraction === undefined || (action.fraction >= 0 && action.fraction < 1), `${action.type} fraction must be in [0, 1)`);
      return;
    case "malformed-master":
      check(action.lines === undefined || (Number.isSafeInteger(action.lines) && action.lines > 0), "malformed-master lines must be a positive integer");
      return;
    case "drop":
    case "drop-after-processing":
    case "empty-segment":
      return;
    default: {
      const unknown: never = action;
      throw new FaultSpecError(`unknown fault action type ${JSON.stringify((unknown as { type?: unknown }).type)}`);
    }
  }
}

function matches(fault: Fault, probe: FaultProbe): boolean {
  const { method, path, segment } = fault.match;
  if (method !== undefined && method.toUpperCase() !== probe.method) return false;
  if (path instanceof RegExp ? !path.test(probe.path) : path !== undefined && path !== probe.path) return false;
  if (segment !== undefined && !probe.segments.includes(segment)) return false;
  if (isMasterFault(fault.action) && probe.path !== MASTER_PATH) return false;
  return true;
}

/** Faults in injection order; the first that matches a request applies and uses up one of its `times`. */
export class FaultQueue {
  private entries: { fault: Fault; remaining: number }[] = [];

  inject(fault: Fault): void {
    validate(fault);
    this.entries.push({ fault, remaining: fault.times ?? 1 });
  }

  take(probe: FaultProbe): Fault | undefined {
    const entry = this.entries.find((candidate) => matches(candidate.fault, probe));
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.entries = this.entries.filter((candidate) => candidate !== entry);
    return entry.fault;
  }

  pending(): readonly PendingFault[] {
    return this.entries.map(({ fault, remaining }) => ({ fault, remaining }));
  }

  clear(): void {
    this.entries = [];
  }
}

/**
 * A fault posted as JSON to /_sandbox/faults. JSON has no RegExp, so `match.pathPattern` carries
 * the pattern source and becomes `match.path`.
 */
export function faultFromJson(value: unknown): Fault {
  check(typeof value === "object" && value !== null && !Array.isArray(value), "a fault is a JSON object {match, action, times?}");
  const raw = value as { match?: unknown; action?: unknown; times?: unknown };
  const match = (raw.match ?? {}) as Record<string, unknown>;
  check(typeof match === "object" && match !== null, "fault.match must be an object");
  const { pathPattern, ...rest } = match;
  let path: string | RegExp | undefined = rest["path"] as string | undefined;
  if (pathPattern !== undefined) {
    check(typeof pathPattern === "string", "fault.match.pathPattern must be a string");
    try {
      path = new RegExp(pathPattern as string);
    } catch (error) {
      throw new FaultSpecError(`fault.match.pathPattern is not a valid RegExp: ${(error as Error).message}`);
    }
  }
  const fault = { match: { ...rest, path }, action: raw.action, times: raw.times } as Fault;
  validate(fault);
  return fault;
}
