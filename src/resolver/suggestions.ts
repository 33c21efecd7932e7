import { dayNumber, isoOfExpiry, isoOfParts, MONTH_PATTERN } from "../instruments/expiry.js";
import type { SymbolRow } from "../store/types.js";

/** OpenAlgo derivative symbol: root, DDMMMYY, optional strike, FUT/CE/PE (openalgo-api.md §2). */
const DERIVATIVE = new RegExp(`^(.+?)(\\d{2})(${MONTH_PATTERN})(\\d{2})(\\d+(?:\\.\\d+)?)?(FUT|CE|PE)$`);

function expiryDay(dd: string, mmm: string, yy: string): number {
  return dayNumber(isoOfParts(dd, mmm, yy));
}

/** `DD-MMM-YY` expiry column → days since epoch. */
function columnDay(expiry: string): number {
  return dayNumber(isoOfExpiry(expiry));
}

/** Levenshtein distance, giving up (returning max + 1) once it must exceed `max`. */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      if (value < best) best = value;
    }
    if (best > max) return max + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Close matches for a symbol that was not found, best first:
 * 1. the same text with case and inner spacing fixed;
 * 2. for derivatives, the same underlying, type (and strike) at the nearest other expiries;
 * 3. symbols within two edits.
 * These are only suggestions for the error message; the lookup itself never guesses.
 */
export function suggestSymbols(
  input: string,
  rows: readonly SymbolRow[],
  exists: (symbol: string) => boolean,
  max: number,
): string[] {
  const out: string[] = [];
  const add = (symbol: string): void => {
    if (out.length < max && symbol !== input && !out.includes(symbol)) out.push(symbol);
  };
  const compact = input.toUpperCase().replace(/[\s]+/g, "");
  if (compact.length === 0 || compact.length > 64) return out;
  if (exists(compact)) add(compact);

  const m = DERIVATIVE.exec(compact);
  if (m !== null) {
    const [, root, dd, mmm, yy, strike, kind] = m as unknown as [string, string, string, string, string, string | undefined, string];
    const wanted = expiryDay(dd, mmm, yy);
    const strikeValue = strike === undefined ? undefined : Number(strike);
    const siblings = rows
      .filter((r) => r.name === root && r.instrumenttype === kind && (strikeValue === undefined || r.strike === strikeValue))
      .map((r) => ({ symbol: r.symbol, distance: Math.abs(columnDay(r.expiry) - wanted) }))
      .sort((a, b) => a.distance - b.distance || a.symbol.localeCompare(b.symbol));
    for (const s of siblings) add(s.symbol);
  }

  if (out.length < max) {
    const near: { symbol: string; distance: number }[] = [];
    for (const row of rows) {
      const d = boundedDistance(compact, row.symbol, 2);
      if (d <= 2) near.push({ symbol: row.symbol, distance: d });
    }
    near.sort((a, b) => a.distance - b.distance || a.symbol.localeCompare(b.symbol));
    for (const n of near) add(n.symbol);
  }
  return out;
}
