// Grid kernel on hand-built z sequences, one §5 transition per test, with the trades and statistics
// worked out by hand. Defaults (grid-kernel-helpers.ts): ze 2, zx 0.5 (LONG takes profit at
// z ≥ −0.5, SHORT at z ≤ 0.5), A = B = 100, beta 1, multipliers 1, no costs: one contract per leg
// and u = d·((a − a_e) − (b − b_e)).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CFG_LENGTH } from "../src/rules/config-vector.js";
import { makeKernelScratch, runGridKernel } from "../src/kernels/grid-kernel.js";
import { KernelCall } from "../src/kernels/kernel-call.js";
import { TR_EXIT_I, TRADE_RECORD_WIDTH } from "../src/kernels/grid-kernel-trade-record.js";
import { FOLD_WIDTH, N_STATS, S_N_TRADES, S_TOTAL_PNL } from "../src/statistics/stat-row.js";
import { makeConfig, makeInputs, runKernel, shape } from "./grid-kernel-helpers.js";

const NaN_ = Number.NaN;

function close(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), what);
}

describe("entries and z exits", () => {
  test("long entry at z ≤ −ze, TP_ZSCORE at z ≥ −zx, PnL at the closes", () => {
    const inp = makeInputs({ z: [0, -2.5, -1, -0.4, 0], a: [100, 100, 101, 103, 103] });
    const r = runKernel(inp, makeConfig({}));
    assert.deepEqual(shape(r), [[1, 3, 1, "TP_ZSCORE"]]);
    assert.equal(r.trades[0]!.pnl_net, 3);
    assert.deepEqual(
      [r.stats.n_trades, r.stats.n_long, r.stats.n_short, r.stats.n_wins, r.stats.win_rate],
      [1, 1, 0, 1, 1],
    );
    assert.deepEqual(
      [r.stats.total_pnl, r.stats.avg_pnl, r.stats.gross_profit, r.stats.gross_loss],
      [3, 3, 3, 0],
    );
    assert.equal(r.stats.profit_factor, null, "no losses: profit factor null");
    assert.equal(r.stats.max_dd, 0);
    assert.equal(r.stats.sharpe, null, "one day: Sharpe null");
    assert.deepEqual([r.stats.avg_bars_held, r.stats.exposure], [2, 2 / 5]);
    assert.equal(r.stats.n_tp_zscore, 1);
  });

  test("short entry at z ≥ ze; TP_ZSCORE at z ≤ zx includes the boundary", () => {
    const inp = makeInputs({ z: [0, 2.2, 1, 0.5, 0], b: [100, 100, 100, 98, 98] });
    const r = runKernel(inp, makeConfig({}));
    assert.deepEqual(shape(r), [[1, 3, -1, "TP_ZSCORE"]]);
    assert.equal(r.trades[0]!.pnl_net, -2);
    assert.deepEqual([r.stats.n_short, r.stats.n_wins, r.stats.gross_loss, r.stats.max_dd], [1, 0, -2, 2]);
    assert.equal(r.stats.profit_factor, 0);
  });

  test("same-bar re-entry: TP of a long at z = +2.6 opens a short on that bar", () => {
    const inp = makeInputs({ z: [0, -2.5, -1, 2.6, 1, 0.2] });
    const r = runKernel(inp, makeConfig({}));
    assert.deepEqual(shape(r), [
      [1, 3, 1, "TP_ZSCORE"],
      [3, 5, -1, "TP_ZSCORE"],
    ]);
  });

  test("NaN z never trades, and a NaN z in position skips the z exits", () => {
    const none = runKernel(makeInputs({ z: [NaN_, NaN_, NaN_, NaN_] }), makeConfig({}));
    assert.equal(none.nTrades, 0);
    const held = runKernel(makeInputs({ z: [-2.5, NaN_, NaN_, NaN_] }), makeConfig({ z_stop: 3 }));
    assert.deepEqual(shape(held), [[0, 3, 1, "END_OF_DATA"]]);
  });

  test("no trades: zero averages, null ratios and moments", () => {
    const r = runKernel(makeInputs({ z: [0, 1, -1, 0], day: [0, 0, 1, 1] }), makeConfig({}));
    assert.deepEqual(r.stats, {
      ...r.stats,
      n_trades: 0,
      n_wins: 0,
      win_rate: 0,
      total_pnl: 0,
      avg_pnl: 0,
      gross_profit: 0,
      gross_loss: 0,
      profit_factor: null,
      max_dd: 0,
      sharpe: null,
      sortino: null,
      avg_bars_held: 0,
      exposure: 0,
      n_days: 2,
      skew: null,
      kurtosis: null,
    });
  });
});

