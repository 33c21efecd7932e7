import { XtsHttpError } from "./envelope.js";

/** The login the sandbox serves: an investor with one client code, or a dealer trading for several clients. */
export interface Account {
  readonly userID: string;
  readonly dealer: boolean;
  readonly clientCodes: readonly string[];
}

export const SANDBOX_USER_ID = "SANDBOX01";
export const DEALER_CLIENT_CODES = ["CLIENT1", "CLIENT2"] as const;

export function buildAccount(dealer: boolean): Account {
  return Object.freeze({
    userID: SANDBOX_USER_ID,
    dealer,
    clientCodes: Object.freeze(dealer ? [...DEALER_CLIENT_CODES] : [SANDBOX_USER_ID]),
  });
}

// Jainam's answer for a clientID the login may not trade for ([LIVE], xts-protocol.md §5.6).
function notMapped(): XtsHttpError {
  return new XtsHttpError(400, "e-trade-00002", "Supplied client not mapped under dealer", {});
}

/**
 * The client a call acts for. Dealer (Pro) logins must name one of their client codes on every
 * call (xts-protocol.md §5.7); investor logins may omit it, and if they send one it must be theirs.
 */
export function resolveClient(account: Account, supplied: string | undefined): string {
  if (supplied === undefined || supplied === "") {
    if (account.dealer) throw notMapped();
    return account.clientCodes[0]!;
  }
  if (!account.clientCodes.includes(supplied)) throw notMapped();
  return supplied;
}

/** Dealer book endpoints: an empty clientID means every client of the dealer. */
export function resolveDealerClients(account: Account, supplied: string | undefined): readonly string[] {
  if (!account.dealer) {
    throw new XtsHttpError(400, "e-dealer-0001", "Dealer API is only available to dealer logins (isInvestorClient is true)", {});
  }
  if (supplied === undefined || supplied === "") return account.clientCodes;
  return [resolveClient(account, supplied)];
}
