import { XtsBridgeError } from "../../errors.js";
import { XtsAuthFailedError, XtsBadResponseError } from "./errors.js";
import type { XtsHttp } from "./http.js";
import type { JainamConfig } from "./jainam-config.js";
import type { Operation } from "./operation.js";
import { parseHostLookup, parseInteractiveLogin, parseMarketLogin } from "./results.js";
import { settle } from "./session.js";

/** A live interactive session. The token stays in memory, inside the client. */
export interface InteractiveSession {
  readonly token: string;
  readonly userID: string;
  readonly isInvestorClient: boolean;
  readonly clientCodes: readonly string[];
  /** Sent on every call of a dealer login; null for investor logins, which must not send it (§5.7). */
  readonly clientID: string | null;
  /** Interactive base URL: `{server}/interactive`, or the hostlookup connection string (§1.4). */
  readonly base: string;
  readonly via: "direct" | "hostlookup";
}

export interface MarketSession {
  readonly token: string;
  readonly userID: string;
  readonly appVersion: string | null;
  readonly applicationExpiryDate: string | null;
}

/**
 * The hostlookup access password is a constant Symphony publishes in its public SDK README and
 * config.ini, not a user credential (xts-protocol.md §1.4).
 */
const HOSTLOOKUP_BODY = { accesspassword: "2021HostLookUpAccess", version: "interactive_1.0.1" } as const;

/**
 * The connection string replaces `{server}/interactive`. A later fork of OpenAlgo rewrites a
 * trailing `/<N>hostlookup` to `/<N>interactive` before appending routes (§1.4, [FORK-later]);
 * a relative string is taken against the hostlookup URL.
 */
export function interactiveBaseFromConnectionString(connectionString: string, hostlookupUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(connectionString.trim(), hostlookupUrl);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const path = url.pathname.replace(/\/+$/, "").replace(/\/(\d+)hostlookup$/i, "/$1interactive");
  return `${url.origin}${path}`;
}

export interface LoginTimeouts {
  readonly loginMs: number;
}

function loginOperation(name: string, timeouts: LoginTimeouts): Operation {
  return { name, kind: "login", timeoutMs: timeouts.loginMs };
}

async function hostlookup(http: XtsHttp, config: JainamConfig, timeouts: LoginTimeouts): Promise<{ base: string; uniqueKey: string }> {
  const operation = loginOperation("hostlookup", timeouts);
  const outcome = await http.send(operation, { method: "POST", url: config.hostlookupUrl, body: HOSTLOOKUP_BODY });
  const result = settle(operation, outcome, parseHostLookup);
  const base = interactiveBaseFromConnectionString(result.connectionString, config.hostlookupUrl);
  if (base === null) throw new XtsBadResponseError({ operation: operation.name }, "result.connectionString is not an http(s) URL");
  return { base, uniqueKey: result.uniqueKey };
}

async function sessionLogin(
  http: XtsHttp,
  config: JainamConfig,
  timeouts: LoginTimeouts,
  base: string,
  via: InteractiveSession["via"],
  body: Record<string, string>,
): Promise<InteractiveSession> {
  const operation = loginOperation("interactive login", timeouts);
  const outcome = await http.send(operation, { method: "POST", url: `${base}/user/session`, body });
  const result = settle(operation, outcome, parseInteractiveLogin);
  let clientID: string | null = null;
  if (!result.isInvestorClient) {
    // Dealer (Pro) logins act for a client: JAINAM_CLIENT_ID, else the first client code (§5.7).
    clientID = config.clientId ?? result.clientCodes[0] ?? null;
    if (clientID === null) {
      throw new XtsAuthFailedError(
        { operation: operation.name },
        { message: "dealer login returned no clientCodes and JAINAM_CLIENT_ID is not set; no clientID to act for" },
      );
    }
  }
  const session = {
    token: result.token,
    userID: result.userID,
    isInvestorClient: result.isInvestorClient,
    clientCodes: result.clientCodes,
    clientID,
    base,
    via,
  };
  http.logger.info(
    { userID: session.userID, dealer: !session.isInvestorClient, clientID, via, base },
    "xts interactive session started",
  );
  return session;
}

function direct(http: XtsHttp, config: JainamConfig, timeouts: LoginTimeouts): Promise<InteractiveSession> {
  // The SDKs send source "WEBAPI" for the interactive login (§1.3).
  return sessionLogin(http, config, timeouts, `${config.server}/interactive`, "direct", {
    appKey: config.interactiveApiKey.reveal(),
    secretKey: config.interactiveApiSecret.reveal(),
    source: "WEBAPI",
    ...accessToken(config),
  });
}

async function viaHostlookup(
  http: XtsHttp,
  config: JainamConfig,
  timeouts: LoginTimeouts,
  lookup: { base: string; uniqueKey: string },
): Promise<InteractiveSession> {
  return sessionLogin(http, config, timeouts, lookup.base, "hostlookup", {
    appKey: config.interactiveApiKey.reveal(),
    secretKey: config.interactiveApiSecret.reveal(),
    uniqueKey: lookup.uniqueKey,
    ...accessToken(config),
  });
}

/** OAuth-style brokers add the access token of their web login to the interactive login (xts-protocol.md §1.3). */
function accessToken(config: JainamConfig): { accessToken?: string } {
  return config.accessToken === null ? {} : { accessToken: config.accessToken.reveal() };
}

/**
 * Interactive login by the configured route. Jainam's routing has changed under users (direct
 * login answered on one day and 404 the next, §1.4 [LIVE]), so "auto" tries hostlookup and falls
 * back to direct login when the lookup itself fails; a refused login is not retried another way.
 */
export async function loginInteractive(http: XtsHttp, config: JainamConfig, timeouts: LoginTimeouts): Promise<InteractiveSession> {
  switch (config.hostlookup) {
    case "off":
      return direct(http, config, timeouts);
    case "on":
      return viaHostlookup(http, config, timeouts, await hostlookup(http, config, timeouts));
    case "auto": {
      let lookup: { base: string; uniqueKey: string };
      try {
        lookup = await hostlookup(http, config, timeouts);
      } catch (error) {
        if (!(error instanceof XtsBridgeError)) throw error;
        http.logger.warn({ code: error.code, reason: error.message }, "xts hostlookup failed; trying direct login");
        return direct(http, config, timeouts);
      }
      return viaHostlookup(http, config, timeouts, lookup);
    }
    default: {
      const unknownMode: never = config.hostlookup;
      throw new Error(`unknown hostlookup mode ${String(unknownMode)}`);
    }
  }
}

export async function loginMarket(http: XtsHttp, config: JainamConfig, timeouts: LoginTimeouts): Promise<MarketSession> {
  const operation = loginOperation("market login", timeouts);
  // Market-data logins use source "WebAPI" in OpenAlgo and the SDKs (§1.3, §1.5).
  const outcome = await http.send(operation, {
    method: "POST",
    url: `${config.server}${config.marketDataRoot}/auth/login`,
    body: { appKey: config.marketApiKey.reveal(), secretKey: config.marketApiSecret.reveal(), source: "WebAPI" },
  });
  const result = settle(operation, outcome, parseMarketLogin);
  const session = {
    token: result.token,
    userID: result.userID,
    appVersion: typeof result.appVersion === "string" ? result.appVersion : null,
    applicationExpiryDate: typeof result.application_expiry_date === "string" ? result.application_expiry_date : null,
  };
  http.logger.info({ userID: session.userID }, "xts market-data session started");
  return session;
}
