// Walk-forward selection (walk-forward.ts) over a fold matrix streamed in blocks: each step's
// choice is an argmax over rows of the training folds' statistic, which a streaming argmax finds
// exactly (RunningBest: larger wins, ties to the lower id, as bestRow over rows in id order). The
// chosen rows' folds are copied out of their blocks as they lead (BestRowWithFolds); the steps'
// figures are then computed from those rows alone by walkForwardResult, the code walkForward
// itself ends with. One pass serves every mode asked for: shared training ranges count once; the
// per-row work is walk-forward-kernel.ts's.
import { BestRowWithFolds, bestRowsMatrix, type FoldBlock, type FoldBlockSource } from "./fold-blocks.js";
import type { FoldMatrix } from "./fold-matrix.js";
import type { FoldStatistic } from "./fold-statistic.js";
import { RangeKernel } from "./walk-forward-kernel.js";
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

export interface WalkForwardStreamOptions {
  by?: FoldStatistic;
  modes: readonly WalkForwardMode[];
  window: number;
}

/** The selection as a block visitor (visit every block once, then result()). */
export class WalkForwardStream {
  private readonly by: FoldStatistic;
  private readonly ranges = new Map<string, { from: number; to: number; best: BestRowWithFolds }>();
  private kernel: RangeKernel | null = null;
  private bestList: BestRowWithFolds[] | null = null;

  constructor(
    readonly nFolds: number,
    private readonly opts: WalkForwardStreamOptions,
  ) {
    this.by = opts.by ?? "sharpe";
    checkWalkForwardWindow(opts.window, nFolds);
    // distinct training ranges [from, to) over all modes, plus every fold (the in-sample best)
    for (const mode of opts.modes) {
      for (const { trainFrom, testFold } of walkForwardTrainRanges(nFolds, mode, opts.window)) {
        this.want(trainFrom, testFold);
      }
    }
    this.want(0, nFolds);
  }

  private want(from: number, to: number): void {
    const key = `${from}:${to}`;
    if (!this.ranges.has(key)) {
      this.ranges.set(key, { from, to, best: new BestRowWithFolds(this.nFolds) });
    }
  }

  visit(block: FoldBlock): void {
    // built on the first block, once every range is known
    this.kernel ??= new RangeKernel(
      this.nFolds,
      [...this.ranges.values()].map((r) => ({ from: r.from, to: r.to })),
      this.by,
    );
    this.bestList ??= this.bests();
    this.kernel.visit(block, this.bestList);
  }

  /** Each training range's best row so far, in a fixed order (the same for every stream of these options). */
  bests(): BestRowWithFolds[] {
    return [...this.ranges.values()].map((r) => r.best);
  }

  /**
   * The trade counts of the chosen rows, for a stream whose blocks came without them (a pass with
   * `trades: false`: only these few rows' counts reach the report, so reading every row's costs
   * the reader a fifth more for nothing). `tradesOf(id)` gives a row's F counts.
   */
  fillTrades(tradesOf: (id: number) => Int32Array): void {
    for (const { best } of this.ranges.values()) {
      if (best.best.id >= 0) best.nTrades.set(tradesOf(best.best.id));
    }
  }

  /** The bests of another stream over other rows (a worker's share), range by range. */
  merge(bests: readonly BestRowWithFolds[]): void {
    [...this.ranges.values()].forEach((r, k) => r.best.merge(bests[k]!));
  }

  result(): StreamedWalkForward {
    const F = this.nFolds;
    const kept = bestRowsMatrix(
      [...this.ranges.values()].map((r) => r.best),
      F,
    );
    const rowOf = (from: number, to: number) => kept.rowOf(this.ranges.get(`${from}:${to}`)!.best.best.id);
    const { window } = this.opts;
    const results = this.opts.modes.map((mode) => {
      const chosen = Int32Array.from(walkForwardTrainRanges(F, mode, window), ({ trainFrom, testFold }) =>
        rowOf(trainFrom, testFold),
      );
      return walkForwardResult(kept.m, { by: this.by, mode, window }, chosen, rowOf(0, F));
    });
    return { results, kept: kept.m, keptIds: kept.ids };
  }
}

/** Walk-forward of every mode asked for over a streamed matrix: one pass of `source`. */
export async function walkForwardStreamed(
  source: FoldBlockSource,
  nFolds: number,
  opts: WalkForwardStreamOptions,
): Promise<StreamedWalkForward> {
  const s = new WalkForwardStream(nFolds, opts);
  await source((b) => s.visit(b));
  return s.result();
}
