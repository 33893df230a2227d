// Per-bar indicators of one combination (ENGINE.md §3–4) over an aligned slow pair: the hedge,
// spread and z-score the kernels trade on, and every gate metric whose window is set.
import {
  kalmanHedge,
  rollingAdf,
  rollingHalfLife,
  rollingHurst,
  rollingLogReturnCorrelation,
  rollingOls,
  rollingZScore,
  spread as spreadOf,
} from "@pairgrid/stats";
import type { PairBars } from "../loaders/index.js";
import type { Combination } from "../grid-spec/param-defs.js";

export interface IndicatorSeries {
  /** Log prices: y = ln A, x = ln B. */
  y: Float64Array;
  x: Float64Array;
  beta: Float64Array;
  alpha: Float64Array;
  spread: Float64Array;
  mu: Float64Array;
  sigma: Float64Array;
  z: Float64Array;
  /** Gate metrics; null when the gate's window is not set. */
  corr: Float64Array | null;
  hurst: Float64Array | null;
  halfLife: Float64Array | null;
  adfStat: Float64Array | null;
  adfPvalue: Float64Array | null;
}

export interface IndicatorSettings {
  hedge: "ols" | "kalman";
  hurstLags: readonly number[];
}

export function logPrices(close: Float64Array): Float64Array {
  const out = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++) out[i] = Math.log(close[i]!);
  return out;
}

export function computeIndicators(pair: PairBars, c: Combination, s: IndicatorSettings): IndicatorSeries {
  const y = logPrices(pair.a.close);
  const x = logPrices(pair.b.close);
  const hedge =
    s.hedge === "ols" ? rollingOls(y, x, c.ols_window!) : kalmanHedge(y, x, c.delta ?? 1e-4, c.ve ?? 1e-3);
  const spread = spreadOf(y, x, hedge.beta, hedge.alpha);
  const zs = rollingZScore(spread, c.zscore_window!);
  const adf = c.adf_window != null ? rollingAdf(spread, c.adf_window) : null;
  return {
    y,
    x,
    beta: hedge.beta,
    alpha: hedge.alpha,
    spread,
    mu: zs.mu,
    sigma: zs.sigma,
    z: zs.z,
    corr: c.corr_window != null ? rollingLogReturnCorrelation(y, x, c.corr_window) : null,
    hurst: c.hurst_window != null ? rollingHurst(spread, c.hurst_window, s.hurstLags) : null,
    halfLife: c.hl_window != null ? rollingHalfLife(spread, c.hl_window) : null,
    adfStat: adf ? adf.stat : null,
    adfPvalue: adf ? adf.pvalue : null,
  };
}
