import type { StockRef } from "./generator-cash-nse.js";
import { NameFactory } from "./generator-names.js";
import { BSE_FNO_STOCKS, BSE_SPOT_INDICES, FNO_STOCKS } from "./generator-universe.js";
import { cashLine, cashRow, pad8, SegmentSink, snap, TokenPool, type Row } from "./generator-wire.js";
import type { Prng } from "./prng.js";

export interface BseCash {
  readonly sink: SegmentSink;
  readonly indexList: string[];
  /** Stocks with BSE derivatives, underlying their SF/SO contracts. */
  readonly fnoStocks: StockRef[];
}

type Pool = "equity" | "debenture" | "gsec";

interface SeriesShare {
  readonly series: string;
  readonly pool: Pool;
  readonly share: number;
}

/** Series mix after the real BSECM sample: half of it is privately placed debt (F), then groups B, X, G, A. */
const BSE_SERIES: readonly SeriesShare[] = [
  { series: "A", pool: "equity", share: 0.06 },
  { series: "B", pool: "equity", share: 0.12 },
  { series: "T", pool: "equity", share: 0.025 },
  { series: "X", pool: "equity", share: 0.09 },
  { series: "XT", pool: "equity", share: 0.05 },
  { series: "M", pool: "equity", share: 0.016 },
  { series: "MT", pool: "equity", share: 0.01 },
  { series: "P", pool: "equity", share: 0.005 },
  { series: "Z", pool: "equity", share: 0.005 },
  { series: "IF", pool: "equity", share: 0.002 },
  { series: "E", pool: "equity", share: 0.002 },
  { series: "F", pool: "debenture", share: 0.45 },
  { series: "G", pool: "gsec", share: 0.09 },
];

const SME_LOTS = [1000, 1200, 1600, 2000, 3000, 4000, 6000] as const;

function title(name: string): string {
  const text = `${name.charAt(0)}${name.slice(1).toLowerCase()} Limited`;
  return text.length > 30 ? text.slice(0, 30) : text;
}

/** BSE index rows sit in BSECM with Series SPOT, empty price bands and TickSize 1, exactly as in the real file. */
function spotRows(sink: SegmentSink, indexList: string[]): void {
  for (const index of BSE_SPOT_INDICES) {
    const description = `${index.code}-SPOT`;
    const line = cashLine(
      {
        segment: "BSECM",
        token: index.token,
        instrumentType: 8,
        name: index.code,
        description,
        series: "SPOT",
        nameWithSeries: description,
        instrumentId: `111001${pad8(index.token)}`,
        bandHigh: "",
        bandLow: "",
        freezeQty: 0,
        tickSize: 1,
        lotSize: 1,
        multiplier: "1",
      },
      { displayName: index.code, isin: "", detailedDescription: description, surveillance: "-1", caution: "-1", gsm: "-1" },
    );
    sink.add(
      {
        segment: "BSECM",
        token: index.token,
        kind: "index",
        exchange: "BSE_INDEX",
        symbol: index.symbol,
        name: index.code,
        description,
        lotSize: 1,
        tickSize: 1,
        priceBandLow: null,
        priceBandHigh: null,
        referencePrice: snap(index.level, 1),
        expiry: null,
        strike: null,
        optionType: null,
        freezeQty: 0,
      },
      line,
    );
    // The index list names the same instrument with the same token; the store keeps one row.
    if (index.listed) indexList.push(`${index.code}_${index.token}`);
  }
}

