import { isXtsSegment, XTS_SEGMENT_CODES, type XtsSegment } from "../segments.js";

/**
 * Pure checks of the `result` of a success envelope. A value the gateway cannot use throws
 * ResultShapeError naming the row and field, which the client reports as XTS_BAD_RESPONSE (or,
 * for an order, as an unknown outcome): a garbled quantity never reads as 0, an unknown
 * segment never passes through as an exchange.
 */
export class ResultShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResultShapeError";
  }
}

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function record(value: unknown, what: string): Json {
  if (!isRecord(value)) throw new ResultShapeError(`${what} is not an object`);
  return value;
}

export function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new ResultShapeError(`${what} is not a list`);
  return value;
}

export function nonEmptyString(value: unknown, what: string): string {
  if (typeof value !== "string" || value === "") throw new ResultShapeError(`${what} is missing or not a string`);
  return value;
}

function shown(value: unknown): string {
  return value === undefined ? "missing" : `${JSON.stringify(value)?.slice(0, 40) ?? String(value)}`;
}

/** XTS sends numbers as numbers or as numeric strings ("41.78", "-75"). */
function numberFrom(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  return Number.NaN;
}

/**
 * Reads the fields of one record, naming `what` (e.g. `order book[3]`) and the field in every
 * failure. Optional readers answer null for an absent or empty value; they never default to 0.
 */
export class RecordReader {
  readonly value: Json;

  constructor(
    value: unknown,
    readonly what: string,
  ) {
    this.value = record(value, what);
  }

  private fail(field: string, expected: string): never {
    throw new ResultShapeError(`${this.what}.${field} is ${shown(this.value[field])}, not ${expected}`);
  }

  private absent(field: string): boolean {
    const v = this.value[field];
    return v === undefined || v === null || v === "";
  }

  /** The first of `fields` XTS sent (some builds spell a key two ways). */
  present(...fields: string[]): string {
    return fields.find((f) => !this.absent(f)) ?? fields[0]!;
  }

  number(field: string): number {
    const n = numberFrom(this.value[field]);
    return Number.isFinite(n) ? n : this.fail(field, "a number");
  }

  optionalNumber(field: string): number | null {
    return this.absent(field) ? null : this.number(field);
  }

  whole(field: string): number {
    const n = numberFrom(this.value[field]);
    return Number.isSafeInteger(n) ? n : this.fail(field, "a whole number");
  }

  optionalWhole(field: string): number | null {
    return this.absent(field) ? null : this.whole(field);
  }

  /** An id XTS may send as a number or as a string of digits. */
  id(field: string): number {
    const n = numberFrom(this.value[field]);
    return Number.isSafeInteger(n) && n >= 0 ? n : this.fail(field, "an integer id");
  }

  /** A string XTS may leave empty: "" when absent, never a made-up value. */
  text(field: string): string {
    const v = this.value[field];
    if (v === undefined || v === null) return "";
    return typeof v === "string" ? v : this.fail(field, "a string");
  }

  optionalText(field: string): string | null {
    const v = this.text(field);
    return v === "" ? null : v;
  }

  segment(field: string): XtsSegment {
    const v = this.value[field];
    return typeof v === "string" && isXtsSegment(v) ? v : this.fail(field, `one of ${Object.keys(XTS_SEGMENT_CODES).join(", ")}`);
  }

  /** One of `values`, matched ignoring case, spaces, '-' and '_' ("Trigger Pending" is TriggerPending). */
  oneOf<T extends string>(field: string, values: Readonly<Record<string, T>>): T {
    const v = this.value[field];
    const key = typeof v === "string" ? v.replace(/[\s_-]/g, "").toLowerCase() : "";
    const found = Object.hasOwn(values, key) ? values[key] : undefined;
    return found ?? this.fail(field, `one of ${[...new Set(Object.values(values))].join(", ")}`);
  }
}
