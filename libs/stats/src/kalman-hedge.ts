import type { HedgeSeries } from "./rolling-ols.js";
import { checkSameLength } from "./validate.js";

/**
 * Kalman-filter hedge ratio (ENGINE.md §3): state θ = [beta, alpha], observation
 * y_i = [x_i, 1]·θ + ε with variance `ve`, random-walk state noise Vw = delta/(1−delta)·I.
 * Starts at θ = 0, P = 0; each bar R = P + Vw (R = 0 at the first bar), Q = h·R·hᵀ + ve,
 * e = y − h·θ, K = R·hᵀ/Q, θ += K·e, P = R − K·h·R. beta and alpha are θ after bar i's update.
 *
 * R and P are symmetric, so three numbers hold each. There is no window: every bar has a value.
 * Inputs are expected finite; a non-finite one makes the state NaN until `reset()`.
 */
export class KalmanHedge {
  readonly delta: number;
  readonly ve: number;
  private readonly vw: number;
  private started = false;
  private b = 0;
  private a = 0;
  private p00 = 0;
  private p01 = 0;
  private p11 = 0;

  constructor(delta = 1e-4, ve = 1e-3) {
    if (!(delta > 0 && delta < 1)) throw new RangeError(`delta must be in (0, 1), got ${delta}`);
    if (!(ve > 0 && Number.isFinite(ve))) throw new RangeError(`ve must be > 0, got ${ve}`);
    this.delta = delta;
    this.ve = ve;
    this.vw = delta / (1 - delta);
  }

  /** Hedge ratio after the last push (0 before any). */
  get beta(): number {
    return this.b;
  }

  /** Intercept after the last push (0 before any). */
  get alpha(): number {
    return this.a;
  }

  reset(): void {
    this.started = false;
    this.b = 0;
    this.a = 0;
    this.p00 = 0;
    this.p01 = 0;
    this.p11 = 0;
  }

  /** Adds bar i: y = ln A_i, x = ln B_i. */
  push(y: number, x: number): void {
    let r00 = 0;
    let r01 = 0;
    let r11 = 0;
    if (this.started) {
      r00 = this.p00 + this.vw;
      r01 = this.p01;
      r11 = this.p11 + this.vw;
    }
    this.started = true;
    // R·hᵀ with h = [x, 1]; by symmetry h·R is its transpose
    const rh0 = r00 * x + r01;
    const rh1 = r01 * x + r11;
    const q = x * rh0 + rh1 + this.ve;
    const e = y - (x * this.b + this.a);
    const k0 = rh0 / q;
    const k1 = rh1 / q;
    this.b += k0 * e;
    this.a += k1 * e;
    this.p00 = r00 - k0 * rh0;
    this.p01 = r01 - k0 * rh1;
    this.p11 = r11 - k1 * rh1;
  }
}

/** Batch form of `KalmanHedge`: the same numbers, bar for bar. */
export function kalmanHedge(y: Float64Array, x: Float64Array, delta = 1e-4, ve = 1e-3): HedgeSeries {
  checkSameLength(y, x);
  const kf = new KalmanHedge(delta, ve);
  const n = y.length;
  const beta = new Float64Array(n);
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    kf.push(y[i], x[i]);
    beta[i] = kf.beta;
    alpha[i] = kf.alpha;
  }
  return { beta, alpha };
}
