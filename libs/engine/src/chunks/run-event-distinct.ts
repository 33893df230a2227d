// A chunk's dollar-free combinations on the event kernels, each distinct configuration once: gates
// that refuse nothing are dropped (inert-gates.ts), combinations left with bit-identical
// configuration vectors run once (identical-configs.ts), families of combinations that differ only
// in z_stop and max_hold share their base run and the rest run as one batch (event-family-kernel.ts),
// and each twin gets a copy of its first's row and folds.
import type { BacktestInputs } from "../kernels/backtest-inputs.js";
import { CFG_LENGTH } from "../rules/config-vector.js";
import type { BatchScratch } from "../kernels/event-batch-kernel.js";
import { type FamilyScratch, runEventFamilies } from "../kernels/event-family-kernel.js";
import type { GroupEvents } from "../kernels/event-index.js";
import { dropInertGates } from "../kernels/inert-gates.js";
import { FOLD_WIDTH, N_STATS } from "../statistics/stat-row.js";
import { firstIdentical } from "../kernels/identical-configs.js";
import { BatchCall } from "../kernels/kernel-call.js";

/**
 * Runs rows `batch` (row r: config at r·CFG_LENGTH, stats at r·N_STATS, folds at r·nFolds·FOLD_WIDTH)
 * and returns how many of them were copied from an identical one. The gate fields of `cfgs` are
 * rewritten where the gates are inert.
 */
export function runEventDistinct(
  inputs: BacktestInputs,
  events: GroupEvents,
  cfgs: Float64Array,
  batch: readonly number[],
  stats: Float64Array,
  folds: Float64Array,
  nFolds: number,
  batchScratch: BatchScratch,
  familyScratch: FamilyScratch,
): number {
  const foldWidth = nFolds * FOLD_WIDTH;
  const offsets = batch.map((r) => r * CFG_LENGTH);
  dropInertGates(inputs, events, cfgs, offsets);
  const first = firstIdentical(cfgs, offsets);
  const distinct = batch.filter((_, j) => first[j] === j);
  runEventFamilies(
    BatchCall.ofRows(inputs, events, cfgs, stats, folds, nFolds, distinct),
    batchScratch,
    familyScratch,
  );
  batch.forEach((r, j) => {
    const f = batch[first[j]!]!;
    if (f === r) return;
    stats.copyWithin(r * N_STATS, f * N_STATS, (f + 1) * N_STATS);
    folds.copyWithin(r * foldWidth, f * foldWidth, (f + 1) * foldWidth);
  });
  return batch.length - distinct.length;
}
