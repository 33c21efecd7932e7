import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";

export type Logger = PinoLogger;

/**
 * Every key that can carry a secret, at any depth we log: API keys, XTS app keys and
 * secrets, session tokens, Authorization headers (DESIGN invariant 6).
 */
export const REDACT_PATHS = [
  "apikey",
  "*.apikey",
  "appKey",
  "*.appKey",
  "secretKey",
  "*.secretKey",
  "accessToken",
  "*.accessToken",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "Authorization",
  "*.Authorization",
  "req.headers.authorization",
  "req.headers.cookie",
  "*.*.apikey",
  "*.*.token",
  "*.*.secretKey",
  "*.*.appKey",
  "uniqueKey",
  "*.uniqueKey",
  "password",
  "*.password",
];

export function createLogger(options: { level: string; destination?: DestinationStream; name?: string }): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? "xtsbridge",
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: undefined,
    },
    options.destination,
  );
}

/** A logger that drops everything, for tests and library use without logging. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
