import { SlidingMoments } from "./sliding-moments.js";
import { checkInteger } from "./validate.js";

/** Default variance-ratio lags (ENGINE.md §4). */
export const DEFAULT_HURST_LAGS: readonly number[] = Object.freeze([2, 4, 8, 16, 32, 64]);

/**
 * Variance-ratio Hurst exponent of the spread levels (ENGINE.md §4): for each lag τ,
 * d_τ(t) = s_t − s_{t−τ}; sd_τ(i) = sample std of the last `window` values of d_τ ending at i;
 * H_i = least-squares slope of ln sd_τ(i) on ln τ. NaN while any lag's window is incomplete
 * (i < window − 1 + max lag) or holds a non-finite value, and when any sd_τ = 0 (§10).
 */
export class RollingHurst {
  readonly window: number;
  readonly lags: readonly number[];
  private readonly sd: SlidingMoments[];
  /** Regression weights: H = Σ weight_k · ln sd_k, weight_k = (u_k − ū) / Σ(u − ū)², u = ln τ. */
  private readonly weight: Float64Array;
  private readonly lagOf: Int32Array;
  /** Last maxLag + 1 spreads, for s_{t−τ}. */
  private readonly hist: Float64Array;
  private pos = 0;
  private pushes = 0;
  private h = Number.NaN;

  /** `firstIndex`: global bar index of the first push (see anchoring.ts); 0 for a whole series. */
  constructor(window: number, lags: readonly number[] = DEFAULT_HURST_LAGS, firstIndex = 0) {
    checkInteger("Hurst window", window, 2);
    for (const lag of lags) checkInteger("Hurst lag", lag, 1);
    const u = lags.map(Math.log);
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    const sxx = u.reduce((a, b) => a + (b - mean) * (b - mean), 0);
    if (!(sxx > 0)) throw new RangeError(`Hurst needs at least two distinct lags, got [${lags.join(", ")}]`);
    this.window = window;
    this.lags = [...lags];
    this.weight = Float64Array.from(u, (v) => (v - mean) / sxx);
    this.lagOf = Int32Array.from(lags);
    this.sd = lags.map(() => new SlidingMoments(window, firstIndex));
    this.hist = new Float64Array(Math.max(...lags) + 1);
  }

  /** Hurst exponent after the last push. */
  get hurst(): number {
    return this.h;
  }

  reset(): void {
    for (const m of this.sd) m.reset();
    this.hist.fill(0);
    this.pos = 0;
    this.pushes = 0;
    this.h = Number.NaN;
  }

  /** Adds the spread of the next bar. */
  push(s: number): void {
    const hist = this.hist;
    const size = hist.length;
    hist[this.pos] = s;
    this.pushes++;
    let ok = true;
    let h = 0;
    for (let k = 0; k < this.sd.length; k++) {
      const lag = this.lagOf[k];
      const m = this.sd[k];
      // s_{t−τ} is unknown for the first τ bars: those d_τ are NaN, which keeps the window unready
      const back = this.pos - lag;
      m.push(this.pushes > lag ? s - hist[back < 0 ? back + size : back] : Number.NaN);
      if (!m.ready || m.constant) {
        ok = false;
      } else if (ok) {
        h += this.weight[k] * 0.5 * Math.log(m.variance());
      }
    }
    this.pos = this.pos + 1 === size ? 0 : this.pos + 1;
    this.h = ok ? h : Number.NaN;
  }
}

/** Batch form of `RollingHurst`: the same numbers, bar for bar. */
export function rollingHurst(
  s: Float64Array,
  window: number,
  lags: readonly number[] = DEFAULT_HURST_LAGS,
): Float64Array {
  const rh = new RollingHurst(window, lags);
  const out = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) {
    rh.push(s[i]);
    out[i] = rh.hurst;
  }
  return out;
}
