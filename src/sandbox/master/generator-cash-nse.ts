import type { GeneratedInstrument } from "./master-generator.js";
import { NameFactory } from "./generator-names.js";
import { FNO_STOCKS, NSE_INDEX_LIST } from "./generator-universe.js";
import { cashRow, pad8, SegmentSink, snap, TokenPool, type Row } from "./generator-wire.js";
import type { Prng } from "./prng.js";

/** A stock with derivatives, as the F&O generators need it. */
export interface StockRef {
  readonly name: string;
  readonly price: number;
  readonly lotSize: number;
  /** UnderlyingInstrumentId of its derivatives: the cash line's InstrumentID. */
  readonly underlyingId: string;
}

export interface NseCash {
  readonly sink: SegmentSink;
  readonly indexList: string[];
  readonly fnoStocks: StockRef[];
  /** EQ names, most liquid first, for BSE to list the same companies. */
  readonly sharedNames: string[];
  /** NSECM tokens that NSECD and MCXFO reuse on purpose: real tokens repeat across segments. */
  readonly tokensToShare: number[];
}

type RowKind = "equity" | "sme" | "t0" | "sdl" | "gsec" | "tbill" | "sgb" | "ncd" | "mf" | "invit" | "unlabelled";

interface SeriesShare {
  readonly series: readonly string[];
  readonly kind: RowKind;
  readonly share: number;
}

/** Series mix after the real NSECM sample; it is mostly bonds, and EQ is the biggest equity series. */
const NSE_SERIES: readonly SeriesShare[] = [
  { series: ["EQ"], kind: "equity", share: 0.42 },
  { series: ["BE"], kind: "equity", share: 0.04 },
  { series: ["BZ"], kind: "equity", share: 0.005 },
  { series: ["SM"], kind: "sme", share: 0.035 },
  { series: ["ST"], kind: "sme", share: 0.025 },
  { series: ["SZ"], kind: "sme", share: 0.004 },
  { series: ["T0"], kind: "t0", share: 0.004 },
  { series: ["SG"], kind: "sdl", share: 0.2 },
  { series: ["GS"], kind: "gsec", share: 0.025 },
  { series: ["TB"], kind: "tbill", share: 0.012 },
  { series: ["GB"], kind: "sgb", share: 0.01 },
  { series: ["N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9", "NB", "NC", "ND"], kind: "ncd", share: 0.12 },
  { series: ["MF"], kind: "mf", share: 0.04 },
  { series: ["IV"], kind: "invit", share: 0.005 },
  { series: [""], kind: "unlabelled", share: 0.004 },
];

/** OpenAlgo shows these NSE series as the bare name; every other series keeps `NAME-SERIES`. */
const BARE_SERIES = new Set(["EQ", "BE", "BZ", "SM", "ST", "SZ"]);
const SME_LOTS = [400, 600, 800, 1000, 1200, 1600, 2000, 3000, 4000, 6000] as const;
const SHARED_TOKENS = 6;
/** NSE index-list tokens live in 26000–26999; NSECM cash tokens stay out of it (the real file has none there). */
const INDEX_TOKENS: readonly [number, number] = [26000, 26999];
const CASH_TOKEN_END = 30_000;

function nseSymbol(name: string, series: string, description: string): string {
  if (BARE_SERIES.has(series)) return name;
  if (series === "") return description;
  return `${name}-${series}`;
}

/** Counts per series summing to `total`, every series at least once; EQ absorbs the rounding and holds every F&O stock. */
function seriesCounts(total: number, minEquity: number): number[] {
  const sum = NSE_SERIES.reduce((s, x) => s + x.share, 0);
  const counts = NSE_SERIES.map((x) => Math.max(1, Math.round((x.share / sum) * total)));
  const rest = counts.reduce((s, n) => s + n, 0) - counts[0]!;
  counts[0] = Math.max(minEquity, total - rest);
  return counts;
}

function indexInstrument(name: string, token: number, symbol: string, level: number): GeneratedInstrument {
  return {
    segment: "NSECM",
    token,
    kind: "index",
    exchange: "NSE_INDEX",
    symbol,
    name,
    description: `${name}_${token}`,
    lotSize: 1,
    tickSize: 0.05,
    priceBandLow: null,
    priceBandHigh: null,
    referencePrice: snap(level, 0.05),
    expiry: null,
    strike: null,
    optionType: null,
    freezeQty: 0,
  };
}

