// The one argument of a single-combination kernel (runGridKernel, runEventKernel, runSlowKernel,
// and the hybrid kernels when they adopt it): where its inputs and working memory are, which
// combination of a config buffer it runs, and where its row, folds and trade records go. Written
// once instead of the ten positional arguments each kernel repeated. A grid makes one per group
// and moves it from combination to combination with `at`, so the kernels' callers allocate nothing
// per combination for it.
import type { BacktestInputs } from "./backtest-inputs.js";
import type { KernelScratch } from "./grid-kernel-scratch.js";
import { KernelTally } from "../rules/kernel-tally.js";

export class KernelCall<I extends BacktestInputs = BacktestInputs> {
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
  ) {}

  /** Points the call at another combination: its config, row and fold offsets. Returns the call. */
  at(cfgOffset: number, rowOffset: number, foldOffset: number): this {
    this.cfgOffset = cfgOffset;
    this.rowOffset = rowOffset;
    this.foldOffset = foldOffset;
    return this;
  }

  /** The tally of this combination's trades, writing its row and `recordWidth`-wide trade records. */
  tally(recordWidth: number): KernelTally {
    return new KernelTally(this.scratch, this.inp.nDays, this.row, this.rowOffset, this.trades, recordWidth);
  }

  /** Writes the row and folds of `tally` (KernelTally.finish); returns the trade count. */
  finish(tally: KernelTally): number {
    return tally.finish(this.inp.n, this.folds, this.foldOffset, this.nFolds);
  }
}
