/**
 * Black-76: European options on a forward (an index or a future), discounted at a continuously
 * compounded rate. Pure numbers, no I/O. Units are the desk's: volatility and rate as fractions
 * here (the service converts from percent), time in years of 365 days; theta per calendar day,
 * vega and rho per one percentage point.
 */

export type OptionKind = "CE" | "PE";

export interface Black76Inputs {
  readonly forward: number;
  readonly strike: number;
  /** Years to expiry (> 0). */
  readonly years: number;
  /** Annual risk-free rate as a fraction (0.065 for 6.5 %). */
  readonly rate: number;
  readonly kind: OptionKind;
}

export interface Greeks {
  readonly delta: number;
  readonly gamma: number;
  /** Change in price per calendar day that passes. */
  readonly theta: number;
  /** Change in price per one point of volatility (0.01). */
  readonly vega: number;
  /** Change in price per one point of rate (0.01). */
  readonly rho: number;
}

/** Standard normal density. */
function pdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/**
 * Standard normal distribution function, by the complementary error function of W. J. Cody's
 * rational approximation as given by Numerical Recipes (erfc with |error| < 1.2e-7).
 */
export function normCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

function d1d2(i: Black76Inputs, sigma: number): [number, number] {
  const v = sigma * Math.sqrt(i.years);
  const d1 = (Math.log(i.forward / i.strike) + 0.5 * v * v) / v;
  return [d1, d1 - v];
}

/** The option's price at volatility `sigma` (a fraction). */
export function black76Price(i: Black76Inputs, sigma: number): number {
  const discount = Math.exp(-i.rate * i.years);
  if (sigma <= 0) return discount * Math.max(i.kind === "CE" ? i.forward - i.strike : i.strike - i.forward, 0);
  const [d1, d2] = d1d2(i, sigma);
  return i.kind === "CE"
    ? discount * (i.forward * normCdf(d1) - i.strike * normCdf(d2))
    : discount * (i.strike * normCdf(-d2) - i.forward * normCdf(-d1));
}

/** The Greeks at volatility `sigma`, in the units of the `Greeks` fields. */
export function black76Greeks(i: Black76Inputs, sigma: number): Greeks {
  const discount = Math.exp(-i.rate * i.years);
  const sqrtT = Math.sqrt(i.years);
  const [d1, d2] = d1d2(i, sigma);
  const price = black76Price(i, sigma);
  const call = i.kind === "CE";
  const delta = call ? discount * normCdf(d1) : -discount * normCdf(-d1);
  const gamma = (discount * pdf(d1)) / (i.forward * sigma * sqrtT);
  const vega = i.forward * discount * pdf(d1) * sqrtT;
  const decay = -(i.forward * discount * pdf(d1) * sigma) / (2 * sqrtT);
  const carry = call ? i.rate * i.forward * discount * normCdf(d1) - i.rate * i.strike * discount * normCdf(d2) : -i.rate * i.forward * discount * normCdf(-d1) + i.rate * i.strike * discount * normCdf(-d2);
  // dV/dt (calendar time passing) = -(dV/dT); per year, then per day.
  const thetaYear = decay + carry;
  return { delta, gamma, theta: thetaYear / 365, vega: vega / 100, rho: (-i.years * price) / 100 };
}

export type ImpliedVolatility =
  | { readonly ok: true; readonly sigma: number }
  | { readonly ok: false; readonly reason: "below_intrinsic" | "above_maximum" | "no_convergence" };

/**
 * The volatility at which Black-76 gives `price`: Newton steps on vega, kept inside a bracket
 * that bisection narrows whenever a step would leave it, so it always converges on an attainable
 * price. A price at or below the discounted intrinsic value has no volatility (it is reported,
 * never answered with a made-up one), nor has one at or above the discounted forward or strike.
 */
export function impliedVolatility(i: Black76Inputs, price: number): ImpliedVolatility {
  const discount = Math.exp(-i.rate * i.years);
  const intrinsic = black76Price(i, 0);
  const ceiling = i.kind === "CE" ? discount * i.forward : discount * i.strike;
  if (price <= intrinsic + 1e-12) return { ok: false, reason: "below_intrinsic" };
  if (price >= ceiling) return { ok: false, reason: "above_maximum" };
  let low = 1e-6;
  let high = 10;
  if (black76Price(i, high) < price) return { ok: false, reason: "above_maximum" };
  let sigma = 0.3;
  for (let n = 0; n < 100; n += 1) {
    const diff = black76Price(i, sigma) - price;
    if (Math.abs(diff) < 1e-10 * Math.max(1, price)) return { ok: true, sigma };
    if (diff > 0) high = sigma;
    else low = sigma;
    const vega = black76Greeks(i, sigma).vega * 100;
    const next = vega > 1e-12 ? sigma - diff / vega : Number.NaN;
    sigma = next > low && next < high ? next : (low + high) / 2;
    if (high - low < 1e-12) return { ok: true, sigma };
  }
  return { ok: false, reason: "no_convergence" };
}
