// The §4 entry filter of one bar, from the gate metrics the replay computed for it: the same rule
// the kernels apply (GateRule, rules/kernel-gates.ts), fed with one bar's metrics.
import { GateRule } from "../rules/kernel-gates.js";

/** Gate thresholds of a config vector; NaN = gate off, minGates −1 = all enabled gates. */
export type GateThresholds = GateRule;

export interface GateMetrics {
  corr: number;
  hurst: number;
  halfLife: number;
  adfStat: number;
  adfPvalue: number;
}

export function gateThresholds(cfg: Float64Array): GateThresholds {
  return new GateRule(cfg, 0);
}

/** Whether the gates allow an entry at a bar with metrics `m`. */
export function gatesAllow(m: GateMetrics, t: GateThresholds): boolean {
  return t.allows(m.corr, m.hurst, m.halfLife, m.adfStat, m.adfPvalue);
}
