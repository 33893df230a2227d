// The chunk function of every engine: one group's context (group-context.ts), a range of threshold
// indices, its engine's kernel per valid combination — the slow engine's event-driven or bar-scan
// kernels, the hybrid kernel, or hybrid_curve's curve cells (run-curve-chunk.ts: one slow run per
// slow setting of the chunk, shared by its (tp, sl) combinations). `pairgrid run`'s threads and the cluster's queue workers call this.
import type { BacktestInputs } from "../kernels/backtest-inputs.js";
import { CFG_LENGTH, fillConfig } from "../rules/config-vector.js";
import { BatchScratch } from "../kernels/event-batch-kernel.js";
import { FamilyScratch } from "../kernels/event-family-kernel.js";
import { eventKernelApplies } from "../kernels/event-kernel.js";
import { type KernelScratch, makeKernelScratch, runGridKernel } from "../kernels/grid-kernel.js";
import { type HybridKernelInputs, runHybridKernel } from "../kernels/hybrid-kernel.js";
import type { FastScanCount } from "../kernels/hybrid-decision-rows.js";
import { KernelCall } from "../kernels/kernel-call.js";
import { FOLD_WIDTH, N_STATS } from "../statistics/stat-row.js";
import type { GridSpec } from "../grid-spec/grid-spec-schema.js";
import type { Combination } from "../grid-spec/param-defs.js";
import { PARAM_NAMES } from "../grid-spec/param-defs.js";
import {
  type Chunk,
  combinationAt,
  type GridPlan,
  groupBase,
  isValidCombination,
  paramVector,
} from "./grid-plan.js";
import type { GroupContext, HybridGroupContext, SlowGroupContext } from "./group-context.js";
import { runCurveChunk } from "./run-curve-chunk.js";
import { runEventDistinct } from "./run-event-distinct.js";
import { type PackedArrays, unpackArrays } from "./shared-arrays.js";

/** Bar arrays common to every group: closes and calendar (ENGINE.md §1–2). */
export const BASE_ARRAYS = ["ts", "closeA", "closeB", "eod", "windowOk", "tradingDay", "dayIndex"] as const;

export interface ChunkResult {
  chunkId: number;
  /** Number of rows (valid combinations) in this chunk. */
  k: number;
  /** Combinations of the chunk skipped as invalid. */
  skipped: number;
  comboIds: Float64Array;
  params: Float64Array;
  stats: Float64Array;
  folds: Float64Array;
  nFolds: number;
  /** Thread time the kernels took (ms), for a run's time split; not part of the stored result. */
  kernelMs?: number;
  /** Rows copied from an identical combination instead of run (identical-configs.ts); not stored. */
  copies?: number;
  /**
   * Hybrid chunks: fast rows the kernels read, summed over the chunk's combinations — the dollar
   * mode's rows scanned inside held bars (what pruning leaves), z-live's processed rows. Metrics
   * only; not stored.
   */
  fastRows?: number;
}

/** BacktestInputs over packed base and group buffers (views, no copy). */
export function inputsFromPacked(
  base: PackedArrays,
  group: PackedArrays,
  barMs: number,
  nDays: number,
): BacktestInputs {
  const b = unpackArrays(base);
  const g = unpackArrays(group) as Record<string, Float64Array>;
  return {
    n: base.n,
    ts: b.ts as Float64Array,
    barMs,
    closeA: b.closeA as Float64Array,
    closeB: b.closeB as Float64Array,
    beta: g.beta!,
    z: g.z!,
    corr: g.corr ?? null,
    hurst: g.hurst ?? null,
    halfLife: g.halfLife ?? null,
    adfStat: g.adfStat ?? null,
    adfPvalue: g.adfPvalue ?? null,
    eod: b.eod as Uint8Array,
    windowOk: b.windowOk as Uint8Array,
    tradingDay: b.tradingDay as Int32Array,
    dayIndex: b.dayIndex as Int32Array,
    nDays,
  };
}

/** The dollar mode's fast-row counter of this thread (reset per chunk). */
const fastScan: FastScanCount = { rowsInPosition: 0, rowsScanned: 0 };

/** The event kernels' scratch of this thread (one per thread: chunks run one at a time in it). */
let batchScratch: BatchScratch | null = null;
let familyScratch: FamilyScratch | null = null;
function batchScratchFor(nDays: number): BatchScratch {
  if (batchScratch === null || batchScratch.nDays < nDays) batchScratch = new BatchScratch(nDays);
  return batchScratch;
}
function familyScratchFor(nDays: number): FamilyScratch {
  if (familyScratch === null || familyScratch.nDays < nDays) familyScratch = new FamilyScratch(nDays);
  return familyScratch;
}

