/** India Standard Time is UTC+05:30 all year (no daylight saving): the exchanges' clock. */
export const IST_OFFSET_MS = 5.5 * 3_600_000;

/** Today's date in IST as `YYYY-MM-DD`. */
export function istToday(now: number = Date.now()): string {
  return new Date(now + IST_OFFSET_MS).toISOString().slice(0, 10);
}
