// The reference engine on hand-built z sequences: every transition of ENGINE.md §5.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runReference } from "../src/reference/reference-engine.js";
import { type CfgSpec, type InputsSpec, makeCfg, makeInputs } from "./backtest-fixtures.js";

const N = Number.NaN;

/** [entry_i, exit_i, side, reason] of each trade. */
function trades(inputs: InputsSpec, cfg: CfgSpec = {}): [number, number, number, string][] {
  return runReference(makeInputs(inputs), makeCfg(cfg)).trades.map((t) => [
    t.entry_i,
    t.exit_i,
    t.side,
    t.reason,
  ]);
}

describe("reference engine: state machine", () => {
  test("long entry at z ≤ −ze, take profit at z ≥ −zx", () => {
    assert.deepEqual(trades({ z: [0, -2.1, -1, 0.1, 0] }), [[1, 3, 1, "TP_ZSCORE"]]);
  });
  test("short entry at z ≥ ze, take profit at z ≤ zx", () => {
    assert.deepEqual(trades({ z: [0, 2.2, 1, -0.1, 0] }), [[1, 3, -1, "TP_ZSCORE"]]);
  });
  test("signed z_exit: with zx = −0.5 a long takes profit only at z ≥ +0.5", () => {
    assert.deepEqual(trades({ z: [0, -2.1, 0.2, 0.5, 0] }, { z_exit: -0.5 }), [[1, 3, 1, "TP_ZSCORE"]]);
  });
  test("SL → cooldown (no entry while |z| is extreme) → release inside the exit band → new entry", () => {
    const z = [0, -2.1, -3.2, -2.5, -1, 0.1, -2.2, 0.5];
    assert.deepEqual(trades({ z }, { z_stop: 3 }), [
      [1, 2, 1, "SL_ZSCORE"],
      [6, 7, 1, "TP_ZSCORE"],
    ]);
  });
  test("short SL → CD_SHORT released only at z ≤ zx", () => {
    const z = [0, 2.1, 3.5, 2.5, 0.4, -0.1, 2.3, -0.2];
    assert.deepEqual(trades({ z }, { z_stop: 3, z_exit: 0 }), [
      [1, 2, -1, "SL_ZSCORE"],
      [6, 7, -1, "TP_ZSCORE"],
    ]);
  });
  test("MAX_HOLD → cooldown; NaN z keeps the cooldown", () => {
    const z = [0, -2.1, -1.5, -1.5, -2.5, N, -2.4, 0.1, -2.1, 0];
    assert.deepEqual(trades({ z }, { max_hold: 2 }), [
      [1, 3, 1, "MAX_HOLD"],
      [8, 9, 1, "TP_ZSCORE"],
    ]);
  });
  test("EOD exit, and no entry on an eod bar", () => {
    const z = [0, -2.1, -1.5, -2.5, -2.5, 0.5];
    assert.deepEqual(trades({ z, eod: [0, 0, 0, 1, 0, 0] }), [
      [1, 3, 1, "FLAT_EOD"],
      [4, 5, 1, "TP_ZSCORE"],
    ]);
  });
  test("END_OF_DATA on the last bar, and no entry on the last bar", () => {
    assert.deepEqual(trades({ z: [0, -2.1, -1.5, -1.5] }), [[1, 3, 1, "END_OF_DATA"]]);
    assert.deepEqual(trades({ z: [0, 0, -2.5] }), []);
  });
  test("same-bar re-entry after TP when z jumps from −2.5 to +2.6", () => {
    assert.deepEqual(trades({ z: [0, -2.5, 2.6, 0] }), [
      [1, 2, 1, "TP_ZSCORE"],
      [2, 3, -1, "TP_ZSCORE"],
    ]);
  });
  test("NaN z (warm-up) never trades, and z exits are skipped while z is NaN", () => {
    assert.deepEqual(trades({ z: [N, N, N, -2.5, N, N, 0.2, 0] }), [[3, 6, 1, "TP_ZSCORE"]]);
    assert.deepEqual(trades({ z: [N, N, N, N] }), []);
  });
  test("entry window closed blocks entries but not exits", () => {
    const z = [0, -2.5, -2.5, 0.1, -2.5, 0];
    assert.deepEqual(trades({ z, windowOk: [1, 0, 1, 0, 0, 0] }), [[2, 3, 1, "TP_ZSCORE"]]);
  });
  test("exit priority: dollar SL before z stop before z TP before MAX_HOLD before EOD", () => {
    // at bar 2 every exit condition holds at once
    const base: InputsSpec = { z: [0, -2.5, -3.5, 0], a: [100, 100, 98, 100], eod: [0, 0, 1, 0] };
    const all: CfgSpec = { z_stop: 3, max_hold: 1, dollar_sl: 1, dollar_tp: 100 };
    assert.equal(trades(base, all)[0]![3], "SL_DOLLAR");
    assert.equal(trades(base, { ...all, dollar_sl: null })[0]![3], "SL_ZSCORE");
    assert.equal(trades({ ...base, z: [0, -2.5, 0.5, 0] }, { ...all, dollar_sl: null })[0]![3], "TP_ZSCORE");
    assert.equal(trades({ ...base, z: [0, -2.5, -1, 0] }, { ...all, dollar_sl: null })[0]![3], "MAX_HOLD");
    assert.equal(trades({ ...base, z: [0, -2.5, -1, 0] }, { dollar_tp: 100 })[0]![3], "FLAT_EOD");
  });
});

