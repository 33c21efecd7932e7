import { resolveClient, resolveDealerClients } from "./accounts.js";
import type { RouteContext } from "./routes.js";

/**
 * clientID travels as a query parameter on GET/DELETE and as a body field on POST/PUT
 * (xts-protocol.md §5.7); each is read only where XTS expects it, so a client that puts it in the
 * wrong place finds out here rather than against Jainam.
 */
function suppliedClientID(context: RouteContext): string | undefined {
  if (context.method === "GET" || context.method === "DELETE") return context.query["clientID"];
  const body = context.body;
  if (body === null || typeof body !== "object") return undefined;
  const value = (body as { clientID?: unknown }).clientID;
  return typeof value === "string" ? value : value === undefined || value === null ? undefined : String(value);
}

/** The one client the call acts for. */
export function clientOf(context: RouteContext): string {
  return resolveClient(context.state.account, suppliedClientID(context));
}

/** Dealer book endpoints: every client of the dealer, or the one named. */
export function dealerClientsOf(context: RouteContext): readonly string[] {
  return resolveDealerClients(context.state.account, suppliedClientID(context));
}
