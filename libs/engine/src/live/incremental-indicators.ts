// The replay's indicators (ENGINE.md §3–4), updated by one bar at a time from the libs/stats
// incremental classes: each push sees only the bars pushed so far, never a later one. The batch
// forms in libs/stats are loops over these same classes, so fed the same bars from bar 0 they give
// the same numbers bit for bit; started mid-series, `firstIndex` (the global index of the first
// bar pushed) puts their rebuild schedule on the batch's, and they become bit-identical after a
// warm-up (warmup-plan.ts). Kalman has no window and keeps the whole history in its state.
import {
  KalmanHedge,
  RollingAdf,
  RollingHalfLife,
  RollingHurst,
  RollingLogReturnCorrelation,
  RollingOls,
  RollingZScore,
  spreadAt,
} from "@pairgrid/stats";
import type { IndicatorSettings } from "../indicators/compute-indicators.js";
import type { Combination } from "../grid-spec/param-defs.js";

/** The indicator settings of one combination, as the replay and the warm-up plan need them. */
export interface IndicatorPlan {
  hedge: "ols" | "kalman";
  /** OLS window (bars); unused under a Kalman hedge. */
  olsWindow: number;
  delta: number;
  ve: number;
  zWindow: number;
  /** Gate metric windows; null = not computed (ENGINE.md §10: computed whenever set). */
  corrWindow: number | null;
  hurstWindow: number | null;
  hurstLags: readonly number[];
  hlWindow: number | null;
  adfWindow: number | null;
}

/** The same defaults as `computeIndicators` (Kalman delta 1e-4, ve 1e-3). */
export function indicatorPlan(c: Combination, s: IndicatorSettings): IndicatorPlan {
  return {
    hedge: s.hedge,
    olsWindow: c.ols_window ?? Number.NaN,
    delta: c.delta ?? 1e-4,
    ve: c.ve ?? 1e-3,
    zWindow: c.zscore_window!,
    corrWindow: c.corr_window ?? null,
    hurstWindow: c.hurst_window ?? null,
    hurstLags: s.hurstLags,
    hlWindow: c.hl_window ?? null,
    adfWindow: c.adf_window ?? null,
  };
}

/** Every indicator of one bar; NaN where undefined or not computed. */
export interface IndicatorSnapshot {
  y: number;
  x: number;
  beta: number;
  alpha: number;
  spread: number;
  mu: number;
  sigma: number;
  z: number;
  corr: number;
  hurst: number;
  halfLife: number;
  adfStat: number;
  adfPvalue: number;
}

export class IncrementalIndicators {
  private readonly hedge: RollingOls | KalmanHedge;
  private readonly zscore: RollingZScore;
  private readonly corr: RollingLogReturnCorrelation | null;
  private readonly hurst: RollingHurst | null;
  private readonly halfLife: RollingHalfLife | null;
  private readonly adf: RollingAdf | null;

  /** `firstIndex`: global index of the first bar that will be pushed (0 for a whole series). */
  constructor(plan: IndicatorPlan, firstIndex: number) {
    this.hedge =
      plan.hedge === "ols"
        ? new RollingOls(plan.olsWindow, firstIndex)
        : new KalmanHedge(plan.delta, plan.ve);
    this.zscore = new RollingZScore(plan.zWindow, firstIndex);
    const win = (w: number | null) => w !== null;
    this.corr = win(plan.corrWindow) ? new RollingLogReturnCorrelation(plan.corrWindow!, firstIndex) : null;
    this.hurst = win(plan.hurstWindow)
      ? new RollingHurst(plan.hurstWindow!, plan.hurstLags, firstIndex)
      : null;
    this.halfLife = win(plan.hlWindow) ? new RollingHalfLife(plan.hlWindow!, firstIndex) : null;
    this.adf = win(plan.adfWindow) ? new RollingAdf(plan.adfWindow!, firstIndex) : null;
  }

  /** Adds the next bar's closes and returns its indicators. */
  push(a: number, b: number): IndicatorSnapshot {
    const y = Math.log(a);
    const x = Math.log(b);
    this.hedge.push(y, x);
    const beta = this.hedge.beta;
    const alpha = this.hedge.alpha;
    const spread = spreadAt(y, x, beta, alpha);
    this.zscore.push(spread);
    this.corr?.push(y, x);
    this.hurst?.push(spread);
    this.halfLife?.push(spread);
    this.adf?.push(spread);
    return {
      y,
      x,
      beta,
      alpha,
      spread,
      mu: this.zscore.mu,
      sigma: this.zscore.sigma,
      z: this.zscore.z,
      corr: this.corr ? this.corr.corr : Number.NaN,
      hurst: this.hurst ? this.hurst.hurst : Number.NaN,
      halfLife: this.halfLife ? this.halfLife.halfLife : Number.NaN,
      adfStat: this.adf ? this.adf.stat : Number.NaN,
      adfPvalue: this.adf ? this.adf.pvalue : Number.NaN,
    };
  }
}
