// The facts a replay trace row states about a slow bar (parity/signal-trace.ts TraceBarFacts): the
// incremental indicators under the trace's names, with the bar's gates and calendar. Both replay
// engines write them so, once, here.
import type { TraceBarFacts } from "../parity/signal-trace.js";
import type { IndicatorSnapshot } from "./incremental-indicators.js";

export function indicatorFacts(
  ind: IndicatorSnapshot,
  gatesOk: boolean,
  windowOk: boolean,
  eod: boolean,
  last: boolean,
): TraceBarFacts {
  return {
    beta: ind.beta,
    alpha: ind.alpha,
    spread: ind.spread,
    mu: ind.mu,
    sigma: ind.sigma,
    z: ind.z,
    corr: ind.corr,
    hurst: ind.hurst,
    half_life: ind.halfLife,
    adf_stat: ind.adfStat,
    adf_pvalue: ind.adfPvalue,
    gates_ok: gatesOk,
    window_ok: windowOk,
    eod,
    last,
  };
}
