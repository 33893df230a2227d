import { SlidingComoments } from "./sliding-comoments.js";

/**
 * Mean-reversion half-life of the spread (ENGINE.md §4): over the last `window` pairs
 * (s_{t−1}, s_t) ending at bar i, b = cov(s_t, s_{t−1}) / var(s_{t−1}), and HL = −ln 2 / ln b
 * when 0 < b < 1, else +∞. NaN until i ≥ window, while a pair in the window is not finite, and
 * when s_{t−1} is constant over the window (§10: b undefined, so HL NaN and its gate fails).
 *
 * Computed as b = 1 + γ with γ = cov(Δs_t, s_{t−1}) / var(s_{t−1}) (the same number in exact
 * arithmetic, since s_t = s_{t−1} + Δs_t): HL depends on ln b ≈ −(1 − b), and b itself is near 1
 * for slow spreads, so taking γ from the small Δs and ln b as log1p(γ) keeps HL's relative
 * accuracy where forming b first would lose it (HL of 3e4 bars needs 1 − b to ~1e-14).
 */
export class RollingHalfLife {
  readonly window: number;
  private readonly m: SlidingComoments;
  private prev = Number.NaN;
  private gamma = Number.NaN;
  private hl = Number.NaN;

  /** `firstIndex`: global bar index of the first push (see anchoring.ts); 0 for a whole series. */
  constructor(window: number, firstIndex = 0) {
    this.m = new SlidingComoments(window, firstIndex);
    this.window = window;
  }

  /** Half-life in bars after the last push. */
  get halfLife(): number {
    return this.hl;
  }

  /** The AR(1) slope b = 1 + γ behind it. */
  get b(): number {
    return 1 + this.gamma;
  }

  reset(): void {
    this.m.reset();
    this.prev = Number.NaN;
    this.gamma = Number.NaN;
    this.hl = Number.NaN;
  }

  /** Adds the spread of the next bar. */
  push(s: number): void {
    const m = this.m;
    m.push(this.prev, s - this.prev);
    this.prev = s;
    if (!m.ready || m.constantX) {
      this.gamma = Number.NaN;
      this.hl = Number.NaN;
      return;
    }
    const gamma = m.cxy() / m.cxx();
    this.gamma = gamma;
    // 0 < b < 1  ⟺  −1 < γ < 0
    this.hl = gamma > -1 && gamma < 0 ? -Math.LN2 / Math.log1p(gamma) : Number.POSITIVE_INFINITY;
  }
}

/** Batch form of `RollingHalfLife`: the same numbers, bar for bar. */
export function rollingHalfLife(s: Float64Array, window: number): Float64Array {
  const rh = new RollingHalfLife(window);
  const out = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) {
    rh.push(s[i]);
    out[i] = rh.halfLife;
  }
  return out;
}