export function runChunk(
  spec: GridSpec,
  plan: GridPlan,
  group: GroupContext,
  chunk: Chunk,
  scratch: KernelScratch = makeKernelScratch(group.inputs.nDays),
): ChunkResult {
  // another engine's context would store its results under this spec (a hybrid grid filled with
  // slow results, or the reverse)
  if (group.engine !== spec.engine) {
    throw new Error(
      `runChunk: engine ${spec.engine} needs its kernel: a ${spec.engine} group context (chunks/group-context.ts), not ${group.engine}`,
    );
  }
  const t0 = performance.now();
  const nFolds = spec.rank.folds;
  const size = chunk.t1 - chunk.t0;
  const base = groupBase(plan, chunk.group);
  // the chunk's valid combinations, in id order: row k is the k-th of them. Counted first, so the
  // result's arrays have their final size (they are transferred as they are, no trimming copy).
  const valid: Combination[] = [];
  const ids: number[] = [];
  for (let t = chunk.t0; t < chunk.t1; t++) {
    const id = base + plan.thresholdOffset[t]!;
    const c = combinationAt(plan, id);
    if (!isValidCombination(plan, c)) continue;
    valid.push(c);
    ids.push(id);
  }
  const k = valid.length;
  const comboIds = Float64Array.from(ids);
  const params = new Float64Array(k * PARAM_NAMES.length);
  const stats = new Float64Array(k * N_STATS);
  const folds = new Float64Array(k * nFolds * FOLD_WIDTH);
  const cfgs = new Float64Array(k * CFG_LENGTH);
  valid.forEach((c, r) => {
    fillConfig(cfgs, spec, c, r * CFG_LENGTH);
    paramVector(c, params, r * PARAM_NAMES.length);
  });
  // the curve grid serves a slow setting's whole TP×SL block from one run; every other engine runs
  // its kernels combination by combination (or in event-driven batches)
  const { copies, fastRows } =
    group.engine === "hybrid_curve"
      ? { copies: 0, fastRows: runCurveChunk(group, cfgs, k, stats, folds, nFolds, scratch) }
      : runComboKernels(group, cfgs, k, stats, folds, nFolds, scratch);
  return {
    chunkId: chunk.chunkId,
    k,
    skipped: size - k,
    comboIds,
    params,
    stats,
    folds,
    nFolds,
    kernelMs: performance.now() - t0,
    copies,
    fastRows,
  };
}

/**
 * Runs a chunk's k combinations (configs in `cfgs`) on their kernels, writing rows and folds:
 * the event copies made and the fast rows scanned.
 */
function runComboKernels(
  group: SlowGroupContext | HybridGroupContext,
  cfgs: Float64Array,
  k: number,
  stats: Float64Array,
  folds: Float64Array,
  nFolds: number,
  scratch: KernelScratch,
): { copies: number; fastRows: number } {
  const inputs = group.inputs;
  const foldWidth = nFolds * FOLD_WIDTH;
  let copies = 0;
  // dollar-free combinations of a slow group with an event index run event-driven (collected in
  // `batch`); the slow engine's others (all of them without an index) on the bar scan; a hybrid
  // group's on the hybrid kernel
  const batch: number[] = [];
  const call = new KernelCall(inputs, cfgs, stats, folds, nFolds, scratch);
  let hybridCall: KernelCall<HybridKernelInputs> | null = null;
  let fastRows = 0;
  fastScan.rowsScanned = 0;
  for (let r = 0; r < k; r++) {
    const o = r * CFG_LENGTH;
    const so = r * N_STATS;
    const fo = r * foldWidth;
    if (group.engine !== "slow") {
      hybridCall ??= new KernelCall(group.kernelInputs, cfgs, stats, folds, nFolds, scratch);
      const source = group.kernelInputs.source;
      if (source.kind === "zlive_rows") {
        runHybridKernel(hybridCall.at(o, so, fo));
        fastRows += source.rows.n;
      } else runHybridKernel(hybridCall.at(o, so, fo), fastScan);
    } else if (group.events !== null && eventKernelApplies(cfgs, o)) {
      batch.push(r);
    } else {
      runGridKernel(call.at(o, so, fo));
    }
  }
  if (group.engine === "slow" && group.events !== null && batch.length > 0) {
    copies = runEventDistinct(
      inputs,
      group.events,
      cfgs,
      batch,
      stats,
      folds,
      nFolds,
      batchScratchFor(inputs.nDays),
      familyScratchFor(inputs.nDays),
    );
  }
  return { copies, fastRows: fastRows + fastScan.rowsScanned };
}
