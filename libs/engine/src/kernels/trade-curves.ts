// Per-trade fast unrealized curves for the precomputed-curve TP×SL grid (ENGINE.md §8, §10): for
// each trade of a slow run, u at every fast bar whose close lies in (entry fill, exit fill] — gaps
// of the slow join included — stored as running maximum and running minimum. Both are monotone, so
// the first point reaching a take-profit (running max ≥ tp) or a stop (running min ≤ −sl) is a
// binary search: a whole TP×SL grid then costs O(trades · log length) per cell.
import type { Trade } from "../reference/trade.js";
import type { FastCloses } from "../loaders/fast-closes.js";

export interface TradeCurves {
  nTrades: number;
  /** First fast row of trade t's curve; its points are rows start[t] … start[t] + length[t] − 1. */
  start: Int32Array;
  length: Int32Array;
  /** Where trade t's points begin in runMax / runMin. */
  offset: Int32Array;
  runMax: Float64Array;
  runMin: Float64Array;
  /**
   * The §8 discretization check: the curve's last point minus the slow trade's gross PnL (0 when
   * the fast data closes each slow bar at the slow close; NaN for a trade with no fast point).
   */
  lastPointDiff: Float64Array;
}

/** First index of increasing `ts` with a value > `t`. */
function upperBound(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function buildTradeCurves(
  trades: readonly Trade[],
  fast: FastCloses,
  multA: number,
  multB: number,
): TradeCurves {
  const nTrades = trades.length;
  const start = new Int32Array(nTrades);
  const length = new Int32Array(nTrades);
  const offset = new Int32Array(nTrades + 1);
  trades.forEach((t, k) => {
    // close in (entry fill, exit fill] ⟺ ts in (entry − L_fast, exit − L_fast]
    const lo = upperBound(fast.ts, t.entry_ts - fast.barMs);
    const hi = upperBound(fast.ts, t.exit_ts - fast.barMs);
    start[k] = lo;
    length[k] = Math.max(0, hi - lo);
    offset[k + 1] = offset[k] + length[k];
  });
  const runMax = new Float64Array(offset[nTrades]);
  const runMin = new Float64Array(offset[nTrades]);
  const lastPointDiff = new Float64Array(nTrades);
  const { closeA, closeB } = fast;
  trades.forEach((t, k) => {
    // u as every engine computes it (§6), operation for operation, on locals (a hot loop)
    const d = t.side;
    const kA = t.n_a * multA;
    const kB = (t.beta_entry < 0 ? -1 : 1) * t.n_b * multB;
    const ea = t.entry_a;
    const eb = t.entry_b;
    const j0 = start[k];
    const o = offset[k];
    const len = length[k];
    let hiU = -Infinity;
    let loU = Infinity;
    let u = Number.NaN;
    for (let p = 0; p < len; p++) {
      u = d * (kA * (closeA[j0 + p] - ea) - kB * (closeB[j0 + p] - eb));
      if (u > hiU) hiU = u;
      if (u < loU) loU = u;
      runMax[o + p] = hiU;
      runMin[o + p] = loU;
    }
    lastPointDiff[k] = u - t.pnl_gross;
  });
  return { nTrades, start, length, offset: offset.subarray(0, nTrades), runMax, runMin, lastPointDiff };
}

/** First p in [0, len) with runMax[o + p] ≥ level (running max is non-decreasing), else len. */
export function firstAtOrAbove(runMax: Float64Array, o: number, len: number, level: number): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (runMax[o + mid] >= level) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** First p in [0, len) with runMin[o + p] ≤ level (running min is non-increasing), else len. */
export function firstAtOrBelow(runMin: Float64Array, o: number, len: number, level: number): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (runMin[o + mid] <= level) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
