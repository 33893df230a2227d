// The precomputed-curve TP×SL grid against the exact hybrid dollar engine: every cell the grid
// marks exact (no moved exit lets the engine enter before the next slow trade, no gap exit, fast
// data closing each slow bar at its close) has exactly the engine's trades and §7 statistics; every
// cell with a trade at risk differs from it, and says so. Plus the discretization check on data
// whose fast bars do not end at the slow close.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { configFor, CFG_DOLLAR_SL, CFG_DOLLAR_TP } from "../src/rules/config-vector.js";
import type { Trade } from "../src/reference/trade.js";
import { resolveCombination } from "../src/grid-spec/combination.js";
import { runCurveGrid } from "../src/kernels/curve-grid.js";
import { runHybridDollarReference } from "../src/reference/reference-engine.js";
import { type HybridInputs, hybridInputsFor } from "../src/kernels/hybrid-inputs.js";
import { STAT_NAMES } from "../src/grid-spec/stat-names.js";
import { makeCfg } from "./backtest-fixtures.js";
import { makeHybrid } from "./hybrid-fixtures.js";
import { type SynthHybrid, synthHybrid } from "./hybrid-synth.js";

let data: SynthHybrid;
before(async () => {
  // the simple model: its 4 days (seed 21) hold both kinds of cell the first test needs, exact
  // cells with moved exits and cells at risk
  data = await synthHybrid(4, 21, { engine: "hybrid_dollar" }, "simple");
});
after(() => rmSync(data.dir, { recursive: true, force: true }));

const key = (t: Trade) => [
  t.entry_i,
  t.exit_i,
  t.entry_ts,
  t.exit_ts,
  t.side,
  t.reason,
  t.pnl_gross,
  t.pnl_net,
  t.exit_day,
];

function withLevels(cfg: Float64Array, tp: number | null, sl: number | null): Float64Array {
  const c = Float64Array.from(cfg);
  c[CFG_DOLLAR_TP] = tp ?? Number.NaN;
  c[CFG_DOLLAR_SL] = sl ?? Number.NaN;
  return c;
}

test("cells marked exact equal the exact hybrid engine; cells at risk differ from it", () => {
  const { spec, sp, fl } = data;
  const combo = resolveCombination(spec, ["z_entry=2.5", "z_exit=0.5", "z_stop=null"]);
  const h = hybridInputsFor(spec, sp, fl.fast, combo);
  const cfg = configFor(spec, combo);
  const levels = [null, 150, 300, 600, 1200, 2400];
  const grid = runCurveGrid(
    { slow: h.slow, fast: h.fast, tradingDayOf: (ms) => sp.calendar.tradingDay(ms) },
    cfg,
    levels,
    levels,
    true,
  );
  assert.ok(grid.slow.trades.length >= 8, `trades to rework (${grid.slow.trades.length})`);
  assert.equal(grid.discretization.nOff, 0, "synthetic fast bars close each slow bar at the slow close");
  let exactMoved = 0;
  let risky = 0;
  for (const cell of grid.cells) {
    const exact = runHybridDollarReference(h, withLevels(cfg, cell.dollarTp, cell.dollarSl));
    const same = JSON.stringify(cell.trades!.map(key)) === JSON.stringify(exact.trades.map(key));
    const what = `tp ${cell.dollarTp} sl ${cell.dollarSl}`;
    if (cell.exact) {
      assert.ok(same, `${what}: marked exact, trades equal`);
      for (const name of STAT_NAMES) assert.equal(cell.stats[name], exact.stats[name], `${what}: ${name}`);
      if (cell.moved > 0) exactMoved++;
    } else {
      assert.ok(cell.atRisk > 0 || cell.gapExits > 0, `${what}: says why it is not exact`);
      // a gap exit alone may or may not matter; a trade at risk always does
      if (cell.atRisk > 0) {
        assert.ok(!same, `${what}: ${cell.atRisk} trade(s) at risk, and the exact engine differs`);
        risky++;
      }
    }
  }
  assert.ok(exactMoved > 0, "some cells move exits and stay exact");
  assert.ok(risky > 0, "some cells are at risk");
  const off = grid.cells[0];
  assert.deepEqual([off.dollarTp, off.dollarSl, off.moved], [null, null, 0]);
  for (const name of STAT_NAMES)
    assert.equal(off.stats[name], grid.slow.stats[name], "levels off = the slow run");
});

/** Long at bar 1; bar 2 dips to u = −5 and closes flat; z at bar 2 is `z2`; TP_ZSCORE at bar 4. */
function dipAfterEntry(z2: number, lastFastA = 101): HybridInputs {
  const calm: [number, number][] = [[100, 100]];
  return makeHybrid({
    slow: { z: [0, -2.5, z2, -1, 0.5], a: [100, 100, 100, 100, 101] },
    fast: [
      calm,
      calm,
      [
        [95, 100],
        [100, 100],
      ],
      calm,
      [[lastFastA, 100]],
    ],
  });
}

const handGrid = (h: HybridInputs, sl: number) =>
  runCurveGrid(
    { slow: h.slow, fast: h.fast, tradingDayOf: () => h.slow.tradingDay[0] },
    makeCfg({}),
    [null],
    [sl],
    true,
  );

test("a moved exit with no entry signal before the next trade: exact", () => {
  const h = dipAfterEntry(-1);
  const cell = handGrid(h, 3).cells[0];
  assert.deepEqual([cell.moved, cell.atRisk, cell.exact], [1, 0, true]);
  const exact = runHybridDollarReference(h, makeCfg({ dollar_sl: 3 }));
  assert.deepEqual(cell.trades!.map(key), exact.trades.map(key));
});

test("a moved exit followed by an entry signal: reported at risk, and the engine re-enters", () => {
  const h = dipAfterEntry(-2.6);
  const cell = handGrid(h, 3).cells[0];
  assert.deepEqual([cell.moved, cell.atRisk, cell.exact], [1, 1, false]);
  assert.equal(cell.trades!.length, 1, "the curve grid keeps one trade");
  const exact = runHybridDollarReference(h, makeCfg({ dollar_sl: 3 }));
  assert.deepEqual(
    exact.trades.map((t) => [t.entry_i, t.exit_i, t.reason]),
    [
      [1, 2, "SL_DOLLAR"],
      [2, 4, "TP_ZSCORE"],
    ],
  );
});

test("discretization check: the curve's last point against the slow trade's PnL", () => {
  // the exit bar's last fast close (100.5) is not the slow close (101): off by $0.50
  const grid = handGrid(dipAfterEntry(-1, 100.5), 10);
  assert.deepEqual([...grid.discretization.perTrade], [-0.5]);
  assert.deepEqual([grid.discretization.nOff, grid.discretization.maxAbsDiff], [1, 0.5]);
  assert.equal(grid.cells[0].exact, false);
});
