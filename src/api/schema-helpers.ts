import { z } from "zod";

/**
 * OpenAlgo clients send numbers as strings ("quantity":"1", "price":"16") — TradingView and
 * Amibroker templates do — so every numeric field takes a JSON number or a string of plain
 * decimal digits. Nothing else: "1e3", " 2 ", "0x10", "+5" and "" are refused by name, since
 * reading them as numbers (as Number() does) turns a typo into an order of another size.
 * JSON cannot carry NaN; 1e309 parses to Infinity and is refused; -0 becomes 0.
 */
function decimal(field: string, pattern: RegExp, shape: string) {
  return z
    .union([z.number(), z.string()], { error: `${field} must be a number or a string of ${shape}` })
    .transform((value, ctx) => {
      const n = typeof value === "number" ? value : pattern.test(value) ? Number(value) : Number.NaN;
      if (!Number.isFinite(n)) {
        ctx.addIssue({ code: "custom", message: `${field} must be ${shape}, got ${JSON.stringify(value).slice(0, 40)}` });
        return z.NEVER;
      }
      return n === 0 ? 0 : n;
    })
    // The JSON schema of the input says only "number or string"; the description says what the string holds.
    .meta({ description: `${field}: a number, or a string of ${shape}` });
}

const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;
const PLAIN_WHOLE = /^\d+$/;
const SIGNED_WHOLE = /^-?\d+$/;

/** A price: ≥ 0, as a number or a plain decimal string ("16", "16.5"). */
export function nonNegative(field: string) {
  return decimal(field, PLAIN_DECIMAL, 'a plain decimal such as "16" or "16.5"').refine((n) => n >= 0, { message: `${field} must be ≥ 0` });
}

/** A count: a whole number ≥ `min`, as a number or a string of digits ("1", "75"). */
export function wholeNumber(field: string, min: number) {
  const shape = min > 0 ? "a positive whole number" : `a whole number ≥ ${min}`;
  return decimal(field, PLAIN_WHOLE, `${shape} (digits only, such as "1" or "75")`).refine((n) => Number.isSafeInteger(n) && n >= min, {
    message: `${field} must be ${shape}`,
  });
}

/** A signed whole number (a target position: "-75", "0", "150"). */
export function signedWholeNumber(field: string) {
  return decimal(field, SIGNED_WHOLE, 'a whole number such as "-75" or "150"').refine(Number.isSafeInteger, { message: `${field} must be a whole number` });
}

/** An API key is compared as sent: surrounding spaces are not trimmed away into a valid key. */
export function apiKeyField() {
  return z
    .string({ error: "apikey must be a string" })
    .min(1, { message: "apikey must not be empty" })
    .max(256, { message: "apikey must be at most 256 characters" });
}

/** A required non-blank string with a sane length cap. */
export function text(field: string, max = 256) {
  return z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, { message: `${field} must not be empty` })
    .max(max, { message: `${field} must be at most ${max} characters` });
}

/** An upper-cased enum: `buy` and `BUY` are both accepted where OpenAlgo accepts either. */
export function upperEnum<const T extends readonly [string, ...string[]]>(field: string, values: T, explain: (value: string) => string | undefined = () => undefined) {
  const allowed = `${field} must be one of ${values.join(", ")}`;
  return z
    .string({ error: allowed })
    .transform((v) => v.trim().toUpperCase())
    .pipe(
      z.enum(values, {
        error: (issue) => {
          const why = typeof issue.input === "string" ? explain(issue.input) : undefined;
          return why === undefined ? allowed : `${allowed} (${why})`;
        },
      }),
    )
    .meta({ description: `one of ${values.join(", ")} (any case)` });
}

/** A case-sensitive enum, as OpenAlgo's `pricetype` and `product` are. */
export function exactEnum<const T extends readonly [string, ...string[]]>(field: string, values: T) {
  return z.enum(values, { error: `${field} must be one of ${values.join(", ")}` });
}

/** `orderid` arrives as a string or a number; we always hand it on as a string. */
export function orderId() {
  return z
    .union([z.string(), z.number()], { error: "orderid must be a string or a number" })
    .transform((v) => String(v).trim())
    .pipe(z.string().min(1, { message: "orderid must not be empty" }).max(40, { message: "orderid is too long" }))
    .meta({ description: "the orderid placeorder returned (XTS AppOrderID), as a string or a number" });
}

/**
 * Whether the field at `path` is absent from the request (as opposed to present with a bad value).
 * Zod 4 does not put the input on an issue unless asked, so presence is read from the request.
 */
function isMissing(input: unknown, path: readonly PropertyKey[]): boolean {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return true;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return false;
}

/**
 * Turns zod issues into `{field: [messages]}` and one readable sentence. With the request as
 * `input`, an absent field reads "is required" and a present one says what is wrong with it.
 * Field names come from the client, so they are collected in a Map: a field called
 * `constructor` or `__proto__` must not land on Object.prototype.
 */
export function describeIssues(error: z.ZodError, input?: unknown): { message: string; errors: Record<string, string[]> } {
  const byField = new Map<string, string[]>();
  const add = (field: string, message: string): void => {
    const list = byField.get(field);
    if (list === undefined) byField.set(field, [message]);
    else list.push(message);
  };
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add(key.slice(0, 64), "Unknown field.");
      continue;
    }
    const field = issue.path.length === 0 ? "body" : issue.path.map(String).join(".").slice(0, 64);
    const missing = input === undefined ? issue.code === "invalid_type" && issue.input === undefined : issue.path.length > 0 && isMissing(input, issue.path);
    add(field, missing ? `${field} is required` : issue.message);
  }
  const message = [...byField]
    .map(([field, messages]) => `${field}: ${messages.join(" ")}`)
    .join("; ");
  // fromEntries defines own properties, so even "__proto__" stays an ordinary key.
  return { message, errors: Object.fromEntries(byField) };
}
