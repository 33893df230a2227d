// Property test: grid kernels = reference engine (ENGINE.md §9) on random data and combinations —
// the same trades (entry/exit bars, sides, sizes, reasons) and every §7 statistic and fold number
// within 1e-9. Both the bar-scan kernel and the kernel grids run (event-driven, with the bar scan
// for dollar combinations) are checked. fast-check draws the shape of the data (lengths, day
// boundaries, which features exist) and the combinations (grid-kernel-arbitraries.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { BacktestInputs } from "../src/kernels/backtest-inputs.js";
import { runReference } from "../src/reference/reference-engine.js";
import { STAT_NAMES } from "../src/grid-spec/stat-names.js";
import { makeData, scenario } from "./grid-kernel-arbitraries.js";
import { type ConfigValues, type KernelKind, makeConfig, runKernel } from "./grid-kernel-helpers.js";

function near(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Trades and statistics of the kernel equal the reference's; throws naming the first difference. */
function checkParity(inp: BacktestInputs, values: ConfigValues, nFolds: number, kernel: KernelKind): number {
  const cfg = makeConfig(values);
  const ref = runReference(inp, cfg, nFolds);
  const got = runKernel(inp, cfg, nFolds, kernel);
  assert.equal(got.nTrades, ref.trades.length, "trade count");
  ref.trades.forEach((t, k) => {
    const g = got.trades[k]!;
    assert.deepEqual(
      [g.entry_i, g.exit_i, g.side, g.n_a, g.n_b, g.reason],
      [t.entry_i, t.exit_i, t.side, t.n_a, t.n_b, t.reason],
      `trade ${k}`,
    );
    assert.ok(near(g.pnl_net, t.pnl_net), `trade ${k} pnl_net ${g.pnl_net} vs ${t.pnl_net}`);
    assert.ok(near(g.costs, t.costs), `trade ${k} costs`);
  });
  for (const name of STAT_NAMES) {
    const want = ref.stats[name] ?? null;
    assert.ok(near(got.stats[name] ?? null, want), `${name}: kernel ${got.stats[name]}, reference ${want}`);
  }
  assert.equal(got.folds.length, ref.folds.length);
  ref.folds.forEach((f, k) => {
    const g = got.folds[k]!;
    assert.equal(g.n_trades, f.n_trades, `fold ${k} n_trades`);
    assert.equal(g.n_days, f.n_days, `fold ${k} n_days`);
    assert.ok(near(g.pnl, f.pnl) && near(g.pnl_sq, f.pnl_sq), `fold ${k} pnl`);
  });
  return ref.trades.length;
}

for (const kernel of ["scan", "events"] as const) {
  test(`grid kernel (${kernel}) = reference engine on random data and combinations`, () => {
    let combos = 0;
    let trades = 0;
    const reasons = new Set<string>();
    fc.assert(
      fc.property(scenario, ({ shape, combos: list, nFolds }) => {
        const inp = makeData(shape);
        for (const values of list) {
          trades += checkParity(inp, values, nFolds, kernel);
          combos++;
          for (const t of runKernel(inp, makeConfig(values), 1, kernel).trades) reasons.add(t.reason);
        }
      }),
      { numRuns: 1000 },
    );
    // the data must exercise the machine, or the equality above proves little
    assert.ok(trades > 20 * combos, `${trades} trades over ${combos} combinations`);
    assert.equal(reasons.size, 7, `exit reasons seen: ${[...reasons].join(", ")}`);
  });
}
