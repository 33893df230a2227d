// Hybrid grids through the chunk function (what `pairgrid run`'s threads and queue workers call):
// every row of a small dollar-mode and z-live grid on synthetic data equals the readable hybrid
// engine run on that combination alone (§9: kernel = readable engine; a grid run = single runs).
// The slow chunk function refuses a hybrid spec rather than filling it with slow results.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { configFor } from "../src/rules/config-vector.js";
import { N_STATS, statRowToObject } from "../src/statistics/stat-row.js";
import { packGridData } from "../src/chunks/grid-data.js";
import { combinationAt, groupCombination, planChunks, planGrid } from "../src/chunks/grid-plan.js";
import { GroupPrecompute } from "../src/chunks/group-precompute.js";
import { inputsFromPacked, runChunk } from "../src/chunks/run-chunk.js";
import { unpackArrays } from "../src/chunks/shared-arrays.js";
import { hybridGroupContext, slowGroupContext } from "../src/chunks/group-context.js";
import { runHybridDollarReference, runHybridZLiveReference } from "../src/reference/reference-engine.js";
import { type HybridEngineName, hybridGridData } from "../src/chunks/hybrid-grid-data.js";
import { hybridInputsFor } from "../src/kernels/hybrid-inputs.js";
import { ZLiveGroupPrecompute } from "../src/chunks/zlive-group-precompute.js";
import { STAT_NAMES } from "../src/grid-spec/stat-names.js";
import { type SynthHybrid, synthHybrid, synthSpec } from "./hybrid-synth.js";

let data: SynthHybrid;
before(async () => {
  data = await synthHybrid(3, 5);
});
after(() => rmSync(data.dir, { recursive: true, force: true }));

const params = {
  ols_window: [100, 160],
  zscore_window: 40,
  z_entry: [1.5, 2.25],
  z_exit: [0, 0.5],
  z_stop: 3.5,
  max_hold: [0, 6],
  dollar_tp: [null, 300],
  dollar_sl: [null, 250],
  corr_window: 60,
  min_corr: [null, 0.3],
};

function near(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

for (const engine of ["hybrid_dollar", "hybrid_zlive"] as HybridEngineName[]) {
  test(`${engine}: every grid row = the readable engine on that combination`, () => {
    const spec = synthSpec(data.dir, { engine, params, rank: { folds: 4 } });
    const { sp, fl } = data;
    const plan = planGrid(spec);
    const grid = packGridData(sp);
    const hybrid = hybridGridData(engine, sp, fl.fast);
    const precompute =
      engine === "hybrid_zlive"
        ? new ZLiveGroupPrecompute(sp.pair, spec)
        : new GroupPrecompute(sp.pair, spec);
    // one set of hybrid inputs per indicator group (only ols_window varies among them)
    const inputsOf = new Map<number, ReturnType<typeof hybridInputsFor>>();
    let rows = 0;
    let trades = 0;
    for (const chunk of planChunks(plan, 37)) {
      const packed = precompute.compute(groupCombination(plan, chunk.group));
      const inputs = inputsFromPacked(grid.base, packed, grid.barMs, grid.nDays);
      const group = hybridGroupContext(hybrid, inputs, unpackArrays(packed));
      const result = runChunk(spec, plan, group, chunk);
      for (let k = 0; k < result.k; k++) {
        const combo = combinationAt(plan, result.comboIds[k]);
        let h = inputsOf.get(combo.ols_window!);
        if (h === undefined) inputsOf.set(combo.ols_window!, (h = hybridInputsFor(spec, sp, fl.fast, combo)));
        const cfg = configFor(spec, combo);
        const ref =
          engine === "hybrid_zlive"
            ? runHybridZLiveReference(h, cfg, 4)
            : runHybridDollarReference(h, cfg, 4);
        const got = statRowToObject(result.stats, k * N_STATS);
        for (const name of STAT_NAMES) {
          assert.ok(
            near(got[name], ref.stats[name]),
            `combo ${result.comboIds[k]} ${name}: ${got[name]} vs ${ref.stats[name]}`,
          );
        }
        rows++;
        trades += ref.trades.length;
      }
    }
    assert.ok(rows > 60, `rows checked (${rows})`);
    assert.ok(trades > 10 * rows, `the combinations trade (${trades} trades)`);
  });
}

test("the slow chunk function refuses a hybrid spec", () => {
  const spec = synthSpec(data.dir, { engine: "hybrid_dollar", params });
  const plan = planGrid(spec);
  const grid = packGridData(data.sp);
  const packed = new GroupPrecompute(data.sp.pair, spec).compute(groupCombination(plan, 0));
  const inputs = inputsFromPacked(grid.base, packed, grid.barMs, grid.nDays);
  assert.throws(
    () => runChunk(spec, plan, slowGroupContext(inputs), planChunks(plan, 10)[0]),
    /needs its kernel/,
  );
});
