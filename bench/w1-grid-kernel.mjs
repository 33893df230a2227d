// W1 (BENCH.md): the grid kernel on one hedge, one thread. ≈ 330 k 5-min bars of synthetic NQ/YM,
// OLS 2000 / z 100, no gates, flat_time 16:55; z_entry × z_exit × z_stop × max_hold with invalid
// combinations dropped. Times the kernel over the whole grid and the reference engine on an evenly
// spaced sample of the same combinations, in the same process, and checks that both agree there.
import {
  axisValues,
  backtestInputs,
  CFG_LENGTH,
  computeIndicators,
  FOLD_WIDTH,
  fillConfig,
  loadSlowPair,
  loadSpecFile,
  makeKernelScratch,
  N_STATS,
  resolveCombination,
  runGridKernel,
  runReference,
  STAT_NAMES,
  thresholdProblem,
} from "@pairgrid/engine";
import { ensureSynthData, synthPairData, writeSpec } from "./lib/bench-data.mjs";
import { median, sig, timeRepeated } from "./lib/measure.mjs";

const REFERENCE_SAMPLE = 30;
const TARGET_BAR_COMBINATIONS_PER_S = 300e6;

const W1_SPEC = {
  name: "bench-w1",
  data: synthPairData(),
  session: { tz: "America/New_York", day_roll: "18:00", flat_time: "16:55" },
  costs: { commission: 2.25, slippage_ticks: 0.5 },
  hedge: "ols",
  params: {
    ols_window: 2000,
    zscore_window: 100,
    z_entry: { from: 1.5, to: 3.0, step: 0.1 },
    z_exit: { from: -0.5, to: 1.0, step: 0.25 },
    z_stop: [null, 3, 3.5, 4, 4.5, 5],
    max_hold: [0, 50, 100, 200, 400],
  },
};

/** Every combination of the spec's axes (row-major, last axis fastest) with valid thresholds. */
function validCombinations(spec) {
  const base = resolveCombination(spec, []);
  const axes = Object.entries(spec.params).map(([name, axis]) => [name, axisValues(axis)]);
  const out = [];
  let skipped = 0;
  const walk = (k, c) => {
    if (k === axes.length) {
      if (thresholdProblem(c) === null) out.push({ ...c });
      else skipped++;
      return;
    }
    const [name, values] = axes[k];
    for (const v of values) walk(k + 1, { ...c, [name]: v });
  };
  walk(0, base);
  return { combos: out, skipped };
}

export async function runW1({ reps }) {
  const t0 = performance.now();
  const dir = ensureSynthData("synth-1200d-seed7", { days: 1200, seed: 7 });
  const { spec } = loadSpecFile(writeSpec(dir, "w1.json", W1_SPEC));
  const slow = await loadSlowPair(spec);
  const { combos, skipped } = validCombinations(spec);
  const ind = computeIndicators(slow.pair, combos[0], {
    hedge: spec.hedge,
    hurstLags: spec.gates.hurst_lags,
  });
  const inp = backtestInputs(slow, ind);
  const setupSeconds = (performance.now() - t0) / 1000;

  const nCombos = combos.length;
  const nFolds = spec.rank.folds;
  const cfgs = new Float64Array(nCombos * CFG_LENGTH);
  combos.forEach((c, k) => fillConfig(cfgs, spec, c, k * CFG_LENGTH));
  const rows = new Float64Array(nCombos * N_STATS);
  const folds = new Float64Array(nCombos * nFolds * FOLD_WIDTH);
  const scratch = makeKernelScratch(inp.nDays);
  let trades = 0;
  const runKernelOn = (ks) => {
    trades = 0;
    for (const k of ks) {
      trades += runGridKernel(
        inp,
        cfgs,
        k * CFG_LENGTH,
        rows,
        k * N_STATS,
        folds,
        k * nFolds * FOLD_WIDTH,
        nFolds,
        scratch,
        null,
      );
    }
  };
  const all = Array.from({ length: nCombos }, (_, k) => k);
  const sample = Array.from({ length: REFERENCE_SAMPLE }, (_, s) =>
    Math.floor(((s + 0.5) * nCombos) / REFERENCE_SAMPLE),
  );

  runKernelOn(all.slice(0, 200)); // JIT warm-up
  const kernelSeconds = timeRepeated(() => runKernelOn(all), reps);
  const gridTrades = trades;
  const kernelSampleSeconds = timeRepeated(() => {
    for (let r = 0; r < 10; r++) runKernelOn(sample);
  }, reps).map((s) => s / 10);

  let results = [];
  const referenceSeconds = timeRepeated(() => {
    results = sample.map((k) =>
      runReference(inp, cfgs.subarray(k * CFG_LENGTH, (k + 1) * CFG_LENGTH), nFolds),
    );
  }, reps);
  const mismatches = sample.filter((k, s) => !sameRow(rows, k * N_STATS, results[s].stats));

  const kernelS = median(kernelSeconds);
  const perComboKernel = median(kernelSampleSeconds) / sample.length;
  const perComboReference = median(referenceSeconds) / sample.length;
  const barCombinationsPerS = (inp.n * nCombos) / kernelS;
  return {
    workload: "W1",
    description: "grid kernel, one hedge (OLS 2000, z 100), no gates, flat_time 16:55, one thread",
    data: { bars: inp.n, trading_days: inp.nDays, setup_seconds: sig(setupSeconds) },
    combinations: nCombos,
    skipped_invalid: skipped,
    repetitions: reps,
    kernel: {
      seconds_median: sig(kernelS),
      seconds: kernelSeconds.map(sig),
      combinations_per_s: sig(nCombos / kernelS),
      ns_per_bar_combination: sig((kernelS * 1e9) / (inp.n * nCombos)),
      bar_combinations_per_s: sig(barCombinationsPerS),
      trades_per_combination: sig(gridTrades / nCombos),
    },
    reference: {
      sample_combinations: sample.length,
      seconds_per_combination_median: sig(perComboReference),
      kernel_seconds_per_combination_same_sample: sig(perComboKernel),
      ns_per_bar_combination: sig((perComboReference * 1e9) / inp.n),
      parity_mismatches: mismatches.length,
    },
    speedup_vs_reference: sig(perComboReference / perComboKernel),
    target: {
      bar_combinations_per_s: TARGET_BAR_COMBINATIONS_PER_S,
      met: barCombinationsPerS >= TARGET_BAR_COMBINATIONS_PER_S,
    },
  };
}

/** The kernel's row equals the reference's statistics (1e-9 relative; NaN = null). */
function sameRow(rows, offset, stats) {
  return STAT_NAMES.every((name, j) => {
    const got = rows[offset + j];
    const want = stats[name];
    if (want === null || Number.isNaN(got)) return want === null && Number.isNaN(got);
    return Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
  });
}