describe("reference engine: gates", () => {
  test("a failing gate blocks the entry; a NaN metric fails", () => {
    const z = [0, -2.5, -2.5, 0.1];
    assert.deepEqual(trades({ z, corr: [0.9, 0.7, 0.9, 0.9] }, { min_corr: 0.8 }), [[2, 3, 1, "TP_ZSCORE"]]);
    assert.deepEqual(trades({ z, corr: [0.9, N, 0.9, 0.9] }, { min_corr: 0.8 }), [[2, 3, 1, "TP_ZSCORE"]]);
  });
  test("min_gates: k of the n enabled gates", () => {
    // at bar 1: corr passes, hurst fails, adf stat passes → 2 of 3
    const inputs: InputsSpec = {
      z: [0, -2.5, 0.1, 0],
      corr: [1, 0.9, 1, 1],
      hurst: [0, 0.6, 0, 0],
      adfStat: [-9, -3.5, -9, -9],
    };
    const gates: CfgSpec = { min_corr: 0.8, max_hurst: 0.5, adf_max_stat: -3 };
    assert.deepEqual(trades(inputs, gates), []);
    assert.deepEqual(trades(inputs, { ...gates, min_gates: 2 }), [[1, 2, 1, "TP_ZSCORE"]]);
    assert.deepEqual(trades(inputs, { ...gates, min_gates: 3 }), []);
    assert.deepEqual(trades(inputs, { ...gates, min_gates: 4 }), []);
    assert.deepEqual(trades({ ...inputs, corr: [0, 0, 0, 0] }, { ...gates, min_gates: 0 }), [
      [1, 2, 1, "TP_ZSCORE"],
    ]);
  });
  test("half-life gate: one gate with two bounds; +∞ passes a lone hl_min", () => {
    const z = [0, -2.5, 0.1, 0];
    const inf = Number.POSITIVE_INFINITY;
    assert.equal(trades({ z, halfLife: [inf, inf, inf, inf] }, { hl_min: 5 }).length, 1);
    assert.equal(trades({ z, halfLife: [inf, inf, inf, inf] }, { hl_min: 5, hl_max: 50 }).length, 0);
    assert.equal(trades({ z, halfLife: [1, 20, 1, 1] }, { hl_min: 5, hl_max: 50 }).length, 1);
    assert.equal(trades({ z, halfLife: [1, 2, 1, 1] }, { hl_max: 50 }).length, 1);
    assert.equal(trades({ z, halfLife: [1, N, 1, 1] }, { hl_max: 50 }).length, 0);
  });
  test("ADF gates compare statistic and p-value with their own thresholds", () => {
    const z = [0, -2.5, 0.1, 0];
    const inputs = { z, adfStat: [0, -2.9, 0, 0], adfPvalue: [1, 0.04, 1, 1] };
    assert.equal(trades(inputs, { adf_max_stat: -2.86 }).length, 1);
    assert.equal(trades(inputs, { adf_max_stat: -3 }).length, 0);
    assert.equal(trades(inputs, { adf_max_pvalue: 0.05 }).length, 1);
    assert.equal(trades(inputs, { adf_max_pvalue: 0.01 }).length, 0);
  });
});

