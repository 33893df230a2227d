// Validity of one threshold set (ENGINE.md §10 "Thresholds"). Shared by spec validation (a fixed
// set that can never be valid is an error) and grid expansion (invalid combinations are skipped).
import type { Combination } from "./param-defs.js";

/** Why the combination's thresholds are invalid, as `[param, reason]`, or null when valid. */
export function thresholdProblem(c: Combination): [string, string] | null {
  const ze = c.z_entry;
  const zx = c.z_exit;
  const zs = c.z_stop;
  if (ze === null || ze === undefined || !(ze > 0)) return ["z_entry", "z_entry must be > 0"];
  if (zx === null || zx === undefined || !(Math.abs(zx) < ze)) {
    return ["z_exit", `|z_exit| must be < z_entry (z_exit ${zx}, z_entry ${ze})`];
  }
  if (zs !== null && zs !== undefined && !(zs > ze)) {
    return ["z_stop", `z_stop must be > z_entry or null (z_stop ${zs}, z_entry ${ze})`];
  }
  for (const k of ["dollar_tp", "dollar_sl"] as const) {
    const v = c[k];
    if (v !== null && v !== undefined && !(v > 0)) return [k, `${k} must be > 0 or null`];
  }
  const mh = c.max_hold;
  if (mh !== null && mh !== undefined && !(mh >= 0)) return ["max_hold", "max_hold must be ≥ 0"];
  return null;
}
