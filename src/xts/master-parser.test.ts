import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sampleFile, sampleFiles } from "../../test/support/samples.js";
import { LineSplitter, parseIndexEntry, parseMasterLine, parseMasterStream } from "./master-parser.js";

const FUTURE = "NSEFO|62329|1|NIFTY|NIFTY26JUNFUT|FUTIDX|NIFTY-FUTIDX|2618100062329|26237.7|21467.3|1801|0.1|65|1|-1|Nifty 50|2026-06-30T14:30:00|NIFTY 30JUN2026|1|1|NIFTY26JUNFUT";
const OPTION =
  "NSEFO|119476|2|NATIONALUM|NATIONALUM26JAN335PE|OPTSTK|NATIONALUM-OPTSTK|2602700119476|76.45|36.45|112501|0.05|3750|1|1100100006364|NATIONALUM|2026-01-27T14:30:00|335|4|NATIONALUM 27JAN2026 PE 335|1|1|NATIONALUM26JAN335PE";
const SPREAD = "NSEFO|12778737|4|GAIL|GAIL25DEC26JANFUT|FUTSTK|GAIL-FUTSTK|2100112778737|4.2|-4.2|126001|0.01|3150|1|-1||2025-12-30T14:30:00|GAIL 30DEC27JAN SPD|1|1|GAIL25DEC26JANFUT";
const CASH =
  "NSECM|2885|8|RELIANCE|RELIANCE-EQ|EQ|RELIANCE-EQ|1100100002885|1440.4|1178.6|67662|0.1|1|1|RELIANCE|INE002A01018|1|1|RELIANCE INDUSTRIES LTD-EQ|0|-1|-1";
const NSECD_2019 = "NSECD|1553|2|EURUSD|EURUSD19SEP1.085CE|OPTCUR|EURUSD-OPTCUR|3926900001553|0.0346|0.0208|10001|0.0001|1|-1||2019-09-26T14:30:00|1.085|3";
const NSECD_2023 =
  "NSECD|11666|2|USDJPY|USDJPY23JAN146PE|OPTCUR|USDJPY-OPTCUR|3302700011666|18.38|14.42|10001|0.01|1|629.1999999999999|3100100000043||2023-01-27T14:30:00|146|4";
const MCX_SPOT = "MCXFO|1001|16|GOLD|GOLD|COMDTY|GOLD-COMDTY|x|0|0|0|1|1|1|GOLD|GOLD|1|1";

function parsed(line: string) {
  const result = parseMasterLine(line, 7);
  if (!result.ok) throw new Error(`expected ${line} to parse: ${result.issue.reason}`);
  return result.instrument;
}

describe("parseMasterLine chooses the layout by InstrumentType and field count", () => {
  it("reads a 21-field future without strike or option type", () => {
    const i = parsed(FUTURE);
    expect(i).toMatchObject({ kind: "future", ExchangeSegment: "NSEFO", ExchangeInstrumentID: 62329, Name: "NIFTY", LotSize: 65, TickSize: 0.1 });
    expect(i.kind === "future" && i.ContractExpiration).toBe("2026-06-30");
    expect(i.kind === "future" && i.DisplayName).toBe("NIFTY 30JUN2026");
  });

  it("reads a 23-field option with strike and option type", () => {
    const i = parsed(OPTION);
    expect(i).toMatchObject({ kind: "option", StrikePrice: 335, OptionType: 4, ContractExpiration: "2026-01-27", LotSize: 3750 });
  });

  it("tells a spread (InstrumentType 4) from a future although both have 21 fields and Series FUTSTK", () => {
    expect(parsed(SPREAD).kind).toBe("spread");
  });

  it("reads a 22-field cash line with ISIN", () => {
    expect(parsed(CASH)).toMatchObject({ kind: "cash", Series: "EQ", ISIN: "INE002A01018", FreezeQty: 67662 });
  });

  it("reads both legacy NSECD option layouts (18 fields without Multiplier, 19 with)", () => {
    expect(parsed(NSECD_2019)).toMatchObject({ kind: "option", StrikePrice: 1.085, OptionType: 3, Multiplier: null, ContractExpiration: "2019-09-26" });
    expect(parsed(NSECD_2023)).toMatchObject({ kind: "option", StrikePrice: 146, OptionType: 4, Multiplier: 629.1999999999999 });
  });

  it("reads an 18-field MCX spot (COMDTY) line as spot", () => {
    expect(parsed(MCX_SPOT).kind).toBe("spot");
  });

  it("accepts 29 February of leap years (2028, and 2000 as a century divisible by 400)", () => {
    for (const day of ["2028-02-29", "2000-02-29", "2026-12-31", "2026-01-31"]) {
      expect(parsed(FUTURE.replace("2026-06-30", day))).toMatchObject({ ContractExpiration: day });
    }
  });

  it("accepts the empty price band of BSE index rows", () => {
    const i = parsed("BSECM|26065|8|SENSEX|SENSEX-SPOT|SPOT|SENSEX-SPOT|11100100026065|||0|1|1|1|SENSEX||1|1|SENSEX-SPOT|-1|-1|-1");
    expect(i).toMatchObject({ kind: "cash", Series: "SPOT", PriceBandHigh: null, PriceBandLow: null });
  });
});

