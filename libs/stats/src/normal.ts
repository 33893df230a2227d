/**
 * Standard normal distribution: CDF and quantile, both to full double precision, including
 * far in the lower tail (MacKinnon p-values reach 1e-23; the Deflated Sharpe Ratio needs
 * quantiles near 1 − 1/N).
 */

// biome-ignore-all lint/correctness/noPrecisionLoss: coefficients keep the digits they were published with; each literal is the same double as its 17-digit rounding

// W. J. Cody, "Rational Chebyshev approximations for the error function" (Math. Comp. 1969) and
// ACM TOMS Algorithm 715 (ANORM), as used by R's nmath/pnorm.c (pnorm_both). Relative error about
// 1e-15 over the whole range, with no 1 − erf cancellation in the tails.
const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249];
const A4 = 0.065682337918207449113;
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226,
  2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218,
];
const C8 = 1.0765576773720192317e-8;
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
  18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466];
const P4 = 2.9112874951168792e-5;
const P5 = 0.02307344176494017303;
const Q = [
  1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244,
  7.29751555083966205e-5,
];
const ONE_OVER_SQRT_2PI = 0.398942280401432677939946059934;
const SQRT_32 = 5.656854249492380195206754896838;
const HALF_EPS = 2 ** -53;
/** Beyond this |x| the lower-tail probability underflows (or its complement rounds to 1). */
const UNDERFLOW_X = 37.5193;

/** Φ(x) = P[Z ≤ x] for a standard normal Z. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= 0.67448975) {
    let num = 0;
    let den = 0;
    if (y > HALF_EPS) {
      const x2 = x * x;
      num = A4 * x2;
      den = x2;
      for (let i = 0; i < 3; i++) {
        num = (num + A[i]) * x2;
        den = (den + B[i]) * x2;
      }
    }
    return 0.5 + (x * (num + A[3])) / (den + B[3]);
  }
  let tail: number;
  if (y <= SQRT_32) {
    let num = C8 * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    tail = gaussianFactor(y) * ((num + C[7]) / (den + D[7]));
  } else if (y < UNDERFLOW_X) {
    const r = 1 / (x * x);
    let num = P5 * r;
    let den = r;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]) * r;
      den = (den + Q[i]) * r;
    }
    const ratio = (r * (num + P4)) / (den + Q[4]);
    tail = gaussianFactor(y) * ((ONE_OVER_SQRT_2PI - ratio) / y);
  } else {
    tail = 0;
  }
  // `tail` is P[Z > |x|]; the upper half is its complement
  return x > 0 ? 1 - tail : tail;
}

/**
 * exp(−y²/2) without losing digits to the rounding of y²: split y = ys + (y − ys) with ys a
 * multiple of 1/16 (so ys² is exact) and take the two exponentials apart, as Cody does.
 */
function gaussianFactor(y: number): number {
  const ys = Math.trunc(y * 16) / 16;
  const del = (y - ys) * (y + ys);
  return Math.exp(-ys * ys * 0.5) * Math.exp(-del * 0.5);
}

// P. J. Acklam's rational approximation of the normal quantile (relative error < 1.15e-9),
// followed by one step of Halley's method on Φ(x) − p, which (cubic convergence) takes it to
// full double precision since Φ above is accurate to ~1e-15 relative.
const AQ = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const BQ = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
];
const CQ = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const DQ = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;
const SQRT_2PI = 2.5066282746310002;

/** Φ⁻¹(p): the x with Φ(x) = p; −∞ at 0, +∞ at 1, NaN outside [0, 1]. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  // 1 − p is exact for p in [0.5, 1], and working in the lower tail keeps Φ(x) − p accurate
  return p > 0.5 ? -lowerQuantile(1 - p) : lowerQuantile(p);
}

/** Φ⁻¹(p) for p in (0, 0.5]. */
function lowerQuantile(p: number): number {
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((CQ[0] * q + CQ[1]) * q + CQ[2]) * q + CQ[3]) * q + CQ[4]) * q + CQ[5]) /
      ((((DQ[0] * q + DQ[1]) * q + DQ[2]) * q + DQ[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((AQ[0] * r + AQ[1]) * r + AQ[2]) * r + AQ[3]) * r + AQ[4]) * r + AQ[5]) * q) /
      (((((BQ[0] * r + BQ[1]) * r + BQ[2]) * r + BQ[3]) * r + BQ[4]) * r + 1);
  }
  const u = (normalCdf(x) - p) * SQRT_2PI * Math.exp((x * x) / 2);
  // near p = 5e-324 Φ(x) underflows and exp(x²/2) overflows: keep Acklam's value there
  if (Number.isFinite(u)) x -= u / (1 + (x * u) / 2);
  return x;
}
