import { ValidationError, XtsBridgeError } from "../errors.js";
import { isoOfExpiry, isoOfParts, MONTH_PATTERN } from "../instruments/expiry.js";
import type { SymbolIndex } from "../resolver/symbol-index.js";
import type { SymbolRow } from "../store/types.js";
import type { OptionKind } from "./black76.js";

/** `ATM`, `ITM1`…`ITM50`, `OTM1`…`OTM50`, as OpenAlgo's offset validator allows. */
export const OFFSET_PATTERN = /^(ATM|(ITM|OTM)([1-9]|[1-4][0-9]|50))$/;
export const OFFSET_HELP = "offset must be ATM, ITM1…ITM50 or OTM1…OTM50";

/** Strikes away from ATM, signed towards higher strikes: a call's ITM2 is −2, a put's +2. */
export function offsetSteps(offset: string, kind: OptionKind): number {
  const m = OFFSET_PATTERN.exec(offset);
  if (m === null) throw new ValidationError("offset", `${OFFSET_HELP}, got '${offset}'`);
  if (m[1] === "ATM") return 0;
  const n = Number(m[3]);
  const inTheMoney = m[2] === "ITM";
  return (kind === "CE") === inTheMoney ? -n : n;
}

/** The label of a strike `steps` strikes above ATM, for one side: `ATM`, `ITM3`, `OTM1`. */
export function labelOf(steps: number, kind: OptionKind): string {
  if (steps === 0) return "ATM";
  const inTheMoney = (kind === "CE") === steps < 0;
  return `${inTheMoney ? "ITM" : "OTM"}${Math.abs(steps)}`;
}

const COMPACT_EXPIRY = new RegExp(`^(\\d{2})(${MONTH_PATTERN})(\\d{2})$`);
const EMBEDDED_EXPIRY = new RegExp(`^(.+?)(\\d{2}(?:${MONTH_PATTERN})\\d{2})(FUT)?$`);

/** `28OCT25` → the `expiry` column's `28-OCT-25`; anything else names the field. */
export function expiryColumn(compact: string, field = "expiry_date"): string {
  const m = COMPACT_EXPIRY.exec(compact.trim().toUpperCase());
  if (m === null) throw new ValidationError(field, `${field} must be DDMMMYY, e.g. 28OCT25; got '${compact}'`);
  const iso = isoOfParts(m[1]!, m[2]!, m[3]!);
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) throw new ValidationError(field, `${field} '${compact}' is not a calendar date`);
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** `NIFTY28OCT25FUT` → base `NIFTY` and expiry `28OCT25`; `NIFTY` → base only. */
export function splitUnderlying(underlying: string): { base: string; expiry: string | null; future: boolean } {
  const upper = underlying.trim().toUpperCase();
  const m = EMBEDDED_EXPIRY.exec(upper);
  return m === null ? { base: upper, expiry: null, future: false } : { base: m[1]!, expiry: m[2]!, future: m[3] !== undefined };
}

export interface Rung {
  readonly strike: number;
  readonly ce: SymbolRow | null;
  readonly pe: SymbolRow | null;
}

/** One underlying's options of one expiry on one exchange, by strike ascending. */
export interface Ladder {
  readonly base: string;
  readonly exchange: string;
  /** `DD-MMM-YY`. */
  readonly expiry: string;
  readonly rungs: readonly Rung[];
  /** Each side's listed contracts by strike ascending, for offsets (a side may list fewer strikes). */
  readonly calls: readonly SymbolRow[];
  readonly puts: readonly SymbolRow[];
}

const ladders = new WeakMap<SymbolIndex, Map<string, Ladder | null>>();

/**
 * The strike grid of an expiry from the stored contract (never from a strike interval guessed
 * by the caller), built once per contract version and kept with it.
 */
export function ladderOf(index: SymbolIndex, exchange: string, base: string, expiry: string): Ladder | null {
  let byKey = ladders.get(index);
  if (byKey === undefined) {
    byKey = new Map();
    ladders.set(index, byKey);
  }
  const key = `${exchange}|${base}|${expiry}`;
  const known = byKey.get(key);
  if (known !== undefined) return known;
  const strikes = new Map<number, { ce: SymbolRow | null; pe: SymbolRow | null }>();
  for (const row of index.rowsNamed(exchange, base)) {
    if (row.expiry !== expiry || (row.instrumenttype !== "CE" && row.instrumenttype !== "PE")) continue;
    const rung = strikes.get(row.strike) ?? { ce: null, pe: null };
    if (row.instrumenttype === "CE") rung.ce = row;
    else rung.pe = row;
    strikes.set(row.strike, rung);
  }
  const rungs = [...strikes].sort((a, b) => a[0] - b[0]).map(([strike, r]) => ({ strike, ...r }));
  const ladder =
    strikes.size === 0
      ? null
      : { base, exchange, expiry, rungs, calls: rungs.flatMap((r) => (r.ce === null ? [] : [r.ce])), puts: rungs.flatMap((r) => (r.pe === null ? [] : [r.pe])) };
  byKey.set(key, ladder);
  return ladder;
}

/** A ladder that must exist: otherwise the error names the expiry and lists the ones there are. */
export function requireLadder(index: SymbolIndex, exchange: string, base: string, expiry: string, today: string): Ladder {
  const ladder = ladderOf(index, exchange, base, expiry);
  if (ladder !== null) return ladder;
  const known = index.expiries(exchange, base, "options", today);
  if (known.length === 0) {
    throw new XtsBridgeError("SYMBOL_NOT_FOUND", `${base} has no options on ${exchange} in the stored contract (refresh the master contract if it should)`, { details: { field: "underlying" } });
  }
  throw new ValidationError("expiry_date", `${base} has no options expiring ${expiry.replace(/-/g, "")} on ${exchange}; expiries in the contract: ${known.slice(0, 12).map((e) => e.replace(/-/g, "")).join(", ")}`, {
    expiries: known.map((e) => e.replace(/-/g, "")),
  });
}

/** The index of the strike nearest `price` in strikes sorted ascending (the lower one on an exact tie); -1 when empty. */
export function nearestIndex(strikes: ArrayLike<{ readonly strike: number }>, price: number): number {
  if (strikes.length === 0) return -1;
  let low = 0;
  let high = strikes.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (strikes[mid]!.strike < price) low = mid + 1;
    else high = mid;
  }
  // `low` is the first strike at or above the price; the one below may be nearer.
  return low > 0 && price - strikes[low - 1]!.strike <= strikes[low]!.strike - price ? low - 1 : low;
}

/** The rung nearest `price` (the lower one on an exact tie). */
export function atmIndex(ladder: Ladder, price: number): number {
  return nearestIndex(ladder.rungs, price);
}

/** The nearest unexpired future of `base` on `exchange` (exactly that name: GOLD is not GOLDM). */
export function nearestFuture(index: SymbolIndex, exchange: string, base: string, today: string): SymbolRow | undefined {
  let best: { row: SymbolRow; iso: string } | undefined;
  for (const row of index.rowsNamed(exchange, base)) {
    if (row.instrumenttype !== "FUT" || row.expiry === "") continue;
    const iso = isoOfExpiry(row.expiry);
    if (iso >= today && (best === undefined || iso < best.iso)) best = { row, iso };
  }
  return best?.row;
}
