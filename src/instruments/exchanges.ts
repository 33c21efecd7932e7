import { UnsupportedExchangeError } from "../errors.js";
import { XTS_SEGMENT_CODES, type XtsSegment } from "../xts/segments.js";

/** OpenAlgo exchanges Jainam XTS serves. Anything else fails closed (no NSE fallback). */
export const SUPPORTED_EXCHANGES = ["NSE", "BSE", "NFO", "BFO", "CDS", "MCX", "NSE_INDEX", "BSE_INDEX"] as const;
export type Exchange = (typeof SUPPORTED_EXCHANGES)[number];

/** OpenAlgo exchanges that exist but that Jainam does not serve: named so the error can say why. */
const NOT_SERVED: Readonly<Record<string, string>> = {
  BCD: "BSE currency derivatives (BSECD) are not offered by Jainam",
  NCDEX: "NCDEX is not offered by Jainam",
  NCO: "NSE commodities are not offered by Jainam",
  MCX_INDEX: "MCX indices have no XTS instrument",
  GLOBAL_INDEX: "global indices have no XTS instrument",
  CRYPTO: "crypto is not offered by Jainam",
};

export interface ExchangeInfo {
  readonly exchange: Exchange;
  /** Segment used for orders and positions (index rows have none: they cannot be traded). */
  readonly orderSegment: XtsSegment | null;
  /** Segment name the master rows are stored under (`brexchange`). */
  readonly brexchange: string;
  /** Numeric segment used for quotes. */
  readonly quoteSegmentCode: number;
  /** Whether its instruments carry open interest (XTS's 1510); cash and indices have none, so 0 is their true value. */
  readonly openInterest: boolean;
}

function info(exchange: Exchange): ExchangeInfo {
  switch (exchange) {
    case "NSE":
      return { exchange, orderSegment: "NSECM", brexchange: "NSECM", quoteSegmentCode: XTS_SEGMENT_CODES.NSECM, openInterest: false };
    case "BSE":
      return { exchange, orderSegment: "BSECM", brexchange: "BSECM", quoteSegmentCode: XTS_SEGMENT_CODES.BSECM, openInterest: false };
    case "NFO":
      return { exchange, orderSegment: "NSEFO", brexchange: "NSEFO", quoteSegmentCode: XTS_SEGMENT_CODES.NSEFO, openInterest: true };
    case "BFO":
      return { exchange, orderSegment: "BSEFO", brexchange: "BSEFO", quoteSegmentCode: XTS_SEGMENT_CODES.BSEFO, openInterest: true };
    case "CDS":
      return { exchange, orderSegment: "NSECD", brexchange: "NSECD", quoteSegmentCode: XTS_SEGMENT_CODES.NSECD, openInterest: true };
    case "MCX":
      return { exchange, orderSegment: "MCXFO", brexchange: "MCXFO", quoteSegmentCode: XTS_SEGMENT_CODES.MCXFO, openInterest: true };
    // Index rows keep the OpenAlgo name as brexchange (as upstream does); quotes go to the cash segment.
    case "NSE_INDEX":
      return { exchange, orderSegment: null, brexchange: "NSE_INDEX", quoteSegmentCode: XTS_SEGMENT_CODES.NSECM, openInterest: false };
    case "BSE_INDEX":
      return { exchange, orderSegment: null, brexchange: "BSE_INDEX", quoteSegmentCode: XTS_SEGMENT_CODES.BSECM, openInterest: false };
    default: {
      const never: never = exchange;
      return never;
    }
  }
}

const INFO: ReadonlyMap<string, ExchangeInfo> = new Map(SUPPORTED_EXCHANGES.map((e) => [e, info(e)]));

/** Why an OpenAlgo exchange Jainam does not serve is refused, or undefined for any other value. */
export function notServedReason(value: string): string | undefined {
  return NOT_SERVED[value.trim().toUpperCase()];
}

export function isExchange(value: string): value is Exchange {
  return INFO.has(value);
}

/**
 * Parses an exchange given by a user: surrounding spaces and case are forgiven,
 * anything unknown is an UNSUPPORTED_EXCHANGE error listing what is supported.
 */
export function parseExchange(value: string): Exchange {
  const normalised = value.trim().toUpperCase();
  if (isExchange(normalised)) return normalised;
  const reason = notServedReason(normalised);
  const error = new UnsupportedExchangeError(value, SUPPORTED_EXCHANGES);
  if (reason !== undefined) error.message = `${error.message} (${reason})`;
  throw error;
}

export function exchangeInfo(exchange: Exchange): ExchangeInfo {
  return INFO.get(exchange)!;
}

/** The OpenAlgo exchange of a master segment, for the segments that carry tradable rows. */
export function exchangeOfSegment(segment: XtsSegment): Exchange | undefined {
  switch (segment) {
    case "NSECM":
      return "NSE";
    case "BSECM":
      return "BSE";
    case "NSEFO":
      return "NFO";
    case "BSEFO":
      return "BFO";
    case "NSECD":
      return "CDS";
    case "MCXFO":
      return "MCX";
    default:
      return undefined;
  }
}
