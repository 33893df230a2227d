import { normalCdf } from "./normal.js";

// MacKinnon (1994) approximate asymptotic p-values of the Dickey-Fuller tau statistic, constant
// case ("c"), one I(1) series (N = 1). Values copied from statsmodels/tsa/adfvalues.py
// (statsmodels 0.13.5, unchanged in later releases): row N − 1 = 0 of
//   tau_max_c = [2.74, …], tau_min_c = [-18.83, …], tau_star_c = [-1.61, …],
//   tau_c_smallp = [[2.1659, 1.4412, 3.8269], …] * small_scaling [1, 1, 1e-2],
//   tau_c_largep = [[1.7339, 9.3202, -1.2745, -1.0368], …] * large_scaling [1, 1e-1, 1e-1, 1e-2].
// The scalings are applied as products, as numpy does, so the coefficients are the same doubles.
const TAU_MAX = 2.74;
const TAU_MIN = -18.83;
const TAU_STAR = -1.61;
const SMALL_P = [2.1659 * 1, 1.4412 * 1, 3.8269 * 1e-2];
const LARGE_P = [1.7339 * 1, 9.3202 * 1e-1, -1.2745 * 1e-1, -1.0368 * 1e-2];

/**
 * p-value of a Dickey-Fuller statistic (regression with constant, no trend), exactly as
 * statsmodels `mackinnonp(stat, regression="c", N=1)`: 1 above tau_max, 0 below tau_min,
 * otherwise Φ of the small-p polynomial (stat ≤ tau_star) or of the large-p one.
 */
export function mackinnonPValue(stat: number): number {
  if (Number.isNaN(stat)) return Number.NaN;
  if (stat > TAU_MAX) return 1;
  if (stat < TAU_MIN) return 0;
  const coef = stat <= TAU_STAR ? SMALL_P : LARGE_P;
  // numpy.polyval(coef[::-1], stat): Horner from the highest power
  let poly = 0;
  for (let j = coef.length - 1; j >= 0; j--) poly = poly * stat + coef[j];
  return normalCdf(poly);
}
