// Property tests of the dollar-mode hybrid engine (ENGINE.md §8, §9) on random data:
//   - both dollar exits off: the hybrid dollar kernel writes EXACTLY the slow grid kernel's row,
//     folds and trades, and the readable hybrid engine returns exactly the slow reference
//     engine's trades, equity and statistics;
//   - dollar exits on: the kernel gives the readable engine's trades (fill times and PnL to the
//     bit) and statistics within 1e-9.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { runHybridDollarReference, runReference } from "../src/reference/reference-engine.js";
import { STAT_NAMES } from "../src/grid-spec/stat-names.js";
import { makeCfg } from "./backtest-fixtures.js";
import { dollarKernel, randomHybrid } from "./hybrid-fixtures.js";
import { hybridCombination, near, randomShape } from "./hybrid-property-arbitraries.js";
import { runKernel } from "./grid-kernel-helpers.js";

const scenario = (dollar: "on" | "off") =>
  randomShape.chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      combos: fc.array(hybridCombination(shape.gates, dollar), { minLength: 1, maxLength: 3 }),
      nFolds: fc.integer({ min: 1, max: 8 }),
    }),
  );

test("dollar exits off: hybrid dollar kernel = slow grid kernel, exactly", () => {
  fc.assert(
    fc.property(scenario("off"), ({ shape, combos, nFolds }) => {
      const h = randomHybrid(shape);
      for (const c of combos) {
        const cfg = makeCfg(c);
        const slow = runKernel(h.slow, cfg, nFolds);
        const hybrid = dollarKernel(h, cfg, nFolds);
        assert.deepEqual(hybrid.stats, slow.stats);
        const slowFolds = slow.folds.flatMap((f) => [f.n_trades, f.pnl, f.pnl_sq, f.n_days]);
        assert.deepEqual(Array.from(hybrid.folds), slowFolds);
        const strip = hybrid.trades.map(({ entry_ts: _e, exit_ts: _x, ...t }) => t);
        assert.deepEqual(strip, slow.trades);
        hybrid.trades.forEach((t) => {
          assert.equal(t.entry_ts, h.slow.ts[t.entry_i] + h.slow.barMs);
          assert.equal(t.exit_ts, h.slow.ts[t.exit_i] + h.slow.barMs, "exits at slow closes only");
        });
      }
    }),
    { numRuns: 150 },
  );
});

test("dollar exits off: readable hybrid engine = slow reference engine, exactly", () => {
  fc.assert(
    fc.property(scenario("off"), ({ shape, combos, nFolds }) => {
      const h = randomHybrid(shape);
      for (const c of combos) {
        const cfg = makeCfg(c);
        assert.deepEqual(runHybridDollarReference(h, cfg, nFolds), runReference(h.slow, cfg, nFolds));
      }
    }),
    { numRuns: 150 },
  );
});

test("dollar exits on: hybrid dollar kernel = readable hybrid engine", () => {
  let fastExits = 0;
  fc.assert(
    fc.property(scenario("on"), ({ shape, combos, nFolds }) => {
      const h = randomHybrid(shape);
      for (const c of combos) {
        const cfg = makeCfg(c);
        const ref = runHybridDollarReference(h, cfg, nFolds);
        const got = dollarKernel(h, cfg, nFolds);
        assert.equal(got.trades.length, ref.trades.length, "trade count");
        ref.trades.forEach((t, k) => {
          const g = got.trades[k];
          const pick = (x: typeof g | typeof t) => [
            x.entry_i,
            x.exit_i,
            x.entry_ts,
            x.exit_ts,
            x.side,
            x.n_a,
            x.n_b,
            x.reason,
            x.beta_entry,
            x.pnl_gross,
            x.costs,
            x.pnl_net,
          ];
          assert.deepEqual(pick(g), pick(t), `trade ${k}`);
          if (t.exit_ts !== h.slow.ts[t.exit_i] + h.slow.barMs) fastExits++;
        });
        for (const name of STAT_NAMES) {
          assert.ok(
            near(got.stats[name], ref.stats[name]),
            `${name}: ${got.stats[name]} vs ${ref.stats[name]}`,
          );
        }
      }
    }),
    { numRuns: 200 },
  );
  assert.ok(fastExits > 50, `the runs exercise fast exits (${fastExits})`);
});
