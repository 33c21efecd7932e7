/**
 * XTS exchange segments: names are used by orders, positions and the master download;
 * numeric codes by quotes, subscriptions and the index list (xts-protocol.md §3).
 */
export const XTS_SEGMENT_CODES = {
  NSECM: 1,
  NSEFO: 2,
  NSECD: 3,
  NSECO: 4,
  SLBM: 5,
  NIFSC: 7,
  BSECM: 11,
  BSEFO: 12,
  BSECD: 13,
  BSECO: 14,
  NCDEX: 21,
  MSECM: 41,
  MSEFO: 42,
  MSECD: 43,
  MCXFO: 51,
} as const;

export type XtsSegment = keyof typeof XTS_SEGMENT_CODES;
export type XtsSegmentCode = (typeof XTS_SEGMENT_CODES)[XtsSegment];

export function isXtsSegment(value: string): value is XtsSegment {
  return Object.prototype.hasOwnProperty.call(XTS_SEGMENT_CODES, value);
}

export function segmentCode(segment: XtsSegment): XtsSegmentCode {
  return XTS_SEGMENT_CODES[segment];
}

const SEGMENT_BY_CODE = new Map<number, XtsSegment>(
  Object.entries(XTS_SEGMENT_CODES).map(([name, code]) => [code, name as XtsSegment]),
);

export function segmentFromCode(code: number): XtsSegment | undefined {
  return SEGMENT_BY_CODE.get(code);
}

/** The segments Jainam serves a master for; the refresh downloads these by default. */
export const MASTER_SEGMENTS = ["NSECM", "NSEFO", "NSECD", "BSECM", "BSEFO", "MCXFO"] as const satisfies readonly XtsSegment[];
export type MasterSegment = (typeof MASTER_SEGMENTS)[number];

/** Index lists are served per numeric segment: 1 (NSE) and 11 (BSE). */
export const INDEX_LIST_SEGMENTS = [1, 11] as const;
export type IndexListSegment = (typeof INDEX_LIST_SEGMENTS)[number];
