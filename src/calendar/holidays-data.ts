/**
 * Exchange trading holidays, shipped as data. Source: the NSE circular on trading holidays for
 * calendar year 2026 (BSE declares the same days) and MCX's holiday list for 2026, which keeps its
 * evening session open on most of them and closes fully on four. Dates are IST calendar days.
 *
 * Add the next year's list when the exchanges publish it (NSE usually does in December): one
 * entry per holiday, then `npm test` checks the list is well formed and sorted.
 */

/** Exchanges the calendar speaks for. BCD (BSE currency) follows CDS. */
export const CALENDAR_EXCHANGES = ["NSE", "BSE", "NFO", "BFO", "CDS", "BCD", "MCX"] as const;
export type CalendarExchange = (typeof CALENDAR_EXCHANGES)[number];

export interface HolidayEntry {
  readonly date: string;
  readonly description: string;
  /** `evening`: MCX trades its evening session (17:00 to its close); `closed`: MCX is shut too. */
  readonly mcx: "evening" | "closed";
}

export const HOLIDAYS: Readonly<Record<number, readonly HolidayEntry[]>> = {
  2026: [
    { date: "2026-01-15", description: "Municipal Corporation Elections (Maharashtra)", mcx: "evening" },
    { date: "2026-01-26", description: "Republic Day", mcx: "closed" },
    { date: "2026-03-03", description: "Holi", mcx: "evening" },
    { date: "2026-03-26", description: "Shri Ram Navami", mcx: "evening" },
    { date: "2026-03-31", description: "Shri Mahavir Jayanti", mcx: "evening" },
    { date: "2026-04-03", description: "Good Friday", mcx: "closed" },
    { date: "2026-04-14", description: "Dr. Baba Saheb Ambedkar Jayanti", mcx: "evening" },
    { date: "2026-05-01", description: "Maharashtra Day", mcx: "evening" },
    { date: "2026-05-28", description: "Bakri Id", mcx: "evening" },
    { date: "2026-06-26", description: "Muharram", mcx: "evening" },
    { date: "2026-09-14", description: "Ganesh Chaturthi", mcx: "evening" },
    { date: "2026-10-02", description: "Mahatma Gandhi Jayanti", mcx: "closed" },
    { date: "2026-10-20", description: "Dussehra", mcx: "evening" },
    { date: "2026-11-10", description: "Diwali Balipratipada", mcx: "evening" },
    { date: "2026-11-24", description: "Prakash Gurpurb Sri Guru Nanak Dev", mcx: "evening" },
    { date: "2026-12-25", description: "Christmas", mcx: "closed" },
  ],
};
