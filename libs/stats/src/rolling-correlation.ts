import { SlidingComoments } from "./sliding-comoments.js";
import { checkSameLength } from "./validate.js";

/**
 * Pearson correlation of one-bar log returns over the last `window` returns ending at bar i
 * (ENGINE.md §4, correlation gate). Inputs are log prices (y = ln A, x = ln B); the return of
 * bar t is y_t − y_{t−1}, so bar 0 has none and the value is NaN until i ≥ window. NaN while a
 * return in the window is not finite, and when either return series is constant over it (§10).
 */
export class RollingLogReturnCorrelation {
  readonly window: number;
  private readonly m: SlidingComoments;
  private prevY = Number.NaN;
  private prevX = Number.NaN;
  private r = Number.NaN;

  /** `firstIndex`: global bar index of the first push (see anchoring.ts); 0 for a whole series. */
  constructor(window: number, firstIndex = 0) {
    this.m = new SlidingComoments(window, firstIndex);
    this.window = window;
  }

  /** Correlation after the last push. */
  get corr(): number {
    return this.r;
  }

  reset(): void {
    this.m.reset();
    this.prevY = Number.NaN;
    this.prevX = Number.NaN;
    this.r = Number.NaN;
  }

  /** Adds bar i's log prices: y = ln A_i, x = ln B_i. */
  push(y: number, x: number): void {
    const m = this.m;
    // the first bar pushes NaN returns, so the window's slots stay aligned with bar indices
    m.push(x - this.prevX, y - this.prevY);
    this.prevY = y;
    this.prevX = x;
    if (!m.ready || m.constantX || m.constantY) {
      this.r = Number.NaN;
      return;
    }
    const r = m.cxy() / (Math.sqrt(m.cxx()) * Math.sqrt(m.cyy()));
    // rounding can put |r| a hair above 1; the gate compares with a threshold ≤ 1
    this.r = Math.min(1, Math.max(-1, r));
  }
}

/** Batch form of `RollingLogReturnCorrelation`: the same numbers, bar for bar. */
export function rollingLogReturnCorrelation(y: Float64Array, x: Float64Array, window: number): Float64Array {
  checkSameLength(y, x);
  const rc = new RollingLogReturnCorrelation(window);
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    rc.push(y[i], x[i]);
    out[i] = rc.corr;
  }
  return out;
}
