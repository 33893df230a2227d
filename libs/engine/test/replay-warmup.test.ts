// The warm-up plan (warmup-plan.ts): a replay fed from the planned start holds exactly the batch's
// indicator state — every field, bit for bit — from the first decision bar on, and the plan's start
// is the latest that does. Kalman, whose state is the whole history, always starts at bar 0.
import assert from "node:assert/strict";
import { test } from "node:test";
import { computeIndicators } from "../src/indicators/compute-indicators.js";
import { IncrementalIndicators, indicatorPlan } from "../src/live/incremental-indicators.js";
import { convergenceBar, fixedWarmup, planWarmup } from "../src/live/warmup-plan.js";
import { resolveCombination } from "../src/grid-spec/combination.js";
import { makeSpec, synthData } from "./replay-fixtures.js";

const spec = makeSpec({
  ols_window: 400,
  zscore_window: 90,
  z_entry: 2,
  corr_window: 250,
  hurst_window: 120,
  hl_window: 200,
  adf_window: 150,
});
const combo = resolveCombination(spec, []);
const settings = { hedge: spec.hedge, hurstLags: spec.gates.hurst_lags };
const plan = indicatorPlan(combo, settings);

const FIELDS = [
  ["beta", "beta"],
  ["alpha", "alpha"],
  ["spread", "spread"],
  ["mu", "mu"],
  ["sigma", "sigma"],
  ["z", "z"],
  ["corr", "corr"],
  ["hurst", "hurst"],
  ["halfLife", "halfLife"],
  ["adfStat", "adfStat"],
  ["adfPvalue", "adfPvalue"],
] as const;

test("from the planned start every indicator equals the batch's bit for bit at and after the first decision", () => {
  const data = synthData(30, 8);
  const batch = computeIndicators(data.pair, combo, settings);
  for (const first of [2500, 4321, 6000]) {
    const { start, bitIdentical } = planWarmup(first, plan);
    assert.ok(bitIdentical && start > 0 && start < first, `start ${start} for ${first}`);
    const inc = new IncrementalIndicators(plan, start);
    for (let i = start; i < first + 1500; i++) {
      const got = inc.push(data.pair.a.close[i]!, data.pair.b.close[i]!);
      if (i < first) continue;
      for (const [name, key] of FIELDS) {
        assert.ok(
          Object.is(got[name], batch[key]![i]),
          `${name} at bar ${i} (decisions from ${first}): ${got[name]} vs ${batch[key]![i]}`,
        );
      }
    }
  }
});

test("the plan's start is the latest that converges in time; convergence never comes earlier for a later start", () => {
  for (const first of [1000, 2500, 4321, 9999]) {
    const { start } = planWarmup(first, plan);
    assert.ok(convergenceBar(start, plan) <= first);
    assert.ok(
      convergenceBar(start + 1, plan) > first || start === first,
      `start ${start} is the latest for ${first}`,
    );
  }
  let prev = 0;
  for (let s = 0; s < 5000; s += 7) {
    const c = convergenceBar(s, plan);
    assert.ok(c >= prev, `monotone at ${s}`);
    prev = c;
  }
});

test("too little history, Kalman, and fixed warm-ups", () => {
  assert.deepEqual(planWarmup(300, plan).start, 0, "not enough bars before: replay from bar 0");
  const kalman = indicatorPlan(
    resolveCombination(makeSpec({ zscore_window: 50, z_entry: 2 }, { hedge: "kalman" }), []),
    {
      hedge: "kalman",
      hurstLags: [2, 4],
    },
  );
  assert.equal(planWarmup(5000, kalman).start, 0);
  assert.equal(convergenceBar(1, kalman), Number.POSITIVE_INFINITY);
  assert.equal(fixedWarmup(5000, 0, plan).bitIdentical, false);
  assert.equal(fixedWarmup(5000, 5000, plan).bitIdentical, true, "from bar 0 always");
  assert.equal(fixedWarmup(5000, 5000 - planWarmup(5000, plan).start, plan).bitIdentical, true);
});
