// The slow engine's kernel for one combination of a grid: the event-driven kernel when the group
// has an event index and the combination has no dollar exit, the bar-scan kernel otherwise. Both
// give the same trades and row bit for bit (tests: event-kernel-*.test.ts), so the choice only
// changes the time a grid takes.
import type { BacktestInputs } from "./backtest-inputs.js";
import type { GroupEvents } from "./event-index.js";
import { eventKernelApplies, runEventKernel } from "./event-kernel.js";
import type { KernelScratch } from "./grid-kernel-scratch.js";
import { runGridKernel } from "./grid-kernel.js";

/** Arguments and result as runGridKernel's; `events` null = bar scan for every combination. */
export function runSlowKernel(
  inp: BacktestInputs,
  events: GroupEvents | null,
  cfg: Float64Array,
  cfgOffset: number,
  row: Float64Array,
  rowOffset: number,
  folds: Float64Array,
  foldOffset: number,
  nFolds: number,
  scratch: KernelScratch,
  trades: Float64Array | null,
): number {
  return events !== null && eventKernelApplies(cfg, cfgOffset)
    ? runEventKernel(inp, events, cfg, cfgOffset, row, rowOffset, folds, foldOffset, nFolds, scratch, trades)
    : runGridKernel(inp, cfg, cfgOffset, row, rowOffset, folds, foldOffset, nFolds, scratch, trades);
}
