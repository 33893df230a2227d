// The grid kernel's statistics that come from the daily series (ENGINE.md §7): Sharpe, Sortino,
// skew, kurtosis, n_days, and the per-fold sums. Runs once per combination, after the bar loop,
// with the same functions the reference engine uses so both agree to the last bit.
import { foldStart, sharpeOf, skewKurtosisOf, sortinoOf } from "./daily-statistics.js";
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

/** Writes the daily-series statistics into `row` and nFolds·FOLD_WIDTH fold numbers into `folds`. */
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
  const moments = scratch.moments;
  row[rowOffset + S_SHARPE] = sharpeOf(daily, nDays);
  row[rowOffset + S_SORTINO] = sortinoOf(daily, nDays);
  skewKurtosisOf(daily, moments, nDays);
  row[rowOffset + S_SKEW] = moments[0]!;
  row[rowOffset + S_KURTOSIS] = moments[1]!;
  row[rowOffset + S_N_DAYS] = nDays;

  const dayTrades = scratch.dayTrades;
  for (let f = 0; f < nFolds; f++) {
    const d0 = foldStart(f, nFolds, nDays);
    const d1 = foldStart(f + 1, nFolds, nDays);
    let nTrades = 0;
    let pnl = 0;
    let pnlSq = 0;
    for (let d = d0; d < d1; d++) {
      const v = daily[d]!;
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
}
