// Statistics of a union of folds, from the per-fold sums alone (ENGINE.md §7): the days of any set
// of folds give n = Σ n_days, Σx = Σ pnl and Σx² = Σ pnl_sq, hence mean, variance and Sharpe,
// without re-running anything. These are the statistics walk-forward and CSCV select by.
import { InputError } from "../errors.js";
import type { FoldMatrix } from "./fold-matrix.js";

/** Statistics computable over any union of folds; larger is better for both. */
export const FOLD_STATISTICS = ["sharpe", "total_pnl"] as const;
export type FoldStatistic = (typeof FOLD_STATISTICS)[number];

const SQRT_252 = Math.sqrt(252);

/**
 * A centred sum of squares below this fraction of Σx² is rounding noise. Σx² − (Σx)²/n loses about
 * log10(1 + (mean/sd)²) digits to cancellation; daily Sharpe ratios are far below 1, so for real
 * series that costs nothing, but a flat series (all days equal: no trades) can come out as ±1e-17
 * instead of 0 and would then have an absurd Sharpe. Below the floor the deviation is taken as 0,
 * which §7 makes a null Sharpe, the same answer the two-pass formula on the daily series gives.
 */
export const VARIANCE_FLOOR = 1e-12;

export function checkFoldStatistic(by: string): FoldStatistic {
  if (!(FOLD_STATISTICS as readonly string[]).includes(by)) {
    throw new InputError(
      `by must be a statistic computable per fold (one of: ${FOLD_STATISTICS.join(", ")}), got '${by}'`,
      "by",
    );
  }
  return by as FoldStatistic;
}

/**
 * §7 Sharpe (mean / std(ddof 1) · √252) from n, Σx, Σx²; NaN (null) with n < 2 or std 0. `scale`
 * is the largest Σx² the sums were derived from (default Σx² itself): the rounding they carry.
 */
export function sharpeFromSums(n: number, sum: number, sumSq: number, scale = sumSq): number {
  if (!(n >= 2)) return Number.NaN;
  const mean = sum / n;
  const ss = sumSq - sum * mean;
  // `!(a > b)` also catches NaN and a negative ss (cancellation)
  if (!(ss > scale * VARIANCE_FLOOR)) return Number.NaN;
  return (mean / Math.sqrt(ss / (n - 1))) * SQRT_252;
}

/** The statistic of every row over the folds where `inSet` is 1, into `out` (NaN = null). */
export function foldSetStatistic(
  m: FoldMatrix,
  inSet: Uint8Array,
  by: FoldStatistic,
  out: Float64Array = new Float64Array(m.nRows),
): Float64Array {
  const F = m.nFolds;
  const sharpe = by === "sharpe";
  // the folds of the set in ascending order: the same sums, in the same order, as testing every fold
  const folds = foldList(inSet, F);
  const k = folds.length;
  const { nDays, pnl, pnlSq } = m;
  for (let r = 0, base = 0; r < m.nRows; r++, base += F) {
    let n = 0;
    let s = 0;
    let q = 0;
    for (let j = 0; j < k; j++) {
      const i = base + folds[j]!;
      n += nDays[i]!;
      s += pnl[i]!;
      q += pnlSq[i]!;
    }
    out[r] = sharpe ? sharpeFromSums(n, s, q) : s;
  }
  return out;
}

/** Indices f < nFolds where inSet[f] is 1, ascending. */
function foldList(inSet: Uint8Array, nFolds: number): Int32Array {
  const list: number[] = [];
  for (let f = 0; f < nFolds; f++) if (inSet[f] === 1) list.push(f);
  return Int32Array.from(list);
}

/** Each row's sums over all its folds, so that a split's other half is a subtraction. */
export interface RowTotals {
  nDays: Float64Array;
  pnl: Float64Array;
  pnlSq: Float64Array;
}

