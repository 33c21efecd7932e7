import { ConfigError } from "./errors.js";
import { parseDatabaseUrl } from "./store/database-url.js";
import { Secret, type HostlookupMode, type JainamConfig } from "./xts/client/jainam-config.js";
import { DEFAULT_PROFILE, findProfile, PROFILES, type BrokerProfile } from "./xts/profiles.js";

export type { HostlookupMode, JainamConfig } from "./xts/client/jainam-config.js";
export { Secret } from "./xts/client/jainam-config.js";

/**
 * The whole configuration, read once from the environment at start-up, validated and
 * frozen, then passed down. No other module reads `process.env`.
 */
export interface Config {
  readonly databaseUrl: string;
  /** XTSBRIDGE_PROFILE: which XTS broker (src/xts/profiles.ts; docs/profiles.md). Default jainam_prop. */
  readonly profile: BrokerProfile;
  /** The `broker` column of every table: the profile's name unless XTSBRIDGE_BROKER says otherwise. */
  readonly broker: string;
  readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Null when no Jainam credential is set: `npm start` then serves the built-in sandbox. */
  readonly jainam: JainamConfig | null;
  /** Where the REST API listens: 127.0.0.1:5000 (OpenAlgo's port) unless HOST/PORT say otherwise. */
  readonly http: { readonly host: string; readonly port: number };
  /** Requests per second per API key (OpenAlgo's ORDER_RATE_LIMIT, SMART_ORDER_RATE_LIMIT, API_RATE_LIMIT). */
  readonly rateLimits: { readonly ordersPerSecond: number; readonly smartOrdersPerSecond: number; readonly othersPerSecond: number };
  /** Instruments the built-in sandbox generates when no credentials are set. */
  readonly sandboxInstruments: number;
  /**
   * Set on every process but the one that owns the XTS session (XTSBRIDGE_PRIMARY_URL): such a
   * replica never logs in to XTS and forwards broker calls to the primary (docs/deployment.md).
   */
  readonly primaryUrl: string | null;
  /**
   * XTSBRIDGE_REPLICA_SECRET, the same on a primary and its replicas: a replica proves with it
   * that the request id it hands over is its own, so the primary may tag the order with it. A
   * primary without it adopts no id; a replica must have it.
   */
  readonly replicaSecret: Secret | null;
  /**
   * Where rate-limit counters live: `memory` (one process), `redis` (REDIS_URL) or `postgres`
   * (the DATABASE_URL database), so limits hold across the processes of one deployment.
   * Default: redis when REDIS_URL is set, postgres when DATABASE_URL is, else memory.
   */
  readonly rateLimitStore: { readonly kind: "memory" } | { readonly kind: "redis"; readonly url: string } | { readonly kind: "postgres"; readonly url: string };
  /** How often a process checks the stored contract version (the NOTIFY fallback), in ms. */
  readonly contractCheckMs: number;
  /**
   * OpenAlgo's WebSocket: its own port (WEBSOCKET_HOST, default HOST; WEBSOCKET_PORT, default 8765
   * as OpenAlgo, `off` for none, 0 for any free port) besides `/ws` on the API port; LTP mode's XTS
   * message code (XTS_LTP_MESSAGE_CODE: 1501 touchline, every build; 1512 on newer ones).
   */
  readonly websocket: { readonly host: string; readonly port: number | null; readonly ltpCode: 1501 | 1512 };
  /** REDIS_URL: besides rate limits, the primary publishes ticks and order events there for replicas. */
  readonly redisUrl: string | null;
  /**
   * XTS_MARGIN_DETAILS: whether the broker's XTS serves `POST /orders/margindetails` for /margin.
   * Off by default (Jainam has no margin calculator); the built-in sandbox always serves it.
   */
  readonly marginDetails: boolean;
  /**
   * MASTER_REFRESH_WORKER: parse, build and store a refreshed contract in a worker thread with its
   * own database connection (on, the default), so requests are not held up by it; off runs it on
   * the request thread. An in-memory SQLite database always refreshes on the request thread.
   */
  readonly refreshWorker: boolean;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export const DEFAULT_DATABASE_URL = "sqlite:./data/xtsbridge.db";

export type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = read(env, "DATABASE_URL") ?? DEFAULT_DATABASE_URL;
  parseDatabaseUrl(databaseUrl);
  const profileName = (read(env, "XTSBRIDGE_PROFILE") ?? DEFAULT_PROFILE).toLowerCase();
  const profile = findProfile(profileName);
  if (profile === undefined) throw new ConfigError("XTSBRIDGE_PROFILE", `'${profileName}' is not one of ${PROFILES.map((p) => p.name).join(", ")}`);
  const broker = read(env, "XTSBRIDGE_BROKER") ?? profile.name;
  if (!/^[a-z][a-z0-9_]{0,31}$/.test(broker)) {
    throw new ConfigError("XTSBRIDGE_BROKER", `'${broker}' must be lower-case letters, digits and '_' (e.g. jainam_prop)`);
  }
  const logLevel = (read(env, "LOG_LEVEL") ?? "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError("LOG_LEVEL", `'${logLevel}' is not one of ${LOG_LEVELS.join(", ")}`);
  }
  const jainam = loadJainamConfig(env, profile);
  const host = read(env, "HOST") ?? "127.0.0.1";
  const port = integer(env, "PORT", 5000, 0, 65_535);
  const rateLimits = Object.freeze({
    ordersPerSecond: perSecond(env, "ORDER_RATE_LIMIT", 10),
    smartOrdersPerSecond: perSecond(env, "SMART_ORDER_RATE_LIMIT", 10),
    othersPerSecond: perSecond(env, "API_RATE_LIMIT", 10),
  });
  const sandboxInstruments = integer(env, "SANDBOX_INSTRUMENTS", 150_000, 100, 2_000_000);
  const primary = read(env, "XTSBRIDGE_PRIMARY_URL");
  const primaryUrl = primary === undefined ? null : parseHttpUrl("XTSBRIDGE_PRIMARY_URL", primary);
  const contractCheckMs = integer(env, "CONTRACT_CHECK_MS", 5_000, 100, 3_600_000);
  const replicaSecret = loadReplicaSecret(env, primaryUrl !== null);
  const rateLimitStore = loadRateLimitStore(env, databaseUrl);
  const websocketPort = loadWebsocketPort(env);
  const ltp = read(env, "XTS_LTP_MESSAGE_CODE") ?? String(profile.ltpCode);
  if (ltp !== "1501" && ltp !== "1512") throw new ConfigError("XTS_LTP_MESSAGE_CODE", `'${ltp}' is not one of 1501, 1512`);
  const websocket = Object.freeze({ host: read(env, "WEBSOCKET_HOST") ?? host, port: websocketPort, ltpCode: Number(ltp) as 1501 | 1512 });
  return Object.freeze({
    databaseUrl,
    profile,
    broker,
    logLevel: logLevel as Config["logLevel"],
    jainam,
    http: Object.freeze({ host, port }),
    rateLimits,
    sandboxInstruments,
    primaryUrl,
    replicaSecret,
    rateLimitStore,
    contractCheckMs,
    websocket,
    redisUrl: read(env, "REDIS_URL") ?? null,
    marginDetails: onOff(env, "XTS_MARGIN_DETAILS", profile.margin),
    refreshWorker: onOff(env, "MASTER_REFRESH_WORKER", true),
  });
}