describe("stops, cooldowns, max_hold", () => {
  test("SL_ZSCORE → CD_LONG: no entry until z ≥ −zx (NaN keeps it), then a new long", () => {
    const z = [0, -2.5, -4.2, -3, NaN_, -2.2, -0.5, -2.5, -1, 0];
    const r = runKernel(makeInputs({ z }), makeConfig({ z_stop: 4 }));
    assert.deepEqual(shape(r), [
      [1, 2, 1, "SL_ZSCORE"],
      [7, 9, 1, "TP_ZSCORE"],
    ]);
    assert.equal(r.stats.n_sl_zscore, 1);
  });

  test("SL_ZSCORE → CD_SHORT ends at z ≤ zx; the short re-enters after release", () => {
    const z = [0, 2.5, 4.5, 3, 0.6, 0.5, 2.1, 0];
    const r = runKernel(makeInputs({ z }), makeConfig({ z_stop: 4 }));
    assert.deepEqual(shape(r), [
      [1, 2, -1, "SL_ZSCORE"],
      [6, 7, -1, "TP_ZSCORE"],
    ]);
  });

  test("cooldown release opens the opposite side on the same bar", () => {
    const z = [0, -2.5, -4.5, 2.5, 0];
    const r = runKernel(makeInputs({ z }), makeConfig({ z_stop: 4 }));
    assert.deepEqual(shape(r), [
      [1, 2, 1, "SL_ZSCORE"],
      [3, 4, -1, "TP_ZSCORE"],
    ]);
  });

  test("MAX_HOLD at i − entry ≥ max_hold, then a cooldown", () => {
    const z = [0, -2.5, -1.5, -1.5, -2.5, -2.5, -0.3, -2.6, -1, -1, -1, -1];
    const r = runKernel(makeInputs({ z }), makeConfig({ max_hold: 3 }));
    assert.deepEqual(shape(r), [
      [1, 4, 1, "MAX_HOLD"],
      [7, 10, 1, "MAX_HOLD"],
    ]);
    assert.equal(r.stats.n_max_hold, 2);
  });

  test("TP_ZSCORE outranks MAX_HOLD on the same bar (and leaves no cooldown)", () => {
    const z = [0, -2.5, -1, 0, -2.5, 0];
    const r = runKernel(makeInputs({ z }), makeConfig({ max_hold: 2 }));
    assert.deepEqual(shape(r), [
      [1, 3, 1, "TP_ZSCORE"],
      [4, 5, 1, "TP_ZSCORE"],
    ]);
  });
});

describe("end of day and end of data", () => {
  test("FLAT_EOD exit, no entry on an eod bar, FLAT_EOD outranks END_OF_DATA", () => {
    const z = [0, -2.5, -1, -2.5, -2.5, -1, -1, -1];
    const eod = [0, 0, 0, 1, 0, 0, 0, 1];
    const r = runKernel(makeInputs({ z, eod, day: [0, 0, 0, 0, 1, 1, 1, 1] }), makeConfig({}));
    assert.deepEqual(shape(r), [
      [1, 3, 1, "FLAT_EOD"],
      [4, 7, 1, "FLAT_EOD"],
    ]);
  });

  test("END_OF_DATA at the last bar, and no entry on the last bar", () => {
    const r = runKernel(makeInputs({ z: [0, 2.5, 1, 1, 3] }), makeConfig({}));
    assert.deepEqual(shape(r), [[1, 4, -1, "END_OF_DATA"]]);
    assert.equal(runKernel(makeInputs({ z: [0, 0, 0, 2.5] }), makeConfig({})).nTrades, 0);
  });
});

