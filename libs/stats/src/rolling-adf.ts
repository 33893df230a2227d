import { mackinnonPValue } from "./mackinnon.js";
import { SlidingComoments } from "./sliding-comoments.js";
import { checkInteger } from "./validate.js";

/** Dickey-Fuller statistic and its MacKinnon p-value per bar, NaN where undefined. */
export interface AdfSeries {
  stat: Float64Array;
  pvalue: Float64Array;
}

/**
 * Below this SSR / Σ(Δs − mean)² (R² > 0.9999) the O(1) formula SSR = Syy − Sxy²/Sxx has
 * cancelled too many digits for 1e-9 on the statistic, and SSR is recomputed from the residuals
 * (O(window)). Real spreads never fit Δs that well; degenerate windows (flats with a jump) do.
 */
export const ADF_NEAR_EXACT_FIT = 1e-4;

/**
 * A residual sum of squares at or below this fraction of Σ(Δs − mean)² is an exact fit, se = 0
 * (e.g. a window where s_{t−1} takes only two values): what is left is rounding noise.
 */
export const ADF_PERFECT_FIT = 1e-12;

/**
 * Dickey-Fuller test with constant and no lagged differences (ENGINE.md §4), over the last
 * `window` pairs ending at bar i: OLS of Δs_t = c + γ·s_{t−1} + e, stat = γ̂ / se(γ̂) with the
 * residual variance on n − 2 degrees of freedom, p-value by `mackinnonPValue` (as statsmodels
 * `adfuller(s, maxlag=0, regression="c", autolag=None)`). NaN until i ≥ window, while a pair in
 * the window is not finite, when s_{t−1} is constant, or when se = 0 (§10).
 */
export class RollingAdf {
  readonly window: number;
  private readonly m: SlidingComoments;
  private prev = Number.NaN;
  private t = Number.NaN;
  private p = Number.NaN;

  /** `firstIndex`: global bar index of the first push (see anchoring.ts); 0 for a whole series. */
  constructor(window: number, firstIndex = 0) {
    checkInteger("ADF window", window, 3);
    this.m = new SlidingComoments(window, firstIndex);
    this.window = window;
  }

  /** Statistic after the last push (compared with `adf_max_stat`). */
  get stat(): number {
    return this.t;
  }

  /** p-value after the last push (compared with `adf_max_pvalue`). */
  get pvalue(): number {
    return this.p;
  }

  reset(): void {
    this.m.reset();
    this.prev = Number.NaN;
    this.t = Number.NaN;
    this.p = Number.NaN;
  }

  /** Adds the spread of the next bar. */
  push(s: number): void {
    const m = this.m;
    m.push(this.prev, s - this.prev);
    this.prev = s;
    if (!m.ready || m.constantX) {
      this.t = Number.NaN;
      this.p = Number.NaN;
      return;
    }
    const sxx = m.cxx();
    const sxy = m.cxy();
    const syy = m.cyy();
    const gamma = sxy / sxx;
    let ssr = syy - gamma * sxy;
    if (ssr < syy * ADF_NEAR_EXACT_FIT) ssr = m.residualSumSq(gamma);
    if (!(ssr > syy * ADF_PERFECT_FIT)) {
      this.t = Number.NaN;
      this.p = Number.NaN;
      return;
    }
    const se = Math.sqrt(ssr / (this.window - 2) / sxx);
    const stat = gamma / se;
    this.t = stat;
    this.p = mackinnonPValue(stat);
  }
}

/** Batch form of `RollingAdf`: the same numbers, bar for bar. */
export function rollingAdf(s: Float64Array, window: number): AdfSeries {
  const ra = new RollingAdf(window);
  const n = s.length;
  const stat = new Float64Array(n);
  const pvalue = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ra.push(s[i]);
    stat[i] = ra.stat;
    pvalue[i] = ra.pvalue;
  }
  return { stat, pvalue };
}
