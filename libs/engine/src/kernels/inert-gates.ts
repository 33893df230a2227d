// Gates that never refuse an entry are no gates. A gate acts only on entries (ENGINE.md §4–5), at
// the bars where z, the window and the calendar allow one; when it passes at every such bar of the
// combination's z_entry level, the combination trades exactly as its ungated twin. Marking it so
// (its gate fields set to "off") lets the grid run the twin once: in W2, min_corr 0.6 never refuses
// on the synthetic pair and half the grid is such twins. When a gate does refuse somewhere, nothing
// changes: the kernels read its gated entry array as before.
import { CFG_MIN_GATES, CFG_Z_ENTRY } from "../rules/config-vector.js";
import { GATE_THRESHOLDS, gateKeyOf, type GroupEvents } from "./event-index.js";
import { type GateMetrics, GateSet } from "../rules/kernel-gates.js";

const THRESHOLDS = GATE_THRESHOLDS;

/** Writes "no gates" into a configuration vector: what fillConfig writes for null thresholds. */
function clearGates(cfg: Float64Array, o: number): void {
  for (const f of THRESHOLDS) cfg[o + f] = NaN;
  cfg[o + CFG_MIN_GATES] = -1;
}

/**
 * Clears the gates of every configuration (at `offsets`) whose gates refuse no entry candidate of
 * its z_entry level in this group; returns how many were cleared. Gates that are on but need no
 * pass (min_gates 0) are cleared too: they allow everything.
 */
export function dropInertGates(
  metrics: GateMetrics,
  events: GroupEvents,
  cfgs: Float64Array,
  offsets: readonly number[],
): number {
  let cleared = 0;
  // bars with |z| below every z_entry here cannot make a gate matter to any of them
  let floor = Infinity;
  for (const o of offsets) floor = Math.min(floor, cfgs[o + CFG_Z_ENTRY]!);
  for (const o of offsets) {
    if (THRESHOLDS.every((f) => Number.isNaN(cfgs[o + f]!)) && cfgs[o + CFG_MIN_GATES] === -1) continue;
    const gates = new GateSet(metrics, cfgs, o);
    if (
      gates.required > 0 &&
      events.refusalCeiling(gateKeyOf(cfgs, o), gates, floor) >= cfgs[o + CFG_Z_ENTRY]!
    ) {
      continue;
    }
    clearGates(cfgs, o);
    cleared++;
  }
  return cleared;
}
