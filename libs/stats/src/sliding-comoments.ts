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

const SX = 0;
const SY = 2;
const SXX = 4;
const SYY = 6;
const SXY = 8;

/**
 * Means and centred (co)sums Σdx², Σdy², Σdx·dy of the last `window` pairs (x, y), O(1)
 * amortized per push: the two-variable version of `SlidingMoments`, with the same anchored sums,
 * rebuild schedule and collapse rule (applied to each variable; see `anchoring.ts`).
 *
 * Ready only when the window holds `window` pairs with both members finite. Constancy of x and
 * of y is decided by exact comparison of the values, never from a computed variance.
 */
export class SlidingComoments {
  readonly window: number;
  /** Global bar index of the first pair pushed (aligns the rebuild schedule). */
  readonly firstIndex: number;
  private readonly bx: Float64Array;
  private readonly by: Float64Array;
  /** Next slot to write; once the window is full it also holds the oldest pair. */
  private head = 0;
  private count = 0;
  /** Pairs in the window with a non-finite member. */
  private nonFinite = 0;
  private live = false;
  private countdown: number;
  private runX = 0;
  private runY = 0;
  private lastX = Number.NaN;
  private lastY = Number.NaN;
  private kx = 0;
  private ky = 0;
  /** Σdx, Σdy, Σdx², Σdy², Σdx·dy (d = v − anchor), each followed by its compensation. */
  private readonly acc = new Float64Array(10);
  private peakX = 0;
  private peakY = 0;
  private floorX = 0;
  private floorY = 0;
  private rebuildCount = 0;
  /** Derived after each push (see `settle`). */
  private shiftX = 0;
  private shiftY = 0;
  private mx = Number.NaN;
  private my = Number.NaN;
  private sxxC = Number.NaN;
  private syyC = Number.NaN;
  private sxyC = Number.NaN;

  constructor(window: number, firstIndex = 0) {
    checkInteger("window", window, 2);
    checkInteger("firstIndex", firstIndex, 0);
    this.window = window;
    this.firstIndex = firstIndex;
    this.bx = new Float64Array(window);
    this.by = new Float64Array(window);
    this.countdown = firstCountdown(window, firstIndex);
  }

  /** Forgets every pair, as if just constructed. */
  reset(): void {
    this.bx.fill(0);
    this.by.fill(0);
    this.head = 0;
    this.count = 0;
    this.nonFinite = 0;
    this.live = false;
    this.countdown = firstCountdown(this.window, this.firstIndex);
    this.runX = 0;
    this.runY = 0;
    this.lastX = Number.NaN;
    this.lastY = Number.NaN;
    this.kx = 0;
    this.ky = 0;
    this.acc.fill(0);
    this.peakX = 0;
    this.peakY = 0;
    this.floorX = 0;
    this.floorY = 0;
    this.rebuildCount = 0;
    this.unset();
  }

  /** Adds the pair of the next bar (NaN allowed: the window is then not ready). */
  push(x: number, y: number): void {
    const w = this.window;
    const slot = this.head;
    const full = this.count === w;
    const oldX = this.bx[slot];
    const oldY = this.by[slot];
    this.bx[slot] = x;
    this.by[slot] = y;
    this.head = slot + 1 === w ? 0 : slot + 1;
    if (full) {
      if (!isFiniteNumber(oldX) || !isFiniteNumber(oldY)) this.nonFinite--;
    } else {
      this.count++;
    }
    if (!isFiniteNumber(x) || !isFiniteNumber(y)) this.nonFinite++;
    if (x === this.lastX) {
      if (this.runX < w) this.runX++;
    } else {
      this.runX = 1;
    }
    if (y === this.lastY) {
      if (this.runY < w) this.runY++;
    } else {
      this.runY = 1;
    }
    this.lastX = x;
    this.lastY = y;
    const due = --this.countdown === 0;
    if (due) this.countdown = rebuildPeriod(w);

    if (this.count < w || this.nonFinite > 0) {
      this.live = false;
      this.unset();
      return;
    }
    if (!this.live || due) {
      this.live = true;
      this.rebuild();
    } else {
      const acc = this.acc;
      const ax = oldX - this.kx;
      const bx = x - this.kx;
      const ay = oldY - this.ky;
      const by = y - this.ky;
      // differences of squares as (b − a)(b + a): see SlidingMoments.push
      addCompensated(acc, SX, bx - ax);
      addCompensated(acc, SY, by - ay);
      addCompensated(acc, SXX, (bx - ax) * (bx + ax));
      addCompensated(acc, SYY, (by - ay) * (by + ay));
      addCompensated(acc, SXY, bx * by - ax * ay);
      if (acc[SXX] > this.peakX) this.peakX = acc[SXX];
      if (acc[SYY] > this.peakY) this.peakY = acc[SYY];
      if (
        (this.runX < w && this.peakX > this.floorX && this.rawCxx() * COLLAPSE_RATIO < this.peakX) ||
        (this.runY < w && this.peakY > this.floorY && this.rawCyy() * COLLAPSE_RATIO < this.peakY)
      ) {
        this.rebuild();
      }
    }
    this.settle();
  }

  /** True when the window holds `window` pairs of finite values. */
  get ready(): boolean {
    return this.live;
  }

  /** True when ready and all x in the window are identical. */
  get constantX(): boolean {
    return this.live && this.runX >= this.window;
  }

