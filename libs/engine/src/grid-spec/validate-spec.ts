// Grid spec validation: zod shape first, then the rules that tie fields together. Every error is
// an InputError whose message starts with the field path, e.g. `params.z_exit: …`.
import { isAbsolute, resolve } from "node:path";
import type { z } from "zod";
import { InputError } from "../errors.js";
import { hasLegFiles } from "../loaders/leg-files.js";
import { TimeZone } from "../calendar/tz.js";
import { type AxisSpec, axisLength, axisValues } from "./axis.js";
import { parseConstraint } from "./constraints.js";
import { type GridSpec, gridSpecSchema } from "./grid-spec-schema.js";
import { type Combination, GATES, PARAM_BY_NAME, PARAM_DEFS } from "./param-defs.js";
import { RANKABLE } from "./stat-names.js";
import { thresholdProblem } from "./threshold-rules.js";

/** Largest cartesian product of threshold axes searched for one valid set. */
const THRESHOLD_SEARCH_CAP = 2_000_000;

/** `a.b[2].c` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out;
}

function fail(path: string, message: string): never {
  throw new InputError(`${path}: ${message}`, path);
}

/** The first zod issue as an InputError (one line, with the path). */
export function zodToInputError(err: z.ZodError, prefix = ""): InputError {
  const issue = err.issues[0]!;
  const path = prefix + formatPath(issue.path);
  let message = issue.message;
  if (issue.code === "unrecognized_keys") {
    const keys = (issue as { keys: string[] }).keys;
    const p = path === "" ? keys[0]! : `${path}.${keys[0]}`;
    return new InputError(`${p}: unknown key '${keys[0]}'`, p);
  }
  if (issue.code === "invalid_type" && message.startsWith("Invalid input")) message = message.toLowerCase();
  return new InputError(`${path || "(spec)"}: ${message}`, path);
}

/**
 * Validates a parsed spec object. `baseDir` resolves relative data paths; `checkFiles` makes a
 * missing data file an error here, before any work starts.
 */
export function validateSpec(raw: unknown, baseDir: string, checkFiles = true): GridSpec {
  const parsed = gridSpecSchema.safeParse(raw);
  if (!parsed.success) throw zodToInputError(parsed.error);
  const spec = parsed.data;

  TimeZone.of(spec.data.tz, "data.tz");
  TimeZone.of(spec.session.tz, "session.tz");
  validateData(spec, baseDir, checkFiles);
  validateParams(spec);
  spec.constraints.forEach((text, i) => {
    parseConstraint(text, `constraints[${i}]`);
  });
  if (!(RANKABLE as readonly string[]).includes(spec.rank.by)) {
    fail("rank.by", `unknown statistic '${spec.rank.by}' (one of: ${RANKABLE.join(", ")})`);
  }
  return spec;
}

function validateData(spec: GridSpec, baseDir: string, checkFiles: boolean): void {
  const d = spec.data;
  if (d.format === "csv" && !d.columns) fail("data.columns", "required when format is csv");
  if (d.format !== "csv" && d.columns) fail("data.columns", "only for format csv");
  if (d.format !== "csv" && d.delimiter !== undefined && d.delimiter !== ",") {
    fail("data.delimiter", `only for format csv (${d.format} files are comma-separated)`);
  }
  if (d.start && d.end && d.start > d.end) fail("data.end", `is before data.start (${d.start})`);
  if (d.roll !== undefined && d.format !== "databento") {
    fail("data.roll", `only for format databento (its rows name their contract; ${d.format} files do not)`);
  }
  const slowMs = d.bar_minutes * 60_000;
  if (d.file_bar_seconds !== undefined && d.file_bar_seconds * 1000 > slowMs) {
    fail("data.file_bar_seconds", "bars in the files are coarser than bar_minutes");
  }
  const hybrid = spec.engine !== "slow";
  if (hybrid) {
    if (d.fast_seconds === undefined) fail("data.fast_seconds", `required for engine ${spec.engine}`);
    if (slowMs % (d.fast_seconds * 1000) !== 0) {
      fail("data.fast_seconds", "must divide the slow bar length");
    }
  }
  for (const legName of ["a", "b"] as const) {
    const legSpec = d[legName];
    legSpec.slow = absolute(baseDir, legSpec.slow);
    if (legSpec.fast !== undefined) legSpec.fast = absolute(baseDir, legSpec.fast);
    if (hybrid && legSpec.fast === undefined) {
      fail(`data.${legName}.fast`, `required for engine ${spec.engine}`);
    }
    if (checkFiles) {
      if (!hasLegFiles(legSpec.slow)) {
        fail(
          `data.${legName}.slow`,
          `file not found: ${legSpec.slow} (nor a folder or glob holding data files)`,
        );
      }
      if (hybrid && legSpec.fast && !hasLegFiles(legSpec.fast)) {
        fail(
          `data.${legName}.fast`,
          `file not found: ${legSpec.fast} (nor a folder or glob holding data files)`,
        );
      }
    }
  }
}

