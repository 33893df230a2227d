import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { InputError } from "../src/errors.js";
import {
  axisValues,
  parseConstraint,
  resolveCombination,
  satisfies,
  validateSpec,
} from "../src/grid-spec/index.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-spec-"));
writeFileSync(join(dir, "A.csv"), "x");
writeFileSync(join(dir, "B.csv"), "x");

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- specs are plain JSON mutated freely by each case
type Json = any;

function base(): Record<string, Json> {
  return {
    name: "t",
    data: {
      a: { symbol: "NQ", slow: "A.csv", multiplier: 20, tick_size: 0.25 },
      b: { symbol: "YM", slow: "B.csv", multiplier: 5, tick_size: 1 },
    },
    params: { ols_window: 100, zscore_window: 20, z_entry: [2, 2.5], z_exit: 0 },
  };
}

function rejects(mutate: (s: Record<string, Json>) => void, path: string, msg: RegExp): void {
  const s = base();
  mutate(s);
  assert.throws(
    () => validateSpec(s, dir),
    (e: unknown) => {
      assert.ok(e instanceof InputError, `not an InputError: ${e}`);
      assert.equal(e.path, path);
      assert.match(e.message, msg);
      assert.ok(e.message.startsWith(`${path}: `), e.message);
      assert.ok(!e.message.includes("\n"), "one line");
      return true;
    },
  );
}

describe("grid spec validation", () => {
  test("a minimal spec validates, with defaults and absolute data paths", () => {
    const s = validateSpec(base(), dir);
    assert.equal(s.data.bar_minutes, 5);
    assert.equal(s.session.day_roll, "18:00");
    assert.equal(s.data.a.slow, join(dir, "A.csv"));
    assert.equal(s.rank.folds, 16);
  });
  test("unknown top-level key", () => rejects((s) => (s.foo = 1), "foo", /unknown key/));
  test("unknown nested key", () => rejects((s) => (s.data.a.price = 1), "data.a.price", /unknown key/));
  test("unknown parameter", () =>
    rejects((s) => (s.params.zentry = 2), "params.zentry", /unknown parameter/));
  test("wrong type", () => rejects((s) => (s.data.bar_minutes = "5"), "data.bar_minutes", /number/));
  test("fixed z_exit ≥ z_entry can never be valid", () =>
    rejects(
      (s) => {
        s.params.z_entry = 2;
        s.params.z_exit = 2;
      },
      "params.z_exit",
      /z_exit/,
    ));
  test("a z_stop axis that is never above z_entry", () =>
    rejects((s) => (s.params.z_stop = [1, 1.5]), "params.z_stop", /z_stop/));
  test("a list value out of its domain names the index", () =>
    rejects((s) => (s.params.ols_window = [100, 1.5]), "params.ols_window[1]", /integer/));
  test("non-nullable parameter set to null", () =>
    rejects((s) => (s.params.zscore_window = null), "params.zscore_window", /null/));
  test("missing required parameter", () =>
    rejects((s) => delete s.params.zscore_window, "params.zscore_window", /required/));
  test("gate threshold without its window", () =>
    rejects((s) => (s.params.min_corr = 0.5), "params.corr_window", /required/));
  test("kalman parameter with ols hedge", () =>
    rejects((s) => (s.params.delta = 1e-4), "params.delta", /kalman/));
  test("malformed constraint", () =>
    rejects((s) => (s.constraints = ["z_exit < < z_entry"]), "constraints[0]", /unexpected/));
  test("constraint on an unknown parameter", () =>
    rejects((s) => (s.constraints = ["z_exit < zentry"]), "constraints[0]", /unknown parameter/));
  test("missing data file", () => rejects((s) => (s.data.b.slow = "nope.csv"), "data.b.slow", /not found/));
  test("csv format needs columns", () => rejects((s) => (s.data.format = "csv"), "data.columns", /required/));
  test("bad session time", () =>
    rejects((s) => (s.session = { flat_time: "25:00" }), "session.flat_time", /HH:MM/));
  test("unknown time zone", () =>
    rejects((s) => (s.session = { tz: "Mars/Base" }), "session.tz", /time zone/));
  test("unknown ranking statistic", () => rejects((s) => (s.rank = { by: "sharp" }), "rank.by", /unknown/));
  test("data.max_jump: 0.2 by default, null turns it off, a non-positive one is refused", () => {
    assert.equal(validateSpec(base(), dir).data.max_jump, 0.2);
    const off = base();
    off.data.max_jump = null;
    assert.equal(validateSpec(off, dir).data.max_jump, null);
    rejects((s) => (s.data.max_jump = 0), "data.max_jump", /0|positive/);
    rejects((s) => (s.data.max_jump = "20%"), "data.max_jump", /number/);
  });
  test("hybrid engine needs fast data", () => {
    rejects((s) => (s.engine = "hybrid_dollar"), "data.fast_seconds", /required/);
    // the curve grid reads the fast curves too
    rejects((s) => (s.engine = "hybrid_curve"), "data.fast_seconds", /required for engine hybrid_curve/);
    rejects((s) => (s.engine = "hybrid_curves"), "engine", /hybrid_curve/);
  });
});

describe("axes and combinations", () => {
  test("{from,to,step} includes `to` and rounds to 10 decimals (ENGINE.md §10)", () => {
    assert.deepEqual(axisValues({ from: 1.5, to: 3.0, step: 0.1 }).length, 16);
    assert.deepEqual(axisValues({ from: -0.5, to: 1.0, step: 0.25 }), [-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1]);
    assert.equal(axisValues({ from: 1.5, to: 3.0, step: 0.1 })[8], 2.3);
  });
  test("--set fixes parameters; the rest take their axis's first value or default", () => {
    const s = validateSpec(base(), dir);
    const c = resolveCombination(s, ["z_entry=2.5", "z_stop=null", "max_hold=50"]);
    assert.equal(c.z_entry, 2.5);
    assert.equal(c.ols_window, 100);
    assert.equal(c.z_stop, null);
    assert.equal(c.max_hold, 50);
    assert.equal(c.delta, 1e-4);
  });
  test("--set rejects unknown names, bad numbers and invalid thresholds", () => {
    const s = validateSpec(base(), dir);
    assert.throws(() => resolveCombination(s, ["zentry=2"]), /unknown parameter/);
    assert.throws(() => resolveCombination(s, ["z_entry=abc"]), /not a number/);
    assert.throws(() => resolveCombination(s, ["z_exit=3"]), /z_exit/);
    assert.throws(() => resolveCombination(s, ["ols_window=null"]), /cannot be null/);
  });
  test("constraints are parsed and evaluated, null parameters make them not apply", () => {
    const c = parseConstraint("z_stop >= z_entry + 0.5", "constraints[0]");
    assert.deepEqual(c.params.sort(), ["z_entry", "z_stop"]);
    assert.equal(satisfies(c, { z_entry: 3.0000000000000004, z_stop: 3.5 }), true);
    assert.equal(satisfies(c, { z_entry: 3.1, z_stop: 3.5 }), false);
    assert.equal(satisfies(c, { z_entry: 3.1, z_stop: null }), true);
    const d = parseConstraint("-(z_exit) * 2 < z_entry / 2", "x");
    assert.equal(satisfies(d, { z_exit: -1, z_entry: 3 }), false);
    assert.equal(satisfies(d, { z_exit: -0.5, z_entry: 3 }), true);
  });
  test("constraints are not code", () => {
    assert.throws(() => parseConstraint("process.exit(1) < z_entry", "c"), InputError);
    assert.throws(() => parseConstraint("z_entry < 2; z_exit", "c"), InputError);
  });
});
