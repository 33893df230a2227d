// Which slow kernel a grid runs (kernel-choice.ts): the event-driven one when it can run some
// combinations and a group has enough of them to repay its index, never for hybrid grids or when
// every combination has a dollar exit; gate configurations add no arrays to a group.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { planGrid } from "../src/chunks/grid-plan.js";
import { eventSettingsFor } from "../src/kernels/kernel-choice.js";
import { packArrays } from "../src/chunks/shared-arrays.js";
import type { GridSpec } from "../src/grid-spec/grid-spec-schema.js";
import { validateSpec } from "../src/grid-spec/validate-spec.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-choice-"));
writeFileSync(join(dir, "a.csv"), "");
writeFileSync(join(dir, "b.csv"), "");
const n = 1000;
const base = packArrays({
  eod: new Uint8Array(n),
  windowOk: new Uint8Array(n).fill(1),
  dayIndex: new Int32Array(n),
});

function spec(params: Record<string, unknown>, over: Record<string, unknown> = {}): GridSpec {
  return validateSpec(
    {
      name: "choice",
      data: {
        a: { symbol: "NQ", slow: "a.csv", multiplier: 20, tick_size: 0.25 },
        b: { symbol: "YM", slow: "b.csv", multiplier: 5, tick_size: 1 },
      },
      params: { ols_window: 100, zscore_window: 50, ...params },
      ...over,
    },
    dir,
  );
}

const big = { z_entry: [1.5, 2, 2.5], z_exit: [0, 0.5], z_stop: [null, 3, 4], max_hold: [0, 10, 20, 40] };

test("auto takes events on a big enough slow grid; scan never; events whenever it can run", () => {
  const s = spec(big);
  const plan = planGrid(s);
  const ev = eventSettingsFor(s, plan, base, "auto");
  assert.ok(ev !== null, "72 combinations per group against 13 levels");
  assert.deepEqual(ev.levels.entry, [1.5, 2, 2.5]);
  assert.deepEqual(ev.levels.atLeast, [-0.5, 0, 3, 4]);
  assert.deepEqual(ev.levels.atMost, [-4, -3, 0, 0.5]);
  assert.equal(eventSettingsFor(s, plan, base, "scan"), null);

  const small = spec({ z_entry: 2, z_exit: 0.5 });
  assert.equal(eventSettingsFor(small, planGrid(small), base, "auto"), null, "one combination: scan");
  assert.ok(eventSettingsFor(small, planGrid(small), base, "events") !== null, "forced");
});

test("no event index when every combination has a dollar exit, or for hybrid engines", () => {
  const allDollar = spec({ ...big, dollar_tp: [300, 500] });
  assert.equal(eventSettingsFor(allDollar, planGrid(allDollar), base, "events"), null);
  const slow = spec(big);
  const hybrid: GridSpec = { ...slow, engine: "hybrid_dollar" };
  assert.equal(eventSettingsFor(hybrid, planGrid(slow), base, "events"), null);
  const someDollar = spec({ ...big, dollar_sl: [null, 500] });
  assert.ok(eventSettingsFor(someDollar, planGrid(someDollar), base, "auto") !== null);
});

test("gate configurations add no arrays to a group: many of them still take the event kernel", () => {
  // 4 × 4 × 3 = 48 configurations; each thread builds the entry candidates of those it runs
  const levels = spec(big);
  const gated = spec({
    ...big,
    corr_window: 100,
    min_corr: [null, 0.5, 0.6, 0.7],
    hl_window: 100,
    hl_max: [null, 50, 100, 200],
    hurst_window: 100,
    max_hurst: [null, 0.5, 0.6],
  });
  const plain = eventSettingsFor(levels, planGrid(levels), base, "auto")!;
  const ev = eventSettingsFor(gated, planGrid(gated), base, "auto");
  assert.ok(ev !== null);
  assert.deepEqual(ev, plain, "the same settings: the levels and the calendar only");
});
