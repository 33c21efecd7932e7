import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { black76Greeks, black76Price, impliedVolatility, normCdf, type Black76Inputs } from "./black76.js";

describe("Black-76", () => {
  it("matches published prices: Haug's futures option (F=K=19, T=0.75, r=10 %, σ=28 %) and Hull's crude-oil put (F=K=20, T=4/12, r=9 %, σ=25 %)", () => {
    // E. G. Haug, The Complete Guide to Option Pricing Formulas, Black-76 example: c = p = 1.7011.
    const haug = { forward: 19, strike: 19, years: 0.75, rate: 0.1 } as const;
    expect(black76Price({ ...haug, kind: "CE" }, 0.28)).toBeCloseTo(1.7011, 4);
    expect(black76Price({ ...haug, kind: "PE" }, 0.28)).toBeCloseTo(1.7011, 4);
    // J. Hull, Options, Futures and Other Derivatives, European put on a crude-oil future: 1.12.
    expect(black76Price({ forward: 20, strike: 20, years: 4 / 12, rate: 0.09, kind: "PE" }, 0.25)).toBeCloseTo(1.12, 2);
  });

  it("the normal distribution function matches its tabled values", () => {
    expect(normCdf(0)).toBeCloseTo(0.5, 7);
    expect(normCdf(1.96)).toBeCloseTo(0.975002, 6);
    expect(normCdf(-1)).toBeCloseTo(0.158655, 6);
  });

  const inputs = fc.record({
    forward: fc.double({ min: 50, max: 60_000, noNaN: true }),
    moneyness: fc.double({ min: 0.7, max: 1.3, noNaN: true }),
    years: fc.double({ min: 2 / 365, max: 1, noNaN: true }),
    rate: fc.double({ min: 0, max: 0.12, noNaN: true }),
    sigma: fc.double({ min: 0.05, max: 1.2, noNaN: true }),
  });

  it("call minus put is the discounted forward minus strike (put-call parity)", () => {
    fc.assert(
      fc.property(inputs, ({ forward, moneyness, years, rate, sigma }) => {
        const base = { forward, strike: forward * moneyness, years, rate };
        const parity = Math.exp(-rate * years) * (forward - base.strike);
        const gap = black76Price({ ...base, kind: "CE" }, sigma) - black76Price({ ...base, kind: "PE" }, sigma);
        expect(gap).toBeCloseTo(parity, 6 - Math.ceil(Math.log10(forward)));
      }),
    );
  });

  it("the implied volatility of a Black-76 price is the volatility it was priced at", () => {
    fc.assert(
      fc.property(inputs, fc.constantFrom("CE" as const, "PE" as const), ({ forward, moneyness, years, rate, sigma }, kind) => {
        const i: Black76Inputs = { forward, strike: forward * moneyness, years, rate, kind };
        const price = black76Price(i, sigma);
        // Deep out of the money at short expiry the price carries no information about sigma.
        fc.pre(black76Greeks(i, sigma).vega > 1e-4 * forward * Math.sqrt(years) && price - black76Price(i, 0) > 1e-6 * forward);
        const iv = impliedVolatility(i, price);
        expect(iv.ok).toBe(true);
        if (iv.ok) expect(iv.sigma).toBeCloseTo(sigma, 4);
      }),
    );
  });

  it("the Greeks are the price's own derivatives (checked by bumping each input)", () => {
    const i: Black76Inputs = { forward: 24_560, strike: 24_450, years: 18 / 365, rate: 0.065, kind: "CE" };
    const sigma = 0.1533;
    const g = black76Greeks(i, sigma);
    const p = (over: Partial<Black76Inputs>, s = sigma): number => black76Price({ ...i, ...over }, s);
    const h = 0.5;
    expect(g.delta).toBeCloseTo((p({ forward: i.forward + h }) - p({ forward: i.forward - h })) / (2 * h), 5);
    expect(g.gamma).toBeCloseTo((p({ forward: i.forward + h }) - 2 * p({}) + p({ forward: i.forward - h })) / (h * h), 6);
    expect(g.vega).toBeCloseTo((p({}, sigma + 0.0005) - p({}, sigma - 0.0005)) / 0.1, 3);
    const day = 1 / 365;
    expect(g.theta).toBeCloseTo((p({ years: i.years - day / 100 }) - p({ years: i.years + day / 100 })) / 0.02, 3);
    expect(g.rho).toBeCloseTo((p({ rate: i.rate + 0.0005 }) - p({ rate: i.rate - 0.0005 })) / 0.1, 5);
    const put = black76Greeks({ ...i, kind: "PE" }, sigma);
    expect(g.delta - put.delta).toBeCloseTo(Math.exp(-i.rate * i.years), 6);
    expect(put.gamma).toBeCloseTo(g.gamma, 9);
  });

  it("a price below intrinsic value or above the forward has no volatility, and says which", () => {
    const i: Black76Inputs = { forward: 100, strike: 90, years: 0.1, rate: 0, kind: "CE" };
    expect(impliedVolatility(i, 9.5)).toEqual({ ok: false, reason: "below_intrinsic" });
    expect(impliedVolatility(i, 100)).toEqual({ ok: false, reason: "above_maximum" });
  });
});
