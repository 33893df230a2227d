// The spread of the pair (log A − beta·log B − alpha) as cointegration that comes and goes.
//
// Time is cut into regimes of whole trading days, each lasting a log-uniform number of days in
// [regime_days_min, regime_days_max]. A regime is a random walk with probability rw_share;
// otherwise it is mean-reverting with its own half-life, log-uniform in
// [half_life_min_minutes, half_life_max_minutes]. The spread is a level plus a deviation:
//   mean-reverting: deviation u' = φ·u + √(1 − w)·σ·ε₁ (an AR(1), φ = 2^(−bar/half-life)), and the
//                   level drifts a little, level' = level + √w·σ·ε₂ (w = mr_drift_share: a real
//                   cointegration is never exact);
//   random walk:    u' = u + σ·ε₁ — the spread wanders off and does not come back.
// Each regime also draws its own spread volatility (log-normal, regime_vol_sd), random walks
// rw_vol_ratio times more volatile: when cointegration breaks, the legs' returns decorrelate,
// which is what a correlation gate is for.
// When a mean-reverting regime starts, the deviation is folded into the level (u = 0): the spread
// reverts towards where it is, not to where an earlier regime left its mean, so a strategy gets no
// free reversion of a random walk's excursion. Jumps of one leg alone move the level for good.

import type { Rng } from "../prng.js";

export interface RegimeParams {
  regime_days_min: number;
  regime_days_max: number;
  rw_share: number;
  half_life_min_minutes: number;
  half_life_max_minutes: number;
  mr_drift_share: number;
  /** Log-normal dispersion of the spread's volatility from one regime to the next. */
  regime_vol_sd: number;
  /** Spread volatility of a random-walk regime relative to a mean-reverting one. */
  rw_vol_ratio: number;
}

/** Regime kinds as stored per slot (diagnostics, tests). */
export const REGIME_MEAN_REVERTING = 0;
export const REGIME_RANDOM_WALK = 1;

const logUniform = (rng: Rng, lo: number, hi: number) => lo * (hi / lo) ** rng.uniform();

export class RegimeSpread {
  /** Kind of the current regime. */
  kind = REGIME_MEAN_REVERTING;
  /** Half-life of the current regime in minutes (NaN in a random-walk regime). */
  halfLifeMinutes = Number.NaN;
  /** Multiplier of the spread's volatility in the current regime. */
  volFactor = 1;
  private daysLeft = 0;
  private phi = 1;
  private level = 0;
  private u = 0;

  constructor(
    private readonly p: RegimeParams,
    private readonly barMinutes: number,
  ) {}

  /** The spread's value. */
  get value(): number {
    return this.level + this.u;
  }

  /** Called at the start of each trading day: counts the regime down, draws the next one. */
  newDay(rng: Rng): void {
    if (--this.daysLeft > 0) return;
    const p = this.p;
    this.daysLeft = Math.max(1, Math.round(logUniform(rng, p.regime_days_min, p.regime_days_max)));
    this.kind = rng.uniform() < p.rw_share ? REGIME_RANDOM_WALK : REGIME_MEAN_REVERTING;
    this.level += this.u;
    this.u = 0;
    this.volFactor =
      Math.exp(p.regime_vol_sd * rng.normal()) * (this.kind === REGIME_RANDOM_WALK ? p.rw_vol_ratio : 1);
    if (this.kind === REGIME_RANDOM_WALK) {
      this.halfLifeMinutes = Number.NaN;
      this.phi = 1;
    } else {
      this.halfLifeMinutes = logUniform(rng, p.half_life_min_minutes, p.half_life_max_minutes);
      this.phi = 2 ** (-this.barMinutes / this.halfLifeMinutes);
    }
  }

  /** One bar: `sigma` the spread's volatility for this bar, `e1`, `e2` standard normals. */
  step(sigma: number, e1: number, e2: number): void {
    sigma *= this.volFactor;
    if (this.kind === REGIME_RANDOM_WALK) {
      this.u += sigma * e1;
      return;
    }
    const w = this.p.mr_drift_share;
    this.u = this.phi * this.u + Math.sqrt(1 - w) * sigma * e1;
    this.level += Math.sqrt(w) * sigma * e2;
  }

  /** A lasting shift of the level (a jump of one leg, a gap across a closure). */
  shift(d: number): void {
    this.level += d;
  }
}
