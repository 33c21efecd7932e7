import { ValidationError } from "../errors.js";
import { CALENDAR_EXCHANGES, HOLIDAYS, type CalendarExchange, type HolidayEntry } from "./holidays-data.js";

const IST_OFFSET_MS = 5.5 * 3_600_000;
const MINUTE_MS = 60_000;

/** A session in epoch milliseconds, as OpenAlgo's calendar answers. */
export interface SessionWindow {
  readonly exchange: CalendarExchange;
  readonly start_time: number;
  readonly end_time: number;
}

export interface HolidayRow {
  readonly date: string;
  readonly description: string;
  readonly holiday_type: "TRADING_HOLIDAY";
  readonly closed_exchanges: readonly CalendarExchange[];
  readonly open_exchanges: readonly SessionWindow[];
}

/** Regular hours, minutes after IST midnight. MCX's close depends on the date (see mcxCloseMinute). */
const REGULAR: Readonly<Record<Exclude<CalendarExchange, "MCX">, readonly [number, number]>> = {
  NSE: [555, 930],
  BSE: [555, 930],
  NFO: [555, 930],
  BFO: [555, 930],
  CDS: [540, 1020],
  BCD: [540, 1020],
};
const MCX_OPEN = 540;
const MCX_EVENING_OPEN = 1020;

/** The n-th Sunday of a month (UTC date parts), for the US daylight-saving rule. */
function nthSunday(year: number, month: number, n: number): string {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  const day = 1 + ((7 - first) % 7) + (n - 1) * 7;
  return `${year}-${String(month + 1).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * MCX closes non-agricultural trading at 23:30 IST while the US is on daylight-saving time
 * (second Sunday of March to first Sunday of November) and at 23:55 otherwise.
 */
export function mcxCloseMinute(date: string): number {
  const year = Number(date.slice(0, 4));
  const summer = date >= nthSunday(year, 2, 2) && date < nthSunday(year, 10, 1);
  return summer ? 1410 : 1435;
}

function at(date: string, minute: number): number {
  return Date.parse(`${date}T00:00:00Z`) - IST_OFFSET_MS + minute * MINUTE_MS;
}

function isWeekend(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

/**
 * The exchanges' trading calendar from the shipped holiday lists: which days each exchange
 * trades and its hours. A year the data does not hold is refused by name rather than answered
 * as if it had no holidays.
 */
export class ExchangeCalendar {
  private readonly byDate = new Map<string, HolidayEntry>();

  constructor(private readonly data: Readonly<Record<number, readonly HolidayEntry[]>> = HOLIDAYS) {
    for (const list of Object.values(data)) for (const entry of list) this.byDate.set(entry.date, entry);
  }

  get years(): number[] {
    return Object.keys(this.data).map(Number).sort((a, b) => a - b);
  }

  knows(year: number): boolean {
    return Object.hasOwn(this.data, year);
  }

  private require(year: number, field: string): void {
    if (!this.knows(year)) {
      throw new ValidationError(field, `the shipped exchange calendar holds ${this.years.join(", ")}; ${year} is not in it (a year's list is added once the exchanges publish it)`, { years: this.years });
    }
  }

  holidays(year: number): HolidayRow[] {
    this.require(year, "year");
    return this.data[year]!.map((h) => ({
      date: h.date,
      description: h.description,
      holiday_type: "TRADING_HOLIDAY",
      closed_exchanges: CALENDAR_EXCHANGES.filter((e) => e !== "MCX" || h.mcx === "closed"),
      open_exchanges: h.mcx === "evening" ? [{ exchange: "MCX", start_time: at(h.date, MCX_EVENING_OPEN), end_time: at(h.date, mcxCloseMinute(h.date)) }] : [],
    }));
  }

  /** Each exchange's session on `date` (`YYYY-MM-DD`, IST); exchanges that do not trade that day are left out. */
  sessions(date: string, field = "date"): SessionWindow[] {
    this.require(Number(date.slice(0, 4)), field);
    if (isWeekend(date)) return [];
    const holiday = this.byDate.get(date);
    return CALENDAR_EXCHANGES.flatMap((exchange): SessionWindow[] => {
      if (exchange === "MCX") {
        if (holiday?.mcx === "closed") return [];
        return [{ exchange, start_time: at(date, holiday === undefined ? MCX_OPEN : MCX_EVENING_OPEN), end_time: at(date, mcxCloseMinute(date)) }];
      }
      if (holiday !== undefined) return [];
      const [open, close] = REGULAR[exchange];
      return [{ exchange, start_time: at(date, open), end_time: at(date, close) }];
    });
  }

  /**
   * Whether `exchange` trades on `date`: from the data for a year it holds, else weekdays only
   * (null tells the caller the answer is not from a published list).
   */
  tradesOn(exchange: CalendarExchange, date: string): boolean | null {
    if (!this.knows(Number(date.slice(0, 4)))) return null;
    return this.sessions(date).some((s) => s.exchange === exchange);
  }
}

export const EXCHANGE_CALENDAR = new ExchangeCalendar();