export function generateNseCash(rng: Prng, budget: number, fnoCount: number): NseCash {
  const sink = new SegmentSink("NSECM");
  const names = new NameFactory(rng.fork("names"));
  const draw = rng.fork("rows");

  // About one index per 125 NSECM lines: the whole list at the default size, the core ones in small masters.
  const core = NSE_INDEX_LIST.filter((e) => e.core).length;
  let extraIndices = Math.max(0, Math.round(budget * 0.008) - core);
  const indexList: string[] = [];
  for (const entry of NSE_INDEX_LIST) {
    if (!entry.core) {
      if (extraIndices === 0) continue;
      extraIndices -= 1;
    }
    sink.add(indexInstrument(entry.name, entry.token, entry.symbol, entry.level), null);
    indexList.push(`${entry.name}_${entry.token}`);
  }

  const cashCount = Math.max(0, budget - indexList.length);
  const counts = seriesCounts(cashCount, fnoCount + 1);
  const tokens = TokenPool.spread(rng.fork("tokens"), 0, CASH_TOKEN_END, counts.reduce((s, n) => s + n, 0), INDEX_TOKENS);
  const rows: Row[] = [];
  const fnoStocks: StockRef[] = [];
  const equities: { name: string; price: number; tick: number }[] = [];
  const withT0 = new Set<string>();

  const add = (name: string, series: string, price: number, tick: number, band: number, lot: number, isinPrefix: string, detailed: string, surveillance = "0"): number => {
    const token = tokens.next();
    const description = `${name}-${series === "" ? "NA" : series}`;
    rows.push(
      cashRow({
        segment: "NSECM",
        token,
        name,
        series,
        description,
        instrumentId: `11001${pad8(token)}`,
        exchange: "NSE",
        symbol: nseSymbol(name, series, description),
        price,
        tickSize: tick,
        band,
        lotSize: lot,
        freezeQty: Math.floor(1e8 / Math.max(1, price)) + 1,
        tail: { displayName: name, isin: names.isin(isinPrefix), detailedDescription: `${detailed}-${series === "" ? "NA" : series}`, surveillance, caution: "-1", gsm: "-1" },
      }),
    );
    return token;
  };

  const equityPrice = (): number => Math.exp(draw.range(Math.log(8), Math.log(4000)));
  const equityTick = (price: number): number => (price >= 250 || draw.chance(0.3) ? 0.05 : 0.01);

  for (const [name] of FNO_STOCKS) names.reserve(name);
  for (let i = 0; i < fnoCount; i += 1) {
    const listed = FNO_STOCKS[i];
    const name = listed?.[0] ?? names.company();
    const price = listed?.[1] ?? Math.round(draw.range(80, 3000));
    const lot = listed?.[2] ?? Math.max(25, Math.round(600_000 / price / 25) * 25);
    const token = add(name, "EQ", price, 0.05, 0.2, 1, "INE", `${name} LIMITED`);
    fnoStocks.push({ name, price: snap(price, 0.05), lotSize: lot, underlyingId: `11001${pad8(token)}` });
    equities.push({ name, price, tick: 0.05 });
  }

  NSE_SERIES.forEach((spec, at) => {
    const count = counts[at]! - (at === 0 ? fnoCount : 0);
    for (let i = 0; i < count; i += 1) {
      const series = spec.series.length === 1 ? spec.series[0]! : draw.pick(spec.series);
      addRow(spec.kind, series);
    }
  });

  function addRow(kind: RowKind, series: string): void {
    switch (kind) {
      case "equity": {
        const name = names.company();
        const price = equityPrice();
        const tick = equityTick(price);
        add(name, series, price, tick, series === "EQ" ? draw.pick([0.2, 0.2, 0.1, 0.05]) : 0.05, 1, "INE", `${name} LIMITED`, series === "EQ" ? "0" : draw.pick(["34", "35", "13"]));
        if (series === "EQ") equities.push({ name, price, tick });
        return;
      }
      case "sme": {
        const name = names.company();
        add(name, series, draw.range(20, 500), 0.05, 0.2, draw.pick(SME_LOTS), "INE", `${name} LIMITED`);
        return;
      }
      case "t0": {
        // T+0 settlement lines reuse an EQ name: `NMDC` and `NMDC-T0` are both stored, under different symbols.
        const eq = equities[draw.int(0, Math.min(equities.length, 50) - 1)]!;
        if (withT0.has(eq.name)) return addRow("equity", "BE");
        withT0.add(eq.name);
        add(eq.name, series, eq.price, eq.tick, 0.01, 1, "INE", `${eq.name} LIMITED`);
        return;
      }
      case "sdl": {
        const name = names.stateLoan();
        add(name, series, draw.range(92, 108), 0.01, 0.05, 100, "IN2", `SDL ${name}`);
        return;
      }
      case "gsec": {
        const name = names.governmentSecurity();
        add(name, series, draw.range(95, 110), 0.01, 0.05, 1, "IN0", `GOI LOAN ${name}`);
        return;
      }
      case "tbill": {
        const name = names.treasuryBill();
        add(name, series, draw.range(96, 99.5), 0.01, 0.05, 100, "IN0", `GOI TBILL ${name}`);
        return;
      }
      case "sgb": {
        const name = names.goldBond();
        add(name, series, draw.range(11_000, 13_500), 0.01, 0.1, 1, "IN0", `2.50% GOLDBONDS ${name}`);
        return;
      }
      case "ncd": {
        const name = names.debenture(false);
        add(name, series, draw.range(800, 1200), 0.01, 0.2, 1, "INE", `SEC RE NCD ${name}`);
        return;
      }
      case "mf": {
        const name = names.mutualFund();
        add(name, series, draw.range(9, 11), 0.01, 0.1, 1, "INF", `${names.fundHouse()} - ${name}`);
        return;
      }
      case "invit": {
        const name = names.trust();
        add(name, series, draw.range(90, 160), 0.01, 0.2, 1, "INE", `${name} TRUST`);
        return;
      }
      case "unlabelled": {
        // A few NSE debt lines carry no Series at all; XTS spells them `NAME-NA`.
        const name = names.debenture(false);
        add(name, series, draw.range(800, 1200), 0.01, 0.2, 1, "INE", `SEC RE NCD ${name}`);
        return;
      }
      default: {
        const never: never = kind;
        throw new Error(`unknown NSE row kind ${String(never)}`);
      }
    }
  }

  // The real file is in no particular order; neither is this one.
  draw.shuffle(rows);
  for (const row of rows) sink.addRow(row);

  const tokensToShare = rows
    .filter((r) => r.instrument.symbol === r.instrument.name)
    .slice(0, SHARED_TOKENS)
    .map((r) => r.instrument.token);
  return { sink, indexList, fnoStocks, sharedNames: equities.map((e) => e.name), tokensToShare };
}
