/**
 * Standard normal distribution: CDF and quantile, both to full double precision, including
 * far in the lower tail (MacKinnon p-values reach 1e-23; the Deflated Sharpe Ratio needs
 * quantiles near 1 − 1/N).
 */

// W. J. Cody, "Rational Chebyshev approximations for the error function" (Math. Comp. 1969) and
// ACM TOMS Algorithm 715 (ANORM), as used by R's nmath/pnorm.c (pnorm_both). Relative error about
// 1e-15 over the whole range, with no 1 − erf cancellation in the tails. The coefficients are
// published with ~20 digits; they are written here as the doubles those digits round to.
const A = [2.2352520354606837, 161.02823106855587, 1067.6894854603709, 18154.98125334356];
const A4 = 0.06568233791820745;
const B = [47.202581904688245, 976.0985517377767, 10260.932208618979, 45507.78933502673];
const C = [
  0.39894151208813466, 8.883149794388377, 93.50665613217785, 597.2702763948002, 2494.5375852903726,
  6848.190450536283, 11602.65143764735, 9842.714838383978,
];
const C8 = 1.0765576773720192e-8;
const D = [
  22.266688044328117, 235.387901782625, 1519.3775994075547, 6485.558298266761, 18615.571640885097,
  34900.95272114598, 38912.00328609327, 19685.429676859992,
];
const P = [0.215898534057957, 0.12740116116024736, 0.022235277870649807, 0.0014216191932278934];
const P4 = 0.000029112874951168793;
const P5 = 0.023073441764940174;
const Q = [
  1.284260096144911, 0.4682382124808651, 0.06598813786892856, 0.0037823963320275824, 0.00007297515550839662,
];
const ONE_OVER_SQRT_2PI = 0.3989422804014327;
const SQRT_32 = 5.656854249492381;
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
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 1.38357751867269e2, -30.66479806614716,
  2.506628277459239,
];
const BQ = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const CQ = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const DQ = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
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
