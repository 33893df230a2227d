// A hybrid_curve chunk (the precomputed-curve TP×SL grid of ENGINE.md §8 as a grid engine): its
// combinations are grouped by their SLOW SETTING — the config vector without dollar_tp/dollar_sl —
// and each slow setting gets one slow run and one set of trade curves (kernels/curve-grid.ts), from
// which every (tp, sl) of the chunk with that setting is tallied. The rows are those of
// `pairgrid hybrid --curve-grid` for the same combination: the same prepareCurveRun and
// tallyCurveCell, with the job's folds. Chunks keep a slow setting's (tp, sl) together when the
// dollar axes are the last threshold axes (chunking.ts `curveBlock`).
import { CFG_DOLLAR_SL, CFG_DOLLAR_TP, CFG_LENGTH } from "../rules/config-vector.js";
import { type CurveRun, prepareCurveRun, tallyCurveCell } from "../kernels/curve-grid.js";
import type { KernelScratch } from "../kernels/grid-kernel-scratch.js";
import { FOLD_WIDTH, N_STATS } from "../statistics/stat-row.js";
import type { CurveGroupContext } from "./group-context.js";

/** The slow setting of config r: its config vector with both dollar levels blanked, as a key. */
function slowKey(cfgs: Float64Array, r: number): string {
  const parts: number[] = [];
  const o = r * CFG_LENGTH;
  for (let i = 0; i < CFG_LENGTH; i++)
    parts.push(i === CFG_DOLLAR_TP || i === CFG_DOLLAR_SL ? 0 : cfgs[o + i]);
  return parts.join(",");
}

/** A dollar level of the config vector: NaN is that exit off. */
function level(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/**
 * Rows of the chunk's k combinations (config vectors in `cfgs`) into `stats` and `folds`, row r at
 * r · N_STATS and r · nFolds · FOLD_WIDTH. Returns the fast points the curves hold (the metric).
 */
export function runCurveChunk(
  group: CurveGroupContext,
  cfgs: Float64Array,
  k: number,
  stats: Float64Array,
  folds: Float64Array,
  nFolds: number,
  scratch: KernelScratch,
): number {
  const runs = new Map<string, CurveRun>();
  const fastDay = group.fastDay;
  let fastPoints = 0;
  for (let r = 0; r < k; r++) {
    const key = slowKey(cfgs, r);
    let run = runs.get(key);
    if (run === undefined) {
      const cfg = cfgs.subarray(r * CFG_LENGTH, (r + 1) * CFG_LENGTH);
      run = prepareCurveRun(group.inputs, group.fast, (j) => fastDay[j], cfg, false);
      runs.set(key, run);
      fastPoints += run.curves.runMax.length;
    }
    const o = r * CFG_LENGTH;
    tallyCurveCell(
      run,
      level(cfgs[o + CFG_DOLLAR_TP]),
      level(cfgs[o + CFG_DOLLAR_SL]),
      scratch,
      stats,
      r * N_STATS,
      folds,
      r * nFolds * FOLD_WIDTH,
      nFolds,
    );
  }
  return fastPoints;
}
