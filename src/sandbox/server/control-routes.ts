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
    default:
      return null;
  }
}
