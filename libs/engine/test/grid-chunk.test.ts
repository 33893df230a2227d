// The chunk function on synthetic data: every row equals the reference engine run through the
// single-combination path (computeIndicators → backtestInputs), and the hedge is computed once
// per hedge setting whatever the number of z windows and gate windows.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { backtestInputs } from "../src/kernels/backtest-inputs.js";
import { configFor } from "../src/rules/config-vector.js";
import { runReference } from "../src/reference/reference-engine.js";
import { FOLD_WIDTH, N_STATS } from "../src/statistics/stat-row.js";
import { packGridData } from "../src/chunks/grid-data.js";
import { combinationAt, groupCombination, planChunks, planGrid } from "../src/chunks/grid-plan.js";
import { GroupPrecompute } from "../src/chunks/group-precompute.js";
import { inputsFromPacked, runChunk } from "../src/chunks/run-chunk.js";
import { slowGroupContext } from "../src/chunks/group-context.js";
import { computeIndicators } from "../src/indicators/compute-indicators.js";
import { loadSlowPair } from "../src/loaders/load-slow-pair.js";
import { STAT_NAMES } from "../src/grid-spec/stat-names.js";
import { validateSpec } from "../src/grid-spec/validate-spec.js";
import { writeSynthFiles } from "../src/synth/index.js";

test("chunk rows equal the reference engine; hedge computed once per hedge setting", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pairgrid-chunk-"));
  writeSynthFiles(join(dir, "data"), { days: 15, seed: 3 });
  writeFileSync(join(dir, "x"), "");
  const spec = validateSpec(
    {
      name: "chunk",
      data: {
        a: { symbol: "NQ", slow: "data/NQ.csv", multiplier: 20, tick_size: 0.25 },
        b: { symbol: "YM", slow: "data/YM.csv", multiplier: 5, tick_size: 1 },
        cache: false,
      },
      session: { flat_time: "16:55" },
      costs: { commission: 2.25, slippage_ticks: 0.5 },
      params: {
        ols_window: [200, 400],
        zscore_window: [30, 60],
        z_entry: [1.5, 2.5],
        z_exit: [0, 0.5, 2],
        z_stop: [null, 3],
        corr_window: [100, 300],
        min_corr: [null, 0.7],
        adf_window: 150,
        adf_max_pvalue: [null, 0.2],
        min_gates: [null, 1],
      },
      rank: { folds: 4 },
    },
    dir,
  );
  const plan = planGrid(spec);
  const sp = await loadSlowPair(spec);
  const data = packGridData(sp);
  const pre = new GroupPrecompute(sp.pair, spec);
  let rows = 0;
  let skipped = 0;
  for (const chunk of planChunks(plan, 7)) {
    const group = pre.compute(groupCombination(plan, chunk.group));
    const inputs = inputsFromPacked(data.base, group, data.barMs, data.nDays);
    const r = runChunk(spec, plan, slowGroupContext(inputs), chunk);
    skipped += r.skipped;
    for (let j = 0; j < r.k; j++) {
      const c = combinationAt(plan, r.comboIds[j]!);
      const ref = runReference(
        backtestInputs(sp, computeIndicators(sp.pair, c, { hedge: "ols", hurstLags: [2, 4] })),
        configFor(spec, c),
        4,
      );
      STAT_NAMES.forEach((name, s) => {
        const got = r.stats[j * N_STATS + s]!;
        const want = ref.stats[name] ?? Number.NaN;
        const ok = Number.isNaN(want)
          ? Number.isNaN(got)
          : Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
        assert.ok(ok, `combo ${r.comboIds[j]} ${name}: chunk ${got}, reference ${want}`);
      });
      ref.folds.forEach((f, q) => {
        const o = (j * 4 + q) * FOLD_WIDTH;
        assert.equal(r.folds[o], f.n_trades);
        assert.ok(Math.abs(r.folds[o + 1]! - f.pnl) <= 1e-9 * Math.max(1, Math.abs(f.pnl)));
      });
      rows++;
    }
  }
  // z_exit 2 is invalid with z_entry 1.5 (|zx| < ze): ½ of z_entry × ⅓ of z_exit = ⅙ skipped
  assert.equal(rows + skipped, plan.total);
  assert.equal(skipped, plan.total / 6);
  assert.equal(pre.hedgeRuns, 2, "one hedge per ols_window");
});
