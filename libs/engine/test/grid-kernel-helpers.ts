// Shared by the grid kernel tests: BacktestInputs from small plain arrays, a config vector with
// named overrides, and one kernel run decoded into trade objects and a named statistics row.
import type { BacktestInputs } from "../src/kernels/backtest-inputs.js";
import * as C from "../src/rules/config-vector.js";
import { EXIT_REASON_NAMES } from "../src/rules/enums.js";
import { GroupEvents } from "../src/kernels/event-index.js";
import { makeKernelScratch, runGridKernel } from "../src/kernels/grid-kernel.js";
import { runSlowKernel } from "../src/kernels/slow-kernel.js";
import { KernelCall } from "../src/kernels/kernel-call.js";
import * as TR from "../src/kernels/grid-kernel-trade-record.js";
import {
  FOLD_N_DAYS,
  FOLD_N_TRADES,
  FOLD_PNL,
  FOLD_PNL_SQ,
  FOLD_WIDTH,
  N_STATS,
  statRowToObject,
} from "../src/statistics/stat-row.js";
import type { FoldStats } from "../src/reference/trade.js";
import { type CfgSpec, type InputsSpec, makeCfg, makeInputs } from "./backtest-fixtures.js";

export type InputArrays = InputsSpec;
export type ConfigValues = CfgSpec;
export { makeInputs };

/** Config vector for the kernel tests: as makeCfg, but z_exit 0.5 and NQ's tick by default. */
export function makeConfig(v: ConfigValues, out = new Float64Array(C.CFG_LENGTH), offset = 0): Float64Array {
  return makeCfg({ z_exit: 0.5, tick_a: 0.25, ...v }, out, offset);
}

/** Every gate off, min_gates at its default (−1: every gate on must pass), for tests to spread over a config. */
export const NO_GATES = {
  min_corr: undefined,
  max_hurst: undefined,
  hl_min: undefined,
  hl_max: undefined,
  adf_max_stat: undefined,
  adf_max_pvalue: undefined,
  min_gates: -1,
};

export interface KernelTrade {
  entry_i: number;
  exit_i: number;
  side: number;
  n_a: number;
  n_b: number;
  reason: string;
  beta_entry: number;
  pnl_gross: number;
  costs: number;
  pnl_net: number;
}

export interface KernelRun {
  nTrades: number;
  trades: KernelTrade[];
  /** §7 row by name, null where NaN. */
  stats: Record<string, number | null>;
  folds: FoldStats[];
}

/**
 * Which kernel a test runs: `scan` the bar-scan kernel; `events` what a grid with an event index
 * runs (runSlowKernel: event-driven, the bar scan for combinations with a dollar exit).
 */
export type KernelKind = "scan" | "events";

/** One kernel run with a trade buffer big enough for every trade. */
export function runKernel(
  inp: BacktestInputs,
  cfg: Float64Array,
  nFolds = 16,
  kernel: KernelKind = "scan",
  events: GroupEvents | null = null,
): KernelRun {
  const row = new Float64Array(N_STATS);
  const foldBuf = new Float64Array(nFolds * FOLD_WIDTH);
  const buf = new Float64Array((inp.n + 1) * TR.TRADE_RECORD_WIDTH);
  const scratch = makeKernelScratch(inp.nDays);
  const call = new KernelCall(inp, cfg, row, foldBuf, nFolds, scratch, buf);
  const nTrades =
    kernel === "scan" ? runGridKernel(call) : runSlowKernel(call, events ?? new GroupEvents(inp));
  const trades: KernelTrade[] = [];
  for (let t = 0; t < nTrades; t++) {
    const o = t * TR.TRADE_RECORD_WIDTH;
    trades.push({
      entry_i: buf[o + TR.TR_ENTRY_I]!,
      exit_i: buf[o + TR.TR_EXIT_I]!,
      side: buf[o + TR.TR_SIDE]!,
      n_a: buf[o + TR.TR_N_A]!,
      n_b: buf[o + TR.TR_N_B]!,
      reason: EXIT_REASON_NAMES[buf[o + TR.TR_REASON]!]!,
      beta_entry: buf[o + TR.TR_BETA_ENTRY]!,
      pnl_gross: buf[o + TR.TR_PNL_GROSS]!,
      costs: buf[o + TR.TR_COSTS]!,
      pnl_net: buf[o + TR.TR_PNL_NET]!,
    });
  }
  const folds: FoldStats[] = [];
  for (let f = 0; f < nFolds; f++) {
    const o = f * FOLD_WIDTH;
    folds.push({
      n_trades: foldBuf[o + FOLD_N_TRADES]!,
      pnl: foldBuf[o + FOLD_PNL]!,
      pnl_sq: foldBuf[o + FOLD_PNL_SQ]!,
      n_days: foldBuf[o + FOLD_N_DAYS]!,
    });
  }
  return { nTrades, trades, stats: statRowToObject(row), folds };
}

/** `[entry_i, exit_i, side, reason]` of each trade, for compact assertions. */
export const shape = (r: KernelRun) => r.trades.map((t) => [t.entry_i, t.exit_i, t.side, t.reason]);
