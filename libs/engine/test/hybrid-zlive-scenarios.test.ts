// Z-live hybrid engine on hand-built fast sequences, one §8/§10 rule per test, checked on the
// readable engine and the kernel alike. Indicators: beta 1, alpha 0, mu 0, sigma 0.01 and
// B = 100, so a fast row [zA(v), 100] has z_live ≈ v. Bar k's m fast rows close at the last m
// seconds of the bar; ze 2, zx 0, multipliers 1, no costs.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ReferenceResult } from "../src/reference/trade.js";
import type { HybridInputs } from "../src/kernels/hybrid-inputs.js";
import { runHybridZLiveReference } from "../src/reference/reference-engine.js";
import { type CfgSpec, makeCfg } from "./backtest-fixtures.js";
import { type HybridSpec, makeHybrid, zLiveKernel } from "./hybrid-fixtures.js";

const zA = (v: number) => 100 * Math.exp(0.01 * v);
const rowsAt = (...zs: number[]): [number, number][] => zs.map((v) => [zA(v), 100]);

function live(spec: Partial<HybridSpec> & { fast: [number, number][][] }): HybridInputs {
  const n = spec.fast.length;
  return makeHybrid({
    slow: { z: new Array<number>(n).fill(0), ...spec.slow },
    sigma: new Array<number>(n).fill(0.01),
    ...spec,
  });
}

function both(h: HybridInputs, c: CfgSpec = {}): ReferenceResult {
  const cfg = makeCfg(c);
  const ref = runHybridZLiveReference(h, cfg);
  const got = zLiveKernel(h, cfg);
  const key = (t: {
    entry_i: number;
    exit_i: number;
    entry_ts: number;
    exit_ts: number;
    reason: string;
    pnl_gross: number;
    n_b: number;
  }) => [t.entry_i, t.exit_i, t.entry_ts, t.exit_ts, t.reason, t.pnl_gross, t.n_b];
  assert.deepEqual(got.trades.map(key), ref.trades.map(key), "kernel = readable engine");
  return ref;
}

const shape = (r: ReferenceResult) => r.trades.map((t) => [t.entry_i, t.exit_i, t.side, t.reason]);
/** Close time of fast row r of m in slow bar k. */
const rowClose = (h: HybridInputs, k: number, r: number, m: number) =>
  h.slow.ts[k] + h.slow.barMs - (m - r - 1) * 1000;

test("entries and exits fill at fast closes, inside the slow bar", () => {
  const h = live({ fast: [rowsAt(0), rowsAt(0, -2.5, -1), rowsAt(-0.5, 0.2, 0), rowsAt(0)] });
  const r = both(h);
  assert.deepEqual(shape(r), [[1, 2, 1, "TP_ZSCORE"]]);
  const t = r.trades[0];
  assert.equal(t.entry_ts, rowClose(h, 1, 1, 3));
  assert.equal(t.exit_ts, rowClose(h, 2, 1, 3), "first row with z ≥ −zx");
  assert.equal(t.bars_held, 1, "bars held in slow-bar indices");
});

test("slow bar 0's fast bars are skipped: no completed bar before them", () => {
  const h = live({ fast: [rowsAt(-3, -3), rowsAt(0, -2.5), rowsAt(0.5)] });
  assert.deepEqual(shape(both(h)), [[1, 2, 1, "TP_ZSCORE"]]);
});

test("z_live uses the indicators of bar k−1, never bar k's own", () => {
  // bar 1's own sigma (0.001) would turn its −0.3 into −3; its rows use bar 0's 0.01 instead.
  // Bar 2's rows use bar 1's sigma: −0.3 reads −3 there.
  const sigma = [0.01, 0.001, 0.01, 0.01];
  const h = live({ fast: [rowsAt(0), rowsAt(-0.3), rowsAt(-0.3), rowsAt(1)], sigma });
  const r = both(h);
  assert.deepEqual(shape(r), [[2, 3, 1, "TP_ZSCORE"]]);
});

