import { SlidingMoments } from "./sliding-moments.js";

/** Rolling mean, sample standard deviation and z-score per bar, NaN where undefined. */
export interface ZScoreSeries {
  mu: Float64Array;
  sigma: Float64Array;
  z: Float64Array;
}

/**
 * Z-score over the last `window` values (ENGINE.md §3): mu = mean, sigma = sample standard
 * deviation (ddof = 1), z = (s − mu)/sigma. All three are NaN until the window holds `window`
 * finite values (the spread is NaN during the OLS warm-up, so the z window starts after it).
 * sigma is exactly 0, and z NaN, exactly when all values in the window are identical (§10).
 */
export class RollingZScore {
  readonly window: number;
  private readonly m: SlidingMoments;
  private mean = Number.NaN;
  private sd = Number.NaN;
  private score = Number.NaN;

  /** `firstIndex`: global bar index of the first push (see anchoring.ts); 0 for a whole series. */
  constructor(window: number, firstIndex = 0) {
    this.m = new SlidingMoments(window, firstIndex);
    this.window = window;
  }

  get mu(): number {
    return this.mean;
  }

  get sigma(): number {
    return this.sd;
  }

  get z(): number {
    return this.score;
  }

  reset(): void {
    this.m.reset();
    this.mean = Number.NaN;
    this.sd = Number.NaN;
    this.score = Number.NaN;
  }

  /** Adds the spread of the next bar. */
  push(s: number): void {
    const m = this.m;
    m.push(s);
    if (!m.ready) {
      this.mean = Number.NaN;
      this.sd = Number.NaN;
      this.score = Number.NaN;
      return;
    }
    const mu = m.mean();
    this.mean = mu;
    if (m.constant) {
      this.sd = 0;
      this.score = Number.NaN;
      return;
    }
    const sigma = Math.sqrt(m.variance());
    this.sd = sigma;
    // (s − mu) from the anchored sums, not from the rounded mu: see SlidingMoments.deviation
    this.score = m.deviation(s) / sigma;
  }
}

/** Batch form of `RollingZScore`: the same numbers, bar for bar. */
export function rollingZScore(s: Float64Array, window: number): ZScoreSeries {
  const zs = new RollingZScore(window);
  const n = s.length;
  const mu = new Float64Array(n);
  const sigma = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    zs.push(s[i]);
    mu[i] = zs.mu;
    sigma[i] = zs.sigma;
    z[i] = zs.z;
  }
  return { mu, sigma, z };
}
