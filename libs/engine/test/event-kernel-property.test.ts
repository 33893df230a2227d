// The event-driven kernel against the bar-scan kernel (issue 8): on random data and dollar-free
// combinations, bit-identical trade records, §7 rows and folds. Also: a group's packed event arrays
// equal the ones built on demand, and jumps land exactly on thresholds (z on a 0.25 grid, levels on
// it too, so `≤` against `<` matters).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { buildEventArrays, GroupEvents, zLevelsOf } from "../src/kernels/event-index.js";
import { packArrays, unpackArrays } from "../src/chunks/shared-arrays.js";
import { BatchScratch, runEventBatch } from "../src/kernels/event-batch-kernel.js";
import { runEventKernel } from "../src/kernels/event-kernel.js";
import { BatchCall, KernelCall } from "../src/kernels/kernel-call.js";
import { CFG_LENGTH } from "../src/rules/config-vector.js";
import { makeKernelScratch } from "../src/kernels/grid-kernel.js";
import { TRADE_RECORD_WIDTH } from "../src/kernels/grid-kernel-trade-record.js";
import { FOLD_WIDTH, N_STATS, statRowToObject } from "../src/statistics/stat-row.js";
import { combination, dataShape, makeData } from "./grid-kernel-arbitraries.js";
import { makeConfig, NO_GATES, runKernel } from "./grid-kernel-helpers.js";

const dollarFree = (gates: boolean) =>
  combination(gates).map((c) => ({ ...c, dollar_tp: undefined, dollar_sl: undefined }));

const scenario = dataShape.chain((shape) =>
  fc.record({
    shape: fc.constant(shape),
    combos: fc.array(dollarFree(shape.gates), { minLength: 1, maxLength: 5 }),
    nFolds: fc.integer({ min: 1, max: 20 }),
  }),
);

/** Everything a kernel writes, as raw numbers (NaN compared as NaN by deepEqual). */
function rawRun(
  kernel: "scan" | "events",
  inp: ReturnType<typeof makeData>,
  cfg: Float64Array,
  nFolds: number,
) {
  const r = runKernel(inp, cfg, nFolds, kernel);
  return { trades: r.trades, stats: r.stats, folds: r.folds };
}

test("event kernel = bar-scan kernel, bit for bit, on random data and dollar-free combinations", () => {
  let combos = 0;
  let trades = 0;
  const reasons = new Set<string>();
  fc.assert(
    fc.property(scenario, ({ shape, combos: list, nFolds }) => {
      const inp = makeData(shape);
      // one GroupEvents per data set, as a group's combinations share it
      const events = new GroupEvents(inp);
      for (const values of list) {
        const cfg = makeConfig(values);
        const scan = rawRun("scan", inp, cfg, nFolds);
        const ev = runKernel(inp, cfg, nFolds, "events", events);
        assert.deepEqual(ev.trades, scan.trades);
        assert.deepEqual(ev.stats, scan.stats);
        assert.deepEqual(ev.folds, scan.folds);
        combos++;
        trades += scan.trades.length;
        for (const t of scan.trades) reasons.add(t.reason);
      }
    }),
    { numRuns: 1500 },
  );
  assert.ok(trades > 10 * combos, `${trades} trades over ${combos} combinations`);
  // every non-dollar reason happens, or a branch of the jump logic went untested
  assert.deepEqual(
    [...reasons].sort(),
    ["END_OF_DATA", "FLAT_EOD", "MAX_HOLD", "SL_ZSCORE", "TP_ZSCORE"],
    `exit reasons seen: ${[...reasons].join(", ")}`,
  );
});

test("event batch kernel = bar-scan kernel, bit for bit, whatever the block and batch sizes", () => {
  let combos = 0;
  fc.assert(
    fc.property(
      dataShape,
      // more than one batch (BATCH_SIZE 128) now and then
      fc.array(dollarFree(true), { minLength: 60, maxLength: 300 }),
      fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 1, max: 8 }),
      (shape, list, blockBars, nFolds) => {
        // gate values only mean something on data with gate metrics
        const inp = makeData(shape);
        const usable = shape.gates ? list : list.map((c) => ({ ...c, ...NO_GATES }));
        const cfgs = new Float64Array(usable.length * CFG_LENGTH);
        usable.forEach((c, k) => makeConfig(c, cfgs, k * CFG_LENGTH));
        const rows = new Float64Array(usable.length * N_STATS);
        const folds = new Float64Array(usable.length * nFolds * FOLD_WIDTH);
        const at = (w: number) => Int32Array.from(usable, (_, k) => k * w);
        runEventBatch(
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
          blockBars,
        );
        usable.forEach((_, k) => {
          const scan = runKernel(inp, cfgs.subarray(k * CFG_LENGTH, (k + 1) * CFG_LENGTH), nFolds, "scan");
          const got = statRowToObject(rows.subarray(k * N_STATS, (k + 1) * N_STATS));
          assert.deepEqual(got, scan.stats, `combination ${k}`);
          const f0 = k * nFolds * FOLD_WIDTH;
          scan.folds.forEach((f, q) => {
            const o = f0 + q * FOLD_WIDTH;
            assert.deepEqual(
              [folds[o], folds[o + 1], folds[o + 2], folds[o + 3]],
              [f.n_trades, f.pnl, f.pnl_sq, f.n_days],
            );
          });
          combos++;
        });
      },
    ),
    { numRuns: 150 },
  );
  assert.ok(combos > 10_000, `${combos} combinations checked`);
});