function absolute(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

function validateParams(spec: GridSpec): void {
  const params = spec.params as Record<string, AxisSpec>;
  for (const [name, axis] of Object.entries(params)) {
    const def = PARAM_BY_NAME.get(name)!;
    const n = axisLength(axis);
    if (n > 1_000_000) fail(`params.${name}`, `axis has ${n} values (at most 1,000,000)`);
    axisValues(axis).forEach((v, k) => {
      const at = Array.isArray(axis) ? `params.${name}[${k}]` : `params.${name}`;
      if (v === null) {
        if (!def.nullable) fail(at, "cannot be null");
        return;
      }
      if (def.kind === "int" && !Number.isInteger(v)) fail(at, `must be an integer (got ${v})`);
      const problem = def.check(v);
      if (problem) fail(at, `${problem} (got ${v})`);
    });
  }
  const has = (k: string) => k in params;
  if (spec.hedge === "ols") {
    if (!has("ols_window")) fail("params.ols_window", "required with hedge: ols");
    for (const k of ["delta", "ve"]) if (has(k)) fail(`params.${k}`, "only with hedge: kalman");
  } else if (has("ols_window")) {
    fail("params.ols_window", "only with hedge: ols");
  }
  for (const k of ["zscore_window", "z_entry"]) if (!has(k)) fail(`params.${k}`, "required");

  for (const gate of GATES) {
    const on = gate.thresholds.some((t) => has(t) && axisValues(params[t]!).some((v) => v !== null));
    if (!on) continue;
    const w = has(gate.window) ? axisValues(params[gate.window]!) : [null];
    if (w.some((v) => v === null)) {
      fail(`params.${gate.window}`, `required (not null) when ${gate.thresholds.join("/")} is set`);
    }
  }
  const hurstWindow = has("hurst_window") ? axisValues(params.hurst_window!) : [];
  if (hurstWindow.some((v) => v !== null) && spec.gates.hurst_lags.some((l) => l < 1)) {
    fail("gates.hurst_lags", "lags must be ≥ 1");
  }
  requireSomeValidThresholds(params);
}

/** A threshold set that can never be valid is refused up front (INTERFACE.md). */
function requireSomeValidThresholds(params: Record<string, AxisSpec>): void {
  const names = ["z_entry", "z_exit", "z_stop", "dollar_tp", "dollar_sl", "max_hold"];
  const axes = names.map((k) => (k in params ? axisValues(params[k]!) : [PARAM_BY_NAME.get(k)!.default]));
  const total = axes.reduce((p, a) => p * a.length, 1);
  if (total > THRESHOLD_SEARCH_CAP) return; // too many to search; expansion skips invalid ones
  const idx = new Array(names.length).fill(0);
  let firstProblem: [string, string] | null = null;
  const c: Combination = {};
  for (let n = 0; n < total; n++) {
    names.forEach((k, j) => {
      c[k] = axes[j]![idx[j]]!;
    });
    const problem = thresholdProblem(c);
    if (!problem) return;
    firstProblem ??= problem;
    for (let j = names.length - 1; j >= 0; j--) {
      if (++idx[j] < axes[j]!.length) break;
      idx[j] = 0;
    }
  }
  const [param, reason] = firstProblem!;
  fail(`params.${param}`, `no valid combination: ${reason}`);
}

/** All parameter names with their default when the spec does not mention them. */
export function paramDefaults(): Combination {
  const out: Combination = {};
  for (const d of PARAM_DEFS) out[d.name] = d.default;
  return out;
}
