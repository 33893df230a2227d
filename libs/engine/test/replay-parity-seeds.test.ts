// ENGINE.md §9 on synthetic data: the replay (bars fed one at a time, incremental indicators,
// warm-up pre-roll, its own §5 step) agrees with the batch reference bit for bit — identical
// decisions, states, sizes and PnL, |Δz| = 0, equal trace digests — on several seeds, for plain,
// gated, Kalman, micro-sized and windowed combinations, over whole series and microscope windows.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runParity } from "../src/parity/run-parity.js";
import { day, makeSpec, parityOptions, synthData } from "./replay-fixtures.js";

const SEEDS = [3, 11, 29];
const DAYS = 45;

const CASES: { name: string; spec: ReturnType<typeof makeSpec>; session?: Record<string, string | null> }[] =
  [
    {
      name: "every exit on",
      spec: makeSpec({
        ols_window: 600,
        zscore_window: 120,
        z_entry: 1.75,
        z_exit: 0.5,
        z_stop: 3,
        max_hold: 60,
        dollar_tp: 400,
        dollar_sl: 600,
      }),
    },
    {
      name: "all gates, confidence filter",
      spec: makeSpec({
        ols_window: 500,
        zscore_window: 100,
        z_entry: 1.5,
        z_exit: 0,
        z_stop: 3.5,
        corr_window: 300,
        min_corr: 0.6,
        hurst_window: 150,
        max_hurst: 0.55,
        hl_window: 300,
        hl_max: 150,
        adf_window: 300,
        adf_max_pvalue: 0.2,
        min_gates: 3,
      }),
    },
    {
      name: "Kalman hedge",
      spec: makeSpec(
        { zscore_window: 80, z_entry: 2, z_exit: -0.25, z_stop: 4, max_hold: 100 },
        { hedge: "kalman" },
      ),
    },
    {
      name: "micro sizing, entry window, no flat time",
      spec: makeSpec(
        { ols_window: 400, zscore_window: 60, z_entry: 2, z_exit: 0 },
        { sizing: { base_qty: 1, max_mult: 6 } },
      ),
      session: { flat_time: null, entry_start: "09:30", entry_end: "15:00" },
    },
  ];

for (const c of CASES) {
  test(`parity on ${SEEDS.length} seeds, whole series: ${c.name}`, async () => {
    for (const seed of SEEDS) {
      const data = synthData(DAYS, seed, c.session);
      const out = await runParity(data, parityOptions(c.spec));
      const m = out.comparison.metrics;
      assert.deepEqual(out.comparison.failures, [], `seed ${seed}`);
      assert.equal(m.both, data.pair.ts.length, "every bar compared");
      assert.equal(m.divergentStates, 0, `seed ${seed}: states`);
      assert.equal(m.maxAbsDz, 0, `seed ${seed}: bit-identical z`);
      assert.equal(m.digests.batch, m.digests.replay, `seed ${seed}: traces equal line for line`);
      assert.ok(
        out.batch.result.trades.length >= 10,
        `seed ${seed}: ${out.batch.result.trades.length} trades`,
      );
      assert.deepEqual(
        out.findings.filter((f) => f.kind === "cause"),
        [],
      );
    }
  });
}

test("microscope windows: warm-up from before the window, bit-identical by the first decision", async () => {
  for (const seed of SEEDS) {
    const data = synthData(DAYS, seed);
    for (const c of CASES.slice(0, 3)) {
      const out = await runParity(data, {
        ...parityOptions(c.spec),
        startDay: day("2024-02-20"),
        endDay: day("2024-02-23"),
      });
      const m = out.comparison.metrics;
      assert.deepEqual(out.comparison.failures, [], `${c.name}, seed ${seed}`);
      assert.equal(m.maxAbsDz, 0);
      assert.equal(m.digests.batch, m.digests.replay);
      assert.ok(out.warmup.bitIdentical);
      assert.ok(out.window.from > 0 && out.window.to < data.pair.ts.length, "a window inside the series");
      // OLS replays start well after bar 0; Kalman needs the whole history
      if (c.spec.hedge === "ols")
        assert.ok(out.warmup.start > 0, `${c.name}: warm-up start ${out.warmup.start}`);
      else assert.equal(out.warmup.start, 0);
      assert.equal(out.batch.traces[0]!.state, "FLAT", "both start flat in the window");
    }
  }
});

test("a warm-up longer than planned gives the same replay trace", async () => {
  // a longer warm-up than planned converges as well (it only has to include the plan's start)
  const data = synthData(DAYS, 3);
  const opts = parityOptions(CASES[0]!.spec);
  const window = { startDay: day("2024-02-26"), endDay: day("2024-03-01") };
  const planned = await runParity(data, { ...opts, ...window });
  const longer = await runParity(data, { ...opts, ...window, warmupBars: planned.window.from });
  assert.equal(longer.warmup.start, 0);
  assert.equal(longer.comparison.metrics.digests.replay, planned.comparison.metrics.digests.replay);
});