export function rowTotals(m: FoldMatrix): RowTotals {
  const t: RowTotals = {
    nDays: new Float64Array(m.nRows),
    pnl: new Float64Array(m.nRows),
    pnlSq: new Float64Array(m.nRows),
  };
  const F = m.nFolds;
  const { nDays, pnl, pnlSq } = m;
  for (let r = 0, base = 0; r < m.nRows; r++, base += F) {
    // 0 + the folds in order: the sums as accumulated in place before
    let n = 0;
    let s = 0;
    let q = 0;
    for (let f = 0; f < F; f++) {
      n += nDays[base + f]!;
      s += pnl[base + f]!;
      q += pnlSq[base + f]!;
    }
    t.nDays[r] = n;
    t.pnl[r] = s;
    t.pnlSq[r] = q;
  }
  return t;
}

/**
 * Consecutive folds summed together before the blocks are added, in a CSCV half's sums: each block
 * of SUM_BLOCK folds is summed on its own (0, then its folds of the half ascending) and the block
 * sums are then added in order (0, then block 0, 1, …). Floating-point addition is not
 * associative, so this order is part of what a half's statistic is. It is chosen so that the fast
 * kernel (cscv-kernel.ts) can build each row's 2^SUM_BLOCK subset sums of every block once and then
 * assemble each of the ≈ 50 halves from F / SUM_BLOCK of them, instead of adding F / 2 folds
 * afresh per half, with the very same additions. With F ≤ SUM_BLOCK it is the plain ascending sum.
 */
export const SUM_BLOCK = 4;

/**
 * Both halves of a split (the hot loop of CSCV): the statistic of every row over the folds where
 * `inA` is 1 (into `outA`) and over the other folds (into `outB`). Half A is summed in blocks
 * (SUM_BLOCK). Half B is the row's totals minus half A, which halves the reading. Its Σx² then
 * carries the rounding of the totals, so the variance floor is taken relative to the total Σx²: a
 * B half without trades comes out null, as computed directly, instead of a Sharpe of rounding noise.
 */
export function splitStatistics(
  m: FoldMatrix,
  inA: Uint8Array,
  by: FoldStatistic,
  outA: Float64Array,
  outB: Float64Array,
  totals: RowTotals = rowTotals(m),
): void {
  const F = m.nFolds;
  const { nDays, pnl, pnlSq } = m;
  const sharpe = by === "sharpe";
  for (let r = 0, base = 0; r < m.nRows; r++, base += F) {
    let n = 0;
    let s = 0;
    let q = 0;
    for (let from = 0; from < F; from += SUM_BLOCK) {
      let bn = 0;
      let bs = 0;
      let bq = 0;
      for (let f = from; f < Math.min(F, from + SUM_BLOCK); f++) {
        if (inA[f] !== 1) continue;
        bn += nDays[base + f]!;
        bs += pnl[base + f]!;
        bq += pnlSq[base + f]!;
      }
      n += bn;
      s += bs;
      q += bq;
    }
    const qTotal = totals.pnlSq[r]!;
    if (sharpe) {
      outA[r] = sharpeFromSums(n, s, q);
      outB[r] = sharpeFromSums(totals.nDays[r]! - n, totals.pnl[r]! - s, qTotal - q, qTotal);
    } else {
      outA[r] = s;
      outB[r] = totals.pnl[r]! - s;
    }
  }
}

/** Sums of one row over the folds where `inSet` is 1. */
export interface FoldSetSums {
  nDays: number;
  pnl: number;
  pnlSq: number;
  nTrades: number;
}

export function foldSetSums(m: FoldMatrix, row: number, inSet: Uint8Array): FoldSetSums {
  const out: FoldSetSums = { nDays: 0, pnl: 0, pnlSq: 0, nTrades: 0 };
  const base = row * m.nFolds;
  for (let f = 0; f < m.nFolds; f++) {
    if (inSet[f] !== 1) continue;
    out.nDays += m.nDays[base + f]!;
    out.pnl += m.pnl[base + f]!;
    out.pnlSq += m.pnlSq[base + f]!;
    out.nTrades += m.nTrades[base + f]!;
  }
  return out;
}
