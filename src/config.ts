import { ConfigError } from "./errors.js";
import { parseDatabaseUrl } from "./store/database-url.js";

/**
 * The whole configuration, read once from the environment at start-up, validated and
 * frozen, then passed down. No other module reads `process.env`.
 */
export interface Config {
  readonly databaseUrl: string;
  readonly broker: string;
  readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export const DEFAULT_DATABASE_URL = "sqlite:./data/xtsbridge.db";
export const DEFAULT_BROKER = "jainam_prop";

export type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = read(env, "DATABASE_URL") ?? DEFAULT_DATABASE_URL;
  parseDatabaseUrl(databaseUrl);
  const broker = read(env, "XTSBRIDGE_BROKER") ?? DEFAULT_BROKER;
  if (!/^[a-z][a-z0-9_]{0,31}$/.test(broker)) {
    throw new ConfigError("XTSBRIDGE_BROKER", `'${broker}' must be lower-case letters, digits and '_' (e.g. jainam_prop)`);
  }
  const logLevel = (read(env, "LOG_LEVEL") ?? "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError("LOG_LEVEL", `'${logLevel}' is not one of ${LOG_LEVELS.join(", ")}`);
  }
  return Object.freeze({ databaseUrl, broker, logLevel: logLevel as Config["logLevel"] });
}
