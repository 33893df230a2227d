// One chunk of grid results as the kernels produce them: flat row-major typed arrays.
import { FOLD_WIDTH, N_STATS, PARAM_NAMES } from "@pairgrid/engine";

export interface ChunkBatch {
  /** k combination ids (integers < 2^53, the grid's expansion order). */
  comboIds: Float64Array;
  /** k × PARAM_NAMES.length, row-major, NaN = NULL. */
  params: Float64Array;
  /** k × N_STATS (STAT_NAMES order), row-major, NaN = NULL. */
  stats: Float64Array;
  /** k × nFolds × FOLD_WIDTH (FOLD_N_TRADES, FOLD_PNL, FOLD_PNL_SQ, FOLD_N_DAYS). */
  folds: Float64Array;
  nFolds: number;
}

/** Number of rows in the batch, after checking every array has the shape that count implies. */
export function batchRowCount(batch: ChunkBatch): number {
  const k = batch.comboIds.length;
  const expect = (what: string, got: number, want: number) => {
    if (got !== want) throw new RangeError(`chunk batch: ${what} has ${got} values, expected ${want}`);
  };
  if (!Number.isInteger(batch.nFolds) || batch.nFolds < 0) {
    throw new RangeError(`chunk batch: nFolds must be a non-negative integer, got ${batch.nFolds}`);
  }
  expect("params", batch.params.length, k * PARAM_NAMES.length);
  expect("stats", batch.stats.length, k * N_STATS);
  expect("folds", batch.folds.length, k * batch.nFolds * FOLD_WIDTH);
  for (let r = 0; r < k; r++) {
    const id = batch.comboIds[r]!;
    if (!Number.isSafeInteger(id) || id < 0) {
      throw new RangeError(`chunk batch: combo id ${id} at row ${r} is not a non-negative integer`);
    }
  }
  return k;
}
