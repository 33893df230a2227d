// W1 (BENCH.md): the grid kernel on one hedge, one thread. ≈ 330 k 5-min bars of synthetic NQ/YM,
// OLS 2000 / z 100, no gates, flat_time 16:55; z_entry × z_exit × z_stop × max_hold with invalid
// combinations dropped. In one process, alternating within each repetition: the bar-scan kernel
// over the whole grid, and the event-driven kernel over the whole grid INCLUDING the build of its
// event index (issue 8) — as grids run it (families sharing a base run, runEventFamilies) and as
// one batch in bar blocks without families (runEventBatch); all rows compared bit for bit, and the reference engine on an evenly spaced sample checked. Rates are effective: bars × combinations / CPU-seconds.
// Then how cost grows: the event kernel at 1×, 2×, 4× the bars (1200, 2400, 4800 days of data) and
// at 1×, 2×, 4× the combinations (z_entry step 0.1, 0.05, 0.025).
import {
  axisValues,
  backtestInputs,
  buildEventArrays,
  CFG_LENGTH,
  computeIndicators,
  FOLD_WIDTH,
  fillConfig,
  BatchCall,
  BatchScratch,
  GroupEvents,
  KernelCall,
  loadSlowPair,
  loadSpecFile,
  makeKernelScratch,
  N_STATS,
  resolveCombination,
  runReference,
  runEventBatch,
  runEventFamilies,
  FamilyScratch,
  runSlowKernel,
  STAT_NAMES,
  thresholdProblem,
  zLevelsOf,
} from "@pairgrid/engine";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ensureSynthData, synthPairData, writeSpec } from "./lib/bench-data.mjs";
import { median, sig } from "./lib/measure.mjs";

