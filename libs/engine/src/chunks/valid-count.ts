// Number of combinations a grid really runs (the §10 threshold rules and the spec's constraints
// drop the others), for jobs.n_combos: a finished job then shows n_done = n_combos.
import {
  combinationAt,
  type GridPlan,
  groupBase,
  INDICATOR_PARAMS,
  isValidCombination,
} from "./grid-plan.js";

/** Above this many checks the count is not worth its time; the id count is used instead. */
const MAX_CHECKS = 5_000_000;

function validInGroup(plan: GridPlan, g: number): number {
  const base = groupBase(plan, g);
  let valid = 0;
  for (let t = 0; t < plan.perGroup; t++) {
    if (isValidCombination(plan, combinationAt(plan, base + plan.thresholdOffset[t]!))) valid++;
  }
  return valid;
}

/**
 * Valid combinations; exact unless the grid is too large to check, when it is the number of ids
 * (an upper bound). When no constraint mentions an indicator parameter, every group keeps the
 * same threshold sets, so one group is enough.
 */
export function countValidCombinations(plan: GridPlan): number {
  const perGroupOnly = plan.constraints.every((c) => c.params.every((p) => !INDICATOR_PARAMS.includes(p)));
  if (perGroupOnly) {
    return plan.perGroup <= MAX_CHECKS ? validInGroup(plan, 0) * plan.nGroups : plan.total;
  }
  if (plan.total > MAX_CHECKS) return plan.total;
  let valid = 0;
  for (let g = 0; g < plan.nGroups; g++) valid += validInGroup(plan, g);
  return valid;
}
