// PBO by CSCV (pbo.ts) over a fold matrix streamed in blocks, in memory independent of the rows.
//
// The reduction, and why it is exact. A split's contribution to PBO is its logit, which needs two
// things: the IS winner w (the row with the best in-sample statistic, lowest id on ties) and w's
// out-of-sample mid-rank among all N rows. A row that is not the winner of any split changes a
// logit only through the second: it counts as below, equal to or above w out of sample. So:
//   pass 1 — one streaming argmax per split (RunningBest, id tie-break): w, its IS and OOS value;
//   pass 2 — per split, count the rows whose OOS value is below / equal to w's (RankCounter).
// Both passes compute each row's split statistics with splitStatistics, the function cscvPbo
// uses, over the row's own folds only (a row's figures do not depend on its block), so every
// winner, IS/OOS value and rank — hence every logit — is the number cscvPbo gives over the full
// matrix. Memory: a block's statistics plus four numbers per split. Time: twice cscvPbo's
// statistic work (the second pass recomputes what cscvPbo keeps in two N-long arrays).
import { type FoldBlock, type FoldBlockSource, RankCounter, RunningBest } from "./fold-blocks.js";
import { rowTotals, splitStatistics } from "./fold-statistic.js";
import {
  type CscvPlan,
  type CscvSplit,
  cscvPlan,
  type PboOptions,
  type PboResult,
  pboFromSplits,
} from "./pbo.js";

/** Row of the block's best value (RunningBest's rule: NaN never, ties to the lower id); −1 if none. */
function blockBest(values: Float64Array, ids: Float64Array, n: number): number {
  let best = -1;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < n; r++) {
    const v = values[r]!;
    if (v > bestValue || (best < 0 && v === bestValue)) {
      best = r;
      bestValue = v;
    } else if (v === bestValue && ids[r]! < ids[best]!) {
      best = r;
    }
  }
  return best;
}

/**
 * The two passes as block visitors, for a caller that shares a pass with other work (the
 * robustness report runs walk-forward in pass 1): pass1 over every block, then pass2 over every
 * block, then result(). `winners` of the result are combo ids (the blocks' ids), not row indices.
 */
export class CscvStream {
  readonly plan: CscvPlan;
  /** Per half: the winner with IS = A (OOS = B), and the one with IS = B (OOS = A). */
  private readonly bestA: RunningBest[];
  private readonly bestB: RunningBest[];
  private rankA: RankCounter[] = [];
  private rankB: RankCounter[] = [];
  private statA = new Float64Array(0);
  private statB = new Float64Array(0);

  constructor(
    readonly nRows: number,
    nFolds: number,
    opts: PboOptions = {},
  ) {
    this.plan = cscvPlan(nRows, nFolds, opts);
    this.bestA = this.plan.foldMasks.map(() => new RunningBest());
    this.bestB = this.plan.foldMasks.map(() => new RunningBest());
  }

  /** Both halves' statistics of every row of the block for half h, into statA / statB. */
  private statistics(m: FoldBlock["m"], h: number, totals: ReturnType<typeof rowTotals>): void {
    splitStatistics(m, this.plan.foldMasks[h]!, this.plan.by, this.statA, this.statB, totals);
  }

  private grow(n: number): void {
    if (this.statA.length < n) {
      this.statA = new Float64Array(n);
      this.statB = new Float64Array(n);
    }
  }

  pass1({ m, ids }: FoldBlock): void {
    this.grow(m.nRows);
    const totals = rowTotals(m);
    const { statA, statB } = this;
    for (let h = 0; h < this.bestA.length; h++) {
      this.statistics(m, h, totals);
      // the block's own best first (a tight loop), then one offer per block and half
      const ra = blockBest(statA, ids, m.nRows);
      if (ra >= 0) this.bestA[h]!.offer(statA[ra]!, ids[ra]!, statB[ra]!);
      const rb = blockBest(statB, ids, m.nRows);
      if (rb >= 0) this.bestB[h]!.offer(statB[rb]!, ids[rb]!, statA[rb]!);
    }
  }

  pass2({ m }: FoldBlock): void {
    // the OOS value of each winner among all rows: A-winners are ranked in B and vice versa
    if (this.rankA.length === 0) {
      this.rankA = this.bestA.map((w) => new RankCounter(w.other));
      this.rankB = this.bestB.map((w) => new RankCounter(w.other));
    }
    this.grow(m.nRows);
    const totals = rowTotals(m);
    for (let h = 0; h < this.bestA.length; h++) {
      if (this.bestA[h]!.id < 0 && this.bestB[h]!.id < 0) continue;
      this.statistics(m, h, totals);
      this.rankA[h]!.count(this.statB, m.nRows);
      this.rankB[h]!.count(this.statA, m.nRows);
    }
  }

  result(): PboResult {
    const splits: CscvSplit[] = [];
    this.bestA.forEach((a, h) => {
      for (const [w, rank] of [
        [a, this.rankA[h]],
        [this.bestB[h]!, this.rankB[h]],
      ] as const) {
        if (w.id < 0) continue;
        splits.push({ winner: w.id, is: w.value, oos: w.other, oosRank: rank!.rank });
      }
    });
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
