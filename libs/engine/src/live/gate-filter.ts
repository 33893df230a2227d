// The §4 entry filter of one bar, from the gate metrics the replay computed for it: every enabled
// gate must pass, or at least `min_gates` of them when the confidence filter is set. A NaN metric
// fails its gate; HL = +∞ passes a lone `hl_min` (§10).
import * as C from "../rules/config-vector.js";

/** Gate thresholds of a config vector; NaN = gate off, minGates −1 = all enabled gates. */
export interface GateThresholds {
  minCorr: number;
  maxHurst: number;
  hlMin: number;
  hlMax: number;
  adfMaxStat: number;
  adfMaxPvalue: number;
  minGates: number;
}

export interface GateMetrics {
  corr: number;
  hurst: number;
  halfLife: number;
  adfStat: number;
  adfPvalue: number;
}

export function gateThresholds(cfg: Float64Array): GateThresholds {
  return {
    minCorr: cfg[C.CFG_MIN_CORR]!,
    maxHurst: cfg[C.CFG_MAX_HURST]!,
    hlMin: cfg[C.CFG_HL_MIN]!,
    hlMax: cfg[C.CFG_HL_MAX]!,
    adfMaxStat: cfg[C.CFG_ADF_MAX_STAT]!,
    adfMaxPvalue: cfg[C.CFG_ADF_MAX_PVALUE]!,
    minGates: cfg[C.CFG_MIN_GATES]!,
  };
}

const isOn = (threshold: number) => !Number.isNaN(threshold);

/** Whether the gates allow an entry at a bar with metrics `m`. */
export function gatesAllow(m: GateMetrics, t: GateThresholds): boolean {
  let enabled = 0;
  let passed = 0;
  const gate = (pass: boolean) => {
    enabled++;
    if (pass) passed++;
  };
  // comparisons with NaN are false, so a NaN metric fails by itself
  if (isOn(t.minCorr)) gate(m.corr >= t.minCorr);
  if (isOn(t.maxHurst)) gate(m.hurst <= t.maxHurst);
  if (isOn(t.hlMin) || isOn(t.hlMax)) {
    const hl = m.halfLife;
    gate(!Number.isNaN(hl) && (!isOn(t.hlMin) || hl >= t.hlMin) && (!isOn(t.hlMax) || hl <= t.hlMax));
  }
  if (isOn(t.adfMaxStat)) gate(m.adfStat <= t.adfMaxStat);
  if (isOn(t.adfMaxPvalue)) gate(m.adfPvalue <= t.adfMaxPvalue);
  return t.minGates < 0 ? passed === enabled : passed >= t.minGates;
}
