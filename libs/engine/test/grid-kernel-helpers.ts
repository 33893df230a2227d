// Shared by the grid kernel tests: BacktestInputs from small plain arrays, a config vector with
// named overrides, and one kernel run decoded into trade objects and a named statistics row.
import { dayIndexOf, type BacktestInputs } from "../src/backtest/backtest-inputs.js";
import * as C from "../src/backtest/config-vector.js";
import { EXIT_REASON_NAMES } from "../src/backtest/enums.js";
import { makeKernelScratch, runGridKernel } from "../src/backtest/grid-kernel.js";
import * as TR from "../src/backtest/grid-kernel-trade-record.js";
import {
  FOLD_N_DAYS,
  FOLD_N_TRADES,
  FOLD_PNL,
  FOLD_PNL_SQ,
  FOLD_WIDTH,
  N_STATS,
  statRowToObject,
} from "../src/backtest/stat-row.js";
import type { FoldStats } from "../src/backtest/trade.js";

export interface InputArrays {
  z: number[];
  /** Defaults: A and B at 100, beta 1, no eod, window open, every bar on day 0. */
  a?: number[];
  b?: number[];
  beta?: number[];
  eod?: number[];
  windowOk?: number[];
  /** Trading-day number of each bar (non-decreasing). */
  day?: number[];
  corr?: number[];
  hurst?: number[];
  halfLife?: number[];
  adfStat?: number[];
  adfPvalue?: number[];
}

const BAR_MS = 300_000;
/** 2024-01-02 as a day number, so exit days print as real dates. */
const FIRST_DAY = 19_724;

export function makeInputs(s: InputArrays): BacktestInputs {
  const n = s.z.length;
  const fill = (v: number) => new Array<number>(n).fill(v);
  const f64 = (xs: number[] | undefined, v: number) => Float64Array.from(xs ?? fill(v));
  const opt = (xs: number[] | undefined) => (xs === undefined ? null : Float64Array.from(xs));
  const tradingDay = Int32Array.from((s.day ?? fill(0)).map((d) => FIRST_DAY + d));
  const { dayIndex, nDays } = dayIndexOf(tradingDay);
  return {
    n,
    ts: Float64Array.from({ length: n }, (_, i) => i * BAR_MS),
    barMs: BAR_MS,
    closeA: f64(s.a, 100),
    closeB: f64(s.b, 100),
    beta: f64(s.beta, 1),
    z: Float64Array.from(s.z),
    corr: opt(s.corr),
    hurst: opt(s.hurst),
    halfLife: opt(s.halfLife),
    adfStat: opt(s.adfStat),
    adfPvalue: opt(s.adfPvalue),
    eod: Uint8Array.from(s.eod ?? fill(0)),
    windowOk: Uint8Array.from(s.windowOk ?? fill(1)),
    tradingDay,
    dayIndex,
    nDays,
  };
}

export interface ConfigValues {
  z_entry?: number;
  z_exit?: number;
  z_stop?: number;
  max_hold?: number;
  dollar_tp?: number;
  dollar_sl?: number;
  min_corr?: number;
  max_hurst?: number;
  hl_min?: number;
  hl_max?: number;
  adf_max_stat?: number;
  adf_max_pvalue?: number;
  min_gates?: number;
  mult_a?: number;
  mult_b?: number;
  tick_a?: number;
  tick_b?: number;
  commission?: number;
  slippage_ticks?: number;
  base_qty?: number;
  max_mult?: number;
}

/** Config vector: ze 2, zx 0.5, everything optional off, multipliers 1, no costs, 1 contract. */
export function makeConfig(v: ConfigValues, out = new Float64Array(C.CFG_LENGTH), offset = 0): Float64Array {
  const NaN_ = Number.NaN;
  out[offset + C.CFG_Z_ENTRY] = v.z_entry ?? 2;
  out[offset + C.CFG_Z_EXIT] = v.z_exit ?? 0.5;
  out[offset + C.CFG_Z_STOP] = v.z_stop ?? NaN_;
  out[offset + C.CFG_MAX_HOLD] = v.max_hold ?? 0;
  out[offset + C.CFG_DOLLAR_TP] = v.dollar_tp ?? NaN_;
  out[offset + C.CFG_DOLLAR_SL] = v.dollar_sl ?? NaN_;
  out[offset + C.CFG_MIN_CORR] = v.min_corr ?? NaN_;
  out[offset + C.CFG_MAX_HURST] = v.max_hurst ?? NaN_;
  out[offset + C.CFG_HL_MIN] = v.hl_min ?? NaN_;
  out[offset + C.CFG_HL_MAX] = v.hl_max ?? NaN_;
  out[offset + C.CFG_ADF_MAX_STAT] = v.adf_max_stat ?? NaN_;
  out[offset + C.CFG_ADF_MAX_PVALUE] = v.adf_max_pvalue ?? NaN_;
  out[offset + C.CFG_MIN_GATES] = v.min_gates ?? -1;
  out[offset + C.CFG_MULT_A] = v.mult_a ?? 1;
  out[offset + C.CFG_MULT_B] = v.mult_b ?? 1;
  out[offset + C.CFG_TICK_A] = v.tick_a ?? 0.25;
  out[offset + C.CFG_TICK_B] = v.tick_b ?? 1;
  out[offset + C.CFG_COMMISSION] = v.commission ?? 0;
  out[offset + C.CFG_SLIPPAGE_TICKS] = v.slippage_ticks ?? 0;
  out[offset + C.CFG_BASE_QTY] = v.base_qty ?? 1;
  out[offset + C.CFG_MAX_MULT] = v.max_mult ?? 1;
  return out;
}

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

/** One kernel run with a trade buffer big enough for every trade. */
export function runKernel(inp: BacktestInputs, cfg: Float64Array, nFolds = 16): KernelRun {
  const row = new Float64Array(N_STATS);
  const foldBuf = new Float64Array(nFolds * FOLD_WIDTH);
  const buf = new Float64Array((inp.n + 1) * TR.TRADE_RECORD_WIDTH);
  const nTrades = runGridKernel(inp, cfg, 0, row, 0, foldBuf, 0, nFolds, makeKernelScratch(inp.nDays), buf);
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