/** A switch: on/off (also true/false, 1/0, yes/no), any case. */
function onOff(env: Env, name: string, fallback: boolean): boolean {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const v = value.toLowerCase();
  if (["on", "true", "1", "yes"].includes(v)) return true;
  if (["off", "false", "0", "no"].includes(v)) return false;
  throw new ConfigError(name, `'${value}' must be on or off`);
}

/** WEBSOCKET_PORT: 8765 (OpenAlgo's) by default, 0 for any free port, `off` for none. */
function loadWebsocketPort(env: Env): number | null {
  const value = read(env, "WEBSOCKET_PORT");
  if (value === undefined) return 8765;
  if (value.toLowerCase() === "off") return null;
  if (!/^\d+$/.test(value) || Number(value) > 65_535) throw new ConfigError("WEBSOCKET_PORT", `'${value}' must be a whole number from 0 to 65535, or off`);
  return Number(value);
}

const RATE_LIMIT_STORES = ["memory", "redis", "postgres"] as const;

function loadRateLimitStore(env: Env, databaseUrl: string): Config["rateLimitStore"] {
  const redis = read(env, "REDIS_URL");
  if (redis !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redis)) throw new ConfigError("REDIS_URL", "must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379");
  const postgres = /^postgres(ql)?:\/\//.test(databaseUrl);
  const chosen = (read(env, "RATE_LIMIT_STORE") ?? (redis !== undefined ? "redis" : postgres ? "postgres" : "memory")).toLowerCase();
  switch (chosen) {
    case "memory":
      return Object.freeze({ kind: "memory" });
    case "redis":
      if (redis === undefined) throw new ConfigError("RATE_LIMIT_STORE", "redis needs REDIS_URL (e.g. redis://127.0.0.1:6379)");
      return Object.freeze({ kind: "redis", url: redis });
    case "postgres":
      if (!postgres) throw new ConfigError("RATE_LIMIT_STORE", "postgres needs DATABASE_URL to be a postgres:// URL");
      return Object.freeze({ kind: "postgres", url: databaseUrl });
    default:
      throw new ConfigError("RATE_LIMIT_STORE", `'${chosen}' is not one of ${RATE_LIMIT_STORES.join(", ")}`);
  }
}

