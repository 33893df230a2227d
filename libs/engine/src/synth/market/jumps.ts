// Jumps of one leg alone (news that touches one index and not the other, a fat-finger trade that
// sticks): on each bar a leg jumps with probability jumps_per_day / bars per day, by a random
// sign times an exponential size of mean jump_mean, capped at jump_max (a few percent, far below
// the 20 % bar-to-bar move that data validation rejects). The other leg does not follow, so the
// spread moves by the jump and — the jump being news — does not come back.

import type { Rng } from "../prng.js";

export interface JumpParams {
  jumps_per_day: number;
  jump_mean: number;
  jump_max: number;
}

export class Jumps {
  private readonly p: number;

  constructor(
    private readonly params: JumpParams,
    barsPerDay: number,
  ) {
    this.p = params.jumps_per_day / barsPerDay;
  }

  /** A log-price jump for this bar, 0 most of the time. Draws one uniform, two more on a jump. */
  draw(rng: Rng): number {
    if (rng.uniform() >= this.p) return 0;
    const size = Math.min(this.params.jump_max, -this.params.jump_mean * Math.log(rng.uniform()));
    return rng.uniform() < 0.5 ? -size : size;
  }
}
