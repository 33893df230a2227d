// Per-group arrays of a z-live grid: besides what the slow kernels read (beta, z, gate metrics),
// z_live needs each slow bar's alpha, mu and sigma, which the slow grid's factorized precompute
// (chunks/group-precompute.ts) does not keep. Slow indicators are cheap next to the fast rows a
// z-live grid scans, so each group simply runs the indicator pipeline (compute-indicators.ts).
import type { PairBars } from "../loaders/index.js";
import { packArrays, type PackedArrays } from "./shared-arrays.js";
import { computeIndicators } from "../indicators/compute-indicators.js";
import type { GridSpec } from "../grid-spec/grid-spec-schema.js";
import type { Combination } from "../grid-spec/param-defs.js";

export class ZLiveGroupPrecompute {
  constructor(
    private readonly pair: PairBars,
    private readonly spec: GridSpec,
  ) {}

  /** beta, alpha, mu, sigma, z and the gate metrics whose window is set, in one SharedArrayBuffer. */
  compute(c: Combination): PackedArrays {
    const ind = computeIndicators(this.pair, c, {
      hedge: this.spec.hedge,
      hurstLags: this.spec.gates.hurst_lags,
    });
    const arrays: Record<string, Float64Array> = {
      beta: ind.beta,
      alpha: ind.alpha,
      mu: ind.mu,
      sigma: ind.sigma,
      z: ind.z,
    };
    if (ind.corr) arrays.corr = ind.corr;
    if (ind.hurst) arrays.hurst = ind.hurst;
    if (ind.halfLife) arrays.halfLife = ind.halfLife;
    if (ind.adfStat) arrays.adfStat = ind.adfStat;
    if (ind.adfPvalue) arrays.adfPvalue = ind.adfPvalue;
    return packArrays(arrays);
  }
}
