// The event family kernel against the bar-scan kernel (issue 8): families of combinations that
// differ only in z_stop and max_hold share one base run; every member's §7 row and folds must be
// the bar-scan kernel's, bit for bit, whatever the block size, the family size threshold and the
// stops and holds (including ones that cut trades short and ones that hit exactly at a base exit:
// z and levels on a 0.25 grid, holds of 1 bar). The kernel throws if a member ever left the base
// run's trades, so these runs also check the argument in its header.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CFG_LENGTH } from "../src/rules/config-vector.js";
import { BatchScratch } from "../src/kernels/event-batch-kernel.js";
import {
  BLOCK_TRADES,
  FAMILY_BATCH,
  FamilyScratch,
  runEventFamilies,
} from "../src/kernels/event-family-kernel.js";
import { GroupEvents } from "../src/kernels/event-index.js";
import { BatchCall } from "../src/kernels/kernel-call.js";
import { FOLD_WIDTH, N_STATS, statRowToObject } from "../src/statistics/stat-row.js";
import { combination, dataShape, makeData } from "./grid-kernel-arbitraries.js";
import { makeConfig, NO_GATES, runKernel } from "./grid-kernel-helpers.js";

/** A family's shared values (no dollar exit) and its members' stops (gap over z_entry) and holds. */
const family = fc.record({
  base: combination(true).map((c) => ({ ...c, dollar_tp: undefined, dollar_sl: undefined })),
  stopGaps: fc.uniqueArray(fc.constantFrom(null, 0.25, 0.5, 0.75, 1, 1.5, 0.3, 0.9), {
    minLength: 1,
    maxLength: 4,
  }),
  holds: fc.uniqueArray(fc.constantFrom(0, 1, 2, 3, 5, 10, 40), { minLength: 1, maxLength: 4 }),
});

test("event family kernel = bar-scan kernel, bit for bit, for every member of random families", () => {
  let members = 0;
  let cutTrades = 0;
  let copied = 0;
  let familiesRun = 0;
  let severalBatches = 0;
  fc.assert(
    fc.property(
      dataShape,
      // up to 10 families: more than one batch of base runs (FAMILY_BATCH) in some runs
      fc.array(family, { minLength: 1, maxLength: 10 }),
      fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 6 }),
      // base trades walked together: a block of one trade, a few, or the default
      fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(BLOCK_TRADES)),
      (shape, fams, blockBars, minFamily, nFolds, blockTrades) => {
        const inp = makeData(shape);
        const list = fams.flatMap(({ base, stopGaps, holds }) => {
          const shared = shape.gates ? base : { ...base, ...NO_GATES };
          return stopGaps.flatMap((gap) =>
            holds.map((max_hold) => ({
              ...shared,
              z_stop: gap === null ? undefined : shared.z_entry! + gap,
              max_hold,
            })),
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
          minFamily,
          blockBars,
          blockTrades,
        );
        members += stats.members;
        cutTrades += stats.cutTrades;
        copied += stats.copied;
        familiesRun += stats.families;
        if (stats.families > FAMILY_BATCH) severalBatches++;
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
    { numRuns: 1000 },
  );
  // the family path ran, with trades cut short by stops and holds, and members copied
  assert.ok(members > 2000 && familiesRun > 200, `${members} members in ${familiesRun} families`);
  assert.ok(cutTrades > 1000, `${cutTrades} trades cut short`);
  assert.ok(copied > 100, `${copied} members copied`);
  assert.ok(severalBatches > 20, `${severalBatches} runs with more than one batch of base runs`);
});

test("families group by every config value but z_stop and max_hold", () => {
  const shape = {
    seed: 3,
    n: 400,
    warmup: 5,
    maxDayBars: 60,
    eodMode: 1,
    windowMode: 0,
    betaMode: 0,
    nanRate: 0,
    phi: 0.9,
    zOnGrid: true,
    gates: false,
  };
  const inp = makeData(shape);
  // two families of 4 (z_exit differs), and a fifth combination alone (commission differs)
  const base = { z_entry: 2, z_exit: 0, ...NO_GATES };
  const list = [
    ...[0, 5, 10, 20].map((max_hold) => ({ ...base, max_hold })),
    ...[undefined, 3, 3.5, 4].map((z_stop) => ({ ...base, z_exit: 0.5, z_stop })),
    { ...base, commission: 9 },
  ];
  const cfgs = new Float64Array(list.length * CFG_LENGTH);
  list.forEach((c, k) => makeConfig(c, cfgs, k * CFG_LENGTH));
  const at = (w: number) => Int32Array.from(list, (_, k) => k * w);
  const stats = runEventFamilies(
    new BatchCall(
      inp,
      new GroupEvents(inp),
      cfgs,
      at(CFG_LENGTH),
      new Float64Array(list.length * N_STATS),
      at(N_STATS),
      new Float64Array(list.length * FOLD_WIDTH),
      at(FOLD_WIDTH),
      1,
    ),
    new BatchScratch(inp.nDays),
    new FamilyScratch(inp.nDays),
  );
  assert.deepEqual(stats.families, 2);
  assert.deepEqual(stats.members, 8);
});
