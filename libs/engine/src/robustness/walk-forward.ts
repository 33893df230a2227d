// Walk-forward selection over the folds (ENGINE.md §7): at each step choose the best combination
// on past folds only, then record what it did on the next fold, which it has not seen. Anchored:
// train on folds 0 … k−1; rolling: on the last `window` folds k−window … k−1. Both start at
// k = window, so they report the same test folds and their stitched results compare directly.
// The stitched out-of-sample series (each step's chosen combination on its test fold, one after
// the other) is set against the in-sample best: the combination that looks best over every fold.
import { InputError } from "../errors.js";
import { checkFoldMatrix, type FoldMatrix, foldRange } from "./fold-matrix.js";
import { type FoldStatistic, foldSetStatistic, foldSetSums, sharpeFromSums } from "./fold-statistic.js";
import { bestRow } from "./ranking.js";

export const WALK_FORWARD_MODES = ["anchored", "rolling"] as const;
export type WalkForwardMode = (typeof WALK_FORWARD_MODES)[number];

export interface WalkForwardOptions {
  by?: FoldStatistic;
  mode: WalkForwardMode;
  /** Training folds of the rolling mode, and the first test fold of both; 1 ≤ w ≤ F − 1. */
  window: number;
}

export interface WalkForwardStep {
  /** Training folds trainFrom … trainTo (inclusive). */
  trainFrom: number;
  trainTo: number;
  testFold: number;
  /** Chosen row (lowest on ties); −1 when no row had a defined statistic on the training folds. */
  row: number;
  isSharpe: number;
  isPnl: number;
  oosSharpe: number;
  oosPnl: number;
  oosNTrades: number;
  oosNDays: number;
}

export interface StitchedResult {
  sharpe: number;
  pnl: number;
  nDays: number;
  nTrades: number;
}

export interface InSampleBest {
  /** Best row by the statistic over all folds; −1 when none has one. */
  row: number;
  sharpe: number;
  pnl: number;
  /** The same row over the walk-forward's test folds (the stitched series' days). */
  oosPeriodSharpe: number;
  oosPeriodPnl: number;
}

export interface WalkForwardResult {
  mode: WalkForwardMode;
  window: number;
  steps: WalkForwardStep[];
  /** Steps without a chosen row add nothing (those folds are sat out). */
  stitched: StitchedResult;
  inSampleBest: InSampleBest;
}

/** Default window: a quarter of the folds (4 of 16), at least 1. */
export function defaultWalkForwardWindow(nFolds: number): number {
  return Math.max(1, Math.floor(nFolds / 4));
}

export function checkWalkForwardWindow(window: number, nFolds: number): void {
  if (!Number.isSafeInteger(window) || window < 1 || window > nFolds - 1) {
    const range = nFolds >= 2 ? `an integer from 1 to ${nFolds - 1}` : "impossible (fewer than 2 folds)";
    throw new InputError(`window must be ${range} (the job has ${nFolds} folds), got ${window}`, "window");
  }
}

/** Training folds of each step (trainFrom … k − 1 for test fold k = window … F − 1). */
export function walkForwardTrainRanges(
  nFolds: number,
  mode: WalkForwardMode,
  window: number,
): { trainFrom: number; testFold: number }[] {
  const out: { trainFrom: number; testFold: number }[] = [];
  for (let k = window; k < nFolds; k++)
    out.push({ trainFrom: mode === "anchored" ? 0 : k - window, testFold: k });
  return out;
}

export function walkForward(m: FoldMatrix, opts: WalkForwardOptions): WalkForwardResult {
  checkFoldMatrix(m);
  const by = opts.by ?? "sharpe";
  const F = m.nFolds;
  checkWalkForwardWindow(opts.window, F);
  const stat = new Float64Array(m.nRows);
  const chosen = walkForwardTrainRanges(F, opts.mode, opts.window).map(({ trainFrom, testFold }) =>
    bestRow(foldSetStatistic(m, foldRange(F, trainFrom, testFold), by, stat)),
  );
  const best = bestRow(foldSetStatistic(m, foldRange(F, 0, F), by));
  return walkForwardResult(m, opts, Int32Array.from(chosen), best);
}

/**
 * The result from the rows chosen (one per step, −1 = none; and the best over all folds): the
 * chosen rows' own figures, read from `m`. `m` may hold just the chosen rows (a streamed
 * selection, walk-forward-streamed.ts) as long as the row numbers are its own.
 */
export function walkForwardResult(
  m: FoldMatrix,
  opts: WalkForwardOptions,
  chosen: Int32Array,
  bestAll: number,
): WalkForwardResult {
  const F = m.nFolds;
  const w = opts.window;
  const steps: WalkForwardStep[] = [];
  const stitched = { nDays: 0, pnl: 0, pnlSq: 0, nTrades: 0 };
  walkForwardTrainRanges(F, opts.mode, w).forEach(({ trainFrom, testFold: k }, s) => {
    const train = foldRange(F, trainFrom, k);
    const row = chosen[s]!;
    const step: WalkForwardStep = {
      trainFrom,
      trainTo: k - 1,
      testFold: k,
      row,
      isSharpe: Number.NaN,
      isPnl: Number.NaN,
      oosSharpe: Number.NaN,
      oosPnl: Number.NaN,
      oosNTrades: 0,
      oosNDays: 0,
    };
    if (row >= 0) {
      const is = foldSetSums(m, row, train);
      step.isSharpe = sharpeFromSums(is.nDays, is.pnl, is.pnlSq);
      step.isPnl = is.pnl;
      const i = row * F + k;
      step.oosPnl = m.pnl[i]!;
      step.oosSharpe = sharpeFromSums(m.nDays[i]!, m.pnl[i]!, m.pnlSq[i]!);
      step.oosNTrades = m.nTrades[i]!;
      step.oosNDays = m.nDays[i]!;
      stitched.nDays += m.nDays[i]!;
      stitched.pnl += m.pnl[i]!;
      stitched.pnlSq += m.pnlSq[i]!;
      stitched.nTrades += m.nTrades[i]!;
    }
    steps.push(step);
  });
  return {
    mode: opts.mode,
    window: w,
    steps,
    stitched: {
      sharpe: sharpeFromSums(stitched.nDays, stitched.pnl, stitched.pnlSq),
      pnl: stitched.pnl,
      nDays: stitched.nDays,
      nTrades: stitched.nTrades,
    },
    inSampleBest: inSampleBest(m, bestAll, w),
  };
}

function inSampleBest(m: FoldMatrix, row: number, firstTest: number): InSampleBest {
  const F = m.nFolds;
  if (row < 0) {
    return {
      row,
      sharpe: Number.NaN,
      pnl: Number.NaN,
      oosPeriodSharpe: Number.NaN,
      oosPeriodPnl: Number.NaN,
    };
  }
  const all = foldSetSums(m, row, foldRange(F, 0, F));
  const period = foldSetSums(m, row, foldRange(F, firstTest, F));
  return {
    row,
    sharpe: sharpeFromSums(all.nDays, all.pnl, all.pnlSq),
    pnl: all.pnl,
    oosPeriodSharpe: sharpeFromSums(period.nDays, period.pnl, period.pnlSq),
    oosPeriodPnl: period.pnl,
  };
}