describe("parseMasterLine reads numbers exactly as Number() does", () => {
  // Plain decimals take a fast path of their own; every other spelling goes through Number().
  const decimal = fc.oneof(
    fc.stringMatching(/^[0-9]{1,17}(\.[0-9]{0,17})?$/),
    fc.stringMatching(/^\.[0-9]{1,16}$/),
    fc.double({ min: 0, max: 1e9, noNaN: true }).map(String),
    fc.constantFrom("0", "007", "0.0", "1.", "1.50", " 12", "12 ", "1e3", "0x10", "-5", "+5", ".", "1.2.3", "9007199254740993", "123456789012345.6"),
  );

  it("reads any price band as Number() reads it, or rejects it as Number() would", () => {
    fc.assert(
      fc.property(decimal, (text) => {
        const result = parseMasterLine(FUTURE.replace("|26237.7|", `|${text}|`), 1);
        const expected = Number(text);
        if (text.trim() === "" ? false : Number.isFinite(expected)) {
          expect(result.ok && result.instrument.PriceBandHigh).toBe(expected);
        } else expect(result.ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads a repeated expiry from memory and still rejects a bad one after a good one", () => {
    expect(parsed(FUTURE)).toMatchObject({ ContractExpiration: "2026-06-30" });
    expect(parsed(FUTURE.replace("62329", "62330"))).toMatchObject({ ContractExpiration: "2026-06-30" });
    const bad = parseMasterLine(FUTURE.replace("2026-06-30", "2026-02-30"), 2);
    expect(!bad.ok && bad.issue.reason).toMatch(/not a calendar date/);
    expect(parseMasterLine(FUTURE.replace("2026-06-30", "2026-02-30"), 3).ok).toBe(false);
  });
});

describe("parseMasterLine reports what it cannot parse", () => {
  const cases: [string, string, RegExp][] = [
    ["wrong field count for an option", OPTION.split("|").slice(0, 21).join("|"), /options line has 21 fields/],
    ["wrong field count for cash", `${CASH}|extra`, /cash line .* has 23 fields/],
    ["far too many fields (all counted)", `${OPTION}${"|".repeat(47)}`, /options line has 70 fields/],
    ["non-numeric token", FUTURE.replace("|62329|", "|62a29|"), /ExchangeInstrumentID .* not a number/],
    ["zero lot size", FUTURE.replace("|0.1|65|", "|0.1|0|"), /LotSize .* positive integer/],
    ["impossible expiry date", FUTURE.replace("2026-06-30", "2026-02-30"), /not a calendar date/],
    ["29 February of a common year", FUTURE.replace("2026-06-30", "2026-02-29"), /not a calendar date/],
    ["29 February of a century that is not a leap year", FUTURE.replace("2026-06-30", "2100-02-29"), /not a calendar date/],
    ["month 13", FUTURE.replace("2026-06-30", "2026-13-01"), /not a calendar date/],
    ["day 0", FUTURE.replace("2026-06-30", "2026-06-00"), /not a calendar date/],
    ["31 April", FUTURE.replace("2026-06-30", "2026-04-31"), /not a calendar date/],
    ["garbage expiry", FUTURE.replace("2026-06-30T14:30:00", "soon"), /not an ISO date/],
    ["option type 5", OPTION.replace("|335|4|", "|335|5|"), /OptionType .* 3 \(CE\) or 4 \(PE\)/],
    ["unknown segment", FUTURE.replace("NSEFO", "XXXFO"), /unknown exchange segment 'XXXFO'/],
    ["unknown instrument type", FUTURE.replace("|62329|1|", "|62329|3|"), /unknown InstrumentType 3/],
    ["random text", "hello world", /unknown exchange segment/],
  ];
  for (const [what, line, reason] of cases) {
    it(`rejects ${what} with segment, line number and reason`, () => {
      const result = parseMasterLine(line, 42);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.issue.lineNumber).toBe(42);
      expect(result.issue.reason).toMatch(reason);
      expect(result.issue.line).toBe(line);
    });
  }

  it("names the segment of a bad line", () => {
    const result = parseMasterLine(FUTURE.replace("|65|", "|x|"), 3);
    expect(!result.ok && result.issue.segment).toBe("NSEFO");
  });

  it("cuts a huge line in the report", () => {
    const result = parseMasterLine(`NSEFO|${"9".repeat(5000)}`, 1);
    expect(!result.ok && result.issue.line.length).toBeLessThan(310);
  });
});

describe("every real sample line parses", () => {
  for (const file of sampleFiles()) {
    it(file.split("/").pop()!, async () => {
      const results = [];
      for await (const batch of parseMasterStream([readFileSync(file, "utf8")])) results.push(...batch);
      const issues = results.filter((r) => !r.ok);
      expect(issues).toEqual([]);
      expect(results.length).toBe(readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "").length);
    });
  }
});

describe("streaming", () => {
  it("gives the same lines whatever the chunking, with CRLF and a missing final newline", async () => {
    const text = readFileSync(sampleFile("EXTRA.txt"), "utf8").replace(/\n/g, "\r\n").trimEnd();
    const whole: string[] = [];
    for await (const batch of parseMasterStream([text])) for (const r of batch) whole.push(JSON.stringify(r));
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      const got: string[] = [];
      for await (const batch of parseMasterStream(chunks)) for (const r of batch) got.push(JSON.stringify(r));
      expect(got).toEqual(whole);
    }
    expect(whole).toHaveLength(10);
  });

  it("numbers lines from 1, counting blank lines, so reports point at the right line", async () => {
    const results = [];
    for await (const batch of parseMasterStream([`${FUTURE}\n\nbad line\n`])) results.push(...batch);
    expect(results).toHaveLength(2);
    expect(results[1]!.ok ? 0 : results[1]!.issue.lineNumber).toBe(3);
  });

  it("LineSplitter holds only the unfinished tail between chunks", () => {
    const splitter = new LineSplitter();
    expect([...splitter.push("a|b\nc|")]).toEqual(["a|b"]);
    expect([...splitter.push("d\r\ne")]).toEqual(["c|d"]);
    expect([...splitter.end()]).toEqual(["e"]);
    expect([...splitter.end()]).toEqual([]);
  });
});

describe("parseIndexEntry", () => {
  it("splits on the last underscore", () => {
    expect(parseIndexEntry("NIFTY 50_26000", 1)).toEqual({ segmentCode: 1, entry: "NIFTY 50_26000", name: "NIFTY 50", token: 26000 });
    expect(parseIndexEntry("HANGSENG_BEES-NAV_26044", 1)).toMatchObject({ name: "HANGSENG_BEES-NAV", token: 26044 });
  });

  it("rejects entries without a numeric token", () => {
    expect(parseIndexEntry("NIFTY 50", 1)).toHaveProperty("error");
    expect(parseIndexEntry("NIFTY_x1", 1)).toHaveProperty("error");
    expect(parseIndexEntry("_26000", 1)).toHaveProperty("error");
  });
});
