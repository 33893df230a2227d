// The gate filter of every kernel (ENGINE.md §4): thresholds read once per combination from the
// config vector, then one call per candidate entry (a bar whose z is beyond ±z_entry), so the hot
// scans never pay for it.
import type { BacktestInputs } from "../kernels/backtest-inputs.js";
import {
  CFG_ADF_MAX_PVALUE,
  CFG_ADF_MAX_STAT,
  CFG_HL_MAX,
  CFG_HL_MIN,
  CFG_MAX_HURST,
  CFG_MIN_CORR,
  CFG_MIN_GATES,
} from "./config-vector.js";

const NO_METRIC = new Float64Array(0);

/** The per-bar gate metrics a GateSet reads (null where the gate's window is not set). */
export type GateMetrics = Pick<BacktestInputs, "corr" | "hurst" | "halfLife" | "adfStat" | "adfPvalue">;

function gateMetric(arr: Float64Array | null, on: boolean, name: string): Float64Array {
  if (!on) return NO_METRIC;
  if (arr === null) throw new Error(`kernel: gate ${name} is on but its metric was not computed`);
  return arr;
}

export class GateSet {
  readonly minCorr: number;
  readonly maxHurst: number;
  readonly hlMin: number;
  readonly hlMax: number;
  readonly adfMaxStat: number;
  readonly adfMaxPvalue: number;
  readonly corrOn: boolean;
  readonly hurstOn: boolean;
  readonly hlOn: boolean;
  readonly adfStatOn: boolean;
  readonly adfPvalueOn: boolean;
  readonly corr: Float64Array;
  readonly hurst: Float64Array;
  readonly halfLife: Float64Array;
  readonly adfStat: Float64Array;
  readonly adfPvalue: Float64Array;
  /** Passes an entry needs: all enabled gates, or min_gates of them; 0 = no check at all. */
  readonly required: number;

  constructor(inp: GateMetrics, cfg: Float64Array, cfgOffset: number) {
    this.minCorr = cfg[cfgOffset + CFG_MIN_CORR];
    this.maxHurst = cfg[cfgOffset + CFG_MAX_HURST];
    this.hlMin = cfg[cfgOffset + CFG_HL_MIN];
    this.hlMax = cfg[cfgOffset + CFG_HL_MAX];
    this.adfMaxStat = cfg[cfgOffset + CFG_ADF_MAX_STAT];
    this.adfMaxPvalue = cfg[cfgOffset + CFG_ADF_MAX_PVALUE];
    this.corrOn = !Number.isNaN(this.minCorr);
    this.hurstOn = !Number.isNaN(this.maxHurst);
    this.hlOn = !Number.isNaN(this.hlMin) || !Number.isNaN(this.hlMax);
    this.adfStatOn = !Number.isNaN(this.adfMaxStat);
    this.adfPvalueOn = !Number.isNaN(this.adfMaxPvalue);
    this.corr = gateMetric(inp.corr, this.corrOn, "min_corr");
    this.hurst = gateMetric(inp.hurst, this.hurstOn, "max_hurst");
    this.halfLife = gateMetric(inp.halfLife, this.hlOn, "hl_min/hl_max");
    this.adfStat = gateMetric(inp.adfStat, this.adfStatOn, "adf_max_stat");
    this.adfPvalue = gateMetric(inp.adfPvalue, this.adfPvalueOn, "adf_max_pvalue");
    const nOn = +this.corrOn + +this.hurstOn + +this.hlOn + +this.adfStatOn + +this.adfPvalueOn;
    const minGates = cfg[cfgOffset + CFG_MIN_GATES];
    this.required = minGates < 0 ? nOn : minGates;
  }

  /** Whether the gates allow an entry with the metrics of slow bar i. */
  pass(i: number): boolean {
    if (this.required <= 0) return true;
    let passed = 0;
    if (this.corrOn && this.corr[i] >= this.minCorr) passed++;
    if (this.hurstOn && this.hurst[i] <= this.maxHurst) passed++;
    if (this.hlOn) {
      const hl = this.halfLife[i];
      // a missing bound is open (NaN compares false); +∞ passes a lone hl_min; NaN fails
      if (!Number.isNaN(hl) && !(hl < this.hlMin) && !(hl > this.hlMax)) passed++;
    }
    if (this.adfStatOn && this.adfStat[i] <= this.adfMaxStat) passed++;
    if (this.adfPvalueOn && this.adfPvalue[i] <= this.adfMaxPvalue) passed++;
    return passed >= this.required;
  }
}
