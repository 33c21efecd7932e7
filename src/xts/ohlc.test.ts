import { describe, expect, it } from "vitest";
import { parseOhlcBars, parseXtsTime, xtsTimeOf } from "./ohlc.js";

describe("XTS OHLC wire facts", () => {
  it("writes and reads IST wall-clock times as MMM DD YYYY HHMMSS", () => {
    const wall = Date.UTC(2024, 11, 2, 9, 15, 0) / 1000;
    expect(xtsTimeOf(wall)).toBe("Dec 02 2024 091500");
    expect(parseXtsTime("Dec 02 2024 091500")).toBe(wall);
    expect(parseXtsTime("Feb 30 2024 091500")).toBeUndefined();
    expect(parseXtsTime("Dec 2 2024 0915")).toBeUndefined();
    expect(parseXtsTime("Dex 02 2024 091500")).toBeUndefined();
  });

  it("reads bars ts|o|h|l|c|v|oi, an empty string as no data, and refuses a bar it cannot read", () => {
    expect(parseOhlcBars("1733130900|10|11|9.5|10.5|100|7,1733130960|10.5|10.6|10.4|10.45|50")).toEqual([
      { ts: 1733130900, open: 10, high: 11, low: 9.5, close: 10.5, volume: 100, oi: 7 },
      { ts: 1733130960, open: 10.5, high: 10.6, low: 10.4, close: 10.45, volume: 50, oi: 0 },
    ]);
    expect(parseOhlcBars("")).toEqual([]);
    expect(() => parseOhlcBars("1733130900|10|11|9.5")).toThrow(/dataReponse bar 0 .* is not ts\|open\|high\|low\|close\|volume/);
    expect(() => parseOhlcBars("1733130900|10|11|9.5|10.5|100,x|1|1|1|1|1")).toThrow(/dataReponse bar 1/);
    expect(() => parseOhlcBars("1733130900|10|9|11|10|1")).toThrow(/high below low/);
  });
});
