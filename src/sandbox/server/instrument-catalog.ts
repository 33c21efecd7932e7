import type { GeneratedInstrument, GeneratedMaster } from "../master/master-generator.js";

function index(instruments: readonly GeneratedInstrument[]): Map<string, Map<number, GeneratedInstrument>> {
  const bySegment = new Map<string, Map<number, GeneratedInstrument>>();
  for (const instrument of instruments) {
    let tokens = bySegment.get(instrument.segment);
    if (tokens === undefined) {
      tokens = new Map();
      bySegment.set(instrument.segment, tokens);
    }
    const existing = tokens.get(instrument.token);
    // An index-list entry never hides a master row that shares its token.
    if (existing === undefined || existing.kind === "index") tokens.set(instrument.token, instrument);
  }
  return bySegment;
}

/**
 * Instruments the sandbox can trade or quote, looked up by (segment, token): tokens are unique
 * only within a segment. The index is built on first use, not at start-up, which must stay under
 * two seconds with 150,000 instruments.
 */
export class InstrumentCatalog {
  private bySegment: Map<string, Map<number, GeneratedInstrument>> | undefined;
  private spots: Map<string, GeneratedInstrument> | undefined;
  private readonly nearestFutures = new Map<string, GeneratedInstrument | undefined>();

  constructor(private readonly master: GeneratedMaster) {}

  get(segment: string, token: number): GeneratedInstrument | undefined {
    this.bySegment ??= index(this.master.instruments);
    return this.bySegment.get(segment)?.get(token);
  }

  /**
   * What an option follows: its stock or index (NSE options on NSE_INDEX or NSE, BSE ones on
   * BSE_INDEX or BSE), or for currency and commodity options the nearest future of the same name.
   */
  underlyingOf(option: GeneratedInstrument): GeneratedInstrument | undefined {
    this.spots ??= new Map(
      this.master.instruments
        .filter((i) => (i.kind === "cash" || i.kind === "index") && i.symbol !== null)
        .map((i) => [`${i.exchange === "NSE" || i.exchange === "NSE_INDEX" ? "NSEFO" : "BSEFO"}|${i.symbol}`, i] as const)
        .reverse(),
    );
    const spot = this.spots.get(`${option.segment}|${option.name}`);
    if (spot !== undefined) return spot;
    const key = `${option.segment}|${option.name}`;
    if (!this.nearestFutures.has(key)) {
      const futures = this.master.instruments.filter((i) => i.kind === "future" && i.segment === option.segment && i.name === option.name && i.expiry !== null);
      this.nearestFutures.set(key, futures.sort((a, b) => (a.expiry! < b.expiry! ? -1 : 1))[0]);
    }
    return this.nearestFutures.get(key);
  }

  /**
   * The first `count` NSECM equities with their ISIN, for seeding holdings. The ISIN is field 15
   * of a cash line (xts-protocol.md §2.2 a); the generated instrument does not carry it.
   */
  equitiesWithIsin(count: number): readonly { readonly instrument: GeneratedInstrument; readonly isin: string }[] {
    const isinByToken = new Map<number, string>();
    for (const line of this.master.lines.NSECM) {
      if (isinByToken.size >= count) break;
      const fields = line.split("|");
      if (fields.length === 22 && fields[2] === "8" && fields[5] === "EQ" && fields[15] !== "") isinByToken.set(Number(fields[1]), fields[15]!);
    }
    // A linear scan: cheaper at start-up than building the whole index for two lookups.
    const found: { instrument: GeneratedInstrument; isin: string }[] = [];
    for (const instrument of this.master.instruments) {
      const isin = instrument.segment === "NSECM" && instrument.kind === "cash" ? isinByToken.get(instrument.token) : undefined;
      if (isin !== undefined) found.push({ instrument, isin });
      if (found.length === isinByToken.size) break;
    }
    return found;
  }
}
