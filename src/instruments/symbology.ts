import type { SymbolRow } from "../store/types.js";
import type { XtsIndexEntry, XtsInstrument, XtsOptionType } from "../xts/master-types.js";
import { exchangeOfSegment } from "./exchanges.js";
import { formatExpiry } from "./expiry.js";
import { bseIndexSymbol, nseIndexSymbol } from "./index-names.js";

export { formatExpiry } from "./expiry.js";

/** Whole strikes print without decimals (`24000`); others in their shortest form (`292.5`, `1.085`). */
export function formatStrike(strike: number): string {
  if (Number.isInteger(strike)) return strike.toFixed(0);
  // JavaScript's number-to-string is the shortest text that round-trips, which is what we want.
  return String(strike);
}

function optionSuffix(type: XtsOptionType): "CE" | "PE" {
  switch (type) {
    case 3:
      return "CE";
    case 4:
      return "PE";
    default: {
      const never: never = type;
      return never;
    }
  }
}

/** Series that OpenAlgo shows as the bare name on NSE; every other series keeps `-SERIES` so no two rows share a symbol. */
const NSE_BARE_SERIES = new Set(["EQ", "BE", "BZ", "SM", "ST", "SZ"]);

export type SkipReason = "spread" | "spot" | "unsupported_segment";

export type RowResult = { readonly row: SymbolRow } | { readonly skip: SkipReason };

/**
 * A copy of `text` that shares no storage: V8 keeps a substring of 13+ characters as a view of
 * the string it came from, so a kept brsymbol would hold its whole download chunk alive (27 MB
 * of a 95 MB refresh worker heap, measured), and a built symbol is a tree of pieces. Prepending
 * a character and slicing it off makes V8 write the text out once, flat.
 */
export function detachedText(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

/**
 * Every row is built here, one literal in one key order, so the index holds objects of one shape.
 * Its strings are not copied: a row is read once, by a builder that copies what it keeps (the
 * columns join each block's symbols into one string and copy each new name), so copying here
 * too cost a third of the rows' allocation for nothing.
 */
function makeRow(
  broker: string,
  instrument: XtsInstrument,
  symbol: string,
  name: string,
  exchange: string,
  brexchange: string,
  expiry: string,
  strike: number,
  instrumenttype: string,
): SymbolRow {
  return {
    broker,
    symbol,
    brsymbol: instrument.Description,
    name,
    exchange,
    brexchange,
    token: instrument.ExchangeInstrumentID,
    expiry,
    strike,
    lotsize: instrument.LotSize,
    instrumenttype,
    tick_size: instrument.TickSize,
    freeze_qty: instrument.FreezeQty,
    lower_circuit: instrument.PriceBandLow,
    upper_circuit: instrument.PriceBandHigh,
  };
}

/**
 * Expiry spellings already made, by ISO date. A master has about a hundred expiries over 100,000
 * derivative lines: a builder that keeps one map spells each once, and its rows share the strings.
 */
export type ExpirySpellings = Map<string, { readonly compact: string; readonly column: string }>;

function spelled(isoDate: string, spellings: ExpirySpellings | undefined): { readonly compact: string; readonly column: string } {
  if (spellings === undefined) return formatExpiry(isoDate);
  let expiry = spellings.get(isoDate);
  if (expiry === undefined) {
    expiry = formatExpiry(isoDate);
    spellings.set(isoDate, expiry);
  }
  return expiry;
}

/**
 * The `symbol_token` row of one master instrument, or why it is not stored. The row's strings may
 * be views of the master line's: copy what outlives the line (`detachedText`).
 */
export function rowFromInstrument(broker: string, instrument: XtsInstrument, spellings?: ExpirySpellings): RowResult {
  const exchange = exchangeOfSegment(instrument.ExchangeSegment);
  if (exchange === undefined) return { skip: "unsupported_segment" };
  const segment = instrument.ExchangeSegment;
  switch (instrument.kind) {
    case "spread":
      // Spreads carry a futures Series and would take the near month's `...FUT` symbol.
      return { skip: "spread" };
    case "spot":
      return { skip: "spot" };
    case "cash": {
      if (exchange === "BSE" && instrument.Series === "SPOT") {
        const symbol = bseIndexSymbol(instrument.Name);
        return { row: makeRow(broker, instrument, symbol, symbol, "BSE_INDEX", "BSE_INDEX", "", 0, "INDEX") };
      }
      return { row: makeRow(broker, instrument, cashSymbol(exchange, instrument), instrument.Name, exchange, segment, "", 0, "EQ") };
    }
    case "future": {
      const expiry = spelled(instrument.ContractExpiration, spellings);
      return { row: makeRow(broker, instrument, `${instrument.Name}${expiry.compact}FUT`, instrument.Name, exchange, segment, expiry.column, 0, "FUT") };
    }
    case "option": {
      const expiry = spelled(instrument.ContractExpiration, spellings);
      const suffix = optionSuffix(instrument.OptionType);
      const symbol = `${instrument.Name}${expiry.compact}${formatStrike(instrument.StrikePrice)}${suffix}`;
      return { row: makeRow(broker, instrument, symbol, instrument.Name, exchange, segment, expiry.column, instrument.StrikePrice, suffix) };
    }
    default: {
      const never: never = instrument;
      return never;
    }
  }
}

function cashSymbol(exchange: string, instrument: XtsInstrument): string {
  if (exchange !== "NSE") return instrument.Name;
  if (NSE_BARE_SERIES.has(instrument.Series)) return instrument.Name;
  // A handful of NSE debt lines have no Series; XTS names them `NAME-NA` in Description.
  if (instrument.Series === "") return instrument.Description;
  return `${instrument.Name}-${instrument.Series}`;
}

export function rowFromIndexEntry(broker: string, entry: XtsIndexEntry): SymbolRow | undefined {
  const exchange = entry.segmentCode === 1 ? "NSE_INDEX" : entry.segmentCode === 11 ? "BSE_INDEX" : undefined;
  if (exchange === undefined) return undefined;
  const symbol = exchange === "NSE_INDEX" ? nseIndexSymbol(entry.name) : bseIndexSymbol(entry.name);
  return {
    broker,
    symbol,
    brsymbol: entry.entry,
    name: symbol,
    exchange,
    brexchange: exchange,
    token: entry.token,
    expiry: "",
    strike: 0,
    lotsize: 1,
    instrumenttype: "INDEX",
    tick_size: 0.05,
    freeze_qty: 0,
    lower_circuit: null,
    upper_circuit: null,
  };
}
