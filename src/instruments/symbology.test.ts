import { describe, expect, it } from "vitest";
import { parseIndexEntry, parseMasterLine } from "../xts/master-parser.js";
import type { XtsIndexEntry } from "../xts/master-types.js";
import { nseIndexSymbol, bseIndexSymbol } from "./index-names.js";
import { formatExpiry, formatStrike, rowFromIndexEntry, rowFromInstrument } from "./symbology.js";

function row(line: string) {
  const parsed = parseMasterLine(line, 1);
  if (!parsed.ok) throw new Error(parsed.issue.reason);
  return rowFromInstrument("jainam_prop", parsed.instrument);
}

function stored(line: string) {
  const result = row(line);
  if (!("row" in result)) throw new Error(`skipped: ${result.skip}`);
  return result.row;
}

/** Builds a 23-field NSEFO option line (the V16/V18 vectors give fields, not lines). */
function option(name: string, expiry: string, strike: string, optionType: 3 | 4, token = 1): string {
  return `NSEFO|${token}|2|${name}|${name}X|OPTIDX|${name}-OPTIDX|1|1|1|1|0.05|75|1|-1|${name}|${expiry}T14:30:00|${strike}|${optionType}|${name} X|1|1|${name}X`;
}

describe("formatStrike", () => {
  it("prints whole strikes without decimals and others in shortest form", () => {
    expect(formatStrike(24000)).toBe("24000");
    expect(formatStrike(20800.0)).toBe("20800");
    expect(formatStrike(292.5)).toBe("292.5");
    expect(formatStrike(1.085)).toBe("1.085");
    expect(formatStrike(83.25)).toBe("83.25");
  });
});

describe("formatExpiry", () => {
  it("gives DDMMMYY for symbols and DD-MMM-YY for the expiry column, upper case", () => {
    expect(formatExpiry("2024-03-28")).toEqual({ compact: "28MAR24", column: "28-MAR-24" });
    expect(formatExpiry("2025-02-05")).toEqual({ compact: "05FEB25", column: "05-FEB-25" });
  });
});

describe("F&O rows (spec vectors V16–V18)", () => {
  it("V16: NIFTY option CE/PE", () => {
    expect(stored(option("NIFTY", "2024-03-28", "20800", 3))).toMatchObject({
      symbol: "NIFTY28MAR2420800CE",
      expiry: "28-MAR-24",
      strike: 20800,
      instrumenttype: "CE",
      exchange: "NFO",
      brexchange: "NSEFO",
      brsymbol: "NIFTYX",
    });
    expect(stored(option("NIFTY", "2024-03-28", "20800", 4)).symbol).toBe("NIFTY28MAR2420800PE");
  });

  it("V17: futures get NAME+DDMMMYY+FUT from the real expiry, not the Description's month code", () => {
    const r = stored("NSEFO|62329|1|NIFTY|NIFTY26JUNFUT|FUTIDX|NIFTY-FUTIDX|2618100062329|26237.7|21467.3|1801|0.1|65|1|-1|Nifty 50|2026-06-30T14:30:00|NIFTY 30JUN2026|1|1|NIFTY26JUNFUT");
    expect(r).toMatchObject({ symbol: "NIFTY30JUN26FUT", brsymbol: "NIFTY26JUNFUT", expiry: "30-JUN-26", instrumenttype: "FUT", lotsize: 65, tick_size: 0.1, token: 62329, freeze_qty: 1801 });
  });

  it("V18: decimal strikes keep their decimals", () => {
    expect(stored(option("VEDL", "2024-04-25", "292.5", 4)).symbol).toBe("VEDL25APR24292.5PE");
  });

  it("BSE options use the T00:00 date without shifting the day", () => {
    const r = stored(
      "BSEFO|1132771|2|BANKEX|BANKEX25DEC72000CE|IO|BANKEX-IO|12535801132771|20.05|0.05|900|0.05|30|1|-1|BANKEX|2025-12-24T00:00:00|72000|3|BANKEX 24DEC2025 CE 72000|1|1|BANKEX25DEC72000CE",
    );
    expect(r).toMatchObject({ symbol: "BANKEX24DEC2572000CE", exchange: "BFO", expiry: "24-DEC-25" });
  });

  it("spreads and MCX spot rows are skipped with their reason, never stored", () => {
    expect(row("NSEFO|9574506|4|BERGEPAINT|BERGEPAINT25JAN25FEBFUT|FUTSTK|BERGEPAINT-FUTSTK|2100110000000|11.3|-11.3|52801|0.05|1320|1|-1||2025-01-30T14:30:00|BERGEPAINT 30JAN27FEB SPD|1|1|BERGEPAINT25JAN25FEBFUT")).toEqual({ skip: "spread" });
    expect(row("MCXFO|1001|16|GOLD|GOLD|COMDTY|GOLD-COMDTY|x|0|0|0|1|1|1|GOLD|GOLD|1|1")).toEqual({ skip: "spot" });
  });
});

