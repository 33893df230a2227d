// What runChunk needs of one indicator group besides the chunk, by engine: the group's slow inputs
// and how its combinations run — for the slow engine the group's event index (null: every
// combination on the bar scan), for a hybrid engine the hybrid kernel's inputs over the shared fast
// data, for hybrid_curve the fast closes the trades' curves are cut from. Built once per group (and
// thread) by the caller: `pairgrid run`'s threads (libs/threads chunk-thread.ts) — on a cluster
// worker as in `pairgrid run` — and the tests.
import type { BacktestInputs } from "../kernels/backtest-inputs.js";
import type { GroupEvents } from "../kernels/event-index.js";
import type { HybridKernelInputs } from "../kernels/hybrid-kernel.js";
import { zLiveSeries } from "../kernels/zlive-rows.js";
import type { FastCloses } from "../loaders/fast-closes.js";
import type { HybridEngineName, HybridGridData } from "./hybrid-grid-data.js";

export interface SlowGroupContext {
  engine: "slow";
  inputs: BacktestInputs;
  /** Its dollar-free combinations run event-driven when given (kernel-choice.ts). */
  events: GroupEvents | null;
}

export interface HybridGroupContext {
  engine: HybridEngineName;
  inputs: BacktestInputs;
  kernelInputs: HybridKernelInputs;
}

/** A hybrid_curve group: its slow inputs, the fast closes and each fast row's trading day. */
export interface CurveGroupContext {
  engine: "hybrid_curve";
  inputs: BacktestInputs;
  fast: FastCloses;
  fastDay: Int32Array;
}

export type GroupContext = SlowGroupContext | HybridGroupContext | CurveGroupContext;

export function slowGroupContext(
  inputs: BacktestInputs,
  events: GroupEvents | null = null,
): SlowGroupContext {
  return { engine: "slow", inputs, events };
}

/**
 * The group's hybrid kernel inputs over the shared fast data. For z-live, `groupArrays` must hold
 * the group's alpha, mu and sigma (zlive-group-precompute.ts); its z_live series is computed here,
 * once.
 */
export function hybridGroupContext(
  data: HybridGridData,
  inputs: BacktestInputs,
  groupArrays: Record<string, ArrayLike<number>>,
): HybridGroupContext | CurveGroupContext {
  const { engine, fast } = data;
  if (engine === "hybrid_curve") {
    if (data.curveDays === null) throw new Error("hybrid_curve chunk: the fast data has no trading days");
    return { engine, inputs, fast, fastDay: data.curveDays };
  }
  if (engine === "hybrid_dollar") {
    return {
      engine,
      inputs,
      kernelInputs: { slow: inputs, fast, source: { kind: "slow_bars", index: data.index } },
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
  return {
    engine,
    inputs,
    kernelInputs: { slow: inputs, fast, source: { kind: "zlive_rows", rows, zLive } },
  };
}
