// Property test: the z-live kernel gives exactly the readable z-live engine's trades (fill times,
// sizes, reasons, PnL to the bit) and its statistics within 1e-9, on random data and combinations
// (dollar levels, z stop, max_hold as elapsed time, fast eod and entry windows, gates, NaN sigma).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { runHybridZLiveReference } from "../src/reference/reference-engine.js";
import { STAT_NAMES } from "../src/grid-spec/stat-names.js";
import { makeCfg } from "./backtest-fixtures.js";
import { randomHybrid, zLiveKernel } from "./hybrid-fixtures.js";
import { hybridCombination, near, randomShape } from "./hybrid-property-arbitraries.js";

test("z-live kernel = readable z-live engine", () => {
  const reasons = new Map<string, number>();
  fc.assert(
    fc.property(
      randomShape.chain((shape) =>
        fc.record({
          shape: fc.constant(shape),
          combos: fc.array(hybridCombination(shape.gates, "any"), { minLength: 1, maxLength: 3 }),
          nFolds: fc.integer({ min: 1, max: 8 }),
        }),
      ),
      ({ shape, combos, nFolds }) => {
        const h = randomHybrid(shape);
        for (const c of combos) {
          const cfg = makeCfg(c);
          const ref = runHybridZLiveReference(h, cfg, nFolds);
          const got = zLiveKernel(h, cfg, nFolds);
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
            reasons.set(t.reason, (reasons.get(t.reason) ?? 0) + 1);
          });
          for (const name of STAT_NAMES) {
            assert.ok(
              near(got.stats[name], ref.stats[name]),
              `${name}: ${got.stats[name]} vs ${ref.stats[name]}`,
            );
          }
        }
      },
    ),
    { numRuns: 250 },
  );
  // every exit reason happens somewhere in the runs
  for (const r of [
    "TP_ZSCORE",
    "SL_ZSCORE",
    "TP_DOLLAR",
    "SL_DOLLAR",
    "MAX_HOLD",
    "FLAT_EOD",
    "END_OF_DATA",
  ]) {
    assert.ok((reasons.get(r) ?? 0) > 0, `${r} exercised (${[...reasons].join(", ")})`);
  }
});