describe("gates and entry window", () => {
  const z = [0, -2.5, -2.5, -2.5, 0, 0];

  test("window_ok false blocks an entry", () => {
    const r = runKernel(makeInputs({ z, windowOk: [1, 0, 0, 1, 1, 1] }), makeConfig({}));
    assert.deepEqual(shape(r), [[3, 4, 1, "TP_ZSCORE"]]);
  });

  test("corr ≥ min_corr; a NaN metric fails", () => {
    const corr = [0.9, 0.3, NaN_, 0.5, 0.9, 0.9];
    const r = runKernel(makeInputs({ z, corr }), makeConfig({ min_corr: 0.5 }));
    assert.deepEqual(shape(r), [[3, 4, 1, "TP_ZSCORE"]]);
  });

  test("H ≤ max_hurst, stat ≤ adf_max_stat, p ≤ adf_max_pvalue", () => {
    const first = (cfg: Parameters<typeof makeConfig>[0], m: Parameters<typeof makeInputs>[0]) =>
      runKernel(makeInputs(m), makeConfig(cfg)).trades[0]?.entry_i;
    assert.equal(first({ max_hurst: 0.5 }, { z, hurst: [0, 0.6, 0.5, 0, 0, 0] }), 2);
    assert.equal(first({ adf_max_stat: -2.86 }, { z, adfStat: [0, -2.5, -2.86, 0, 0, 0] }), 2);
    assert.equal(first({ adf_max_pvalue: 0.05 }, { z, adfPvalue: [0, 0.06, 0.01, 0, 0, 0] }), 2);
    // the stat gate compares the statistic, never the p-value
    assert.equal(first({ adf_max_stat: -2.86 }, { z, adfStat: [0, 0.01, -3, 0, 0, 0] }), 2);
  });

  test("half-life: bounds inclusive, missing bound open, +∞ passes a lone hl_min only", () => {
    const hl = (halfLife: number[], cfg: Parameters<typeof makeConfig>[0]) =>
      runKernel(makeInputs({ z, halfLife }), makeConfig(cfg)).trades[0]?.entry_i;
    const inf = Number.POSITIVE_INFINITY;
    assert.equal(hl([0, inf, 0, 0, 0, 0], { hl_min: 5 }), 1);
    assert.equal(hl([0, inf, 50, 0, 0, 0], { hl_min: 5, hl_max: 50 }), 2);
    assert.equal(hl([0, 4, 5, 0, 0, 0], { hl_min: 5, hl_max: 50 }), 2);
    assert.equal(hl([0, 51, NaN_, 1, 0, 0], { hl_max: 50 }), 3);
    assert.equal(hl([0, NaN_, NaN_, NaN_, 0, 0], { hl_min: 5 }), undefined);
  });

  test("min_gates: at least k of the enabled gates (corr, hurst pass; p-value fails)", () => {
    const m = { z, corr: [1, 1, 1, 1, 1, 1], hurst: [0, 0, 0, 0, 0, 0], adfPvalue: [1, 1, 1, 1, 1, 1] };
    const gates = { min_corr: 0.5, max_hurst: 0.5, adf_max_pvalue: 0.05 };
    const count = (min_gates: number) =>
      runKernel(makeInputs(m), makeConfig({ ...gates, min_gates })).nTrades;
    assert.equal(count(-1), 0, "all gates");
    assert.equal(count(2), 1);
    assert.equal(count(3), 0);
    assert.equal(count(4), 0, "more than the enabled gates: never");
    const allFail = { ...m, corr: [0, 0, 0, 0, 0, 0] as number[], hurst: [1, 1, 1, 1, 1, 1] as number[] };
    assert.equal(
      runKernel(makeInputs(allFail), makeConfig({ ...gates, min_gates: 0 })).nTrades,
      1,
      "0 = always",
    );
  });

  test("an enabled gate without its metric is an error", () => {
    assert.throws(() => runKernel(makeInputs({ z }), makeConfig({ min_corr: 0.5 })), /min_corr/);
  });
});