function loadReplicaSecret(env: Env, replica: boolean): Secret | null {
  const value = read(env, "XTSBRIDGE_REPLICA_SECRET");
  if (value === undefined) {
    if (replica) throw new ConfigError("XTSBRIDGE_REPLICA_SECRET", "is required with XTSBRIDGE_PRIMARY_URL: set the same secret (32+ characters) on the primary and every replica");
    return null;
  }
  if (value.length < 32) throw new ConfigError("XTSBRIDGE_REPLICA_SECRET", `must be at least 32 characters (it has ${value.length}); e.g. openssl rand -hex 32`);
  return new Secret(value);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new ConfigError(name, `'${value}' must be a whole number from ${min} to ${max}`);
  return n;
}

/** OpenAlgo writes limits as "10 per second"; a bare number means per second too. */
function perSecond(env: Env, name: string, fallback: number): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const m = /^(\d+)(\s*(\/|per)\s*(s|sec|second))?$/i.exec(value);
  const n = m === null ? Number.NaN : Number(m[1]);
  if (!Number.isSafeInteger(n) || n < 1 || n > 100_000) throw new ConfigError(name, `'${value}' must be like "10 per second" (1 to 100000)`);
  return n;
}


const JAINAM_CREDENTIALS = [
  "JAINAM_INTERACTIVE_API_KEY",
  "JAINAM_INTERACTIVE_API_SECRET",
  "JAINAM_MARKET_API_KEY",
  "JAINAM_MARKET_API_SECRET",
] as const;

const HOSTLOOKUP_MODES = ["auto", "on", "off"] as const satisfies readonly HostlookupMode[];

/**
 * An http(s) URL without query, fragment, credentials or trailing slash. The value is echoed in
 * errors only when it holds no `@` (a URL with user:password must not reach a message).
 */
