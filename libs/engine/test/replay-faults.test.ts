// Fault injection: each test plants one classic live/backtest bug on one side, through the
// test-only hooks (BatchFaultHooks, ReplayFaultHooks) or the warm-up option, and checks that the
// gate fails and that its report names the right cause. The real code paths are untouched.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { IndicatorSeries } from "../src/indicators/compute-indicators.js";
import type { FindingCode } from "../src/parity/parity-diagnosis.js";
import { type ParityOutcome, runParity } from "../src/parity/run-parity.js";
import { day, makeSpec, parityOptions, synthData } from "./replay-fixtures.js";

const spec = makeSpec({
  ols_window: 500,
  zscore_window: 100,
  z_entry: 1.75,
  z_exit: 0.5,
  z_stop: 3.5,
  dollar_tp: 500,
});
const data = synthData(40, 17);
const opts = parityOptions(spec);

function causes(out: ParityOutcome): FindingCode[] {
  return out.findings.filter((f) => f.kind === "cause").map((f) => f.code);
}

function message(out: ParityOutcome, code: FindingCode): string {
  return out.findings.find((f) => f.code === code)?.message ?? "";
}

/** z[i] ← z[i + 1]: the batch z-score of each bar computed with the next bar's close. */
function oneBarLookahead(ind: IndicatorSeries): IndicatorSeries {
  const z = new Float64Array(ind.z.length).fill(Number.NaN);
  z.set(ind.z.subarray(1));
  return { ...ind, z };
}

/** Every indicator series rounded through a Float32Array, as a single-precision pipeline would. */
function inFloat32(ind: IndicatorSeries): IndicatorSeries {
  const f32 = (a: Float64Array) => Float64Array.from(Float32Array.from(a));
  return {
    ...ind,
    beta: f32(ind.beta),
    alpha: f32(ind.alpha),
    spread: f32(ind.spread),
    mu: f32(ind.mu),
    sigma: f32(ind.sigma),
    z: f32(ind.z),
  };
}

test("the faultless run passes (the baseline the faults are measured against)", async () => {
  const out = await runParity(data, opts);
  assert.equal(out.comparison.pass, true, out.comparison.failures.join("; "));
  assert.deepEqual(causes(out), []);
});

test("a one-bar look-ahead in the batch z-score: caught, diagnosed as look-ahead by one bar", async () => {
  const out = await runParity(data, { ...opts, batchHooks: { indicators: oneBarLookahead } });
  const m = out.comparison.metrics;
  assert.equal(out.comparison.pass, false);
  assert.ok(m.divergentDecisions > 0, `${m.divergentDecisions} divergent decisions`);
  assert.ok(m.maxAbsDz > 0.01, `|Δz| max ${m.maxAbsDz}`);
  assert.equal(causes(out)[0], "LOOKAHEAD");
  assert.match(message(out, "LOOKAHEAD"), /batch z at each bar equals the replay's z 1 bar later/);
  assert.match(message(out, "LOOKAHEAD"), /look-ahead/);
  assert.ok(!causes(out).includes("FLOAT32") && !causes(out).includes("WARMUP_SHORT"));
});

test("indicators computed in float32: caught by |Δz|, diagnosed as single precision on the batch side", async () => {
  const out = await runParity(data, { ...opts, batchHooks: { indicators: inFloat32 } });
  const m = out.comparison.metrics;
  assert.equal(out.comparison.pass, false);
  assert.ok(m.zOverTol > 0 && m.maxAbsDz > 1e-9 && m.maxAbsDz < 1e-3, `|Δz| max ${m.maxAbsDz}`);
  assert.equal(causes(out)[0], "FLOAT32");
  assert.match(message(out, "FLOAT32"), /batch's beta, alpha, spread, mu, sigma, z are single-precision/);
  assert.ok(!causes(out).includes("LOOKAHEAD"));
});

test("a replay started without warm-up: caught, diagnosed as a short warm-up with the bars it needs", async () => {
  const window = { startDay: day("2024-02-12"), endDay: day("2024-02-16") };
  const out = await runParity(data, { ...opts, ...window, warmupBars: 0 });
  const m = out.comparison.metrics;
  assert.equal(out.comparison.pass, false);
  assert.equal(out.warmup.start, out.window.from, "no bar before the window");
  assert.ok(m.zOneSided >= 598, `z on one side only at ${m.zOneSided} bars (ols 500 + z 100 − 2)`);
  assert.equal(causes(out)[0], "WARMUP_SHORT");
  assert.match(message(out, "WARMUP_SHORT"), /undefined for the first 598 decision bars.*warm-up \(0 bars\)/);
});

test("a warm-up long enough to define z but short of the plan: caught only if it matters, never misnamed", async () => {
  // 650 bars: z is defined from the window's first bar but the sums are not yet the batch's; the
  // differences are ~1e-15 relative, inside the tolerance, so this is (rightly) a pass
  const window = { startDay: day("2024-02-12"), endDay: day("2024-02-16") };
  const out = await runParity(data, { ...opts, ...window, warmupBars: 650 });
  assert.equal(out.warmup.bitIdentical, false);
  assert.equal(out.comparison.metrics.zOneSided, 0);
  assert.ok(out.comparison.metrics.maxAbsDz < 1e-9, `|Δz| max ${out.comparison.metrics.maxAbsDz}`);
  assert.ok(!causes(out).includes("WARMUP_SHORT"));
});

test("a Kalman replay not started at bar 0: caught, diagnosed as unconverged state", async () => {
  const kalman = makeSpec({ zscore_window: 80, z_entry: 2, z_exit: 0, z_stop: 4 }, { hedge: "kalman" });
  const window = { startDay: day("2024-02-12"), endDay: day("2024-02-16") };
  const out = await runParity(data, { ...parityOptions(kalman), ...window, warmupBars: 2000 });
  assert.equal(out.comparison.pass, false);
  assert.equal(causes(out)[0], "STATE_NOT_CONVERGED");
  assert.match(message(out, "STATE_NOT_CONVERGED"), /Kalman state depends on the whole history/);
});

test("sizing from a different beta (the previous bar's): caught, diagnosed as a stale sizing beta", async () => {
  const out = await runParity(data, { ...opts, replayHooks: { sizingBeta: (_beta, previous) => previous } });
  const m = out.comparison.metrics;
  assert.equal(out.comparison.pass, false);
  assert.equal(m.maxAbsDz, 0, "z untouched");
  assert.ok(m.entryBetaMismatches > 0);
  assert.ok(causes(out).includes("SIZING_BETA"));
  assert.equal(causes(out)[0], "SIZING_BETA");
  assert.match(
    message(out, "SIZING_BETA"),
    /replay's beta_entry is not beta at the entry bar.*previous bar's beta/,
  );
});

test("sizing from a different beta that changes contracts: caught by |Δsize| as well", async () => {
  // micro mode amplifies a small beta error into different leg sizes
  const micro = makeSpec(
    { ols_window: 500, zscore_window: 100, z_entry: 1.75, z_exit: 0.5 },
    { sizing: { base_qty: 1, max_mult: 10 } },
  );
  const out = await runParity(data, {
    ...parityOptions(micro),
    replayHooks: { sizingBeta: (beta) => beta * 1.02 },
  });
  const m = out.comparison.metrics;
  assert.ok(m.maxAbsDSize > 0, `|Δsize| max ${m.maxAbsDSize}`);
  assert.ok(out.comparison.failures.some((f) => f.startsWith("|Δsize|")));
  assert.match(message(out, "SIZING_BETA"), /neither the entry bar's nor the previous bar's beta/);
});