describe("dollar exits at slow closes", () => {
  test("TP_DOLLAR at the actual PnL, same-bar re-entry, SL_DOLLAR outranks TP_ZSCORE", () => {
    const z = [0, -2.5, -2.2, -2.5, 0, 0];
    const a = [100, 100, 103, 107, 102, 102];
    const r = runKernel(makeInputs({ z, a }), makeConfig({ dollar_tp: 5, dollar_sl: 4 }));
    assert.deepEqual(shape(r), [
      [1, 3, 1, "TP_DOLLAR"],
      [3, 4, 1, "SL_DOLLAR"],
    ]);
    assert.deepEqual(
      r.trades.map((t) => t.pnl_net),
      [7, -5],
    );
    assert.deepEqual([r.stats.total_pnl, r.stats.gross_profit, r.stats.gross_loss], [2, 7, -5]);
    assert.deepEqual([r.stats.profit_factor, r.stats.max_dd, r.stats.win_rate], [1.4, 5, 0.5]);
  });

  test("a dollar level outranks the z stop; one level alone works", () => {
    const z = [0, 2.5, 4.5, 0];
    const b = [100, 100, 100, 100];
    const a = [100, 100, 90, 90];
    const r = runKernel(makeInputs({ z, a, b }), makeConfig({ dollar_tp: 10, z_stop: 4 }));
    // FLAT after a dollar exit: z = 4.5 ≥ ze opens a new short on the same bar
    assert.deepEqual(shape(r), [
      [1, 2, -1, "TP_DOLLAR"],
      [2, 3, -1, "TP_ZSCORE"],
    ]);
    const slOnly = runKernel(makeInputs({ z, a: [100, 100, 110, 110], b }), makeConfig({ dollar_sl: 10 }));
    assert.deepEqual(shape(slOnly)[0], [1, 2, -1, "SL_DOLLAR"]);
    assert.equal(slOnly.trades[0]!.pnl_gross, -10);
  });
});

describe("sizing and costs", () => {
  test("negative beta: sb = −1 adds the B leg's move; costs per round trip", () => {
    const inp = makeInputs({
      z: [-2.5, 0, 0],
      a: [18000, 18010, 18010],
      b: [36000, 36020, 36020],
      beta: [-0.8, 5, 5],
    });
    const cfg = makeConfig({ mult_a: 20, mult_b: 5, commission: 2.25, slippage_ticks: 0.5 });
    const t = runKernel(inp, cfg).trades[0]!;
    // ratio = 360000 / 180000 · 0.8 = 1.6 → N_b = 2; u = 20·10 + 2·5·20
    assert.deepEqual([t.n_a, t.n_b, t.beta_entry, t.pnl_gross], [1, 2, -0.8, 400]);
    assert.equal(t.costs, 2 * 3 * 2.25 + 2 * 0.5 * (0.25 * 20 + 2 * 1 * 5));
    assert.equal(t.pnl_net, 400 - 28.5);
  });

  test("half-to-even rounding, base_qty, micro mode, beta 0", () => {
    const sizes = (a: number, beta: number, cfg: Parameters<typeof makeConfig>[0]) => {
      const t = runKernel(makeInputs({ z: [-2.5, 0], a: [a, a], beta: [beta, beta] }), makeConfig(cfg))
        .trades[0]!;
      return [t.n_a, t.n_b];
    };
    assert.deepEqual(sizes(250, 1, {}), [1, 2], "2.5 → 2");
    assert.deepEqual(sizes(350, 1, {}), [1, 4], "3.5 → 4");
    assert.deepEqual(sizes(150, 1, { base_qty: 3 }), [3, 4], "4.5 → 4");
    assert.deepEqual(sizes(150, 1, { base_qty: 3, max_mult: 4 }), [2, 3], "micro: k = 2 is exact");
    assert.deepEqual(sizes(125, 1, { max_mult: 4 }), [4, 5]);
    assert.deepEqual(sizes(100, 0, { max_mult: 4 }), [1, 1], "ratio 0: k = 1, N_b at least 1");
    assert.deepEqual(sizes(10, 1, {}), [1, 1], "N_b at least 1");
  });
});