export function generateBseCash(rng: Prng, budget: number, sharedNames: readonly string[]): BseCash {
  const sink = new SegmentSink("BSECM");
  const indexList: string[] = [];
  spotRows(sink, indexList);

  const names = new NameFactory(rng.fork("names"));
  const draw = rng.fork("rows");
  const cashCount = Math.max(0, budget - BSE_SPOT_INDICES.length);
  const sum = BSE_SERIES.reduce((s, x) => s + x.share, 0);
  const counts = BSE_SERIES.map((x) => Math.max(1, Math.round((x.share / sum) * cashCount)));
  const poolSize = (pool: Pool): number => BSE_SERIES.reduce((s, x, i) => s + (x.pool === pool ? counts[i]! : 0), 0);
  const pools: Record<Pool, TokenPool> = {
    equity: TokenPool.spread(rng.fork("equity-tokens"), 500_000, 545_000, poolSize("equity") + BSE_FNO_STOCKS.length + 1),
    debenture: TokenPool.spread(rng.fork("debenture-tokens"), 950_000, 977_000, poolSize("debenture")),
    gsec: TokenPool.spread(rng.fork("gsec-tokens"), 800_000, 806_000, poolSize("gsec")),
  };

  const rows: Row[] = [];
  const add = (pool: Pool, name: string, series: string, price: number, lot: number, isinPrefix: string, detailed: string): number => {
    const token = pools[pool].next();
    const tick = pool === "equity" && (price >= 250 || draw.chance(0.3)) ? 0.05 : 0.01;
    const trade = series === "T" || series === "XT" || series === "MT";
    rows.push(
      cashRow({
        segment: "BSECM",
        token,
        name,
        series,
        description: `${name}-${series}`,
        instrumentId: `111001${pad8(token)}`,
        exchange: "BSE",
        symbol: name,
        price,
        tickSize: tick,
        band: pool === "equity" ? (trade ? 0.05 : draw.pick([0.2, 0.1, 0.05])) : pool === "gsec" ? 0.1 : 0.2,
        lotSize: lot,
        freezeQty: 0,
        tail: {
          displayName: name,
          isin: names.isin(isinPrefix),
          detailedDescription: detailed,
          surveillance: draw.chance(0.85) ? "100" : draw.pick(["13", "0"]),
          caution: trade && draw.chance(0.4) ? draw.pick(["19", "20"]) : "-1",
          gsm: draw.chance(0.02) ? "1" : "-1",
        },
      }),
    );
    return token;
  };

  const fnoStocks: StockRef[] = [];
  for (const name of BSE_FNO_STOCKS) {
    const [, price, lot] = FNO_STOCKS.find(([n]) => n === name) ?? [name, 1000, 100];
    names.reserve(name);
    const token = add("equity", name, "A", price, 1, "INE", title(name));
    fnoStocks.push({ name, price: snap(price, 0.05), lotSize: lot, underlyingId: `111001${pad8(token)}` });
  }
  // A real quirk: an ETF named METAL trades in group B while the METAL index is a SPOT row; both are stored, on different exchanges.
  names.reserve("METAL");
  add("equity", "METAL", "B", draw.range(8, 12), 1, "INF", "Mirae Asset Mutual Fund");

  let shared = 0;
  const sharedOrNew = (): string => {
    while (shared < sharedNames.length) {
      const name = sharedNames[shared++]!;
      if (!names.has(name)) {
        names.reserve(name);
        return name;
      }
    }
    return names.company();
  };

  BSE_SERIES.forEach((spec, at) => {
    for (let i = 0; i < counts[at]!; i += 1) {
      switch (spec.pool) {
        case "equity": {
          const name = spec.series === "A" || spec.series === "B" ? sharedOrNew() : names.company();
          const lot = spec.series === "M" || spec.series === "MT" ? draw.pick(SME_LOTS) : spec.series === "P" ? draw.pick([50, 100]) : 1;
          add("equity", name, spec.series, Math.exp(draw.range(Math.log(3), Math.log(5000))), lot, "INE", title(name));
          break;
        }
        case "debenture": {
          const name = names.debenture(true);
          add("debenture", name, spec.series, draw.range(800_000, 1_200_000), 1, "INE", `${name}-PVT`);
          break;
        }
        case "gsec": {
          const name = names.bseGovernmentSecurity();
          add("gsec", name, spec.series, draw.range(90, 110), 1, "IN0", name);
          break;
        }
        default: {
          const never: never = spec.pool;
          throw new Error(`unknown BSE token pool ${String(never)}`);
        }
      }
    }
  });

  draw.shuffle(rows);
  for (const row of rows) sink.addRow(row);
  return { sink, indexList, fnoStocks };
}
