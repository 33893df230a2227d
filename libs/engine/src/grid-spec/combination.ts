// One combination for single-combination commands (`indicators`, `backtest`, …): each parameter
// takes its `--set` value, else the first value of its axis, else its default (INTERFACE.md).
import { InputError } from "../errors.js";
import { type AxisSpec, axisValues } from "./axis.js";
import type { GridSpec } from "./grid-spec-schema.js";
import { type Combination, GATES, PARAM_BY_NAME, PARAM_NAMES } from "./param-defs.js";
import { thresholdProblem } from "./threshold-rules.js";

/** Parses `k=v` strings; v is a number or `null`. */
export function parseSets(sets: readonly string[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const s of sets) {
    const eq = s.indexOf("=");
    if (eq <= 0) throw new InputError(`--set ${s}: expected k=v`, "--set");
    const k = s.slice(0, eq).trim();
    const v = s.slice(eq + 1).trim();
    const def = PARAM_BY_NAME.get(k);
    if (!def) throw new InputError(`--set ${k}: unknown parameter (known: ${PARAM_NAMES.join(", ")})`, k);
    if (v === "null") {
      if (!def.nullable) throw new InputError(`--set ${k}: cannot be null`, k);
      out[k] = null;
      continue;
    }
    const num = Number(v);
    if (v === "" || !Number.isFinite(num)) throw new InputError(`--set ${k}=${v}: not a number`, k);
    if (def.kind === "int" && !Number.isInteger(num)) {
      throw new InputError(`--set ${k}=${v}: must be an integer`, k);
    }
    const problem = def.check(num);
    if (problem) throw new InputError(`--set ${k}=${v}: ${problem}`, k);
    out[k] = num;
  }
  return out;
}

/** Resolves one combination; `requireValidThresholds` for commands that trade. */
export function resolveCombination(
  spec: GridSpec,
  sets: readonly string[],
  requireValidThresholds = true,
): Combination {
  const fixed = parseSets(sets);
  const params = spec.params as Record<string, AxisSpec>;
  const c: Combination = {};
  for (const name of PARAM_NAMES) {
    if (name in fixed) c[name] = fixed[name]!;
    else if (name in params) c[name] = axisValues(params[name]!)[0]!;
    else c[name] = PARAM_BY_NAME.get(name)!.default;
  }
  if (spec.hedge === "ols" && c.ols_window === null)
    throw new InputError("ols_window: required", "ols_window");
  if (c.zscore_window === null) throw new InputError("zscore_window: required", "zscore_window");
  // an enabled gate needs its metric's window (ENGINE.md §10), whether set by the spec or --set
  for (const gate of GATES) {
    const on = gate.thresholds.some((t) => c[t] !== null && c[t] !== undefined);
    if (on && (c[gate.window] === null || c[gate.window] === undefined)) {
      const msg = `${gate.window}: required (not null) when ${gate.thresholds.join("/")} is set`;
      throw new InputError(msg, gate.window);
    }
  }
  if (requireValidThresholds) {
    const problem = thresholdProblem(c);
    if (problem) throw new InputError(`${problem[0]}: ${problem[1]}`, problem[0]);
  }
  return c;
}
