// The hedge ratio beta_t of log A on log B: a slow random walk (daily standard deviation
// beta_daily_sd) around a target, pulled back to it with a time constant of beta_pull_days, and
// a target that sometimes shifts (on a trading day with probability 1/beta_shift_days, by a
// normal amount of standard deviation beta_shift_sd) — e.g. a change in the index weights or in
// the market's mood. beta_t stays inside [beta_min, beta_max] (reflected at the bounds).

import type { Rng } from "../prng.js";

export interface HedgeParams {
  beta_start: number;
  beta_min: number;
  beta_max: number;
  beta_daily_sd: number;
  beta_pull_days: number;
  beta_shift_days: number;
  beta_shift_sd: number;
}

export class HedgeDrift {
  value: number;
  private target: number;
  private readonly stepSd: number;
  private readonly pull: number;

  constructor(
    private readonly p: HedgeParams,
    barsPerDay: number,
  ) {
    this.value = p.beta_start;
    this.target = p.beta_start;
    this.stepSd = p.beta_daily_sd / Math.sqrt(barsPerDay);
    this.pull = 1 - Math.exp(-1 / (p.beta_pull_days * barsPerDay));
  }

  /** Start of a trading day: the target may shift. */
  newDay(rng: Rng): void {
    if (rng.uniform() < 1 / this.p.beta_shift_days)
      this.target = this.reflect(this.target + this.p.beta_shift_sd * rng.normal());
  }

  /** One bar with a standard normal `e`. */
  step(e: number): number {
    this.value = this.reflect(this.value + (this.target - this.value) * this.pull + this.stepSd * e);
    return this.value;
  }

  private reflect(b: number): number {
    const { beta_min: lo, beta_max: hi } = this.p;
    if (b < lo) b = Math.min(hi, 2 * lo - b);
    if (b > hi) b = Math.max(lo, 2 * hi - b);
    return b;
  }
}
