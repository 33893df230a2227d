// An upper bound on a row's statistic over any half of a CSCV split, from its folds alone, so
// that pass 1 of streamed CSCV (cscv-kernel.ts) can skip the rows that cannot be the in-sample
// best of any split: once every split has a best, a row whose bound is below the lowest of them
// wins nothing, and its 2·H half statistics need not be computed. Skipping such a row changes no
// winner, so the result stays exact; the bound only decides how much work is saved.
//
// total_pnl: a half's Σx is at most the sum of the row's kMax largest positive fold sums.
// sharpe: for a half A with n days, Sharpe = √252·(s/n)/√(ss/(n−1)). Its ss is at least the sum
// of its folds' own centred sums w_f = q_f − s_f²/n_f (the between-fold part is ≥ 0), and by
// Cauchy–Schwarz s ≤ Σ s_f⁺ ≤ √(Σ s_f⁺²/w_f · Σ w_f), so s/√ss ≤ √(Σ_A c_f) with c_f = s_f⁺²/w_f:
// at most the sum of the kMax largest c_f. √(n−1)/n falls with n ≥ 2, so n is taken at its
// least, kMin times the row's fewest days in a fold.
//
// Rounding: the bound is in exact arithmetic, the statistics it must exceed are computed in
// doubles. w_f is taken 1e-9·q_f smaller than computed (its rounding is ~1e-16·q_f), and the
// bound is raised by 2 % and 1e-6: a half's ss may lose ~1e-14 of the row's Σx² to cancellation,
// which sharpeFromSums's variance floor (1e-12 of Σx²) keeps under 1 % of ss, and Σx its
// rounding, under 1e-7 in Sharpe (|Σx| ≤ √(n·Σx²)). For total_pnl the slack is 1e-9·Σ|s_f|.
import type { FoldMatrix } from "./fold-matrix.js";
import type { FoldStatistic } from "./fold-statistic.js";

const SQRT_252 = Math.sqrt(252);

export class HalfBound {
  private readonly c: Float64Array;
  private readonly sharpe: boolean;

  /** kMin / kMax: fewest / most folds in any half (in-sample or out-of-sample) of the plan. */
  constructor(
    readonly nFolds: number,
    readonly kMin: number,
    readonly kMax: number,
    by: FoldStatistic,
  ) {
    this.c = new Float64Array(nFolds);
    this.sharpe = by === "sharpe";
  }

  /** The bound for the row whose folds start at `base`; +∞ when none can be given. */
  bound(m: FoldMatrix, base: number): number {
    const F = this.nFolds;
    const { c } = this;
    const { nDays, pnl, pnlSq } = m;
    let positives = 0;
    let all = 0;
    let slack = 0;
    let fewestDays = Number.POSITIVE_INFINITY;
    for (let f = 0; f < F; f++) {
      const s = pnl[base + f]!;
      const n = nDays[base + f]!;
      if (n < fewestDays) fewestDays = n;
      let v = 0;
      if (this.sharpe) {
        if (s > 0) {
          const q = pnlSq[base + f]!;
          const w = q - s * (s / n) - 1e-9 * q;
          // a fold of equal positive days: no finite bound (NaN s or q lands here too)
          if (!(w > 0)) return Number.POSITIVE_INFINITY;
          v = (s * s) / w;
        } else if (!(s <= 0)) return Number.POSITIVE_INFINITY;
      } else {
        if (!(Math.abs(s) < Number.POSITIVE_INFINITY)) return Number.POSITIVE_INFINITY;
        slack += Math.abs(s);
        v = s > 0 ? s : 0;
      }
      c[f] = v;
      all += v;
      if (v > 0) positives++;
    }
    // the kMax largest: all of them when no more are positive, else leave out the smallest
    let top = all;
    if (positives > this.kMax) top = all - sumSmallest(c, F, F - this.kMax);
    if (!this.sharpe) return top + 1e-9 * slack;
    const n = this.kMin * fewestDays;
    if (!(n >= 2)) return Number.POSITIVE_INFINITY;
    return SQRT_252 * (Math.sqrt(n - 1) / n) * Math.sqrt(top) * 1.02 + 1e-6;
  }
}

/** Sum of the k smallest of c[0 … F) (k ≤ F; F is small: a selection by repeated minimum). */
function sumSmallest(c: Float64Array, F: number, k: number): number {
  let sum = 0;
  for (let j = 0; j < k; j++) {
    let at = 0;
    for (let f = 1; f < F; f++) if (c[f]! < c[at]!) at = f;
    sum += c[at]!;
    c[at] = Number.POSITIVE_INFINITY;
  }
  return sum;
}

/** The lowest current best of any split (either side); −∞ while some split has none. */
export function lowestBest(
  idA: Float64Array,
  valueA: Float64Array,
  idB: Float64Array,
  valueB: Float64Array,
): number {
  let low = Number.POSITIVE_INFINITY;
  for (let h = 0; h < idA.length; h++) {
    if (idA[h]! < 0 || idB[h]! < 0) return Number.NEGATIVE_INFINITY;
    low = Math.min(low, valueA[h]!, valueB[h]!);
  }
  return low;
}
