// The event family kernel's exact-arithmetic walk (event-family-exact.ts, issue 19 item 5): where a
// base run's PnL lies on a power-of-two grid, members take their kept trades from prefix sums and
// range summaries instead of adding them one by one. Their rows must still be the bar-scan
// kernel's bit for bit, including where the grid does not hold: costs off it (commission 0.1: the
// base run falls back), or a few bars whose price is off it (a member cutting a trade there falls
// back mid-walk and runs again), and with sibling families sharing the stop and hold levels' PnL
// per entry bar (event-level-memo.ts). The range summaries are checked against brute force.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CFG_LENGTH } from "../src/rules/config-vector.js";
import { BatchScratch } from "../src/kernels/event-batch-kernel.js";
import { dyadicScale, ExactRun } from "../src/kernels/event-family-exact.js";
import { FamilyScratch, runEventFamilies } from "../src/kernels/event-family-kernel.js";
import { GroupEvents } from "../src/kernels/event-index.js";
import { BatchCall } from "../src/kernels/kernel-call.js";
import type { TradeRun } from "../src/rules/kernel-tally.js";
import { FOLD_WIDTH, N_STATS, statRowToObject } from "../src/statistics/stat-row.js";
import { combination, dataShape, makeData } from "./grid-kernel-arbitraries.js";
import { makeConfig, NO_GATES, runKernel } from "./grid-kernel-helpers.js";

const family = fc.record({
  base: combination(true).map((c) => ({ ...c, dollar_tp: undefined, dollar_sl: undefined })),
  stopGaps: fc.uniqueArray(fc.constantFrom(null, 0.25, 0.5, 1, 1.5, 0.3), { minLength: 1, maxLength: 4 }),
  holds: fc.uniqueArray(fc.constantFrom(0, 1, 2, 3, 5, 10, 40), { minLength: 1, maxLength: 4 }),
  // 0: costs on the grid; 1: commission 0.1 (off any power-of-two grid)
  offGridCosts: fc.constantFrom(0, 0, 0, 1),
  // sibling families (same z_entry and sizing, another z_exit or no gates), which share the
  // level memo's records (event-level-memo.ts)
  siblings: fc.boolean(),
});

test("exact member walks = bar-scan kernel, bit for bit, on and off the PnL grid", () => {
  let exactWalks = 0;
  let exactFailed = 0;
  let walks = 0;
  fc.assert(
    fc.property(
      dataShape,
      fc.array(family, { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 1, max: 5 }),
      // bars whose A price is moved off the grid: none, or a few
      fc.constantFrom(0, 0, 0.01, 0.05),
      fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(512)),
      (shape, fams, nFolds, offGridRate, blockTrades) => {
        const inp = makeData(shape);
        // seeded from the shape, so a failure replays exactly
        let s = shape.seed;
        const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
        for (let i = 0; i < inp.n; i++) if (rnd() < offGridRate) inp.closeA[i]! += 0.1;
        const list = fams.flatMap(({ base, stopGaps, holds, offGridCosts, siblings }) => {
          const shared = {
            ...(shape.gates ? base : { ...base, ...NO_GATES }),
            ...(offGridCosts === 1 ? { commission: 0.1 } : {}),
          };
          const kin = siblings
            ? [shared, { ...shared, z_exit: shared.z_exit! / 2 }, { ...shared, ...NO_GATES }]
            : [shared];
          return kin.flatMap((sib) =>
            stopGaps.flatMap((gap) =>
              holds.map((max_hold) => ({
                ...sib,
                z_stop: gap === null ? undefined : sib.z_entry! + gap,
                max_hold,
              })),
            ),
          );
        });
        const cfgs = new Float64Array(list.length * CFG_LENGTH);
        list.forEach((c, k) => makeConfig(c, cfgs, k * CFG_LENGTH));
        const rows = new Float64Array(list.length * N_STATS);
        const folds = new Float64Array(list.length * nFolds * FOLD_WIDTH);
        const at = (w: number) => Int32Array.from(list, (_, k) => k * w);
        const stats = runEventFamilies(
          new BatchCall(
            inp,
            new GroupEvents(inp),
            cfgs,
            at(CFG_LENGTH),
            rows,
            at(N_STATS),
            folds,
            at(nFolds * FOLD_WIDTH),
            nFolds,
          ),
          new BatchScratch(inp.nDays),
          new FamilyScratch(inp.nDays),
          1,
          64,
          blockTrades,
        );
        exactWalks += stats.exactWalks;
        exactFailed += stats.exactFailed;
        walks += stats.members - stats.copied;
        list.forEach((_, k) => {
          const scan = runKernel(inp, cfgs.subarray(k * CFG_LENGTH, (k + 1) * CFG_LENGTH), nFolds, "scan");
          const got = statRowToObject(rows.subarray(k * N_STATS, (k + 1) * N_STATS));
          assert.deepEqual(got, scan.stats, `combination ${k}`);
          const f0 = k * nFolds * FOLD_WIDTH;
          scan.folds.forEach((f, q) => {
            const o = f0 + q * FOLD_WIDTH;
            assert.deepEqual(
              [folds[o], folds[o + 1], folds[o + 2], folds[o + 3]],
              [f.n_trades, f.pnl, f.pnl_sq, f.n_days],
              `combination ${k} fold ${q}`,
            );
          });
        });
      },
    ),
    { numRuns: 600 },
  );
  // every path ran: exact walks, exact walks that fell back mid-walk, and classic walks
  assert.ok(exactWalks > 1000, `${exactWalks} exact walks`);
  assert.ok(exactFailed > 10, `${exactFailed} exact walks fell back`);
  assert.ok(walks - exactWalks > 300, `${walks - exactWalks} walks without exact sums`);
});

test("ExactRun range summaries = brute force; dyadicScale finds the grid", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -400, max: 400 }), { minLength: 1, maxLength: 300 }),
      fc.constantFrom(1, 0.5, 0.25, 0.125),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 20 }),
      (ints, q, ranges) => {
        const m = ints.length;
        const pnlNet = Float64Array.from(ints, (v) => v * q);
        const run: TradeRun = {
          pnlNet,
          gain: pnlNet.map((p) => (p > 0 ? p : 0)),
          loss: pnlNet.map((p) => (p < 0 ? p : 0)),
          day: Int32Array.from(ints, (_, k) => k % 7),
          cumWins: new Float64Array(m + 1),
          cumLong: new Float64Array(m + 1),
          cumHeld: new Float64Array(m + 1),
          cumReason: new Float64Array(0),
        };
        const ex = new ExactRun();
        assert.ok(ex.build(run, m, 7));
        assert.ok(ex.scale <= 1 / q);
        const P = [0];
        for (const p of pnlNet) P.push(P[P.length - 1]! + p);
        for (const [x, y] of ranges) {
          const a = x % (m + 1);
          const b = a + (y % (m + 1 - a));
          let mx = -Infinity;
          let mn = Infinity;
          let drop = 0;
          for (let i = a; i <= b; i++) {
            mn = Math.min(mn, P[i]!);
            mx = Math.max(mx, P[i]!);
            drop = Math.max(drop, mx - P[i]!);
          }
          ex.query(a, b);
          assert.deepEqual([ex.qMax, ex.qMin, ex.qDrop], [mx, mn, drop], `range ${a}…${b}`);
        }
      },
    ),
    { numRuns: 500 },
  );
  assert.equal(dyadicScale(2.25), 4);
  assert.equal(dyadicScale(-7), 1);
  assert.equal(dyadicScale(0.1), 0);
  assert.equal(dyadicScale(Number.NaN), 0);
});