describe("cash rows (V15, corrected)", () => {
  const cash = (segment: string, name: string, series: string, token = 5) =>
    `${segment}|${token}|8|${name}|${name}-${series}|${series}|${name}-${series}|1|2|1|10|0.05|1|1|${name}|INE|1|1|${name} LTD|0|-1|-1`;

  it("NSE EQ, BE, BZ, SM, ST, SZ get the bare name", () => {
    for (const series of ["EQ", "BE", "BZ", "SM", "ST", "SZ"]) expect(stored(cash("NSECM", "SUZLON", series)).symbol).toBe("SUZLON");
  });

  it("other NSE series keep -SERIES so an EQ line and its partly-paid line do not collide", () => {
    expect(stored(cash("NSECM", "AARTISURF", "P1")).symbol).toBe("AARTISURF-P1");
    expect(stored(cash("NSECM", "738CG34", "SG")).symbol).toBe("738CG34-SG");
  });

  it("BSE rows use the bare name whatever the series", () => {
    expect(stored(cash("BSECM", "MAXHEALTH", "A"))).toMatchObject({ symbol: "MAXHEALTH", exchange: "BSE", brexchange: "BSECM", instrumenttype: "EQ" });
  });

  it("BSE SPOT rows become BSE_INDEX with normalised names", () => {
    expect(stored(cash("BSECM", "SNSX50", "SPOT"))).toMatchObject({ symbol: "SENSEX50", exchange: "BSE_INDEX", brexchange: "BSE_INDEX", instrumenttype: "INDEX" });
    expect(stored(cash("BSECM", "BSE CG", "SPOT")).symbol).toBe("BSECAPITALGOODS");
  });
});

describe("index list rows (V19)", () => {
  const entry = (text: string, code: number) => parseIndexEntry(text, code) as XtsIndexEntry;

  it("maps NSE names to OpenAlgo's", () => {
    expect(rowFromIndexEntry("jainam_prop", entry("NIFTY 100_26004", 1))).toMatchObject({
      symbol: "NIFTY100",
      brsymbol: "NIFTY 100_26004",
      token: 26004,
      exchange: "NSE_INDEX",
      brexchange: "NSE_INDEX",
      instrumenttype: "INDEX",
      lotsize: 1,
    });
    expect(rowFromIndexEntry("jainam_prop", entry("NIFTY BANK_26001", 1))?.symbol).toBe("BANKNIFTY");
    expect(rowFromIndexEntry("jainam_prop", entry("SNSX50_12", 11))).toMatchObject({ symbol: "SENSEX50", exchange: "BSE_INDEX" });
  });

  it("name normalisation collapses spacing and case before mapping", () => {
    expect(nseIndexSymbol("  nifty   50 ")).toBe("NIFTY");
    expect(nseIndexSymbol("NIFTY FIN SERVICE")).toBe("FINNIFTY");
    expect(nseIndexSymbol("HANGSENG BEES-NAV")).toBe("HANGSENGBEESNAV");
    expect(bseIndexSymbol("OILGAS")).toBe("BSEOIL&GAS");
    expect(bseIndexSymbol("BSE-NEW IDX")).toBe("BSENEWIDX");
  });

  it("ignores index lists of other segments", () => {
    expect(rowFromIndexEntry("jainam_prop", entry("X_1", 2))).toBeUndefined();
  });
});
