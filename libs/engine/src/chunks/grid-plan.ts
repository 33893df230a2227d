// A grid spec's expansion plan (ENGINE.md §10, INTERFACE.md): axes in the order written under
// `params`, combination ids in mixed radix with the last axis fastest, so the same spec always
// gives the same ids. The axes split in two:
//   - indicator axes (hedge and window parameters): each setting of them is a GROUP, whose
//     hedge, z-score and gate arrays are computed once and shared by all its combinations;
//   - threshold axes (everything else): what the kernel varies over a group's shared arrays.
// A chunk is a range of threshold indices inside one group, so it reuses one z array.
import { InputError } from "../errors.js";
import { type AxisSpec, axisLength, axisValues } from "../grid-spec/axis.js";
import { type Constraint, parseConstraint, satisfies } from "../grid-spec/constraints.js";
import type { GridSpec } from "../grid-spec/grid-spec-schema.js";
import { type Combination, PARAM_DEFS, PARAM_NAMES } from "../grid-spec/param-defs.js";
import { thresholdProblem } from "../grid-spec/threshold-rules.js";

/** Parameters that change the per-bar arrays (hedge, spread, z, gate metrics). */
export const INDICATOR_PARAMS: readonly string[] = [
  "ols_window",
  "delta",
  "ve",
  "zscore_window",
  "corr_window",
  "hurst_window",
  "hl_window",
  "adf_window",
];

/** Default refusal threshold; `PAIRGRID_MAX_COMBOS` or the caller can change it. */
export const DEFAULT_MAX_COMBOS = 50_000_000;

export interface GridAxis {
  name: string;
  values: (number | null)[];
  /** Id stride: product of the lengths of the axes after this one. */
  stride: number;
}

export interface GridPlan {
  axes: GridAxis[];
  /** Every parameter's value where it is not an axis (its spec value or default). */
  fixed: Combination;
  /** Number of combination ids (valid or not). */
  total: number;
  indicatorAxes: number[];
  thresholdAxes: number[];
  nGroups: number;
  perGroup: number;
  constraints: Constraint[];
  /** Id offset of each threshold index (sum over threshold axes of index·stride). */
  thresholdOffset: Float64Array;
  /**
   * Threshold indices a chunk should not split (chunking.ts): for hybrid_curve, the (tp, sl) cells
   * of one slow setting — the product of the lengths of the dollar axes that are the LAST threshold
   * axes (consecutive indices then share a slow run). 1 otherwise.
   */
  chunkBlock: number;
}

export interface Chunk {
  chunkId: number;
  group: number;
  /** Threshold index range [t0, t1) inside the group. */
  t0: number;
  t1: number;
}

/** Exact number of combination ids, without expanding anything. */
export function countCombinations(spec: GridSpec): bigint {
  let n = 1n;
  for (const axis of Object.values(spec.params as Record<string, AxisSpec>)) n *= BigInt(axisLength(axis));
  return n;
}

export function maxCombosFromEnv(): number {
  const v = Number(process.env.PAIRGRID_MAX_COMBOS);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_MAX_COMBOS;
}

/**
 * Builds the plan, refusing (InputError at `params`) a grid whose valid combinations would exceed
 * `maxCombos`. The refusal takes milliseconds: the count is a BigInt product of axis lengths;
 * only when that exceeds the maximum are the threshold axes walked once (bounded) to count the
 * combinations the built-in rules and constraints keep.
 */
export function planGrid(spec: GridSpec, maxCombos = maxCombosFromEnv()): GridPlan {
  const raw = countCombinations(spec);
  const params = spec.params as Record<string, AxisSpec>;
  const names = Object.keys(params);
  const axes: GridAxis[] = names.map((name) => ({ name, values: axisValues(params[name]!), stride: 0 }));
  let stride = 1;
  for (let k = axes.length - 1; k >= 0; k--) {
    axes[k]!.stride = stride;
    stride *= axes[k]!.values.length;
  }
  let fixed: Combination = {};
  for (const d of PARAM_DEFS) fixed[d.name] = d.default;
  for (const a of axes) if (a.values.length === 1) fixed[a.name] = a.values[0]!;
  // Keyed stores of ~20 names leave `fixed` in dictionary mode, and every copy of it made per
  // combination (combinationAt) was slow with it: ~4 µs, a tenth of a W2 chunk's thread time. A
  // spread copy of it is a fast-properties object, and so are the copies made from that.
  fixed = { ...fixed };
  const indicatorAxes: number[] = [];
  const thresholdAxes: number[] = [];
  axes.forEach((a, k) => (INDICATOR_PARAMS.includes(a.name) ? indicatorAxes : thresholdAxes).push(k));
  const len = (ks: number[]) => ks.reduce((p, k) => p * axes[k]!.values.length, 1);
  const nGroups = len(indicatorAxes);
  const perGroup = len(thresholdAxes);
  const constraints = spec.constraints.map((text, i) => parseConstraint(text, `constraints[${i}]`));

  if (raw > BigInt(maxCombos)) {
    const kept = estimateValid(axes, fixed, indicatorAxes, thresholdAxes, constraints, nGroups, perGroup);
    if (kept === null || kept > maxCombos) {
      const what = kept === null ? `${raw}` : `${raw} (${kept} valid)`;
      throw new InputError(
        `params: the grid has ${what} combinations, over the maximum of ${maxCombos} ` +
          "(set PAIRGRID_MAX_COMBOS or --max-combos to raise it)",
        "params",
      );
    }
  }
  const plan: GridPlan = {
    axes,
    fixed,
    total: Number(raw),
    indicatorAxes,
    thresholdAxes,
    nGroups,
    perGroup,
    constraints,
    thresholdOffset: new Float64Array(perGroup),
    chunkBlock: spec.engine === "hybrid_curve" ? trailingDollarBlock(axes, thresholdAxes) : 1,
  };
  for (let t = 0; t < perGroup; t++) plan.thresholdOffset[t] = offsetOf(plan, thresholdAxes, t);
  return plan;
}

