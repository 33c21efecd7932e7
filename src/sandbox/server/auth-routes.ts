import { success, XtsHttpError, type Reply } from "./envelope.js";
import { exchangeSegmentArray, loginEnums } from "./login-enums.js";
import { session, type Route, type RouteContext } from "./routes.js";
import { asFields, optionalString, type Fields } from "./wire-values.js";

// The hostlookup access password is a constant published in Symphony's public SDK (xts-protocol.md §1.4).
export const HOSTLOOKUP_ACCESS_PASSWORD = "2021HostLookUpAccess";
/** The connection string's path: the later fork rewrites `/<N>hostlookup` to `/<N>interactive` (xts-protocol.md §1.4). */
export const HOSTLOOKUP_INTERACTIVE_BASE = "/5interactive";

function credentials(body: unknown, code: string): { fields: Fields; appKey: string; secretKey: string } {
  const fields = asFields(body, code);
  const appKey = optionalString(fields, "appKey", code) ?? "";
  const secretKey = optionalString(fields, "secretKey", code) ?? "";
  return { fields, appKey, secretKey };
}

function invalidCredentials(): XtsHttpError {
  return new XtsHttpError(400, "e-user-0002", "Invalid credentials: appKey or secretKey is wrong", {});
}

/**
 * `POST /hostlookup`. Jainam answers with `type` as the boolean true, not "success"
 * (old upstream jainampro checks `type == True`; xts-protocol.md §1.4), so the envelope is built here.
 */
function hostlookup(context: RouteContext): Reply {
  const fields = asFields(context.body, "e-hostlookup-0001");
  // The access password has been seen spelled `AccessPassword` too (old upstream jainampro).
  const password = fields["accesspassword"] ?? fields["AccessPassword"];
  if (password !== HOSTLOOKUP_ACCESS_PASSWORD) {
    throw new XtsHttpError(400, "e-hostlookup-0002", "Invalid access password", {});
  }
  const version = fields["version"];
  if (typeof version !== "string" || version === "") {
    throw new XtsHttpError(400, "e-hostlookup-0003", "version is required, e.g. interactive_1.0.1", {});
  }
  const uniqueKey = context.state.sessions.issueUniqueKey();
  return {
    kind: "json",
    status: 200,
    body: {
      type: true,
      code: "s-hostlookup-0001",
      description: "Hostlookup successful",
      result: { uniqueKey, connectionString: `${context.state.origin}${HOSTLOOKUP_INTERACTIVE_BASE}` },
    },
  };
}

function interactiveLogin(context: RouteContext): Reply {
  const { state } = context;
  const { fields, appKey, secretKey } = credentials(context.body, "e-user-0001");
  if (context.base === "hostlookup-interactive") {
    // Through the connection string the login must carry the uniqueKey hostlookup issued (xts-protocol.md §1.4 step 3).
    const uniqueKey = optionalString(fields, "uniqueKey", "e-user-0005") ?? "";
    if (!state.sessions.isUniqueKey(uniqueKey)) {
      throw new XtsHttpError(400, "e-user-0005", "Invalid uniqueKey: call /hostlookup first and send its result.uniqueKey", {});
    }
  }
  if (appKey !== state.options.interactiveKey || secretKey !== state.options.interactiveSecret) throw invalidCredentials();
  // OAuth-style brokers add the accessToken their web login handed out (xts-protocol.md §1.3).
  if (state.options.profile.login.mode === "access-token" && optionalString(fields, "accessToken", "e-user-0006") !== state.options.accessToken) {
    throw new XtsHttpError(400, "e-user-0006", "Invalid accessToken: log in through the broker's page (/interactive/thirdparty) for a new one", {});
  }
  const login = state.sessions.login("interactive", appKey, state.account.userID);
  return success("s-user-0001", "Valid User.", {
    enums: loginEnums(),
    clientCodes: [...state.account.clientCodes],
    exchangeSegmentArray: exchangeSegmentArray(),
    token: login.token,
    userID: state.account.userID,
    isInvestorClient: !state.account.dealer,
    isOneTouchUser: false,
  });
}

function interactiveLogout(context: RouteContext): Reply {
  context.state.sessions.logout(session(context));
  return success("s-user-0002", "User logged out successfully", {});
}

function marketLogin(context: RouteContext): Reply {
  const { state } = context;
  const { appKey, secretKey } = credentials(context.body, "e-user-0001");
  if (appKey !== state.options.marketKey || secretKey !== state.options.marketSecret) throw invalidCredentials();
  const login = state.sessions.login("market", appKey, state.account.userID);
  return success("s-user-0001", "Valid User.", {
    token: login.token,
    userID: state.account.userID,
    appVersion: "1.0.0-sandbox",
    application_expiry_date: "2099-12-31",
  });
}

function marketLogout(context: RouteContext): Reply {
  context.state.sessions.logout(session(context));
  return success("s-user-0002", "User logged out successfully", {});
}

export const HOSTLOOKUP_ROUTES: readonly Route[] = [{ method: "POST", path: "/hostlookup", auth: null, handler: hostlookup }];

export const INTERACTIVE_SESSION_ROUTES: readonly Route[] = [
  { method: "POST", path: "/user/session", auth: null, handler: interactiveLogin },
  { method: "DELETE", path: "/user/session", auth: "interactive", handler: interactiveLogout },
];

export const MARKET_SESSION_ROUTES: readonly Route[] = [
  { method: "POST", path: "/auth/login", auth: null, handler: marketLogin },
  { method: "DELETE", path: "/auth/logout", auth: "market", handler: marketLogout },
];
