const IST_OFFSET_MS = 5.5 * 60 * 60 * 1000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/**
 * Book timestamps as XTS prints them: `DD-MM-YYYY HH:mm:ss`, India wall-clock time
 * (captured order book, e.g. "14-05-2021 11:17:29").
 */
export function bookTime(epochMs: number): string {
  const d = new Date(epochMs + IST_OFFSET_MS);
  return `${pad(d.getUTCDate())}-${pad(d.getUTCMonth() + 1)}-${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** XTS's "no date" value in books (OrderExpiryDate of a DAY order). */
export const NO_BOOK_TIME = "01-01-1980 00:00:00";
