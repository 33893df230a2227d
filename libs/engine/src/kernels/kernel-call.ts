// The one argument of a kernel, written once instead of the ten positional arguments each kernel
// repeated. KernelCall, for a kernel that runs one combination (runGridKernel, runEventKernel,
// runSlowKernel, runHybridKernel): its inputs and working memory, which
// combination of a config buffer it runs, where its row, folds and trade records go. A grid makes
// one per group and moves it from combination to combination with `at`, so nothing is allocated
// per combination for it. BatchCall, for the event kernels that run many at once.
import type { BacktestInputs } from "./backtest-inputs.js";
import type { GroupEvents } from "./event-index.js";
import type { HybridKernelInputs } from "./hybrid-decision-rows.js";
import { CFG_LENGTH } from "../rules/config-vector.js";
import { FOLD_WIDTH, N_STATS } from "../statistics/stat-row.js";
import type { KernelScratch } from "./grid-kernel-scratch.js";
import { KernelTally } from "../rules/kernel-tally.js";

/**
 * What a kernel call can carry: a slow kernel's BacktestInputs, or the hybrid kernel's inputs, whose
 * slow bars are what its days, trades and folds are counted on.
 */
export type KernelInputs = BacktestInputs | HybridKernelInputs;

export class KernelCall<I extends KernelInputs = BacktestInputs> {
  /** The slow bars of `inp` (itself for a slow kernel): the tally's days and the folds' bars. */
  readonly bars: BacktestInputs;
  /** Where the combination's config vector starts in `cfg` (config-vector.ts). */
  cfgOffset = 0;
  /** Where its §7 row (N_STATS values, NaN = null) goes in `row`. */
  rowOffset = 0;
  /** Where its nFolds · FOLD_WIDTH fold numbers go in `folds`. */
  foldOffset = 0;

  constructor(
    readonly inp: I,
    readonly cfg: Float64Array,
    readonly row: Float64Array,
    readonly folds: Float64Array,
    readonly nFolds: number,
    readonly scratch: KernelScratch,
    /**
     * Trade records (grid-kernel-trade-record.ts): the first ⌊length / record width⌋ trades are
     * written here; null = statistics only (what grids run).
     */
    readonly trades: Float64Array | null = null,
  ) {
    this.bars = "slow" in inp ? inp.slow : inp;
  }

  /** Points the call at another combination: its config, row and fold offsets. Returns the call. */
  at(cfgOffset: number, rowOffset: number, foldOffset: number): this {
    this.cfgOffset = cfgOffset;
    this.rowOffset = rowOffset;
    this.foldOffset = foldOffset;
    return this;
  }

  /** The tally of this combination's trades, writing its row and `recordWidth`-wide trade records. */
  tally(recordWidth: number): KernelTally {
    return new KernelTally(this.scratch, this.bars.nDays, this.row, this.rowOffset, this.trades, recordWidth);
  }

  /** Writes the row and folds of `tally` (KernelTally.finish); returns the trade count. */
  finish(tally: KernelTally): number {
    return tally.finish(this.bars.n, this.folds, this.foldOffset, this.nFolds);
  }
}

/**
 * The one argument of the event kernels that run many combinations at once (runEventBatch,
 * runEventFamilies): combination k's config vector starts at `cfgOffsets[k]` of `cfg`, its row goes
 * to `rowOffsets[k]` of `rows` and its folds to `foldOffsets[k]` of `folds`.
 */
export class BatchCall {
  /** Combinations in the batch. */
  readonly count: number;

  constructor(
    readonly inp: BacktestInputs,
    readonly events: GroupEvents,
    readonly cfg: Float64Array,
    readonly cfgOffsets: ArrayLike<number>,
    readonly rows: Float64Array,
    readonly rowOffsets: ArrayLike<number>,
    readonly folds: Float64Array,
    readonly foldOffsets: ArrayLike<number>,
    readonly nFolds: number,
  ) {
    this.count = cfgOffsets.length;
    if (rowOffsets.length !== this.count || foldOffsets.length !== this.count) {
      throw new Error(
        `batch call: ${this.count} config offsets, ${rowOffsets.length} row and ${foldOffsets.length} fold offsets`,
      );
    }
  }

  /**
   * The batch of `rowIndices` in buffers laid out row by row: row r's config at r·CFG_LENGTH, its
   * statistics at r·N_STATS, its folds at r·nFolds·FOLD_WIDTH (what a chunk holds).
   */
  static ofRows(
    inp: BacktestInputs,
    events: GroupEvents,
    cfg: Float64Array,
    rows: Float64Array,
    folds: Float64Array,
    nFolds: number,
    rowIndices: readonly number[],
  ): BatchCall {
    const at = (width: number) => Int32Array.from(rowIndices, (r) => r * width);
    return new BatchCall(
      inp,
      events,
      cfg,
      at(CFG_LENGTH),
      rows,
      at(N_STATS),
      folds,
      at(nFolds * FOLD_WIDTH),
      nFolds,
    );
  }

  /** The same buffers, combinations `ks` of this batch only (in that order). */
  subset(ks: readonly number[]): BatchCall {
    const pick = (offsets: ArrayLike<number>) => Int32Array.from(ks, (k) => offsets[k]!);
    return new BatchCall(
      this.inp,
      this.events,
      this.cfg,
      pick(this.cfgOffsets),
      this.rows,
      pick(this.rowOffsets),
      this.folds,
      pick(this.foldOffsets),
      this.nFolds,
    );
  }
}
