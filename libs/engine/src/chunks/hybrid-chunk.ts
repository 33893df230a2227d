// The chunk function of hybrid grids: the slow chunk loop (chunks/run-chunk.ts — combination ids,
// validity, config vector, result rows) with a hybrid kernel per combination. `pairgrid run`'s
// threads (libs/threads chunk-thread.ts) call it, each with the shared HybridGridData and one
// group's context (built once per group and thread, see hybridGroupContext). The cluster runs only
// slow grids: the coordinator refuses a hybrid spec at submit.
import type { BacktestInputs } from "../kernels/backtest-inputs.js";
import { type KernelScratch, makeKernelScratch } from "../kernels/grid-kernel-scratch.js";
import type { Chunk, GridPlan } from "./grid-plan.js";
import { type ChunkResult, type ComboKernel, runChunk } from "./run-chunk.js";
import type { GridSpec } from "../grid-spec/grid-spec-schema.js";
import { runHybridDollarKernel } from "../kernels/hybrid-dollar-kernel.js";
import type { HybridGridData } from "./hybrid-grid-data.js";
import { runHybridZLiveKernel } from "../kernels/hybrid-zlive-kernel.js";
import { zLiveSeries } from "../kernels/zlive-rows.js";

/** What every combination of one group reads, and its kernel. */
export interface HybridGroupContext {
  inputs: BacktestInputs;
  kernel: ComboKernel;
}

/**
 * The group's kernel over the shared fast data. For z-live, `groupArrays` must hold the group's
 * alpha, mu and sigma (zlive-group-precompute.ts); its z_live series is computed here, once.
 */
export function hybridGroupContext(
  data: HybridGridData,
  inputs: BacktestInputs,
  groupArrays: Record<string, ArrayLike<number>>,
): HybridGroupContext {
  if (data.engine === "hybrid_dollar") {
    const hin = { slow: inputs, fast: data.fast, index: data.index };
    return {
      inputs,
      kernel: (cfg, row, rowOffset, folds, foldOffset, nFolds, scratch) =>
        runHybridDollarKernel(hin, cfg, 0, row, rowOffset, folds, foldOffset, nFolds, scratch, null),
    };
  }
  const rows = data.rows;
  const { alpha, mu, sigma } = groupArrays;
  if (
    rows === null ||
    !(alpha instanceof Float64Array && mu instanceof Float64Array && sigma instanceof Float64Array)
  ) {
    throw new Error("z-live chunk: the group needs alpha, mu and sigma and the data its z-live rows");
  }
  const zLive = zLiveSeries(rows, inputs.beta, alpha, mu, sigma);
  const hin = { slow: inputs, fast: data.fast, rows, zLive };
  return {
    inputs,
    kernel: (cfg, row, rowOffset, folds, foldOffset, nFolds, scratch) =>
      runHybridZLiveKernel(hin, cfg, 0, row, rowOffset, folds, foldOffset, nFolds, scratch, null),
  };
}

export function runHybridChunk(
  spec: GridSpec,
  plan: GridPlan,
  group: HybridGroupContext,
  chunk: Chunk,
  scratch: KernelScratch = makeKernelScratch(group.inputs.nDays),
): ChunkResult {
  return runChunk(spec, plan, group.inputs, chunk, scratch, group.kernel);
}
