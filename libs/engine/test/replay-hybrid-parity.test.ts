// ENGINE.md §8–9 for the hybrid engines: the hybrid replay (slow and fast bars merged into one
// event stream, indicators updated on slow completions only, z_live from the last completed slow
// bar, dollar levels on fast bars, fills at fast closes) agrees with the batch hybrid reference
// event by event — identical decisions, states, sizes and PnL, |Δz| = 0 (z_live included), equal
// trace digests — on several seeds of synthetic 1-second data, whole series and microscope window.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, test } from "node:test";
import { configFor } from "../src/rules/config-vector.js";
import type { HybridEngineName } from "../src/chunks/hybrid-grid-data.js";
import { type HybridParityOutcome, runHybridParity } from "../src/parity/run-hybrid-parity.js";
import { resolveCombination } from "../src/grid-spec/combination.js";
import { type SynthHybrid, synthHybrid } from "./hybrid-synth.js";

const SEEDS = [2, 9, 23];
const DAYS = 2;
const PARAMS = {
  ols_window: 120,
  zscore_window: 40,
  z_entry: 1.75,
  z_exit: 0,
  z_stop: 3.5,
  max_hold: 12,
  dollar_tp: 250,
  dollar_sl: 300,
  corr_window: 100,
  min_corr: 0.2,
};

const made = new Map<number, SynthHybrid>();
after(() => {
  for (const s of made.values()) rmSync(s.dir, { recursive: true, force: true });
});

async function data(seed: number): Promise<SynthHybrid> {
  let s = made.get(seed);
  if (s === undefined) {
    s = await synthHybrid(DAYS, seed, { params: PARAMS });
    made.set(seed, s);
  }
  return s;
}

async function parity(
  engine: HybridEngineName,
  seed: number,
  sets: Record<string, number | null> = {},
  extra: { startDay?: number; endDay?: number } = {},
): Promise<HybridParityOutcome> {
  const { spec, sp, fl } = await data(seed);
  const combo = { ...resolveCombination(spec, []), ...sets };
  return runHybridParity(sp, fl.fast, {
    engine,
    combo,
    settings: { hedge: spec.hedge, hurstLags: spec.gates.hurst_lags },
    cfg: configFor(spec, combo),
    ...extra,
  });
}

function assertExact(out: HybridParityOutcome, what: string): void {
  const m = out.comparison.metrics;
  assert.deepEqual(out.comparison.failures, [], what);
  assert.equal(m.batchOnly + m.replayOnly, 0, `${what}: rows on both sides`);
  assert.equal(m.divergentStates, 0, `${what}: states`);
  assert.equal(m.maxAbsDz, 0, `${what}: bit-identical z (z_live on fast rows)`);
  assert.equal(m.digests.batch, m.digests.replay, `${what}: traces equal line for line`);
  assert.deepEqual(
    out.findings.filter((f) => f.kind === "cause"),
    [],
    what,
  );
}

for (const engine of ["hybrid_dollar", "hybrid_zlive"] as const) {
  test(`${engine}: replay = batch reference on ${SEEDS.length} seeds, whole series`, async () => {
    for (const seed of SEEDS) {
      const out = await parity(engine, seed);
      const what = `${engine}, seed ${seed}`;
      assertExact(out, what);
      const trades = out.batch.result.trades;
      assert.ok(trades.length >= 10, `${what}: ${trades.length} trades`);
      assert.ok(out.rows.fast > 100_000, `${what}: ${out.rows.fast} fast rows compared`);
      assert.equal(out.comparison.metrics.both, out.rows.fast + out.rows.slow);
      // fast exits are part of what is compared: some trades leave between slow closes
      const fastExits = trades.filter((t) => (t.exit_ts - t.entry_ts) % 300_000 !== 0).length;
      assert.ok(fastExits > 0, `${what}: ${fastExits} exits off the slow grid`);
      if (engine === "hybrid_zlive") {
        const zCompared = out.comparison.metrics.zCompared;
        assert.ok(zCompared > out.rows.slow, `${what}: z_live compared at ${zCompared} rows`);
      }
    }
  });
}

test("hybrid_dollar with both dollar exits off: replay = batch = the slow engine's decisions", async () => {
  const out = await parity("hybrid_dollar", SEEDS[0]!, { dollar_tp: null, dollar_sl: null });
  assertExact(out, "dollar off");
  assert.ok(out.batch.result.trades.every((t) => (t.exit_ts - t.entry_ts) % 300_000 === 0));
});

test("microscope window: warm-up from before the window, bit-identical from the first decision", async () => {
  for (const engine of ["hybrid_dollar", "hybrid_zlive"] as const) {
    for (const seed of SEEDS.slice(0, 1)) {
      const { sp } = await data(seed);
      const days = [...new Set(Array.from(sp.tradingDay))];
      const out = await parity(engine, seed, {}, { startDay: days[1]!, endDay: days[1]! });
      assertExact(out, `${engine} window, seed ${seed}`);
      assert.ok(out.window.from > out.warmup.start, "warm-up before the window");
      assert.ok(out.window.from > 0, "window after the first day");
      assert.ok(out.rows.fast > 10_000);
    }
  }
});