describe("statistics", () => {
  // trades: +3 exiting day 0, −2 exiting day 2, +1 exiting day 3; day 1 has none
  const inp = makeInputs({
    z: [-2.5, 0, 0, 0, 0, 0, 2.5, 0, 0, -2.5, 0, 0],
    a: [100, 103, 103, 103, 103, 103, 103, 105, 105, 105, 106, 106],
    day: [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3],
  });

  test("row from the trade list and the daily series [3, 0, −2, 1]", () => {
    const s = runKernel(inp, makeConfig({}), 3).stats;
    assert.deepEqual(
      [s.n_trades, s.n_long, s.n_short, s.n_wins, s.total_pnl, s.gross_profit, s.gross_loss],
      [3, 2, 1, 2, 2, 4, -2],
    );
    assert.deepEqual([s.profit_factor, s.max_dd, s.avg_bars_held, s.exposure, s.n_days], [2, 2, 1, 0.25, 4]);
    close(s.win_rate, 2 / 3, "win_rate");
    close(s.avg_pnl, 2 / 3, "avg_pnl");
    close(s.sharpe, (0.5 / Math.sqrt(13 / 3)) * Math.sqrt(252), "sharpe");
    close(s.sortino, 0.5 * Math.sqrt(252), "sortino");
    close(s.skew, 0, "skew");
    close(s.kurtosis, 19.5625 / 3.25 ** 2, "kurtosis");
  });

  test("folds: consecutive day ranges, trades by exit day, empty folds kept", () => {
    assert.deepEqual(runKernel(inp, makeConfig({}), 3).folds, [
      { n_trades: 1, pnl: 3, pnl_sq: 9, n_days: 1 },
      { n_trades: 0, pnl: 0, pnl_sq: 0, n_days: 1 },
      { n_trades: 2, pnl: -1, pnl_sq: 5, n_days: 2 },
    ]);
    // 6 folds over 4 days: starts 0, 0, 1, 2, 2, 3, 4
    assert.deepEqual(
      runKernel(inp, makeConfig({}), 6).folds.map((f) => [f.n_trades, f.pnl, f.n_days]),
      [
        [0, 0, 0],
        [1, 3, 1],
        [0, 0, 1],
        [0, 0, 0],
        [1, -2, 1],
        [1, 1, 1],
      ],
    );
  });
});

describe("buffers", () => {
  test("offsets: reads and writes only its own slices; scratch reuse resets the daily series", () => {
    const inp = makeInputs({ z: [-2.5, 0, 2.5, 0], a: [100, 101, 101, 99], day: [0, 0, 1, 1] });
    const cfg = new Float64Array(3 * CFG_LENGTH).fill(-7);
    makeConfig({}, cfg, CFG_LENGTH);
    const row = new Float64Array(3 * N_STATS).fill(-7);
    const folds = new Float64Array(4 * FOLD_WIDTH).fill(-7);
    const scratch = makeKernelScratch(5);
    for (let rep = 0; rep < 2; rep++) {
      const n = runGridKernel(
        new KernelCall(inp, cfg, row, folds, 2, scratch).at(CFG_LENGTH, N_STATS, FOLD_WIDTH),
      );
      assert.equal(n, 2);
      assert.equal(row[N_STATS + S_N_TRADES], 2);
      assert.equal(row[N_STATS + S_TOTAL_PNL], 1 + 2);
    }
    assert.ok(
      row.subarray(N_STATS, 2 * N_STATS).every((v) => v !== -7),
      "every statistic written",
    );
    assert.ok(row.subarray(0, N_STATS).every((v) => v === -7));
    assert.ok(row.subarray(2 * N_STATS).every((v) => v === -7));
    assert.deepEqual([...folds], [-7, -7, -7, -7, 1, 1, 1, 1, 1, 2, 4, 1, -7, -7, -7, -7]);
  });

  test("a small trade buffer gets the first trades; the count covers all", () => {
    const inp = makeInputs({ z: [-2.5, 0, -2.5, 0, -2.5, 0] });
    const buf = new Float64Array(TRADE_RECORD_WIDTH + 3).fill(-1);
    const row = new Float64Array(N_STATS);
    const n = runGridKernel(
      new KernelCall(inp, makeConfig({}), row, new Float64Array(0), 0, makeKernelScratch(1), buf),
    );
    assert.equal(n, 3);
    assert.equal(buf[TR_EXIT_I], 1);
    assert.deepEqual([...buf.subarray(TRADE_RECORD_WIDTH)], [-1, -1, -1]);
  });

  test("scratch smaller than the day count is refused", () => {
    const inp = makeInputs({ z: [0, 0], day: [0, 1] });
    assert.throws(() =>
      runGridKernel(
        new KernelCall(
          inp,
          makeConfig({}),
          new Float64Array(N_STATS),
          new Float64Array(0),
          0,
          makeKernelScratch(1),
          null,
        ),
      ),
    );
  });
});
