import {
  addCompensated,
  anchorOf,
  COLLAPSE_RATIO,
  collapseFloor,
  exactCentredSumSq,
  firstCountdown,
  isFiniteNumber,
  rebuildPeriod,
} from "./anchoring.js";
import { checkInteger } from "./validate.js";

const SD = 0;
const SDD = 2;

/**
 * Mean and centred sum of squares of the last `window` values of one series, O(1) amortized
 * per push, accurate to ~1e-14 relative however large the mean is against the spread of the
 * values (see `anchoring.ts` for the anchored-sum and rebuild scheme).
 *
 * The statistics are defined ("ready") only when the window holds `window` finite values.
 * Whether the window is constant is decided by exact comparison of the values (a run counter),
 * never from the computed variance, so rounding can neither make a constant window look
 * variable nor a variable one look constant.
 */
export class SlidingMoments {
  readonly window: number;
  /** Global bar index of the first value pushed (aligns the rebuild schedule; see anchoring.ts). */
  readonly firstIndex: number;
  private readonly buf: Float64Array;
  /** Next slot to write; once the window is full it also holds the oldest value. */
  private head = 0;
  private count = 0;
  private nonFinite = 0;
  /** Window full and finite: the anchored sums below are maintained. */
  private live = false;
  private countdown: number;
  /** Number of trailing identical values, capped at `window`. */
  private run = 0;
  private last = Number.NaN;
  private k = 0;
  /** Σd and Σd² (d = v − k) with their compensations: [Σd, err, Σd², err]. */
  private readonly acc = new Float64Array(4);
  private peak = 0;
  private floor = 0;
  private rebuildCount = 0;
  /** Derived after each push (see `settle`): Σd/n, the mean, and Σ(v − mean)². */
  private shift = 0;
  private mu = Number.NaN;
  private css = Number.NaN;

  constructor(window: number, firstIndex = 0) {
    checkInteger("window", window, 2);
    checkInteger("firstIndex", firstIndex, 0);
    this.window = window;
    this.firstIndex = firstIndex;
    this.buf = new Float64Array(window);
    this.countdown = firstCountdown(window, firstIndex);
  }

  /** Forgets every value, as if just constructed. */
  reset(): void {
    this.buf.fill(0);
    this.head = 0;
    this.count = 0;
    this.nonFinite = 0;
    this.live = false;
    this.countdown = firstCountdown(this.window, this.firstIndex);
    this.run = 0;
    this.last = Number.NaN;
    this.k = 0;
    this.acc.fill(0);
    this.peak = 0;
    this.floor = 0;
    this.rebuildCount = 0;
    this.shift = 0;
    this.mu = Number.NaN;
    this.css = Number.NaN;
  }

  /** Adds the value of the next bar (NaN allowed: the window is then not ready). */
  push(v: number): void {
    const w = this.window;
    const slot = this.head;
    const full = this.count === w;
    const old = this.buf[slot];
    this.buf[slot] = v;
    this.head = slot + 1 === w ? 0 : slot + 1;
    if (full) {
      if (!isFiniteNumber(old)) this.nonFinite--;
    } else {
      this.count++;
    }
    if (!isFiniteNumber(v)) this.nonFinite++;
    if (v === this.last) {
      if (this.run < w) this.run++;
    } else {
      this.run = 1;
    }
    this.last = v;
    const due = --this.countdown === 0;
    if (due) this.countdown = rebuildPeriod(w);

    if (this.count < w || this.nonFinite > 0) {
      this.live = false;
      this.mu = Number.NaN;
      this.css = Number.NaN;
      return;
    }
    if (!this.live || due) {
      this.live = true;
      this.rebuild();
    } else {
      // Σd² changes by d_new² − d_old² = (d_new − d_old)(d_new + d_old): one rounding, relative
      // to the change rather than to the squares
      const k = this.k;
      const acc = this.acc;
      const dOld = old - k;
      const dNew = v - k;
      addCompensated(acc, SD, dNew - dOld);
      addCompensated(acc, SDD, (dNew - dOld) * (dNew + dOld));
      if (acc[SDD] > this.peak) this.peak = acc[SDD];
      if (this.run < w && this.peak > this.floor && this.rawCentred() * COLLAPSE_RATIO < this.peak) {
        this.rebuild();
      }
    }
    this.settle();
  }

  /** True when the window holds `window` finite values. */
  get ready(): boolean {
    return this.live;
  }

  /** True when ready and all values in the window are identical. */
  get constant(): boolean {
    return this.live && this.run >= this.window;
  }

  /** Times the sums were recomputed from the buffer (for tests of the amortized cost). */
  get rebuilds(): number {
    return this.rebuildCount;
  }

  /** Window mean (exactly the common value when the window is constant); NaN unless ready. */
  mean(): number {
    return this.mu;
  }

  /**
   * v − mean, evaluated as (v − anchor) − Σd/n: v − anchor is exact for v near the window, so
   * this never rounds the mean to a double first (which costs up to half an ulp of the mean, a lot
   * when the mean is 10 and the deviations 1e-4). NaN unless ready.
   */
  deviation(v: number): number {
    if (!this.live) return Number.NaN;
    if (this.run >= this.window) return v - this.last;
    return v - this.k - this.shift;
  }

  /** Σ(v − mean)² over the window: exactly 0 when constant, > 0 otherwise; NaN unless ready. */
  centredSumSq(): number {
    return this.css;
  }

  /** Sample variance (ddof = 1); NaN unless ready. */
  variance(): number {
    return this.css / (this.window - 1);
  }

  /** Derives mean and centred sum from the anchored sums, once per push. */
  private settle(): void {
    const w = this.window;
    if (this.run >= w) {
      this.mu = this.last;
      this.css = 0;
      return;
    }
    const acc = this.acc;
    const sd = acc[SD] + acc[SD + 1];
    const shift = sd / w;
    this.shift = shift;
    this.mu = this.k + shift;
    const c = acc[SDD] + acc[SDD + 1] - sd * shift;
    this.css = c > 0 ? c : exactCentredSumSq(this.buf, this.head);
  }

  /** Σd² − (Σd)²/n from the compensated sums. */
  private rawCentred(): number {
    const acc = this.acc;
    const sd = acc[SD] + acc[SD + 1];
    return acc[SDD] + acc[SDD + 1] - (sd * sd) / this.window;
  }

  /**
   * Recomputes the anchored sums from the buffer, in chronological order so the result depends
   * only on the window contents, with compensated sums.
   */
  private rebuild(): void {
    const buf = this.buf;
    const w = this.window;
    // a constant window anchored on its own value has every deviation exactly 0
    const k = this.run >= w ? this.last : anchorOf(buf, this.head);
    const acc = this.acc;
    acc.fill(0);
    for (let n = 0, j = this.head; n < w; n++, j = j + 1 === w ? 0 : j + 1) {
      const d = buf[j] - k;
      addCompensated(acc, SD, d);
      addCompensated(acc, SDD, d * d);
    }
    this.k = k;
    this.peak = acc[SDD];
    this.floor = collapseFloor(w, k);
    this.rebuildCount++;
  }
}
