// Dollar-mode hybrid engine on hand-built fast sequences, one §8 rule per test, each checked on the
// readable engine and the kernel alike. Defaults (backtest-fixtures.ts makeCfg): ze 2, zx 0, A = B
// = 100, beta 1, multipliers 1, no costs: one contract per leg and u = d·((a − a_e) − (b − b_e)).
// Slow bars are 5 minutes; bar k's m fast rows are its last m seconds (fastUnder).
import assert from "node:assert/strict";
import { test } from "node:test";
import { runHybridDollarReference, runReference } from "../src/reference/reference-engine.js";
import type { ReferenceResult } from "../src/reference/trade.js";
import type { HybridInputs } from "../src/kernels/hybrid-inputs.js";
import { type CfgSpec, makeCfg } from "./backtest-fixtures.js";
import { dollarKernel, makeHybrid } from "./hybrid-fixtures.js";

/** Readable engine and kernel on the same inputs; they must agree; the readable result is returned. */
function both(h: HybridInputs, c: CfgSpec): ReferenceResult {
  const cfg = makeCfg(c);
  const ref = runHybridDollarReference(h, cfg);
  const got = dollarKernel(h, cfg);
  const key = (t: {
    entry_i: number;
    exit_i: number;
    entry_ts: number;
    exit_ts: number;
    reason: string;
    pnl_gross: number;
  }) => [t.entry_i, t.exit_i, t.entry_ts, t.exit_ts, t.reason, t.pnl_gross];
  assert.deepEqual(got.trades.map(key), ref.trades.map(key), "kernel = readable engine");
  return ref;
}

const shape = (r: ReferenceResult) => r.trades.map((t) => [t.entry_i, t.exit_i, t.side, t.reason]);
const calm = (m: number): [number, number][] => Array.from({ length: m }, () => [100, 100]);
const closeOf = (h: HybridInputs, k: number) => h.slow.ts[k] + h.slow.barMs;

test("SL reached before TP inside one slow bar: SL_DOLLAR at the level, at that second", () => {
  // long at bar 1; bar 2 dips to u = −3 at its 2nd row, then rallies to u = +6 at the close
  const h = makeHybrid({
    slow: { z: [0, -2.5, -1, -1, -1], a: [100, 100, 106, 106, 106] },
    fast: [
      calm(3),
      calm(3),
      [
        [100, 100],
        [97, 100],
        [106, 100],
      ],
      [[106, 100]],
      [[106, 100]],
    ],
  });
  const r = both(h, { dollar_tp: 5, dollar_sl: 2 });
  assert.deepEqual(shape(r), [[1, 2, 1, "SL_DOLLAR"]]);
  const t = r.trades[0];
  assert.equal(t.pnl_gross, -2, "PnL fixed at the level, not the −3 of the fast close");
  assert.equal(t.exit_ts, closeOf(h, 2) - 1000, "fills at the close of the fast bar that touched");
  assert.deepEqual([t.exit_a, t.exit_b], [97, 100]);
  assert.deepEqual([t.mae, t.mfe], [-3, 0], "MFE/MAE over the fast bars looked at, actual values");
  // the slow engine sees only bar 2's close, up $6: it takes profit instead
  assert.deepEqual(shape(runReference(h.slow, makeCfg({ dollar_tp: 5, dollar_sl: 2 }))), [
    [1, 2, 1, "TP_DOLLAR"],
  ]);
});

test("TP reached in the first second after the entry", () => {
  // bar 2 holds 300 one-second rows; its first closes one second after bar 1's close (the entry)
  const bar2 = calm(300);
  bar2[0] = [103, 100];
  const h = makeHybrid({
    slow: { z: [0, -2.5, -1, -1], a: [100, 100, 100, 100] },
    fast: [calm(2), calm(2), bar2, calm(1)],
  });
  const r = both(h, { dollar_tp: 2, dollar_sl: 2 });
  assert.deepEqual(shape(r), [[1, 2, 1, "TP_DOLLAR"]]);
  const t = r.trades[0];
  assert.equal(t.exit_ts - t.entry_ts, 1000, "one second after the entry fill");
  assert.equal(t.pnl_gross, 2);
  assert.equal(t.mfe, 3, "MFE keeps the actual value past the level");
});