/** Product of the lengths of the dollar_tp / dollar_sl axes at the end of the threshold axes. */
function trailingDollarBlock(axes: GridAxis[], thresholdAxes: number[]): number {
  let block = 1;
  for (let j = thresholdAxes.length - 1; j >= 0; j--) {
    const axis = axes[thresholdAxes[j]!]!;
    if (axis.name !== "dollar_tp" && axis.name !== "dollar_sl") break;
    block *= axis.values.length;
  }
  return block;
}

/** Sum of index·stride over `which` axes for mixed-radix index `r` over those axes. */
function offsetOf(plan: { axes: GridAxis[] }, which: number[], r: number): number {
  let off = 0;
  for (let j = which.length - 1; j >= 0; j--) {
    const axis = plan.axes[which[j]!]!;
    const n = axis.values.length;
    off += (r % n) * axis.stride;
    r = Math.floor(r / n);
  }
  return off;
}

/**
 * Valid combinations = groups × valid threshold sets, when no constraint mentions an indicator
 * parameter and the threshold product is small enough to walk; null when it cannot be known
 * cheaply (then the raw count decides).
 */
function estimateValid(
  axes: GridAxis[],
  fixed: Combination,
  indicatorAxes: number[],
  thresholdAxes: number[],
  constraints: Constraint[],
  nGroups: number,
  perGroup: number,
): number | null {
  const indicatorNames = new Set(indicatorAxes.map((k) => axes[k]!.name));
  if (perGroup > 2_000_000 || constraints.some((c) => c.params.some((p) => indicatorNames.has(p))))
    return null;
  const c: Combination = { ...fixed };
  let valid = 0;
  for (let t = 0; t < perGroup; t++) {
    let r = t;
    for (let j = thresholdAxes.length - 1; j >= 0; j--) {
      const axis = axes[thresholdAxes[j]!]!;
      c[axis.name] = axis.values[r % axis.values.length]!;
      r = Math.floor(r / axis.values.length);
    }
    if (thresholdProblem(c) === null && constraints.every((con) => satisfies(con, c))) valid++;
  }
  return valid * nGroups;
}

/** The combination with id `id` (0 ≤ id < total). */
export function combinationAt(plan: GridPlan, id: number): Combination {
  const c: Combination = { ...plan.fixed };
  for (const axis of plan.axes)
    c[axis.name] = axis.values[Math.floor(id / axis.stride) % axis.values.length]!;
  return c;
}

/** Id of the first combination of group g (its threshold axes all at index 0). */
export function groupBase(plan: GridPlan, g: number): number {
  return offsetOf(plan, plan.indicatorAxes, g);
}

/** The indicator parameters of group g (hedge and windows), as a combination. */
export function groupCombination(plan: GridPlan, g: number): Combination {
  return combinationAt(plan, groupBase(plan, g));
}

/** Whether a combination is run: §10 threshold rules and the spec's constraints. */
export function isValidCombination(plan: GridPlan, c: Combination): boolean {
  return thresholdProblem(c) === null && plan.constraints.every((con) => satisfies(con, c));
}

/** Chunks in group-major order, deterministic for a spec and chunk size. */
export function planChunks(plan: GridPlan, chunkSize: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (let g = 0; g < plan.nGroups; g++) {
    for (let t0 = 0; t0 < plan.perGroup; t0 += chunkSize) {
      chunks.push({ chunkId: chunks.length, group: g, t0, t1: Math.min(plan.perGroup, t0 + chunkSize) });
    }
  }
  return chunks;
}

/** Parameter values of a combination in PARAM_NAMES order (NaN = null), e.g. for result rows. */
export function paramVector(c: Combination, out: Float64Array, offset = 0): void {
  PARAM_NAMES.forEach((name, k) => {
    const v = c[name];
    out[offset + k] = v === null || v === undefined ? Number.NaN : v;
  });
}