const REFERENCE_SAMPLE = 30;
const N_TRADES = STAT_NAMES.indexOf("n_trades");
/** Issue 8's goal for the kernel grids run (effective, per thread). */
const TARGET_BAR_COMBINATIONS_PER_S = 1000e6;
export const W1_SPEC = {
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

/** CPU seconds (user + system) of this process while `fn` runs; single-threaded work here. */
function cpuSeconds(fn) {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

/** One hedge's data and combinations: the BacktestInputs and the config vectors. */
export async function loadGrid(days, zEntryStep) {
  const dir = ensureSynthData(`synth-${days}d-seed7`, { days, seed: 7 });
  const params = { ...W1_SPEC.params, z_entry: { from: 1.5, to: 3.0, step: zEntryStep } };
  const { spec } = loadSpecFile(writeSpec(dir, `w1-${zEntryStep}.json`, { ...W1_SPEC, params }));
  const slow = await loadSlowPair(spec);
  const { combos, skipped } = validCombinations(spec);
  const ind = computeIndicators(slow.pair, combos[0], {
    hedge: spec.hedge,
    hurstLags: spec.gates.hurst_lags,
  });
  const inp = backtestInputs(slow, ind);
  const cfgs = new Float64Array(combos.length * CFG_LENGTH);
  combos.forEach((c, k) => fillConfig(cfgs, spec, c, k * CFG_LENGTH));
  const levels = zLevelsOf(
    ...["z_entry", "z_exit", "z_stop"].map((p) => axisValues(spec.params[p]).filter((v) => v !== null)),
  );
  return { spec, inp, combos, skipped, cfgs, levels, nFolds: spec.rank.folds };
}

/** Runs every combination with the bar scan (events null) or the event kernel, one at a time. */
function runAll(g, events, rows, folds) {
  const scratch = makeKernelScratch(g.inp.nDays);
  let trades = 0;
  const stride = g.nFolds * FOLD_WIDTH;
  const call = new KernelCall(g.inp, g.cfgs, rows, folds, g.nFolds, scratch);
  for (let k = 0; k < g.combos.length; k++) {
    trades += runSlowKernel(call.at(k * CFG_LENGTH, k * N_STATS, k * stride), events);
  }
  return trades;
}

/**
 * The whole grid in one call of the event kernel, as runChunk runs a chunk: `families` (what
 * grids run: families first, the rest as one batch) or every combination in one bar-block batch.
 * Returns the trades made and, for families, runEventFamilies' stats.
 */
function runGrid(g, events, rows, folds, families) {
  const at = (w) => Int32Array.from(g.combos, (_, k) => k * w);
  const nc = g.combos.length;
  const call = new BatchCall(
    g.inp,
    events,
    g.cfgs,
    at(CFG_LENGTH),
    rows,
    at(N_STATS),
    folds,
    at(g.nFolds * FOLD_WIDTH),
    g.nFolds,
  );
  const batchScratch = new BatchScratch(g.inp.nDays);
  const stats = families ? runEventFamilies(call, batchScratch, new FamilyScratch(g.inp.nDays)) : null;
  if (!families) runEventBatch(call, batchScratch);
  let trades = 0;
  for (let k = 0; k < nc; k++) trades += rows[k * N_STATS + N_TRADES];
  return { trades, stats };
}

/**
 * The event kernel over the grid, its event index (and bar records) built inside the timed region:
 * `families` as grids run it (runEventFamilies), `batch` every combination in one bar-block batch.
 */
export function eventRun(g, rows, folds, mode = "families") {
  let buildSeconds = 0;
  let trades = 0;
  let familyStats = null;
  const seconds = cpuSeconds(() => {
    const t0 = performance.now();
    const built = buildEventArrays(g.inp, g.levels);
    const events = new GroupEvents(g.inp, built.arrays);
    buildSeconds = (performance.now() - t0) / 1000;
    ({ trades, stats: familyStats } = runGrid(g, events, rows, folds, mode !== "batch"));
  });
  return { seconds, buildSeconds, trades, familyStats };
}

export function rowsOf(g) {
  return {
    rows: new Float64Array(g.combos.length * N_STATS),
    folds: new Float64Array(g.combos.length * g.nFolds * FOLD_WIDTH),
  };
}

/** Same numbers, NaN included (Object.is: bit-identical up to NaN payloads). */
function identical(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

export async function runW1({ reps }) {
  const t0 = performance.now();
  const g = await loadGrid(1200, 0.1);
  const { inp, combos, cfgs, nFolds } = g;
  const setupSeconds = (performance.now() - t0) / 1000;
  const nCombos = combos.length;
  const barCombos = inp.n * nCombos;

  const scan = rowsOf(g);
  const ev = rowsOf(g);
  const bat = rowsOf(g);
  // JIT warm-up of every kernel
  const few = { ...g, combos: combos.slice(0, 300) };
  runAll(few, null, scan.rows, scan.folds);
  eventRun(few, ev.rows, ev.folds);
  eventRun(few, bat.rows, bat.folds, "batch");

  const scanSeconds = [];
  const eventSeconds = [];
  const batchSeconds = [];
  const buildSeconds = [];
  let scanTrades = 0;
  let eventTrades = 0;
  let familyStats = null;
  for (let r = 0; r < reps; r++) {
    scanSeconds.push(cpuSeconds(() => (scanTrades = runAll(g, null, scan.rows, scan.folds))));
    const e = eventRun(g, ev.rows, ev.folds);
    eventSeconds.push(e.seconds);
    buildSeconds.push(e.buildSeconds);
    eventTrades = e.trades;
    familyStats = e.familyStats;
    batchSeconds.push(eventRun(g, bat.rows, bat.folds, "batch").seconds);
  }
  const sameRows =
    identical(scan.rows, ev.rows) &&
    identical(scan.folds, ev.folds) &&
    identical(scan.rows, bat.rows) &&
    identical(scan.folds, bat.folds) &&
    scanTrades === eventTrades;

  const sample = Array.from({ length: REFERENCE_SAMPLE }, (_, s) =>
    Math.floor(((s + 0.5) * nCombos) / REFERENCE_SAMPLE),
  );
  const refSeconds = [];
  let results = [];
  for (let r = 0; r < reps; r++) {
    refSeconds.push(
      cpuSeconds(() => {
        results = sample.map((k) =>
          runReference(inp, cfgs.subarray(k * CFG_LENGTH, (k + 1) * CFG_LENGTH), nFolds),
        );
      }),
    );
  }
  const mismatches = sample.filter((k, s) => !sameRow(ev.rows, k * N_STATS, results[s].stats));

  const scanS = median(scanSeconds);
  const eventS = median(eventSeconds);
  const refPerCombo = median(refSeconds) / sample.length;
  const kernelFigures = (s, trades) => ({
    cpu_seconds_median: sig(s),
    combinations_per_s: sig(nCombos / s),
    ns_per_bar_combination: sig((s * 1e9) / barCombos),
    bar_combinations_per_s: sig(barCombos / s),
    trades_per_combination: sig(trades / nCombos),
    speedup_vs_reference: sig(refPerCombo / (s / nCombos)),
  });
  return {
    workload: "W1",
    description:
      "grid kernel, one hedge (OLS 2000, z 100), no gates, flat_time 16:55, one thread; " +
      "rates are bars × combinations / CPU-seconds",
    data: { bars: inp.n, trading_days: inp.nDays, setup_seconds: sig(setupSeconds) },
    combinations: nCombos,
    skipped_invalid: g.skipped,
    repetitions: reps,
    bar_scan: { ...kernelFigures(scanS, scanTrades), cpu_seconds: scanSeconds.map(sig) },
    event_driven: {
      ...kernelFigures(eventS, eventTrades),
      cpu_seconds: eventSeconds.map(sig),
      event_index_build_seconds_median: sig(median(buildSeconds)),
      event_index_levels: g.levels.entry.length + g.levels.atLeast.length + g.levels.atMost.length + 1,
      families: familyStats.families,
      combinations_in_families: familyStats.members,
      combinations_copied: familyStats.copied,
      trades_cut_short: familyStats.cutTrades,
    },
    event_driven_batch_without_families: {
      ...kernelFigures(median(batchSeconds), eventTrades),
      cpu_seconds: batchSeconds.map(sig),
    },
    event_vs_scan_speedup: sig(scanS / eventS),
    families_vs_batch_speedup: sig(median(batchSeconds) / eventS),
    rows_identical_event_vs_scan: sameRows,
    reference: {
      sample_combinations: sample.length,
      cpu_seconds_per_combination_median: sig(refPerCombo),
      ns_per_bar_combination: sig((refPerCombo * 1e9) / inp.n),
      parity_mismatches: mismatches.length,
    },
    target: {
      bar_combinations_per_s: TARGET_BAR_COMBINATIONS_PER_S,
      met: barCombos / eventS >= TARGET_BAR_COMBINATIONS_PER_S,
    },
    scaling: await scaling(reps),
  };
}

/**
 * The event kernel's time (index build included) at 1×, 2×, 4× the bars and the combinations.
 * Each point runs in a process of its own (w1-scaling-point.mjs), so no point pays for another's
 * garbage or heap (freeing a 4× event index slowed the 1× runs after it by half in one process);
 * the points take turns, `reps` runs each over two rounds, so a slow spell of this shared machine
 * falls on every point alike. Figures are medians over both rounds.
 */
async function scaling(reps) {
  const sizes = [
    [1200, 0.1],
    [2400, 0.1],
    [4800, 0.1],
    [1200, 0.05],
    [1200, 0.025],
  ];
  const script = fileURLToPath(new URL("./w1-scaling-point.mjs", import.meta.url));
  const points = sizes.map(([days, step]) => ({ days, step, runs: [] }));
  for (let round = 0; round < 2; round++) {
    for (const p of points) {
      const out = execFileSync(process.execPath, [script, String(p.days), String(p.step), String(reps)], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      });
      const { bars, combinations, runs } = JSON.parse(out);
      Object.assign(p, { bars, combinations });
      p.runs.push(...runs);
    }
  }
  const figures = ({ days, step, bars, combinations, runs }) => {
    const s = median(runs.map((x) => x.seconds));
    const { trades, copied, cutTrades } = runs[0];
    return {
      days,
      z_entry_step: step,
      bars,
      combinations,
      cpu_seconds_median: sig(s),
      cpu_seconds: runs.map((x) => sig(x.seconds)),
      us_per_combination: sig((s * 1e6) / combinations),
      bar_combinations_per_s: sig((bars * combinations) / s),
      // the work itself: trades made (summed over combinations), members copied instead of run,
      // trades a member's stop or hold cut short; and the time per trade made
      trades,
      members_copied: copied,
      trades_cut_short: cutTrades,
      ns_per_trade: sig((s * 1e9) / trades),
    };
  };
  const [b1, b2, b4, c2, c4] = points.map(figures);
  const bars = [b1, b2, b4];
  const combos = [b1, c2, c4];
  const growth = (pts, key) =>
    pts.map((p) => ({
      size_ratio: sig(p[key] / pts[0][key]),
      time_ratio: sig(p.cpu_seconds_median / pts[0].cpu_seconds_median),
      trades_ratio: sig(p.trades / pts[0].trades),
    }));
  return {
    bars,
    combinations: combos,
    growth_with_bars: growth(bars, "bars"),
    growth_with_combinations: growth(combos, "combinations"),
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