test("packed event arrays equal the ones a group builds on demand", () => {
  fc.assert(
    fc.property(dataShape, fc.array(dollarFree(false), { minLength: 1, maxLength: 4 }), (shape, list) => {
      const inp = makeData(shape);
      const on = (v: number | null | undefined): number[] => (v === null || v === undefined ? [] : [v]);
      const levels = zLevelsOf(
        list.flatMap((c) => on(c.z_entry)),
        list.flatMap((c) => on(c.z_exit ?? 0.5)),
        list.flatMap((c) => on(c.z_stop)),
      );
      // through a SharedArrayBuffer pack and back, as a group travels to its threads
      const built = buildEventArrays(inp, levels);
      const packed = new GroupEvents(inp, unpackArrays(packArrays(built.arrays, built.lanes)));
      const lazy = new GroupEvents(inp);
      for (const v of levels.entry) assert.deepEqual(packed.entry(v), lazy.entry(v));
      for (const v of levels.atLeast) assert.deepEqual(packed.atLeast(v), lazy.atLeast(v));
      for (const v of levels.atMost) assert.deepEqual(packed.atMost(v), lazy.atMost(v));
      assert.deepEqual(packed.eod(), lazy.eod());
      assert.deepEqual(packed.bars(), lazy.bars());
      // the packed group holds every planned level: nothing was built on demand
      assert.equal(packed.size, levels.entry.length + levels.atLeast.length + levels.atMost.length + 1);
    }),
    { numRuns: 200 },
  );
});

test("event arrays: first index at or after i, NaN never matches, n means never", () => {
  const z = new Float64Array([0, 2, Number.NaN, -2.5, 1, -1, 3]);
  const n = z.length;
  const inp = {
    n,
    z,
    eod: new Uint8Array([0, 0, 0, 0, 1, 0, 0]),
    windowOk: new Uint8Array([1, 1, 1, 0, 1, 1, 1]),
    closeA: new Float64Array(n).fill(100),
    closeB: new Float64Array(n).fill(50),
    beta: new Float64Array(n).fill(1),
    dayIndex: new Int32Array(n),
  };
  const ev = new GroupEvents(inp);
  // entry at 2: bar 1 (z = 2), bar 3 is beyond but its window is closed, bar 6 is the last bar
  assert.deepEqual([...ev.entry(2)], [1, 1, 7, 7, 7, 7, 7]);
  // a long entry (z ≤ −L) is stored as ~index: bar 3 at level 1.5 with its window open
  const open = new GroupEvents({ ...inp, windowOk: new Uint8Array(n).fill(1) });
  assert.deepEqual([...open.entry(1.5)], [1, 1, ~3, ~3, 7, 7, 7]);
  assert.deepEqual([...ev.atLeast(1)], [1, 1, 4, 4, 4, 6, 6]);
  assert.deepEqual([...ev.atMost(-1)], [3, 3, 3, 3, 5, 5, 7]);
  assert.deepEqual([...ev.eod()], [4, 4, 4, 4, 4, 7, 7]);
});

test("event kernel refuses a combination with a dollar exit (the bar scan runs those)", () => {
  const inp = makeData({
    seed: 1,
    n: 50,
    warmup: 0,
    maxDayBars: 10,
    eodMode: 1,
    windowMode: 0,
    betaMode: 0,
    nanRate: 0,
    phi: 0.8,
    zOnGrid: false,
    gates: false,
  });
  const cfg = makeConfig({ z_entry: 2, dollar_tp: 500 });
  assert.throws(
    () =>
      runEventKernel(
        new KernelCall(
          inp,
          cfg,
          new Float64Array(N_STATS),
          new Float64Array(FOLD_WIDTH),
          1,
          makeKernelScratch(inp.nDays),
          new Float64Array(TRADE_RECORD_WIDTH),
        ),
        new GroupEvents(inp),
      ),
    /dollar exit is on/,
  );
});
