// Hand-built inputs and configs for engine scenario tests.
import { type BacktestInputs, dayIndexOf } from "../src/kernels/backtest-inputs.js";
import * as C from "../src/rules/config-vector.js";

export interface InputsSpec {
  z: number[];
  a?: number[];
  b?: number[];
  beta?: number[];
  eod?: number[];
  windowOk?: number[];
  /** Trading day of each bar, counted from 2024-01-02 (default: all bars on day 0). */
  day?: number[];
  corr?: number[];
  hurst?: number[];
  halfLife?: number[];
  adfStat?: number[];
  adfPvalue?: number[];
}

const f64 = (v: number[] | undefined) => (v ? Float64Array.from(v) : null);

/** 2024-01-02 as a day number, so exit days print as real dates. */
const FIRST_DAY = 19_724;

export function makeInputs(s: InputsSpec): BacktestInputs {
  const n = s.z.length;
  const fill = (v: number[] | undefined, d: number) => Float64Array.from(v ?? new Array(n).fill(d));
  const tradingDay = Int32Array.from((s.day ?? new Array(n).fill(0)).map((d) => FIRST_DAY + d));
  const { dayIndex, nDays } = dayIndexOf(tradingDay);
  return {
    n,
    ts: Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 300_000),
    barMs: 300_000,
    closeA: fill(s.a, 100),
    closeB: fill(s.b, 100),
    beta: fill(s.beta, 1),
    z: Float64Array.from(s.z),
    corr: f64(s.corr),
    hurst: f64(s.hurst),
    halfLife: f64(s.halfLife),
    adfStat: f64(s.adfStat),
    adfPvalue: f64(s.adfPvalue),
    eod: Uint8Array.from(s.eod ?? new Array(n).fill(0)),
    windowOk: Uint8Array.from(s.windowOk ?? new Array(n).fill(1)),
    tradingDay,
    dayIndex,
    nDays,
  };
}

export interface CfgSpec {
  z_entry?: number;
  z_exit?: number;
  z_stop?: number | null;
  max_hold?: number;
  dollar_tp?: number | null;
  dollar_sl?: number | null;
  min_corr?: number | null;
  max_hurst?: number | null;
  hl_min?: number | null;
  hl_max?: number | null;
  adf_max_stat?: number | null;
  adf_max_pvalue?: number | null;
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

const nan = (v: number | null | undefined) => (v === null || v === undefined ? Number.NaN : v);

/** Config vector at `offset` of `cfg`: ze 2, zx 0, optional features off, multipliers 1, no costs. */
export function makeCfg(s: CfgSpec = {}, cfg = new Float64Array(C.CFG_LENGTH), offset = 0): Float64Array {
  cfg[offset + C.CFG_Z_ENTRY] = s.z_entry ?? 2;
  cfg[offset + C.CFG_Z_EXIT] = s.z_exit ?? 0;
  cfg[offset + C.CFG_Z_STOP] = nan(s.z_stop);
  cfg[offset + C.CFG_MAX_HOLD] = s.max_hold ?? 0;
  cfg[offset + C.CFG_DOLLAR_TP] = nan(s.dollar_tp);
  cfg[offset + C.CFG_DOLLAR_SL] = nan(s.dollar_sl);
  cfg[offset + C.CFG_MIN_CORR] = nan(s.min_corr);
  cfg[offset + C.CFG_MAX_HURST] = nan(s.max_hurst);
  cfg[offset + C.CFG_HL_MIN] = nan(s.hl_min);
  cfg[offset + C.CFG_HL_MAX] = nan(s.hl_max);
  cfg[offset + C.CFG_ADF_MAX_STAT] = nan(s.adf_max_stat);
  cfg[offset + C.CFG_ADF_MAX_PVALUE] = nan(s.adf_max_pvalue);
  cfg[offset + C.CFG_MIN_GATES] = s.min_gates ?? -1;
  cfg[offset + C.CFG_MULT_A] = s.mult_a ?? 1;
  cfg[offset + C.CFG_MULT_B] = s.mult_b ?? 1;
  cfg[offset + C.CFG_TICK_A] = s.tick_a ?? 1;
  cfg[offset + C.CFG_TICK_B] = s.tick_b ?? 1;
  cfg[offset + C.CFG_COMMISSION] = s.commission ?? 0;
  cfg[offset + C.CFG_SLIPPAGE_TICKS] = s.slippage_ticks ?? 0;
  cfg[offset + C.CFG_BASE_QTY] = s.base_qty ?? 1;
  cfg[offset + C.CFG_MAX_MULT] = s.max_mult ?? 1;
  // as fillConfig: the hybrid dollar kernel prunes (hybrid-prune-property tests it unpruned too)
  cfg[offset + C.CFG_HYBRID_PRUNE] = 1;
  return cfg;
}
