// What every slow engine reads: per-bar arrays shared by all combinations of one
// (hedge, zscore_window, gate windows) setting. Flat typed arrays, never copied per combination.
import type { IndicatorSeries } from "../indicators/compute-indicators.js";
import type { SlowPair } from "../loaders/load-slow-pair.js";

export interface BacktestInputs {
  n: number;
  /** Bar start times, epoch ms UTC (fill time of a decision at bar i is ts[i] + barMs). */
  ts: Float64Array;
  barMs: number;
  closeA: Float64Array;
  closeB: Float64Array;
  beta: Float64Array;
  z: Float64Array;
  /** Gate metrics; null when the gate's window is not set (the gate must then be off). */
  corr: Float64Array | null;
  hurst: Float64Array | null;
  halfLife: Float64Array | null;
  adfStat: Float64Array | null;
  adfPvalue: Float64Array | null;
  eod: Uint8Array;
  windowOk: Uint8Array;
  /** Trading day of each bar as a day number (calendar/day-number.ts). */
  tradingDay: Int32Array;
  /** Index of each bar's trading day among the days present, 0 … nDays − 1. */
  dayIndex: Int32Array;
  nDays: number;
}

/** Day indices 0 … D−1 from trading-day numbers (non-decreasing along the bars). */
export function dayIndexOf(tradingDay: Int32Array): { dayIndex: Int32Array; nDays: number } {
  const dayIndex = new Int32Array(tradingDay.length);
  let d = -1;
  let prev = Number.NaN;
  for (let i = 0; i < tradingDay.length; i++) {
    if (tradingDay[i] !== prev) {
      d++;
      prev = tradingDay[i]!;
    }
    dayIndex[i] = d;
  }
  return { dayIndex, nDays: d + 1 };
}

export function backtestInputs(sp: SlowPair, ind: IndicatorSeries): BacktestInputs {
  const { dayIndex, nDays } = dayIndexOf(sp.tradingDay);
  return {
    n: sp.pair.ts.length,
    ts: sp.pair.ts,
    barMs: sp.barMs,
    closeA: sp.pair.a.close,
    closeB: sp.pair.b.close,
    beta: ind.beta,
    z: ind.z,
    corr: ind.corr,
    hurst: ind.hurst,
    halfLife: ind.halfLife,
    adfStat: ind.adfStat,
    adfPvalue: ind.adfPvalue,
    eod: sp.eod,
    windowOk: sp.windowOk,
    tradingDay: sp.tradingDay,
    dayIndex,
    nDays,
  };
}
