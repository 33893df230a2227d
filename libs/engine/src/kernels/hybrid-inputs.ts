// Everything one hybrid backtest reads (ENGINE.md §8): the slow engine's inputs (closes, beta, z,
// gates, calendar), the slow indicators z-live needs besides beta, the aligned fast closes and the
// session calendar at each fast bar's close.
import { type BacktestInputs, backtestInputs } from "./backtest-inputs.js";
import type { SessionCalendar } from "../calendar/index.js";
import { computeIndicators, type IndicatorSeries } from "../indicators/compute-indicators.js";
import type { SlowPair } from "../loaders/load-slow-pair.js";
import type { GridSpec } from "../grid-spec/grid-spec-schema.js";
import type { Combination } from "../grid-spec/param-defs.js";
import type { FastCloses } from "../loaders/fast-closes.js";

export interface HybridInputs {
  slow: BacktestInputs;
  /** Slow-bar alpha, mu and sigma: z_live uses them (with beta) from the last completed bar. */
  alpha: Float64Array;
  mu: Float64Array;
  sigma: Float64Array;
  fast: FastCloses;
  /**
   * `eod` and `window_ok` of each fast bar at its close (z-live, §10): "next bar" for eod is the
   * next row of the aligned fast series, processed or not; the last row has none.
   */
  fastEod: Uint8Array;
  fastWindowOk: Uint8Array;
}

/** Fast calendar columns of `fast` under `calendar`, in shared memory (grid threads read them). */
export function fastCalendarColumns(
  fast: FastCloses,
  calendar: SessionCalendar,
): { fastEod: Uint8Array; fastWindowOk: Uint8Array } {
  const cols = calendar.build(fast.ts, fast.barMs);
  const fastEod = new Uint8Array(new SharedArrayBuffer(fast.n));
  const fastWindowOk = new Uint8Array(new SharedArrayBuffer(fast.n));
  fastEod.set(cols.eod);
  fastWindowOk.set(cols.windowOk);
  return { fastEod, fastWindowOk };
}

export function hybridInputs(
  slow: BacktestInputs,
  ind: Pick<IndicatorSeries, "alpha" | "mu" | "sigma">,
  fast: FastCloses,
  calendar: SessionCalendar,
): HybridInputs {
  return {
    slow,
    alpha: ind.alpha,
    mu: ind.mu,
    sigma: ind.sigma,
    fast,
    ...fastCalendarColumns(fast, calendar),
  };
}

/**
 * Hybrid inputs of one combination: the slow pipeline's indicators (§3–4) over the slow pair, then
 * the fast closes and their calendar. What `pairgrid hybrid` and the tests run on.
 */
export function hybridInputsFor(
  spec: GridSpec,
  sp: SlowPair,
  fast: FastCloses,
  c: Combination,
): HybridInputs {
  const ind = computeIndicators(sp.pair, c, { hedge: spec.hedge, hurstLags: spec.gates.hurst_lags });
  return hybridInputs(backtestInputs(sp, ind), ind, fast, sp.calendar);
}