function parseHttpUrl(variable: string, value: string): string {
  const shown = value.includes("@") ? "(value hidden: it contains '@')" : `'${value}'`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, `${shown} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConfigError(variable, `${shown} must be an http or https URL`);
  if (url.username !== "" || url.password !== "") throw new ConfigError(variable, "must not contain credentials");
  if (url.search !== "" || url.hash !== "") throw new ConfigError(variable, `${shown} must not have a query or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function loadJainamConfig(env: Env, profile: BrokerProfile): JainamConfig | null {
  if (JAINAM_CREDENTIALS.every((name) => read(env, name) === undefined)) return null;
  const tokenValue = read(env, "JAINAM_ACCESS_TOKEN");
  if (profile.login.mode === "access-token" && tokenValue === undefined) {
    // Fail closed: a key-and-secret login against an OAuth broker is refused by the broker anyway.
    throw new ConfigError("JAINAM_ACCESS_TOKEN", `is required for ${profile.name} (${profile.title}): it logs in with the access token of the broker's web login (docs/profiles.md › OAuth brokers)`);
  }
  if (profile.login.mode !== "access-token" && tokenValue !== undefined) {
    throw new ConfigError("JAINAM_ACCESS_TOKEN", `is only for brokers that log in with an access token; ${profile.name} logs in with the key and secret alone`);
  }
  const accessToken = tokenValue === undefined ? null : new Secret(tokenValue);
  const secret = (name: (typeof JAINAM_CREDENTIALS)[number]): Secret => {
    const value = read(env, name);
    if (value === undefined) {
      throw new ConfigError(name, `is required when any of ${JAINAM_CREDENTIALS.join(", ")} is set`);
    }
    return new Secret(value);
  };
  const interactiveApiKey = secret("JAINAM_INTERACTIVE_API_KEY");
  const interactiveApiSecret = secret("JAINAM_INTERACTIVE_API_SECRET");
  const marketApiKey = secret("JAINAM_MARKET_API_KEY");
  const marketApiSecret = secret("JAINAM_MARKET_API_SECRET");
  const server = parseServer(read(env, "JAINAM_SERVER"), profile);

  const mode = (read(env, "JAINAM_HOSTLOOKUP") ?? profile.login.hostlookup).toLowerCase();
  if (!(HOSTLOOKUP_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError("JAINAM_HOSTLOOKUP", `'${mode}' is not one of ${HOSTLOOKUP_MODES.join(", ")}`);
  }
  const hostlookupValue = read(env, "JAINAM_HOSTLOOKUP_URL");
  const hostlookupUrl = hostlookupValue === undefined ? (profile.login.hostlookupUrl ?? `${server}/hostlookup`) : parseHttpUrl("JAINAM_HOSTLOOKUP_URL", hostlookupValue);

  const rootSet = read(env, "JAINAM_MARKETDATA_ROOT");
  const root = rootSet ?? profile.marketDataRoot;
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(root)) {
    throw new ConfigError("JAINAM_MARKETDATA_ROOT", `'${root}' must be a path starting with '/', e.g. ${profile.marketDataRoot}`);
  }
  const marketDataRoot = root.replace(/\/+$/, "");

  const clientId = read(env, "JAINAM_CLIENT_ID") ?? null;
  if (clientId !== null && !/^\S{1,64}$/.test(clientId)) {
    throw new ConfigError("JAINAM_CLIENT_ID", "must be 1–64 characters without spaces");
  }

  return Object.freeze({
    server,
    interactiveApiKey,
    interactiveApiSecret,
    marketApiKey,
    marketApiSecret,
    clientId,
    hostlookup: mode as HostlookupMode,
    hostlookupUrl,
    marketDataRoot,
    // The socket follows an overridden REST root when the profile serves both under one root.
    marketSocketRoot: rootSet !== undefined && profile.marketSocketRoot === profile.marketDataRoot ? marketDataRoot : profile.marketSocketRoot,
    accessToken,
  });
}

/** `A`, `B`, `C` (any case) name Jainam's servers; anything else must be a URL, e.g. the sandbox's. */
/** JAINAM_SERVER: one of the profile's named servers, or a URL; the profile's default when unset. */
function parseServer(value: string | undefined, profile: BrokerProfile): string {
  const names = Object.keys(profile.servers);
  if (value === undefined) {
    if (profile.defaultServer !== null) return profile.servers[profile.defaultServer]!;
    throw new ConfigError("JAINAM_SERVER", `is required with ${profile.name} credentials: ${names.join(", ")} or an http(s) URL`);
  }
  const named = names.find((n) => n.toLowerCase() === value.toLowerCase());
  if (named !== undefined) return profile.servers[named]!;
  if (/^[a-z]+$/i.test(value)) throw new ConfigError("JAINAM_SERVER", `'${value}' is not one of ${names.join(", ")} (${profile.name}), nor a URL`);
  return parseHttpUrl("JAINAM_SERVER", value);
}
