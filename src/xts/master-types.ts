import type { XtsSegment } from "./segments.js";

/** XTS InstrumentType (master field 2). */
export const XTS_INSTRUMENT_TYPE = {
  Futures: 1,
  Options: 2,
  Spread: 4,
  Equity: 8,
  Spot: 16,
  PreferenceShares: 32,
  Debentures: 64,
  Warrants: 128,
  Miscellaneous: 256,
  MutualFund: 512,
} as const;

/** XTS OptionType (master field 18 of an option line): 3 = call, 4 = put. */
export type XtsOptionType = 3 | 4;

/** Fields 0–13, present on every layout (Multiplier is absent from the oldest NSECD layout). */
export interface XtsMasterCommon {
  readonly ExchangeSegment: XtsSegment;
  readonly ExchangeInstrumentID: number;
  readonly InstrumentType: number;
  readonly Name: string;
  readonly Description: string;
  readonly Series: string;
  readonly NameWithSeries: string;
  readonly InstrumentID: string;
  readonly PriceBandHigh: number | null;
  readonly PriceBandLow: number | null;
  readonly FreezeQty: number;
  readonly TickSize: number;
  readonly LotSize: number;
  readonly Multiplier: number | null;
}

/** Cash market line (NSECM/BSECM, 22 fields). */
export interface XtsCashInstrument extends XtsMasterCommon {
  readonly kind: "cash";
  readonly DisplayName: string;
  readonly ISIN: string;
}

interface XtsDerivativeFields {
  readonly UnderlyingInstrumentId: string;
  readonly UnderlyingIndexName: string;
  /** Date part of ContractExpiration, `YYYY-MM-DD`, exactly as sent (no time-zone shift). */
  readonly ContractExpiration: string;
  readonly DisplayName: string;
}

/** Futures line (InstrumentType 1): 21 fields, or the legacy 16/17-field layouts. Strike and option type are absent. */
export interface XtsFutureInstrument extends XtsMasterCommon, XtsDerivativeFields {
  readonly kind: "future";
  readonly StrikePrice: null;
  readonly OptionType: null;
}

/** Calendar spread line (InstrumentType 4): same layout as a future; never stored. */
export interface XtsSpreadInstrument extends XtsMasterCommon, XtsDerivativeFields {
  readonly kind: "spread";
  readonly StrikePrice: null;
  readonly OptionType: null;
}

/** Options line (InstrumentType 2): 23 fields, or the legacy 18/19-field NSECD layouts. */
export interface XtsOptionInstrument extends XtsMasterCommon, XtsDerivativeFields {
  readonly kind: "option";
  readonly StrikePrice: number;
  readonly OptionType: XtsOptionType;
}

/** MCX spot commodity line (InstrumentType 16, Series COMDTY, 18 fields); never stored. */
export interface XtsSpotInstrument extends XtsMasterCommon {
  readonly kind: "spot";
  readonly DisplayName: string;
}

export type XtsInstrument =
  | XtsCashInstrument
  | XtsFutureInstrument
  | XtsSpreadInstrument
  | XtsOptionInstrument
  | XtsSpotInstrument;

/** One index-list entry (`"NIFTY 50_26000"`), from GET /instruments/indexlist. */
export interface XtsIndexEntry {
  readonly segmentCode: number;
  readonly entry: string;
  readonly name: string;
  readonly token: number;
}

/** A master line the parser could not turn into an instrument. */
export interface MasterLineIssue {
  /** Field 0 of the line, or "?" when even that is missing. */
  readonly segment: string;
  readonly lineNumber: number;
  readonly reason: string;
  /** The offending line, cut to 300 characters. */
  readonly line: string;
}