  /** True when ready and all y in the window are identical. */
  get constantY(): boolean {
    return this.live && this.runY >= this.window;
  }

  /** Times the sums were recomputed from the buffers (for tests of the amortized cost). */
  get rebuilds(): number {
    return this.rebuildCount;
  }

  /** Mean of x (exactly the common value when constant); NaN unless ready. */
  meanX(): number {
    return this.mx;
  }

  /** Mean of y (exactly the common value when constant); NaN unless ready. */
  meanY(): number {
    return this.my;
  }

  /** Σ(x − x̄)²: exactly 0 when x is constant, > 0 otherwise; NaN unless ready. */
  cxx(): number {
    return this.sxxC;
  }

  /** Σ(y − ȳ)²: exactly 0 when y is constant, > 0 otherwise; NaN unless ready. */
  cyy(): number {
    return this.syyC;
  }

  /** Σ(x − x̄)(y − ȳ): exactly 0 when x or y is constant; NaN unless ready. */
  cxy(): number {
    return this.sxyC;
  }

  /** Derives means and centred sums from the anchored sums, once per push. */
  private settle(): void {
    const w = this.window;
    const acc = this.acc;
    const constX = this.runX >= w;
    const constY = this.runY >= w;
    // each compensated sum's value is acc[i] + acc[i + 1] (written out: this runs every push)
    const sx = acc[SX] + acc[SX + 1];
    const sy = acc[SY] + acc[SY + 1];
    const shiftX = sx / w;
    const shiftY = sy / w;
    this.shiftX = shiftX;
    this.shiftY = shiftY;
    this.mx = constX ? this.lastX : this.kx + shiftX;
    this.my = constY ? this.lastY : this.ky + shiftY;
    const cxx = acc[SXX] + acc[SXX + 1] - sx * shiftX;
    const cyy = acc[SYY] + acc[SYY + 1] - sy * shiftY;
    this.sxxC = constX ? 0 : cxx > 0 ? cxx : exactCentredSumSq(this.bx, this.head);
    this.syyC = constY ? 0 : cyy > 0 ? cyy : exactCentredSumSq(this.by, this.head);
    this.sxyC = constX || constY ? 0 : acc[SXY] + acc[SXY + 1] - sx * shiftY;
  }

  private unset(): void {
    this.mx = Number.NaN;
    this.my = Number.NaN;
    this.sxxC = Number.NaN;
    this.syyC = Number.NaN;
    this.sxyC = Number.NaN;
  }

  /**
   * Σ((y − ȳ) − slope·(x − x̄))² by one pass over the buffers, O(window). For regressions that
   * fit almost exactly, where Syy − Sxy²/Sxx cancels nearly all its digits; being a minimum in
   * the slope, it is insensitive to small errors in `slope`. NaN unless ready.
   */
  residualSumSq(slope: number): number {
    if (!this.live) return Number.NaN;
    const w = this.window;
    // deviations as (v − anchor) − Σd/n, without rounding the means to doubles first
    const ox = this.kx;
    const oy = this.ky;
    const mx = this.shiftX;
    const my = this.shiftY;
    const bx = this.bx;
    const by = this.by;
    const h = this.head;
    let ssr = 0;
    // chronological order, so the result depends only on the window contents
    for (let j = h; j < w; j++) {
      const e = by[j] - oy - my - slope * (bx[j] - ox - mx);
      ssr += e * e;
    }
    for (let j = 0; j < h; j++) {
      const e = by[j] - oy - my - slope * (bx[j] - ox - mx);
      ssr += e * e;
    }
    return ssr;
  }

  /** Σdx² − (Σdx)²/n, for the collapse rule. */
  private rawCxx(): number {
    const acc = this.acc;
    const sx = acc[SX] + acc[SX + 1];
    return acc[SXX] + acc[SXX + 1] - (sx * sx) / this.window;
  }

  /** Σdy² − (Σdy)²/n, for the collapse rule. */
  private rawCyy(): number {
    const acc = this.acc;
    const sy = acc[SY] + acc[SY + 1];
    return acc[SYY] + acc[SYY + 1] - (sy * sy) / this.window;
  }

  /**
   * Recomputation from the buffers in chronological order, with compensated sums (see
   * `SlidingMoments.rebuild`). A plain sum here would already cost ~√window ulps of the largest
   * partial sum, too much for Σdx·dy of weakly correlated pairs (Δs against s_{t−1}), whose
   * value can be a millionth of its terms.
   */
  private rebuild(): void {
    const w = this.window;
    const bx = this.bx;
    const by = this.by;
    const kx = this.runX >= w ? this.lastX : anchorOf(bx, this.head);
    const ky = this.runY >= w ? this.lastY : anchorOf(by, this.head);
    const acc = this.acc;
    acc.fill(0);
    for (let n = 0, j = this.head; n < w; n++, j = j + 1 === w ? 0 : j + 1) {
      const dx = bx[j] - kx;
      const dy = by[j] - ky;
      addCompensated(acc, SX, dx);
      addCompensated(acc, SY, dy);
      addCompensated(acc, SXX, dx * dx);
      addCompensated(acc, SYY, dy * dy);
      addCompensated(acc, SXY, dx * dy);
    }
    this.kx = kx;
    this.ky = ky;
    this.peakX = acc[SXX];
    this.peakY = acc[SYY];
    this.floorX = collapseFloor(w, kx);
    this.floorY = collapseFloor(w, ky);
    this.rebuildCount++;
  }
}
