// GARCH(1,1) volatility clustering: the variance multiplier h of the next shock follows
// h' = ω + α·z²·h + β·h, with z the last standard-normal shock and ω = 1 − α − β so that the
// long-run mean of h is 1 (the model's volatility parameters keep their meaning). Large moves are
// followed by large moves; calm follows calm. The parameters are per 5-minute bar; other bar
// lengths keep the same persistence per unit of time.

export interface GarchParams {
  /** Reaction to the last squared shock, per 5-minute bar. */
  alpha: number;
  /** Persistence of the variance, per 5-minute bar. */
  beta: number;
}

export class Garch {
  private h = 1;
  private readonly alpha: number;
  private readonly beta: number;
  private readonly omega: number;

  constructor(p: GarchParams, barMinutes: number) {
    // keep α + β per unit time: a bar of k × 5 minutes has persistence (α + β)^k
    const sum = p.alpha + p.beta;
    const persistence = sum ** (barMinutes / 5);
    this.alpha = sum > 0 ? (p.alpha / sum) * persistence : 0; // α = β = 0: constant volatility
    this.beta = persistence - this.alpha;
    this.omega = 1 - persistence;
  }

  /** Volatility multiplier (√h) for the current bar. */
  get scale(): number {
    return Math.sqrt(this.h);
  }

  /** Updates the variance with the bar's standard-normal shock `z`. */
  update(z: number): void {
    // a shock beyond 6 σ updates like a 6 σ one: one freak draw should not set the volume for days
    const zz = Math.min(z * z, 36);
    this.h = this.omega + this.alpha * zz * this.h + this.beta * this.h;
  }
}
