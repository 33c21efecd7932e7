/**
 * The one home of OpenAlgo's expiry spellings: `28MAR24` inside symbols, `28-MAR-24` in the
 * `expiry` column, and the ISO date they stand for. Pure; every other module converts through it.
 */
export const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] as const;
export type Month = (typeof MONTHS)[number];

/** The month part of a derivative symbol: `JAN|FEB|…|DEC`, for patterns. */
export const MONTH_PATTERN = MONTHS.join("|");

/** `2024-03-28` → `{ compact: "28MAR24", column: "28-MAR-24" }`. */
export function formatExpiry(isoDate: string): { compact: string; column: string } {
  const year = isoDate.slice(2, 4);
  const month = MONTHS[Number(isoDate.slice(5, 7)) - 1];
  const day = isoDate.slice(8, 10);
  if (month === undefined || day.length !== 2 || year.length !== 2) {
    throw new RangeError(`not an ISO date: '${isoDate}'`);
  }
  return { compact: `${day}${month}${year}`, column: `${day}-${month}-${year}` };
}

/** `28`, `MAR`, `24` (of `28MAR24` or `28-MAR-24`) → `2024-03-28`. */
export function isoOfParts(dd: string, mmm: string, yy: string): string {
  const month = MONTHS.indexOf(mmm as Month);
  if (month < 0) throw new RangeError(`not a month: '${mmm}'`);
  return `20${yy}-${String(month + 1).padStart(2, "0")}-${dd}`;
}

/** The `expiry` column `28-MAR-24` → `2024-03-28` (sortable). */
export function isoOfExpiry(expiry: string): string {
  return isoOfParts(expiry.slice(0, 2), expiry.slice(3, 6), expiry.slice(7, 9));
}

/** An ISO date → whole days since 1970-01-01, for distances between expiries. */
export function dayNumber(isoDate: string): number {
  return Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10))) / 86_400_000;
}
