// Gates that never refuse an entry are no gates. A gate acts only on entries (ENGINE.md §4–5), at
// the bars where z, the window and the calendar allow one; when it passes at every such bar of the
// combination's z_entry level, the combination trades exactly as its ungated twin. Marking it so
// (its gate fields set to "off") lets the grid run the twin once: in W2, min_corr 0.6 never refuses
// on the synthetic pair and half the grid is such twins. When a gate does refuse somewhere, nothing
// changes: the kernels read its gated entry candidates as before.
import { CFG_MIN_GATES, CFG_Z_ENTRY } from "../rules/config-vector.js";
import { GATE_THRESHOLDS, gateKeyOf, type GroupEvents } from "./event-index.js";
import { type GateMetrics, GateSet } from "../rules/kernel-gates.js";

const THRESHOLDS = GATE_THRESHOLDS;
const GATE_FIELDS = [...GATE_THRESHOLDS, CFG_MIN_GATES];

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
  // a chunk cycles through a few gate configurations (W6: 8, the fastest axes): each one's
  // ceiling is found once and later combinations with the same gate fields (bit for bit) reuse
  // it, instead of a GateSet and a string key per combination (3–5 % of W6's kernel time)
  const words = new Uint32Array(cfgs.buffer, cfgs.byteOffset, cfgs.length * 2);
  const seen: { at: number; ceiling: number }[] = [];
  for (const o of offsets) {
    if (THRESHOLDS.every((f) => Number.isNaN(cfgs[o + f]!)) && cfgs[o + CFG_MIN_GATES] === -1) continue;
    let ceiling = Number.NaN;
    for (const c of seen) {
      if (sameGateBits(words, c.at, o)) {
        ceiling = c.ceiling;
        break;
      }
    }
    if (Number.isNaN(ceiling)) {
      const gates = new GateSet(metrics, cfgs, o);
      // no gate required: allows everything, like a ceiling below every level
      ceiling = gates.required > 0 ? events.refusalCeiling(gateKeyOf(cfgs, o), gates, floor) : -Infinity;
      if (seen.length < MAX_SEEN) seen.push({ at: o, ceiling });
    }
    if (ceiling >= cfgs[o + CFG_Z_ENTRY]!) continue;
    clearGates(cfgs, o);
    cleared++;
  }
  return cleared;
}

/** Gate configurations remembered per call (a chunk rarely holds more). */
const MAX_SEEN = 64;

/** Whether the gate fields of the configurations at offsets a and b are equal bit for bit. */
function sameGateBits(words: Uint32Array, a: number, b: number): boolean {
  for (const f of GATE_FIELDS) {
    const x = 2 * (a + f);
    const y = 2 * (b + f);
    if (words[x] !== words[y] || words[x + 1] !== words[y + 1]) return false;
  }
  return true;
}