test("beta_entry and sizing come from bar k−1", () => {
  // beta 2 at bar 1 (alpha offsets it, so z_live is unchanged); an entry in bar 2 sizes N_b = 2
  const beta = [1, 2, 1, 1];
  const alpha = beta.map((b) => (1 - b) * Math.log(100));
  const h = live({
    slow: { z: [0, 0, 0, 0], beta },
    alpha,
    fast: [rowsAt(0), rowsAt(0), rowsAt(-2.5), rowsAt(1)],
  });
  const r = both(h);
  assert.deepEqual(shape(r), [[2, 3, 1, "TP_ZSCORE"]]);
  assert.deepEqual([r.trades[0].beta_entry, r.trades[0].n_a, r.trades[0].n_b], [2, 1, 2]);
});

test("max_hold counts elapsed time: max_hold · L_slow after the entry fill", () => {
  // entry at bar 1's first row; 300 s later is bar 2's first row: MAX_HOLD there, then cooldown
  const h = live({
    fast: [rowsAt(0), rowsAt(-2.5, -2.4, -2.4), rowsAt(-2.4, -2.6, -2.6), rowsAt(-2.5, 0, -2.5), rowsAt(-1)],
  });
  const r = both(h, { max_hold: 1 });
  assert.deepEqual(shape(r), [
    [1, 2, 1, "MAX_HOLD"],
    // entered at bar 3's last row, 300 s before bar 4's: MAX_HOLD outranks END_OF_DATA there
    [3, 4, 1, "MAX_HOLD"],
  ]);
  assert.equal(r.trades[0].exit_ts - r.trades[0].entry_ts, 300_000);
  // the cooldown holds through bar 2 (z stays below −zx), ends at bar 3's z = 0, re-enters at −2.5
  assert.equal(r.trades[1].entry_ts, rowClose(h, 3, 2, 3), "entry only after the cooldown ended");
});

test("eod at fast bar closes: FLAT_EOD at the row, and no entry on an eod row", () => {
  // rows: bar0 [0] | bar1 [−2.5, −1] | bar2 [−1, −1(eod), −2.5(eod)] | bar3 [0]
  const fastEod = [0, 0, 0, 0, 1, 1, 0];
  const h = live({ fast: [rowsAt(0), rowsAt(-2.5, -1), rowsAt(-1, -1, -2.5), rowsAt(0)], fastEod });
  const r = both(h);
  assert.deepEqual(shape(r), [[1, 2, 1, "FLAT_EOD"]]);
  assert.equal(r.trades[0].exit_ts, rowClose(h, 2, 1, 3));
});

test("END_OF_DATA at the last processed fast bar; no entry there", () => {
  const h = live({ fast: [rowsAt(0), rowsAt(-2.5), rowsAt(-1, -3)] });
  const r = both(h);
  assert.deepEqual(shape(r), [[1, 2, 1, "END_OF_DATA"]]);
  assert.equal(r.trades[0].exit_ts, rowClose(h, 2, 1, 2));
});

test("dollar exits at fast resolution book the level", () => {
  // u = a − a_e with one contract a side (B flat): a drop of ≈ 1.5 trips a $1 stop
  const h = live({ fast: [rowsAt(0), rowsAt(-2.5), rowsAt(-2.4, -4), rowsAt(0)] });
  const r = both(h, { dollar_sl: 1 });
  // z_live is −4 on the stop's own row, so step 3 re-enters right there (§5 same-bar re-entry)
  assert.deepEqual(shape(r), [
    [1, 2, 1, "SL_DOLLAR"],
    [2, 3, 1, "TP_ZSCORE"],
  ]);
  assert.equal(r.trades[1].entry_ts, r.trades[0].exit_ts);
  assert.equal(r.trades[0].pnl_gross, -1);
  assert.ok(r.trades[0].mae < -1, "MAE keeps the actual value");
});
