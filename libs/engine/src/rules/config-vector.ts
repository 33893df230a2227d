// The Float64Array config vector every kernel takes, so a kernel's signature never changes when a
// parameter is added. Off features are NaN (thresholds, dollar levels, gates) or 0 (max_hold).
import type { GridSpec } from "../grid-spec/grid-spec-schema.js";
import type { Combination } from "../grid-spec/param-defs.js";

export const CFG_Z_ENTRY = 0;
export const CFG_Z_EXIT = 1;
/** NaN = no z stop. */
export const CFG_Z_STOP = 2;
/** 0 = off. */
export const CFG_MAX_HOLD = 3;
/** NaN = off. */
export const CFG_DOLLAR_TP = 4;
export const CFG_DOLLAR_SL = 5;
/** Gate thresholds; NaN = gate off. */
export const CFG_MIN_CORR = 6;
export const CFG_MAX_HURST = 7;
export const CFG_HL_MIN = 8;
export const CFG_HL_MAX = 9;
export const CFG_ADF_MAX_STAT = 10;
export const CFG_ADF_MAX_PVALUE = 11;
/** −1 = every enabled gate must pass; k ≥ 0 = at least k of them. */
export const CFG_MIN_GATES = 12;
export const CFG_MULT_A = 13;
export const CFG_MULT_B = 14;
export const CFG_TICK_A = 15;
export const CFG_TICK_B = 16;
/** Dollars per contract per side. */
export const CFG_COMMISSION = 17;
/** Ticks per contract per side. */
export const CFG_SLIPPAGE_TICKS = 18;
export const CFG_BASE_QTY = 19;
/** 1 = plain sizing; K > 1 = micro multiplier search over k = 1…K. */
export const CFG_MAX_MULT = 20;
/**
 * Hybrid dollar kernel only: 1 = skip the fast rows of a slow bar whose fast-close extremes show
 * neither dollar level can be reached (exact, the default); 0 = scan every fast row of every held
 * bar (tests and benchmarks compare the two). Every other kernel ignores it.
 */
export const CFG_HYBRID_PRUNE = 21;
export const CFG_LENGTH = 22;

const orNaN = (v: number | null | undefined) => (v === null || v === undefined ? Number.NaN : v);

/** Fills `cfg` (length ≥ CFG_LENGTH) for one combination; returns it. */
export function fillConfig(cfg: Float64Array, spec: GridSpec, c: Combination, offset = 0): Float64Array {
  cfg[offset + CFG_Z_ENTRY] = c.z_entry!;
  cfg[offset + CFG_Z_EXIT] = c.z_exit ?? 0;
  cfg[offset + CFG_Z_STOP] = orNaN(c.z_stop);
  cfg[offset + CFG_MAX_HOLD] = c.max_hold ?? 0;
  cfg[offset + CFG_DOLLAR_TP] = orNaN(c.dollar_tp);
  cfg[offset + CFG_DOLLAR_SL] = orNaN(c.dollar_sl);
  cfg[offset + CFG_MIN_CORR] = orNaN(c.min_corr);
  cfg[offset + CFG_MAX_HURST] = orNaN(c.max_hurst);
  cfg[offset + CFG_HL_MIN] = orNaN(c.hl_min);
  cfg[offset + CFG_HL_MAX] = orNaN(c.hl_max);
  cfg[offset + CFG_ADF_MAX_STAT] = orNaN(c.adf_max_stat);
  cfg[offset + CFG_ADF_MAX_PVALUE] = orNaN(c.adf_max_pvalue);
  cfg[offset + CFG_MIN_GATES] = c.min_gates ?? -1;
  cfg[offset + CFG_MULT_A] = spec.data.a.multiplier;
  cfg[offset + CFG_MULT_B] = spec.data.b.multiplier;
  cfg[offset + CFG_TICK_A] = spec.data.a.tick_size;
  cfg[offset + CFG_TICK_B] = spec.data.b.tick_size;
  cfg[offset + CFG_COMMISSION] = spec.costs.commission;
  cfg[offset + CFG_SLIPPAGE_TICKS] = spec.costs.slippage_ticks;
  cfg[offset + CFG_BASE_QTY] = spec.sizing.base_qty;
  cfg[offset + CFG_MAX_MULT] = spec.sizing.max_mult;
  cfg[offset + CFG_HYBRID_PRUNE] = 1;
  return cfg;
}

export function configFor(spec: GridSpec, c: Combination): Float64Array {
  return fillConfig(new Float64Array(CFG_LENGTH), spec, c);
}
