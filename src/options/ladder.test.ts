import { describe, expect, it } from "vitest";
import { expiryColumn, labelOf, nearestIndex, offsetSteps, splitUnderlying } from "./ladder.js";

describe("offsets, strikes and expiries", () => {
  it("an offset is steps towards higher strikes: a call's ITM is below ATM, a put's above", () => {
    expect(offsetSteps("ATM", "CE")).toBe(0);
    expect(offsetSteps("ITM2", "CE")).toBe(-2);
    expect(offsetSteps("OTM2", "CE")).toBe(2);
    expect(offsetSteps("ITM2", "PE")).toBe(2);
    expect(offsetSteps("OTM50", "PE")).toBe(-50);
    for (const bad of ["ITM0", "OTM51", "ATM1", "itm1", "ITM01", ""]) expect(() => offsetSteps(bad, "CE")).toThrow(/offset must be ATM, ITM1…ITM50 or OTM1…OTM50/);
    expect([-2, -1, 0, 1, 2].map((s) => labelOf(s, "CE"))).toEqual(["ITM2", "ITM1", "ATM", "OTM1", "OTM2"]);
    expect([-2, -1, 0, 1, 2].map((s) => labelOf(s, "PE"))).toEqual(["OTM2", "OTM1", "ATM", "ITM1", "ITM2"]);
  });

  it("the nearest strike, the lower on a tie, at the ends too", () => {
    const strikes = [100, 150, 200, 300].map((strike) => ({ strike }));
    expect([0, 100, 124, 125, 126, 250, 299, 1000].map((p) => nearestIndex(strikes, p))).toEqual([0, 0, 0, 0, 1, 2, 3, 3]);
    expect(nearestIndex([], 10)).toBe(-1);
    expect(nearestIndex([{ strike: 5 }], 10)).toBe(0);
  });

  it("expiries are DDMMMYY calendar dates; an underlying may carry one", () => {
    expect(expiryColumn("08dec26")).toBe("08-DEC-26");
    expect(() => expiryColumn("8DEC26")).toThrow(/expiry_date must be DDMMMYY/);
    expect(() => expiryColumn("31NOV26")).toThrow(/not a calendar date/);
    expect(splitUnderlying("NIFTY28OCT25FUT")).toEqual({ base: "NIFTY", expiry: "28OCT25", future: true });
    expect(splitUnderlying("M&M")).toEqual({ base: "M&M", expiry: null, future: false });
    expect(splitUnderlying("bajaj-auto26NOV26")).toEqual({ base: "BAJAJ-AUTO", expiry: "26NOV26", future: false });
  });
});