test("re-entry on the same slow bar after a dollar exit", () => {
  // a fast SL in bar 2 closes the long; bar 2's z is still −2.6, so a new long opens at its close
  const h = makeHybrid({
    slow: { z: [0, -2.5, -2.6, -1, 0.5], a: [100, 100, 100, 100, 101] },
    fast: [
      calm(2),
      calm(2),
      [
        [100, 100],
        [95, 100],
        [100, 100],
      ],
      calm(2),
      [[101, 100]],
    ],
  });
  const r = both(h, { dollar_sl: 3 });
  assert.deepEqual(shape(r), [
    [1, 2, 1, "SL_DOLLAR"],
    [2, 4, 1, "TP_ZSCORE"],
  ]);
  assert.equal(r.trades[1].entry_ts, closeOf(h, 2), "the new entry fills at bar 2's close");
  assert.equal(r.trades[1].pnl_gross, 1);
  // the slow engine never saw the dip: one trade
  assert.deepEqual(shape(runReference(h.slow, makeCfg({ dollar_sl: 3 }))), [[1, 4, 1, "TP_ZSCORE"]]);
});

test("the entry bar's own fast bars are never scanned", () => {
  // bar 1 crashes to a = 90 inside the bar and closes at 100, where the long enters; a scan of
  // those rows against the entry would stop out at once
  const h = makeHybrid({
    slow: { z: [0, -2.5, -1, 0.1], a: [100, 100, 100.5, 101] },
    fast: [
      calm(2),
      [
        [90, 100],
        [90, 100],
        [100, 100],
      ],
      [[100.5, 100]],
      [[101, 100]],
    ],
  });
  const r = both(h, { dollar_sl: 3, dollar_tp: 50 });
  assert.deepEqual(shape(r), [[1, 3, 1, "TP_ZSCORE"]]);
  assert.deepEqual([r.trades[0].mae, r.trades[0].mfe], [0.5, 1], "MAE/MFE from the bar after the entry");
});

test("fast bars in a gap between slow bars are never scanned", () => {
  const h = makeHybrid({
    slow: { z: [0, -2.5, -1, -1, 0.1] },
    fast: [calm(1), calm(1), calm(1), calm(1), calm(1)],
  });
  // bars 3 and 4 start 10 minutes later; a fast row at a = 80 sits in the hole after bar 2
  const ts = Float64Array.from(h.slow.ts, (t, k) => (k >= 3 ? t + 600_000 : t));
  const gapRow = ts[2] + h.slow.barMs + 60_000;
  const rows = [...h.fast.ts].map((t, j) => (j >= 3 ? t + 600_000 : t));
  const fastTs = [...rows.slice(0, 3), gapRow, ...rows.slice(3)];
  const closeA = [100, 100, 100, 80, 100, 100];
  const gap: HybridInputs = {
    ...h,
    slow: { ...h.slow, ts },
    fast: {
      n: 6,
      ts: Float64Array.from(fastTs),
      closeA: Float64Array.from(closeA),
      closeB: new Float64Array(6).fill(100),
      barMs: 1000,
    },
  };
  const r = both(gap, { dollar_sl: 3 });
  assert.deepEqual(shape(r), [[1, 4, 1, "TP_ZSCORE"]]);
});

test("a level reached only at the slow close fills there at the actual PnL", () => {
  // bar 2's fast rows stay calm and end a minute before the close; the slow close is down $4
  const h = makeHybrid({
    slow: { z: [0, -2.5, -1, -1], a: [100, 100, 96, 96] },
    fast: [calm(1), calm(1), calm(2), calm(1)],
  });
  h.fast.ts[3] -= 60_000;
  h.fast.ts[2] -= 60_000;
  const r = both(h, { dollar_sl: 3 });
  assert.deepEqual(shape(r), [[1, 2, 1, "SL_DOLLAR"]]);
  assert.equal(r.trades[0].pnl_gross, -4);
  assert.equal(r.trades[0].exit_ts, closeOf(h, 2));
});
