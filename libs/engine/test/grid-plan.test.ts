import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { InputError } from "../src/errors.js";
import {
  combinationAt,
  countCombinations,
  groupBase,
  groupCombination,
  planChunks,
  planGrid,
} from "../src/chunks/grid-plan.js";
import { validateSpec } from "../src/grid-spec/validate-spec.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-plan-"));
writeFileSync(join(dir, "A.csv"), "x");
writeFileSync(join(dir, "B.csv"), "x");

function spec(params: Record<string, unknown>, constraints: string[] = []) {
  return validateSpec(
    {
      name: "p",
      data: {
        a: { symbol: "NQ", slow: "A.csv", multiplier: 20, tick_size: 0.25 },
        b: { symbol: "YM", slow: "B.csv", multiplier: 5, tick_size: 1 },
      },
      params,
      constraints,
    },
    dir,
  );
}

describe("grid plan", () => {
  test("ids are mixed radix over the axes as written, last axis fastest", () => {
    const s = spec({ z_entry: [2, 2.5], ols_window: [100, 200, 300], zscore_window: 20, z_exit: [0, 0.5] });
    const plan = planGrid(s);
    assert.equal(plan.total, 12);
    const c = combinationAt(plan, 7); // z_entry idx 1, ols idx 0, z_exit idx 1 → 1·6 + 0·2 + 1
    assert.equal(c.z_entry, 2.5);
    assert.equal(c.ols_window, 100);
    assert.equal(c.z_exit, 0.5);
    assert.equal(c.zscore_window, 20);
    assert.equal(c.z_stop, null);
  });
  test("groups are the indicator settings; chunks cover every id exactly once, group by group", () => {
    const s = spec({
      ols_window: [100, 200],
      z_entry: [2, 2.5, 3],
      zscore_window: [20, 40],
      z_exit: [0, 0.5],
    });
    const plan = planGrid(s);
    assert.equal(plan.nGroups, 4);
    assert.equal(plan.perGroup, 6);
    const seen = new Set<number>();
    for (const ch of planChunks(plan, 4)) {
      const g = groupCombination(plan, ch.group);
      for (let t = ch.t0; t < ch.t1; t++) {
        const id = groupBase(plan, ch.group) + plan.thresholdOffset[t]!;
        const c = combinationAt(plan, id);
        assert.equal(c.ols_window, g.ols_window);
        assert.equal(c.zscore_window, g.zscore_window);
        assert.ok(!seen.has(id));
        seen.add(id);
      }
    }
    assert.equal(seen.size, 24);
  });
  test("a grid over the maximum is refused in milliseconds, with the field path", () => {
    const big = spec({
      ols_window: { from: 100, to: 100_000, step: 1 },
      zscore_window: { from: 10, to: 10_000, step: 1 },
      z_entry: { from: 1, to: 5, step: 0.001 },
    });
    assert.equal(countCombinations(big), 99_901n * 9_991n * 4_001n);
    const t0 = performance.now();
    assert.throws(
      () => planGrid(big, 1_000_000),
      (e: unknown) => e instanceof InputError && e.path === "params" && /maximum/.test(e.message),
    );
    assert.ok(performance.now() - t0 < 200, "refused quickly");
  });
  test("constraints and §10 rules are counted before refusing", () => {
    const s = spec({ ols_window: 100, zscore_window: 20, z_entry: [1, 2, 3], z_exit: [0, 1.5, 2.5] }, [
      "z_exit < z_entry - 1",
    ]);
    // valid: (2, 0), (3, 0), (3, 1.5) → 3 of 9; a maximum of 5 accepts it
    assert.equal(planGrid(s, 5).total, 9);
    assert.throws(() => planGrid(s, 2), /3 valid/);
  });
});
