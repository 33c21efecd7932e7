import { badRequest } from "./envelope.js";

/**
 * Readers for request fields. XTS clients send numbers either as JSON numbers or as numeric
 * strings (upstream OpenAlgo passes the request's strings straight through, xts-protocol.md §5.1),
 * so both are accepted; anything else is refused with a message naming the field.
 */
export type Fields = Readonly<Record<string, unknown>>;

export function asFields(body: unknown, code: string): Fields {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw badRequest(code, "body", "Request body must be a JSON object");
  }
  return body as Fields;
}

export function optionalString(fields: Fields, name: string, code: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badRequest(code, name, `${name} must be a string`);
  return value;
}

export function requiredString(fields: Fields, name: string, code: string): string {
  const value = optionalString(fields, name, code);
  if (value === undefined || value.trim() === "") throw badRequest(code, name, `${name} is required`);
  return value;
}

function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "") return Number(value);
  return Number.NaN;
}

export function optionalNumber(fields: Fields, name: string, code: string): number | undefined {
  const value = fields[name];
  if (value === undefined || value === null || value === "") return undefined;
  const n = toNumber(value);
  if (!Number.isFinite(n)) throw badRequest(code, name, `${name} must be a number, got ${JSON.stringify(value)}`);
  return n;
}

export function requiredNumber(fields: Fields, name: string, code: string): number {
  const n = optionalNumber(fields, name, code);
  if (n === undefined) throw badRequest(code, name, `${name} is required`);
  return n;
}

export function requiredInteger(fields: Fields, name: string, code: string): number {
  const n = requiredNumber(fields, name, code);
  if (!Number.isSafeInteger(n)) throw badRequest(code, name, `${name} must be an integer, got ${JSON.stringify(fields[name])}`);
  return n;
}

/** A price is on the tick when it is a whole number of ticks, allowing for binary fractions. */
export function isOnTick(price: number, tick: number): boolean {
  const ticks = Math.round(price / tick);
  return Math.abs(ticks * tick - price) <= tick * 1e-6;
}

export function roundToTick(price: number, tick: number): number {
  const ticks = Math.max(1, Math.round(price / tick));
  return Number((ticks * tick).toFixed(decimals(tick)));
}

/** Decimal places needed to print a tick size such as 0.05 or 0.0025 exactly. */
export function decimals(tick: number): number {
  const text = String(tick);
  const dot = text.indexOf(".");
  return dot === -1 ? 0 : Math.min(8, text.length - dot - 1);
}
