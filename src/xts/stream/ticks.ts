/**
 * Market-data ticks as the XTS market-data socket delivers them, typed: one shape whether the
 * tick came as a `{code}-json-full` event or inside an `xts-binary-packet` frame
 * (streaming-and-market-data.md §2). Times stay in XTS's own unit — seconds since 1980-01-01 IST
 * — and are converted once, where a tick leaves the gateway.
 */
export type XtsStreamCode = 1501 | 1502 | 1510 | 1512;

export const STREAM_CODES: readonly XtsStreamCode[] = [1501, 1502, 1510, 1512];

export function isStreamCode(value: number): value is XtsStreamCode {
  return (STREAM_CODES as readonly number[]).includes(value);
}

export interface XtsLevel {
  readonly price: number;
  readonly size: number;
  readonly orders: number;
}

export interface XtsTickTouchline {
  readonly ltp: number;
  readonly ltq: number;
  /** Last trade time, XTS seconds (1980-01-01, IST wall clock). */
  readonly ltt: number;
  readonly volume: number;
  readonly averagePrice: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  /** The previous session's close. */
  readonly close: number;
  readonly totalBuyQuantity: number;
  readonly totalSellQuantity: number;
  readonly bid: XtsLevel;
  readonly ask: XtsLevel;
}

interface TickBase {
  readonly segment: number;
  readonly token: number;
}

export type XtsTick =
  | (TickBase & { readonly code: 1501; readonly touchline: XtsTickTouchline })
  | (TickBase & { readonly code: 1502; readonly touchline: XtsTickTouchline; readonly bids: readonly XtsLevel[]; readonly asks: readonly XtsLevel[] })
  | (TickBase & { readonly code: 1510; readonly openInterest: number })
  | (TickBase & { readonly code: 1512; readonly ltp: number; readonly ltq: number; readonly ltt: number });

const DOS_EPOCH_UNIX_SECONDS = 315_532_800;
const IST_OFFSET_SECONDS = 19_800;

/** XTS seconds (since 1980-01-01, IST wall clock) as Unix milliseconds; 0 stays 0 (no trade yet). */
export function unixMsOfXtsSeconds(seconds: number): number {
  if (seconds <= 0) return 0;
  return (seconds + DOS_EPOCH_UNIX_SECONDS - IST_OFFSET_SECONDS) * 1000;
}
