import { MASTER_SEGMENTS, type MasterSegment } from "../../xts/segments.js";
import { parseReferenceDate, todayInIndia } from "./generator-calendar.js";
import { generateBseCash } from "./generator-cash-bse.js";
import { generateNseCash } from "./generator-cash-nse.js";
import { generateCurrency, generateMcx } from "./generator-currency-commodity.js";
import { generateBseFo, generateNseFo } from "./generator-equity-fo.js";
import { Prng } from "./prng.js";

/**
 * A deterministic synthetic XTS master for the sandbox server: every segment in the real
 * wire layouts (test/fixtures/xts-master-sample), plus the index lists, plus for each instrument
 * the OpenAlgo exchange and symbol it must end up with.
 *
 * sandbox/master/ is the independent oracle of the expected OpenAlgo symbol: the one place
 * outside src/instruments that may know symbology, and it must work it out on its own (lint
 * forbids it to import src/instruments), so that tests can hold the real symbology against it.
 */

export interface GeneratorOptions {
  readonly seed?: number;
  /**
   * Approximate total across all segments, spreads, MCX spot rows and index entries included.
   * Below about 900 the minimum (every kind in every segment) is what you get; above about
   * 350,000 the derivative segments reach their strike-range limits and the total falls short.
   */
  readonly instruments?: number;
  /** `YYYY-MM-DD`; expiries are laid out from this day. Default: today in India. */
  readonly referenceDate?: string;
}

export type GeneratedKind = "cash" | "index" | "future" | "option" | "spread" | "spot";

export interface GeneratedInstrument {
  /** Index-list entries carry NSECM (segment 1) or BSECM (segment 11). */
  readonly segment: MasterSegment;
  /** ExchangeInstrumentID, unique within its segment. */
  readonly token: number;
  readonly kind: GeneratedKind;
  /** OpenAlgo exchange it is stored under; null for spreads and MCX spot rows, which are never stored. */
  readonly exchange: string | null;
  /** OpenAlgo symbol it must get; null when not stored. */
  readonly symbol: string | null;
  readonly name: string;
  /** XTS Description (stored as brsymbol); the `NAME_TOKEN` entry for NSE index-list entries. */
  readonly description: string;
  readonly lotSize: number;
  readonly tickSize: number;
  readonly priceBandLow: number | null;
  readonly priceBandHigh: number | null;
  /** A plausible last price inside the band and on the tick; the sandbox fills market orders around it. */
  readonly referencePrice: number;
  readonly expiry: string | null;
  readonly strike: number | null;
  readonly optionType: "CE" | "PE" | null;
  readonly freezeQty: number;
}

export interface GeneratedMaster {
  readonly seed: number;
  readonly referenceDate: string;
  /** Wire lines (no trailing newline), exactly as the `result` string of POST /instruments/master would carry them, per segment. */
  readonly lines: Readonly<Record<MasterSegment, readonly string[]>>;
  /** Index-list entries "NAME_TOKEN" as GET /instruments/indexlist returns them in result.indexList, for segments 1 and 11. */
  readonly indexLists: Readonly<Record<1 | 11, readonly string[]>>;
  readonly instruments: readonly GeneratedInstrument[];
}

export const DEFAULT_INSTRUMENTS = 150_000;
/** Each segment's token ranges stay disjoint up to this size (checked); it is far past any sandbox use. */
export const MAX_INSTRUMENTS = 2_000_000;

/**
 * Share of the total per segment. At the default size the cash segments match the real
 * sample (NSECM 7,475 lines, BSECM 11,980) and NSEFO is the bulk, as on Jainam (85,367 lines).
 */
const SHARES: Readonly<Record<MasterSegment, number>> = {
  NSECM: 0.05,
  NSEFO: 0.64,
  NSECD: 0.04,
  BSECM: 0.08,
  BSEFO: 0.09,
  MCXFO: 0.1,
};

/** Stocks with NSE derivatives: about one per 450 NSEFO lines (three futures, three option months, two spreads each). */
const NSEFO_LINES_PER_STOCK = 450;
const MAX_FNO_STOCKS = 400;

export function generateMaster(options: GeneratorOptions = {}): GeneratedMaster {
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  const total = options.instruments ?? DEFAULT_INSTRUMENTS;
  if (!Number.isSafeInteger(total) || total < 1 || total > MAX_INSTRUMENTS) {
    throw new RangeError(`instruments must be an integer from 1 to ${MAX_INSTRUMENTS}, got ${total}`);
  }
  const referenceDate = options.referenceDate ?? todayInIndia();
  const refDay = parseReferenceDate(referenceDate);
  const root = new Prng(seed);
  const budget = (segment: MasterSegment): number => Math.round(total * SHARES[segment]);

  const fnoCount = Math.min(MAX_FNO_STOCKS, Math.max(2, Math.round(budget("NSEFO") / NSEFO_LINES_PER_STOCK)));
  const nse = generateNseCash(root.fork("NSECM"), budget("NSECM"), fnoCount);
  const bse = generateBseCash(root.fork("BSECM"), budget("BSECM"), nse.sharedNames);
  const nsefo = generateNseFo(root.fork("NSEFO"), refDay, budget("NSEFO"), nse.fnoStocks);
  const bsefo = generateBseFo(root.fork("BSEFO"), refDay, budget("BSEFO"), bse.fnoStocks);
  const nsecd = generateCurrency(root.fork("NSECD"), refDay, budget("NSECD"), nse.tokensToShare);
  const mcx = generateMcx(root.fork("MCXFO"), refDay, budget("MCXFO"), nse.tokensToShare);

  const sinks = { NSECM: nse.sink, NSEFO: nsefo, NSECD: nsecd, BSECM: bse.sink, BSEFO: bsefo, MCXFO: mcx };
  const lines = {} as Record<MasterSegment, readonly string[]>;
  const instruments: GeneratedInstrument[] = [];
  for (const segment of MASTER_SEGMENTS) {
    lines[segment] = sinks[segment].lines;
    for (const instrument of sinks[segment].instruments) instruments.push(instrument);
  }
  return { seed, referenceDate, lines, indexLists: { 1: nse.indexList, 11: bse.indexList }, instruments };
}

/** The segment's master as one text body (lines joined by "\n"), what the sandbox puts in `result`. */
export function masterText(master: GeneratedMaster, segment: MasterSegment): string {
  return master.lines[segment].join("\n");
}
