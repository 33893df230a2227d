// Walk-forward selection (walk-forward.ts) over a fold matrix streamed in blocks: each step's
// choice is an argmax over rows of the training folds' statistic, which a streaming argmax finds
// exactly (RunningBest: larger wins, ties to the lower id, as bestRow over rows in id order). The
// chosen rows' folds are copied out of their blocks as they lead (BestRowWithFolds); the steps'
// figures are then computed from those rows alone by walkForwardResult, the code walkForward
// itself ends with. One pass serves every mode asked for: shared training ranges count once.
import { BestRowWithFolds, bestRowsMatrix, type FoldBlockSource } from "./fold-blocks.js";
import { type FoldMatrix, foldRange } from "./fold-matrix.js";
import { type FoldStatistic, foldSetStatistic } from "./fold-statistic.js";
import {
  checkWalkForwardWindow,
  type WalkForwardMode,
  type WalkForwardResult,
  walkForwardResult,
  walkForwardTrainRanges,
} from "./walk-forward.js";

export interface StreamedWalkForward {
  /** One result per mode asked for; their rows are rows of `kept` (−1 = none). */
  results: WalkForwardResult[];
  /** The chosen rows' folds. */
  kept: FoldMatrix;
  /** Combo id of each row of `kept`. */
  keptIds: Float64Array;
}

export async function walkForwardStreamed(
  source: FoldBlockSource,
  nFolds: number,
  opts: { by?: FoldStatistic; modes: readonly WalkForwardMode[]; window: number },
): Promise<StreamedWalkForward> {
  const by = opts.by ?? "sharpe";
  const F = nFolds;
  checkWalkForwardWindow(opts.window, F);
  // distinct training ranges [from, to) over all modes, plus every fold (the in-sample best)
  const key = (from: number, to: number) => `${from}:${to}`;
  const ranges = new Map<string, { mask: Uint8Array; best: BestRowWithFolds }>();
  const want = (from: number, to: number) => {
    if (!ranges.has(key(from, to))) {
      ranges.set(key(from, to), { mask: foldRange(F, from, to), best: new BestRowWithFolds(F) });
    }
  };
  for (const mode of opts.modes) {
    for (const { trainFrom, testFold } of walkForwardTrainRanges(F, mode, opts.window))
      want(trainFrom, testFold);
  }
  want(0, F);
  const evaluated = [...ranges.values()];
  let stat = new Float64Array(0);

  await source((block) => {
    if (stat.length < block.m.nRows) stat = new Float64Array(block.m.nRows);
    const out = stat.subarray(0, block.m.nRows);
    for (const range of evaluated)
      range.best.offerBlock(block, foldSetStatistic(block.m, range.mask, by, out));
  });

  const kept = bestRowsMatrix(
    evaluated.map((r) => r.best),
    F,
  );
  const rowOf = (from: number, to: number) => kept.rowOf(ranges.get(key(from, to))!.best.best.id);
  const results = opts.modes.map((mode) => {
    const chosen = Int32Array.from(walkForwardTrainRanges(F, mode, opts.window), ({ trainFrom, testFold }) =>
      rowOf(trainFrom, testFold),
    );
    return walkForwardResult(kept.m, { by, mode, window: opts.window }, chosen, rowOf(0, F));
  });
  return { results, kept: kept.m, keptIds: kept.ids };
}
