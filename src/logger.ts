import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";

export type Logger = PinoLogger;

/**
 * Every key that can carry a secret, wherever it sits in what we log (DESIGN invariant 6): API
 * keys, XTS app keys and secrets, OAuth access tokens, session tokens, Authorization headers,
 * cookies. Matched exactly, in the spellings XTS, OpenAlgo and HTTP use.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  "apikey",
  "apiKey",
  "appKey",
  "secretKey",
  "accessToken",
  "token",
  "authorization",
  "Authorization",
  "cookie",
  "uniqueKey",
  "password",
]);

const CENSOR = "[redacted]";
/** Deeper than anything we log (a request's headers are three levels down). */
const MAX_DEPTH = 5;

/** What of a value gets logged: its own enumerable keys, and an error's cause (pino logs it too). */
function entriesOf(value: object): [string, unknown][] {
  const entries = Object.entries(value);
  if (value instanceof Error && value.cause !== undefined && !Object.prototype.propertyIsEnumerable.call(value, "cause")) entries.push(["cause", value.cause]);
  return entries;
}

function holdsSecret(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return false;
  for (const [key, item] of entriesOf(value)) {
    if (SECRET_KEYS.has(key)) return true;
    if (holdsSecret(item, depth + 1)) return true;
  }
  return false;
}

function censored(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH || !holdsSecret(value, depth)) return value;
  if (Array.isArray(value)) return value.map((item) => censored(item, depth + 1));
  // An error stays an error of its class (pino's serializer names it by its constructor), with its message and stack.
  const copy: Record<string, unknown> = value instanceof Error ? (Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>) : {};
  if (value instanceof Error) {
    Object.defineProperty(copy, "message", { value: value.message, enumerable: false });
    Object.defineProperty(copy, "stack", { value: value.stack, enumerable: false });
  }
  for (const [key, item] of entriesOf(value)) copy[key] = SECRET_KEYS.has(key) ? CENSOR : censored(item, depth + 1);
  return copy;
}

/**
 * The object of a log line with every secret-named value replaced, at any depth up to
 * MAX_DEPTH; the object itself when it holds none (the usual case costs one walk of its keys).
 * Done here rather than with pino's wildcard `redact` paths (`*.token`, `*.*.token`): those cost
 * ~8 µs a line, more than the rest of a `ping` request (docs/benchmarks.md › Issue 19).
 */
export function redactSecrets<T extends object>(object: T): T {
  return censored(object, 0) as T;
}

/**
 * Without a destination, lines go to stdout (`turnBatchedStdout`): each event-loop turn's lines in
 * one write at its end.
 */
export function createLogger(options: { level: string; destination?: DestinationStream; name?: string }): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? "xtsbridge",
      formatters: { log: redactSecrets },
      // Child bindings do not pass the log formatter: pino's own redaction covers their top-level
      // keys (plain paths cost ~0.3 µs a line; only wildcard paths are slow).
      redact: { paths: [...SECRET_KEYS], censor: CENSOR },
      base: undefined,
    },
    options.destination ?? turnBatchedStdout(),
  );
}

/**
 * A file descriptor (stdout by default) written once per event-loop turn: the lines logged in one
 * turn (a burst of requests answered together) are joined and written, synchronously, as soon as
 * the turn ends, and whatever is still held when the process exits (an uncaught error, a
 * `process.exit`) is written on the way out. A line waits microseconds, not a timer. Measured
 * under load with stdout a pipe, as under systemd or Docker: a write per line cost ~17 µs of a
 * 190 µs `placeorder` (docs/benchmarks.md › Issue 19).
 */
export function turnBatchedStdout(fd = 1): DestinationStream {
  const out = pino.destination({ dest: fd, sync: true });
  let held: string[] = [];
  const flush = (): void => {
    if (held.length === 0) return;
    const lines = held.length === 1 ? held[0]! : held.join("");
    held = [];
    out.write(lines);
  };
  process.on("exit", flush);
  return {
    write(line: string): void {
      if (held.push(line) === 1) setImmediate(flush);
    },
  };
}

/** A logger that drops everything, for tests and library use without logging. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
