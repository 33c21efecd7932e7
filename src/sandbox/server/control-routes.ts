import type { SandboxControl } from "../control.js";
import type { Reply } from "./envelope.js";
import { faultFromJson } from "./faults.js";

/**
 * The control API over HTTP, for the CLI sandbox: the same operations as `sandbox.control`.
 * No authentication: the server binds to loopback only. Answers are plain JSON, not XTS envelopes.
 */
export class ControlRequestError extends Error {}

function ok(body: Record<string, unknown> = {}): Reply {
  return { kind: "json", status: 200, body: { ok: true, ...body } };
}

function priceBody(body: unknown): { segment: string; token: number; price: number } {
  const { segment, token, price } = (body ?? {}) as { segment?: unknown; token?: unknown; price?: unknown };
  if (typeof segment !== "string" || !Number.isSafeInteger(Number(token)) || typeof price !== "number") {
    throw new ControlRequestError('POST /_sandbox/price needs {"segment":"NSECM","token":2885,"price":1234.5}');
  }
  return { segment, token: Number(token), price };
}

const STREAM_ACTIONS = ["drop", "stall", "logout", "duplicate-orders", "reorder-orders"] as const;

/** `POST /_sandbox/streams {"action": "drop"|"stall"|"logout"|"duplicate-orders"|"reorder-orders", "socket"?, "ms"?, "count"?}`. */
function streamFault(control: SandboxControl, body: unknown): Reply {
  const { action, socket, ms, count } = (body ?? {}) as { action?: unknown; socket?: unknown; ms?: unknown; count?: unknown };
  if (socket !== undefined && socket !== "market" && socket !== "interactive") throw new ControlRequestError(`socket ${JSON.stringify(socket)} must be market or interactive (or absent for both)`);
  const n = (value: unknown, name: string): number => {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw new ControlRequestError(`${name} must be a whole number ≥ 0`);
    return value;
  };
  const s = control.streams;
  switch (action) {
    case "drop":
      return ok({ sockets: s.drop(socket) });
    case "logout":
      return ok({ sockets: s.logout(socket) });
    case "stall":
      s.stall(n(ms, "ms"));
      return ok();
    case "duplicate-orders":
      s.duplicateOrderEvents(n(count, "count"));
      return ok();
    case "reorder-orders":
      s.reorderOrderEvents(n(count, "count"));
      return ok();
    default:
      throw new ControlRequestError(`action ${JSON.stringify(action ?? null)} is not one of ${STREAM_ACTIONS.join(", ")}`);
  }
}

/** Null when the path is not a control route, so the router answers 404. */
export function handleControl(control: SandboxControl, method: string, path: string, body: unknown): Reply | null {
  switch (`${method} ${path}`) {
    case "POST /faults":
      control.inject(faultFromJson(body));
      return ok({ pending: control.pendingFaults().length });
    case "GET /faults":
      return ok({
        faults: control.pendingFaults().map(({ fault, remaining }) => ({
          ...fault,
          match: { ...fault.match, path: fault.match.path instanceof RegExp ? fault.match.path.source : fault.match.path },
          remaining,
        })),
      });
    case "DELETE /faults":
      control.clearFaults();
      return ok();
    case "GET /requests":
      return ok({ requests: control.requests() });
    case "DELETE /requests":
      control.clearRequests();
      return ok();
    case "GET /orders":
      return ok({ orders: control.orders() });
    case "POST /price": {
      const { segment, token, price } = priceBody(body);
      return ok({ ...control.setPrice(segment, token, price) });
    }
    case "POST /expire-sessions":
      control.expireSessions();
      return ok();
    case "POST /reset":
      control.reset();
      return ok();
    case "GET /streams":
      return ok({ connected: control.streams.connected() });
    case "POST /streams":
      return streamFault(control, body);
    default:
      return null;
  }
}
