// The grid kernel's statistics that come from the daily series (ENGINE.md §7): Sharpe, Sortino,
// skew, kurtosis, n_days, and the per-fold sums. Runs once per combination, after the bar loop,
// with the same functions the reference engine uses so both agree to the last bit.
import { foldStart, SQRT_252 } from "./daily-statistics.js";
import type { KernelScratch } from "../kernels/grid-kernel-scratch.js";
import {
  FOLD_N_DAYS,
  FOLD_N_TRADES,
  FOLD_PNL,
  FOLD_PNL_SQ,
  FOLD_WIDTH,
  S_KURTOSIS,
  S_N_DAYS,
  S_SHARPE,
  S_SKEW,
  S_SORTINO,
} from "./stat-row.js";

/**
 * Writes the daily-series statistics into `row` and nFolds·FOLD_WIDTH fold numbers into `folds`.
 * Two passes over the days instead of seven (sharpeOf, sortinoOf and skewKurtosisOf each took the
 * mean and one pass of their own, the folds another): it runs once per combination, so over a
 * 1,200-day series it was a tenth of W6's kernel time. Each sum still takes the same values in the
 * same order with the same expressions as those functions (daily-statistics.ts), so every bit is
 * theirs; the test statistics-fused-daily.test.ts holds them to it.
 */
export function writeDailyStatistics(
  scratch: KernelScratch,
  nDays: number,
  row: Float64Array,
  rowOffset: number,
  folds: Float64Array,
  foldOffset: number,
  nFolds: number,
): void {
  const daily = scratch.daily;
  const dayTrades = scratch.dayTrades;
  // pass 1: the folds, and the sum of the mean (the folds cover days 0 … nDays − 1 in order)
  let sum = 0;
  for (let f = 0; f < nFolds; f++) {
    const d0 = foldStart(f, nFolds, nDays);
    const d1 = foldStart(f + 1, nFolds, nDays);
    let nTrades = 0;
    let pnl = 0;
    let pnlSq = 0;
    for (let d = d0; d < d1; d++) {
      const v = daily[d]!;
      sum += v;
      nTrades += dayTrades[d]!;
      pnl += v;
      pnlSq += v * v;
    }
    const o = foldOffset + f * FOLD_WIDTH;
    folds[o + FOLD_N_TRADES] = nTrades;
    folds[o + FOLD_PNL] = pnl;
    folds[o + FOLD_PNL_SQ] = pnlSq;
    folds[o + FOLD_N_DAYS] = d1 - d0;
  }
  if (nFolds < 1) for (let d = 0; d < nDays; d++) sum += daily[d]!;
  const m = sum / nDays;
  // pass 2: sharpeOf's squared deviations, sortinoOf's downside, skewKurtosisOf's moments
  let ss = 0;
  let down = 0;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < nDays; i++) {
    const v = daily[i]!;
    ss += (v - m) ** 2;
    if (v < 0) down += v * v;
    const e = v - m;
    const e2 = e * e;
    m2 += e2;
    m3 += e2 * e;
    m4 += e2 * e2;
  }
  let sharpe = Number.NaN;
  let sortino = Number.NaN;
  if (nDays >= 2) {
    const sd = Math.sqrt(ss / (nDays - 1));
    sharpe = sd > 0 ? (m / sd) * SQRT_252 : Number.NaN;
    const dd = Math.sqrt(down / nDays);
    sortino = dd > 0 ? (m / dd) * SQRT_252 : Number.NaN;
  }
  let skew = Number.NaN;
  let kurtosis = Number.NaN;
  if (nDays >= 1) {
    m2 /= nDays;
    m3 /= nDays;
    m4 /= nDays;
    if (m2 > 0) {
      skew = m3 / m2 ** 1.5;
      kurtosis = m4 / (m2 * m2);
    }
  }
  row[rowOffset + S_SHARPE] = sharpe;
  row[rowOffset + S_SORTINO] = sortino;
  row[rowOffset + S_SKEW] = skew;
  row[rowOffset + S_KURTOSIS] = kurtosis;
  row[rowOffset + S_N_DAYS] = nDays;
}
