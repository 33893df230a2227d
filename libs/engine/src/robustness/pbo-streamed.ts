// PBO by CSCV (pbo.ts) over a fold matrix streamed in blocks, in memory independent of the rows.
//
// The reduction, and why it is exact. A split's contribution to PBO is its logit, which needs two
// things: the IS winner w (the row with the best in-sample statistic, lowest id on ties) and w's
// out-of-sample mid-rank among all N rows. A row that is not the winner of any split changes a
// logit only through the second: it counts as below, equal to or above w out of sample. So:
//   pass 1 — one streaming argmax per split (RunningBest, id tie-break): w, its IS and OOS value;
//   pass 2 — per split, count the rows whose OOS value is below / equal to w's (RankCounter).
// Both passes compute each row's split statistics with the operations of splitStatistics, which cscvPbo
// uses, over the row's own folds only (a row's figures do not depend on its block), so every
// winner, IS/OOS value and rank — hence every logit — is the number cscvPbo gives over the full
// matrix. Memory: a few numbers per split. Time: twice cscvPbo's statistic work (the second pass
// recomputes what cscvPbo keeps in two N-long arrays), done row by row (cscv-kernel.ts).
import { type FoldBlock, type FoldBlockSource } from "./fold-blocks.js";
import {
  addSplitCounts,
  makeSplitCounts,
  makeSplitWinners,
  mergeSplitWinners,
  type SplitCounts,
  SplitKernel,
  type SplitWinners,
} from "./cscv-kernel.js";
import {
  type CscvPlan,
  type CscvSplit,
  cscvPlan,
  type PboOptions,
  type PboResult,
  pboFromSplits,
} from "./pbo.js";

/**
 * The two passes as block visitors, for a caller that shares a pass with other work (the
 * robustness report runs walk-forward in pass 1): pass1 over every block, then pass2 over every
 * block, then result(). `winners` of the result are combo ids (the blocks' ids), not row indices.
 * The per-row work is cscv-kernel.ts's; partial streams (other workers' shares of the rows) join
 * through mergeWinners after pass 1 and addCounts after pass 2.
 */
export class CscvStream {
  readonly plan: CscvPlan;
  readonly kernel: SplitKernel;
  /** Per half: the winner with IS = A (OOS = B), and the one with IS = B (OOS = A). */
  readonly winners: SplitWinners;
  readonly counts: SplitCounts;

  constructor(
    readonly nRows: number,
    nFolds: number,
    opts: PboOptions = {},
  ) {
    this.plan = cscvPlan(nRows, nFolds, opts);
    this.kernel = new SplitKernel(nFolds, this.plan.foldMasks, this.plan.by);
    this.winners = makeSplitWinners(this.kernel.nHalves);
    this.counts = makeSplitCounts(this.kernel.nHalves);
  }

  pass1({ m, ids }: FoldBlock): void {
    this.kernel.best(m, ids, this.winners);
  }

  /** Winners found over other rows (pass 1 elsewhere), before pass 2. */
  mergeWinners(w: SplitWinners): void {
    mergeSplitWinners(this.winners, w);
  }

  pass2({ m }: FoldBlock): void {
    // the OOS value of each winner among all rows: A-winners are ranked in B and vice versa
    this.kernel.count(m, this.winners, this.counts);
  }

  /** Counts made over other rows (pass 2 elsewhere, against the same winners). */
  addCounts(c: SplitCounts): void {
    addSplitCounts(this.counts, c);
  }

  result(): PboResult {
    const w = this.winners;
    const c = this.counts;
    const splits: CscvSplit[] = [];
    for (let h = 0; h < this.kernel.nHalves; h++) {
      // midRank: below + (equal + 1) / 2, the winner itself among the equal ones
      if (w.idA[h]! >= 0) {
        const oosRank = c.belowA[h]! + (c.equalA[h]! + 1) / 2;
        splits.push({ winner: w.idA[h]!, is: w.valueA[h]!, oos: w.otherA[h]!, oosRank });
      }
      if (w.idB[h]! >= 0) {
        const oosRank = c.belowB[h]! + (c.equalB[h]! + 1) / 2;
        splits.push({ winner: w.idB[h]!, is: w.valueB[h]!, oos: w.otherB[h]!, oosRank });
      }
    }
    return pboFromSplits(this.plan, this.nRows, splits);
  }
}

/** cscvPbo over a streamed matrix: two passes of `source`. */
export async function cscvPboStreamed(
  source: FoldBlockSource,
  nRows: number,
  nFolds: number,
  opts: PboOptions = {},
): Promise<PboResult> {
  const s = new CscvStream(nRows, nFolds, opts);
  await source((b) => s.pass1(b));
  await source((b) => s.pass2(b));
  return s.result();
}
