import { SlidingComoments } from "./sliding-comoments.js";
import { checkSameLength } from "./validate.js";

/** Hedge ratio and intercept per bar, NaN where undefined. */
export interface HedgeSeries {
  beta: Float64Array;
  alpha: Float64Array;
}

/**
 * OLS of y on x over the last `window` bars, current bar included (ENGINE.md §3):
 * beta = cov(x, y) / var(x), alpha = mean(y) − beta·mean(x). NaN until the window is full, while
 * it holds a non-finite value, and when x is constant over it (§10).
 */
export class RollingOls {
  readonly window: number;
  private readonly m: SlidingComoments;
  private b = Number.NaN;
  private a = Number.NaN;

  /** `firstIndex`: global bar index of the first push (see anchoring.ts); 0 for a whole series. */
  constructor(window: number, firstIndex = 0) {
    this.m = new SlidingComoments(window, firstIndex);
    this.window = window;
  }

  /** Hedge ratio after the last push. */
  get beta(): number {
    return this.b;
  }

  /** Intercept after the last push. */
  get alpha(): number {
    return this.a;
  }

  reset(): void {
    this.m.reset();
    this.b = Number.NaN;
    this.a = Number.NaN;
  }

  /** Adds bar i: y = ln A_i, x = ln B_i. */
  push(y: number, x: number): void {
    const m = this.m;
    m.push(x, y);
    if (!m.ready || m.constantX) {
      this.b = Number.NaN;
      this.a = Number.NaN;
      return;
    }
    const beta = m.cxy() / m.cxx();
    this.b = beta;
    this.a = m.meanY() - beta * m.meanX();
  }
}

/** Batch form of `RollingOls`: the same numbers, bar for bar. */
export function rollingOls(y: Float64Array, x: Float64Array, window: number): HedgeSeries {
  checkSameLength(y, x);
  const ols = new RollingOls(window);
  const n = y.length;
  const beta = new Float64Array(n);
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ols.push(y[i], x[i]);
    beta[i] = ols.beta;
    alpha[i] = ols.alpha;
  }
  return { beta, alpha };
}
