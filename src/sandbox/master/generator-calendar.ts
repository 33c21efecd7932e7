/**
 * Expiry calendar and the date spellings XTS and OpenAlgo use. Dates are whole days since
 * 1970-01-01 (UTC arithmetic, no time zone): an expiry is a calendar day on the exchange, and
 * a zone shift must never move it.
 */

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] as const;
const MS_PER_DAY = 86_400_000;

export const WEEKDAY = { Monday: 1, Tuesday: 2, Wednesday: 3, Thursday: 4, Friday: 5 } as const;

/** One expiry day with every spelling the master lines and symbols need, computed once. */
export interface ExpiryDay {
  readonly day: number;
  /** `2026-02-17` */
  readonly iso: string;
  /** OpenAlgo symbol date: `17FEB26` */
  readonly compact: string;
  /** XTS monthly code: `26FEB` */
  readonly yearMonth: string;
  /** XTS weekly code: `26217` (YY, month 1–9 or O/N/D, DD) */
  readonly yearMonthDay: string;
  /** DisplayName date: `17FEB2026` */
  readonly display: string;
  /** Spread DisplayName leg: `17FEB` */
  readonly dayMonth: string;
  /** Day of the year, three digits, as XTS puts it in InstrumentID: `048` */
  readonly dayOfYear: string;
  readonly year: number;
  readonly month: number;
}

export function dayOf(year: number, month: number, date: number): number {
  return Date.UTC(year, month - 1, date) / MS_PER_DAY;
}

/** 0 = Sunday … 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const WEEKLY_MONTH_CODES = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "O", "N", "D"] as const;

export function expiryDay(day: number): ExpiryDay {
  const date = new Date(day * MS_PER_DAY);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  const dd = pad2(date.getUTCDate());
  const yy = pad2(year % 100);
  const mon = MONTHS[month - 1]!;
  const doy = day - dayOf(year, 1, 1) + 1;
  return {
    day,
    iso: `${year}-${pad2(month)}-${dd}`,
    compact: `${dd}${mon}${yy}`,
    yearMonth: `${yy}${mon}`,
    yearMonthDay: `${yy}${WEEKLY_MONTH_CODES[month - 1]!}${dd}`,
    display: `${dd}${mon}${year}`,
    dayMonth: `${dd}${mon}`,
    dayOfYear: String(doy).padStart(3, "0"),
    year,
    month,
  };
}

/** Parses `YYYY-MM-DD`, refusing anything that is not a real calendar date. */
export function parseReferenceDate(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m !== null) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const day = dayOf(y, mo, d);
    const check = new Date(day * MS_PER_DAY);
    if (check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d) return day;
  }
  throw new RangeError(`referenceDate must be a calendar date as YYYY-MM-DD, got '${text}'`);
}

/** Today's date on the exchange's clock: India, whatever the host's zone. */
export function todayInIndia(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Kolkata", year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(now);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

export function lastWeekdayOfMonth(year: number, month: number, weekday: number): number {
  const last = dayOf(year, month + 1, 0);
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

function isBusinessDay(day: number): boolean {
  const w = weekdayOf(day);
  return w !== 0 && w !== 6;
}

/** The business day `count` business days before `day` (no exchange holidays are modelled). */
export function businessDaysBefore(day: number, count: number): number {
  let d = day;
  for (let left = count; left > 0; ) {
    d -= 1;
    if (isBusinessDay(d)) left -= 1;
  }
  return d;
}

/** The last business day on or before `day`. */
export function businessDayOnOrBefore(day: number): number {
  let d = day;
  while (!isBusinessDay(d)) d -= 1;
  return d;
}

export type MonthlyRule = (year: number, month: number) => number;

/** NSE equity derivatives: the last Tuesday of the month. */
export const nseMonthly: MonthlyRule = (y, m) => lastWeekdayOfMonth(y, m, WEEKDAY.Tuesday);
/** BSE equity derivatives: the last Thursday of the month. */
export const bseMonthly: MonthlyRule = (y, m) => lastWeekdayOfMonth(y, m, WEEKDAY.Thursday);
/** NSE currency derivatives: two business days before the last business day of the month. */
export const currencyMonthly: MonthlyRule = (y, m) => businessDaysBefore(businessDayOnOrBefore(dayOf(y, m + 1, 0)), 2);

/**
 * The next `count` monthly expiries on or after `from` whose month passes `months`
 * (e.g. only June and December); a contract still trades on its expiry day.
 */
export function monthlyExpiries(from: number, count: number, rule: MonthlyRule, months?: readonly number[]): number[] {
  const start = new Date(from * MS_PER_DAY);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth() + 1;
  const out: number[] = [];
  for (let guard = 0; out.length < count && guard < 1200; guard += 1) {
    if (months === undefined || months.includes(month)) {
      const day = rule(year, month);
      if (day >= from) out.push(day);
    }
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return out;
}

/** The next `count` days on or after `from` falling on `weekday`. */
export function weeklyExpiries(from: number, count: number, weekday: number): number[] {
  const first = from + ((weekday - weekdayOf(from) + 7) % 7);
  return Array.from({ length: count }, (_, i) => first + 7 * i);
}

/** Days from `from` to `day`, at least 1 so that a same-day expiry still has some time value. */
export function daysToExpiry(from: number, day: number): number {
  return Math.max(1, day - from);
}
