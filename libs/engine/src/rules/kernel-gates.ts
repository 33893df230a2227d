// The gate filter of every kernel (ENGINE.md §4): thresholds read once per combination from the
// config vector, then one call per candidate entry (a bar whose z is beyond ±z_entry), so the hot
// scans never pay for it.
import type { BacktestInputs } from "../kernels/backtest-inputs.js";
import * as C from "./config-vector.js";

const NO_METRIC = new Float64Array(0);

/** The per-bar gate metrics a GateSet reads (null where the gate's window is not set). */
export type GateMetrics = Pick<BacktestInputs, "corr" | "hurst" | "halfLife" | "adfStat" | "adfPvalue">;

function gateMetric(arr: Float64Array | null, on: boolean, name: string): Float64Array {
  if (!on) return NO_METRIC;
  if (arr === null) throw new Error(`kernel: gate ${name} is on but its metric was not computed`);
  return arr;
}

/**
 * A combination's gate thresholds (§4) and the verdict on one bar's metrics: every enabled gate
 * must pass, or at least min_gates of them. A NaN metric fails its gate; HL = +∞ passes a lone
 * hl_min (§10). The kernels (GateSet) and the live replay (gate-filter.ts) both ask `allows`.
 */
export class GateRule {
  readonly minCorr: number;
  readonly maxHurst: number;
  readonly hlMin: number;
  readonly hlMax: number;
  readonly adfMaxStat: number;
  readonly adfMaxPvalue: number;
  /** −1 = every enabled gate; k ≥ 0 = at least k of them. */
  readonly minGates: number;
  readonly corrOn: boolean;
  readonly hurstOn: boolean;
  readonly hlOn: boolean;
  readonly adfStatOn: boolean;
  readonly adfPvalueOn: boolean;
  /** Passes an entry needs: all enabled gates, or min_gates of them; 0 = no check at all. */
  readonly required: number;

  constructor(cfg: Float64Array, cfgOffset = 0) {
    this.minCorr = cfg[cfgOffset + C.CFG_MIN_CORR]!;
    this.maxHurst = cfg[cfgOffset + C.CFG_MAX_HURST]!;
    this.hlMin = cfg[cfgOffset + C.CFG_HL_MIN]!;
    this.hlMax = cfg[cfgOffset + C.CFG_HL_MAX]!;
    this.adfMaxStat = cfg[cfgOffset + C.CFG_ADF_MAX_STAT]!;
    this.adfMaxPvalue = cfg[cfgOffset + C.CFG_ADF_MAX_PVALUE]!;
    this.minGates = cfg[cfgOffset + C.CFG_MIN_GATES]!;
    this.corrOn = !Number.isNaN(this.minCorr);
    this.hurstOn = !Number.isNaN(this.maxHurst);
    this.hlOn = !Number.isNaN(this.hlMin) || !Number.isNaN(this.hlMax);
    this.adfStatOn = !Number.isNaN(this.adfMaxStat);
    this.adfPvalueOn = !Number.isNaN(this.adfMaxPvalue);
    const nOn = +this.corrOn + +this.hurstOn + +this.hlOn + +this.adfStatOn + +this.adfPvalueOn;
    this.required = this.minGates < 0 ? nOn : this.minGates;
  }

  /** Whether the gates allow an entry at a bar with these metrics (those of gates off are ignored). */
  allows(corr: number, hurst: number, halfLife: number, adfStat: number, adfPvalue: number): boolean {
    if (this.required <= 0) return true;
    let passed = 0;
    if (this.corrOn && corr >= this.minCorr) passed++;
    if (this.hurstOn && hurst <= this.maxHurst) passed++;
    // a missing bound is open (NaN compares false); +∞ passes a lone hl_min; NaN fails
    if (this.hlOn && !Number.isNaN(halfLife) && !(halfLife < this.hlMin) && !(halfLife > this.hlMax))
      passed++;
    if (this.adfStatOn && adfStat <= this.adfMaxStat) passed++;
    if (this.adfPvalueOn && adfPvalue <= this.adfMaxPvalue) passed++;
    return passed >= this.required;
  }
}

/** A combination's GateRule over the per-bar metrics of its inputs: the kernels' gate filter. */
export class GateSet {
  readonly rule: GateRule;
  readonly corr: Float64Array;
  readonly hurst: Float64Array;
  readonly halfLife: Float64Array;
  readonly adfStat: Float64Array;
  readonly adfPvalue: Float64Array;
  /** Passes an entry needs (GateRule.required); 0 = no check at all. */
  readonly required: number;

  constructor(inp: GateMetrics, cfg: Float64Array, cfgOffset: number) {
    const rule = new GateRule(cfg, cfgOffset);
    this.rule = rule;
    this.corr = gateMetric(inp.corr, rule.corrOn, "min_corr");
    this.hurst = gateMetric(inp.hurst, rule.hurstOn, "max_hurst");
    this.halfLife = gateMetric(inp.halfLife, rule.hlOn, "hl_min/hl_max");
    this.adfStat = gateMetric(inp.adfStat, rule.adfStatOn, "adf_max_stat");
    this.adfPvalue = gateMetric(inp.adfPvalue, rule.adfPvalueOn, "adf_max_pvalue");
    this.required = rule.required;
  }

  /** Whether the gates allow an entry with the metrics of slow bar i. */
  pass(i: number): boolean {
    const r = this.rule;
    if (r.required <= 0) return true;
    // only the metrics of gates that are on are read (the others are empty arrays)
    return r.allows(
      r.corrOn ? this.corr[i]! : Number.NaN,
      r.hurstOn ? this.hurst[i]! : Number.NaN,
      r.hlOn ? this.halfLife[i]! : Number.NaN,
      r.adfStatOn ? this.adfStat[i]! : Number.NaN,
      r.adfPvalueOn ? this.adfPvalue[i]! : Number.NaN,
    );
  }
}