describe("reference engine: PnL, sizing, costs, statistics", () => {
  test("dollar TP and SL at slow closes fill with the actual PnL", () => {
    const tp = runReference(
      makeInputs({ z: [0, -2.5, -2, -2], a: [100, 100, 103, 100] }),
      makeCfg({ dollar_tp: 2.5 }),
    ).trades;
    assert.equal(tp[0]!.reason, "TP_DOLLAR");
    assert.equal(tp[0]!.pnl_gross, 3);
    const sl = runReference(
      makeInputs({ z: [0, 2.5, 2, 2], a: [100, 100, 101.25, 100] }),
      makeCfg({ dollar_sl: 1 }),
    ).trades;
    assert.equal(sl[0]!.reason, "SL_DOLLAR");
    assert.equal(sl[0]!.side, -1);
    assert.equal(sl[0]!.pnl_gross, -1.25);
  });
  test("sizes, unrealized PnL with a negative beta, costs, MFE and MAE", () => {
    // ratio = (400·20)/(100·5)·|−0.25| = 4 → N_a 1, N_b 4; sb = −1 (long A and long B)
    const r = runReference(
      makeInputs({
        z: [0, -2.5, -1, 0.5],
        a: [400, 400, 398, 401],
        b: [100, 100, 99, 101],
        beta: [-0.25, -0.25, -0.25, -0.25],
      }),
      makeCfg({ mult_a: 20, mult_b: 5, tick_a: 0.25, tick_b: 1, commission: 2, slippage_ticks: 1 }),
    );
    const t = r.trades[0]!;
    assert.equal(t.n_a, 1);
    assert.equal(t.n_b, 4);
    // u = +1·(1·20·(401−400) − (−1)·4·5·(101−100)) = 20 + 20 = 40
    assert.equal(t.pnl_gross, 40);
    // costs = 2·(1+4)·2 + 2·1·(1·0.25·20 + 4·1·5) = 20 + 50 = 70
    assert.equal(t.costs, 70);
    assert.equal(t.pnl_net, -30);
    // bar 2: u = 20·(−2) + 20·(−1) = −60
    assert.equal(t.mae, -60);
    assert.equal(t.mfe, 40);
    assert.equal(t.bars_held, 2);
    assert.equal(t.entry_ts, 1_700_000_000_000 + 300_000 + 300_000);
  });
  test("ratio·N_a exactly 2.5 rounds to 2 and 3.5 to 4 (half to even)", () => {
    const size = (a: number) =>
      runReference(makeInputs({ z: [0, -2.5, 0.5], a: [a, a, a] }), makeCfg()).trades[0]!.n_b;
    assert.equal(size(250), 2);
    assert.equal(size(350), 4);
    assert.equal(size(450), 4);
    assert.equal(size(40), 1); // max(1, round(0.4))
  });
  test("micro mode picks the multiplier with the least rounding error", () => {
    const t = runReference(makeInputs({ z: [0, -2.5, 0.5], a: [150, 150, 150] }), makeCfg({ max_mult: 4 }))
      .trades[0]!;
    assert.deepEqual([t.n_a, t.n_b], [2, 3]);
  });
  test("statistics, MTM equity and folds on a two-day, three-trade case", () => {
    const r = runReference(
      makeInputs({
        z: [0, -2.5, 0.5, 2.5, -0.5, -2.5, -1, 0.5],
        a: [100, 100, 110, 110, 104, 104, 90, 101],
        day: [1, 1, 1, 1, 2, 2, 2, 2],
      }),
      makeCfg(),
      2,
    );
    assert.deepEqual(
      r.trades.map((t) => t.pnl_net),
      [10, 6, -3],
    );
    const s = r.stats;
    assert.equal(s.n_trades, 3);
    assert.equal(s.n_long, 2);
    assert.equal(s.n_short, 1);
    assert.equal(s.n_wins, 2);
    assert.equal(s.win_rate, 2 / 3);
    assert.equal(s.total_pnl, 13);
    assert.equal(s.gross_profit, 16);
    assert.equal(s.gross_loss, -3);
    assert.equal(s.profit_factor, 16 / 3);
    assert.equal(s.max_dd, 3);
    assert.equal(s.avg_bars_held, (1 + 1 + 2) / 3);
    assert.equal(s.exposure, 4 / 8);
    assert.equal(s.n_days, 2);
    // daily series [10, 3]: mean 6.5, sd √24.5
    assert.ok(Math.abs(s.sharpe! - (6.5 / Math.sqrt(24.5)) * Math.sqrt(252)) < 1e-12);
    assert.equal(s.sortino, null); // no losing day
    assert.equal(s.skew, 0);
    assert.equal(s.kurtosis, 1);
    // MTM: 0, 0, 10, 10, 16, 16, 2 (open long at 104 marked at 90), 13
    assert.deepEqual([...r.equity], [0, 0, 10, 10, 16, 16, 2, 13]);
    assert.equal(s.max_dd_mtm, 14);
    assert.ok(Math.abs(s.sharpe_mtm! - (6.5 / Math.sqrt(24.5)) * Math.sqrt(252)) < 1e-12);
    assert.deepEqual(r.folds, [
      // the short opened on day 1 exits on day 2: a trade belongs to the fold of its exit day
      { n_trades: 1, pnl: 10, pnl_sq: 100, n_days: 1 },
      { n_trades: 2, pnl: 3, pnl_sq: 9, n_days: 1 },
    ]);
  });
  test("no trades: zeros and nulls as §10 pins", () => {
    const s = runReference(makeInputs({ z: [0, 0, 0], day: [1, 2, 3] }), makeCfg()).stats;
    assert.equal(s.n_trades, 0);
    assert.equal(s.win_rate, 0);
    assert.equal(s.avg_pnl, 0);
    assert.equal(s.avg_bars_held, 0);
    assert.equal(s.sharpe, null);
    assert.equal(s.sortino, null);
    assert.equal(s.profit_factor, null);
    assert.equal(s.skew, null);
    assert.equal(s.kurtosis, null);
    assert.equal(s.n_days, 3);
  });
});
