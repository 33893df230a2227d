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
import { type FoldBlockSource, RankCounter, RunningBest } from "./fold-blocks.js";
import { rowTotals, splitStatistics } from "./fold-statistic.js";
import { type CscvSplit, cscvPlan, type PboOptions, type PboResult, pboFromSplits } from "./pbo.js";

/** `winners` of the result are combo ids (the blocks' ids), not row indices. */
export async function cscvPboStreamed(
  source: FoldBlockSource,
  nRows: number,
  nFolds: number,
  opts: PboOptions = {},
): Promise<PboResult> {
  const plan = cscvPlan(nRows, nFolds, opts);
  const H = plan.foldMasks.length;
  // per half: the winner with IS = A (OOS = B), and the one with IS = B (OOS = A)
  const bestA = Array.from({ length: H }, () => new RunningBest());
  const bestB = Array.from({ length: H }, () => new RunningBest());
  let statA = new Float64Array(0);
  let statB = new Float64Array(0);
  const grow = (n: number) => {
    if (statA.length < n) {
      statA = new Float64Array(n);
      statB = new Float64Array(n);
    }
  };

  await source(({ m, ids }) => {
    grow(m.nRows);
    const totals = rowTotals(m);
    for (let h = 0; h < H; h++) {
      splitStatistics(m, plan.foldMasks[h]!, plan.by, statA, statB, totals);
      const a = bestA[h]!;
      const b = bestB[h]!;
      for (let r = 0; r < m.nRows; r++) {
        a.offer(statA[r]!, ids[r]!, statB[r]!);
        b.offer(statB[r]!, ids[r]!, statA[r]!);
      }
    }
  });

  // OOS value of each winner among all rows: A-winners are ranked in B and vice versa
  const rankA = bestA.map((w) => new RankCounter(w.other));
  const rankB = bestB.map((w) => new RankCounter(w.other));
  await source(({ m }) => {
    grow(m.nRows);
    const totals = rowTotals(m);
    for (let h = 0; h < H; h++) {
      if (bestA[h]!.id < 0 && bestB[h]!.id < 0) continue;
      splitStatistics(m, plan.foldMasks[h]!, plan.by, statA, statB, totals);
      rankA[h]!.count(statB, m.nRows);
      rankB[h]!.count(statA, m.nRows);
    }
  });

  const splits: CscvSplit[] = [];
  for (let h = 0; h < H; h++) {
    for (const [w, rank] of [
      [bestA[h]!, rankA[h]!],
      [bestB[h]!, rankB[h]!],
    ] as const) {
      if (w.id < 0) continue;
      splits.push({ winner: w.id, is: w.value, oos: w.other, oosRank: rank.rank });
    }
  }
  return pboFromSplits(plan, nRows, splits);
}
