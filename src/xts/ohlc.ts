import { ResultShapeError } from "./client/record-reader.js";

/**
 * XTS OHLC facts (xts-protocol.md §6.2; streaming-and-market-data.md §1): `GET {md}/instruments/ohlc`
 * takes the segment by name, IST wall-clock times written `MMM DD YYYY HHMMSS`, and a
 * `compressionValue` in seconds (or `D`); it answers bars `ts|open|high|low|close|volume|oi`
 * separated by commas in `result.dataReponse` (sic). Pure.
 */

/** The compressions XTS documents: 60 s is the smallest; 600 (10m) and 1 s are OpenAlgo's guesses, not documented. */
export const XTS_COMPRESSIONS = { "1m": 60, "2m": 120, "3m": 180, "5m": 300, "15m": 900, "30m": 1800, "1h": 3600, D: "D" } as const;
export type XtsInterval = keyof typeof XTS_COMPRESSIONS;
export type XtsCompression = (typeof XTS_COMPRESSIONS)[XtsInterval];

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** An IST wall-clock time, given as epoch seconds of that wall clock read as UTC, in XTS's `MMM DD YYYY HHMMSS`. */
export function xtsTimeOf(wallClockSeconds: number): string {
  const d = new Date(wallClockSeconds * 1000);
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** `Dec 02 2024 091500` → epoch seconds of that wall clock read as UTC; undefined when it is not that shape. */
export function parseXtsTime(text: string): number | undefined {
  const m = /^([A-Z][a-z]{2}) (\d{2}) (\d{4}) (\d{2})(\d{2})(\d{2})$/.exec(text.trim());
  if (m === null) return undefined;
  const month = MONTHS.indexOf(m[1] as (typeof MONTHS)[number]);
  if (month < 0) return undefined;
  const ms = Date.UTC(Number(m[3]), month, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]));
  const back = new Date(ms);
  // Refuse 31 Feb and 25:00 rather than roll them over.
  if (back.getUTCDate() !== Number(m[2]) || back.getUTCHours() !== Number(m[4]) || back.getUTCMinutes() !== Number(m[5])) return undefined;
  return ms / 1000;
}

/** One bar as XTS sends it: `ts` is the IST wall clock read as UTC epoch seconds. */
export interface XtsBar {
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly oi: number;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** `ts|o|h|l|c|v|oi,…` → bars. An empty string is no data; a bar that cannot be read fails, naming it. */
export function parseOhlcBars(dataReponse: string): XtsBar[] {
  const text = dataReponse.trim();
  if (text === "") return [];
  return text
    .split(",")
    .filter((bar) => bar.trim() !== "")
    .map((bar, index) => {
      const fields = bar.trim().split("|");
      if (fields.length < 6 || !fields.slice(0, 7).every((f) => NUMBER.test(f))) {
        throw new ResultShapeError(`dataReponse bar ${index} '${bar.slice(0, 80)}' is not ts|open|high|low|close|volume[|oi]`);
      }
      const [ts, open, high, low, close, volume, oi] = fields.map(Number) as [number, number, number, number, number, number, number | undefined];
      if (!Number.isSafeInteger(ts) || high < low) throw new ResultShapeError(`dataReponse bar ${index} '${bar.slice(0, 80)}' has a bad time or high below low`);
      return { ts, open, high, low, close, volume, oi: oi ?? 0 };
    });
}
