// W3 (BENCH.md): the hybrid kernels on `pairgrid data synth --days 60 --seed 7 --fast-seconds 1`
// (≈ 5 M fast bars per leg), OLS 1000 / z 100, flat_time 16:55, one thread.
// Dollar mode: dollar_tp × dollar_sl ∈ {250, 500, …, 2500}² with one z setting (z_entry 2,
// z_exit 0.5, no z_stop): the exact hybrid kernel against the precomputed-curve TP×SL grid (and the
// slow grid kernel on the same combinations, for scale), then the same comparison on a finer
// 50 × 50 grid ($50 … $2,500), where the curve grid's fixed cost spreads over more cells.
// Pruning (issue 8): the exact kernel on the 10 × 10 grid with CFG_HYBRID_PRUNE = 1 (skip a held
// slow bar whose fast-close extremes show neither level can be reached; the default) against 0
// (scan every held fast row), repetitions alternating so machine drift hits both alike:
// `prune_speedup` = unpruned / pruned median seconds, plus fast rows scanned/s for both.
// Z-live: z_entry {2, 2.5, 3} × z_exit {0, 0.5} × z_stop {null, 4}, the group's z_live series
// computed once outside the timed loop (and timed on its own).
import {
  CFG_DOLLAR_SL,
  CFG_DOLLAR_TP,
  CFG_HYBRID_PRUNE,
  CFG_Z_ENTRY,
  CFG_Z_EXIT,
  CFG_Z_STOP,
  configFor,
  FOLD_WIDTH,
  hybridGridData,
  hybridInputsFor,
  loadFastCloses,
  loadSlowPair,
  loadSpecFile,
  KernelCall,
  makeKernelScratch,
  N_STATS,
  resolveCombination,
  runCurveGrid,
  runGridKernel,
  runHybridKernel,
  zLiveSeries,
} from "@pairgrid/engine";
import { ensureSynthData, synthPairData, writeSpec } from "./lib/bench-data.mjs";
import { median, sig, timeRepeated } from "./lib/measure.mjs";

const DOLLAR_LEVELS = Array.from({ length: 10 }, (_, k) => 250 * (k + 1)); // BENCH.md's grid
const FINE_LEVELS = Array.from({ length: 50 }, (_, k) => 50 * (k + 1));
const Z_ENTRY = [2, 2.5, 3];
const Z_EXIT = [0, 0.5];
const Z_STOP = [null, 4];

const slowData = synthPairData({ fast_seconds: 1 });
const W3_SPEC = {
  name: "bench-w3",
  data: {
    ...slowData,
    a: { ...slowData.a, fast: "NQ_fast.csv" },
    b: { ...slowData.b, fast: "YM_fast.csv" },
  },
  session: { tz: "America/New_York", day_roll: "18:00", flat_time: "16:55" },
  costs: { commission: 2.25, slippage_ticks: 0.5 },
  engine: "hybrid_dollar",
  params: { ols_window: 1000, zscore_window: 100, z_entry: 2, z_exit: 0.5, z_stop: null },
};

/** Seconds one call of `fn` takes, and its value. */
async function timeOnce(fn) {
  const t0 = performance.now();
  const value = await fn();
  return [(performance.now() - t0) / 1000, value];
}

/** Copies of `base` with every (tp, sl) pair of `levels` × `levels` (tp outer). */
function dollarConfigs(base, levels, prune = 1) {
  const out = [];
  for (const tp of levels)
    for (const sl of levels) {
      const c = Float64Array.from(base);
      c[CFG_DOLLAR_TP] = tp;
      c[CFG_DOLLAR_SL] = sl;
      c[CFG_HYBRID_PRUNE] = prune;
      out.push(c);
    }
  return out;
}

/** `reps` timings of `a` and of `b`, alternating a, b, a, b, … */
function timeAlternating(a, b, reps) {
  const sa = [];
  const sb = [];
  for (let r = 0; r < reps; r++) {
    sa.push(timeRepeated(a, 1)[0]);
    sb.push(timeRepeated(b, 1)[0]);
  }
  return [sa, sb];
}

export async function runW3({ reps }) {
  const t0 = performance.now();
  const dir = ensureSynthData("synth-60d-seed7-fast1s", { days: 60, seed: 7, fastSeconds: 1 });
  const { spec } = loadSpecFile(writeSpec(dir, "w3.json", W3_SPEC));
  const [slowLoadS, sp] = await timeOnce(() => loadSlowPair(spec));
  const [fastLoadS, fl] = await timeOnce(() => loadFastCloses(spec, sp));
  const combo = resolveCombination(spec, []);
  const [prepS, h] = await timeOnce(() => hybridInputsFor(spec, sp, fl.fast, combo));
  const [indexS, dollarData] = await timeOnce(() => hybridGridData("hybrid_dollar", sp, fl.fast));
  const [zRowsS, zData] = await timeOnce(() => hybridGridData("hybrid_zlive", sp, fl.fast));
  const setupSeconds = (performance.now() - t0) / 1000;

  const nFolds = spec.rank.folds;
  const baseCfg = configFor(spec, combo);
  const scratch = makeKernelScratch(h.slow.nDays);
  const row = new Float64Array(N_STATS);
  const folds = new Float64Array(nFolds * FOLD_WIDTH);
  const curveInputs = {
    slow: h.slow,
    fast: fl.fast,
    tradingDayOf: (ms) => sp.calendar.tradingDay(ms),
  };

  // dollar mode: the exact kernel cell by cell vs the curve grid over the same TP × SL levels
  const hin = { slow: h.slow, fast: fl.fast, source: { kind: "slow_bars", index: dollarData.index } };
  const exactOn = (cfgs) => {
    let trades = 0;
    for (const c of cfgs) trades += runHybridKernel(new KernelCall(hin, c, row, folds, nFolds, scratch));
    return trades;
  };
  const cfgs = dollarConfigs(baseCfg, DOLLAR_LEVELS);
  const fullCfgs = dollarConfigs(baseCfg, DOLLAR_LEVELS, 0);
  const count = { rowsInPosition: 0, rowsScanned: 0 };
  const fullCount = { rowsInPosition: 0, rowsScanned: 0 };
  let trades = 0;
  let fullTrades = 0;
  for (let k = 0; k < cfgs.length; k++) {
    // warm-up, counting the fast rows one pass over the grid scans, pruned and not
    trades += runHybridKernel(new KernelCall(hin, cfgs[k], row, folds, nFolds, scratch), count);
    fullTrades += runHybridKernel(new KernelCall(hin, fullCfgs[k], row, folds, nFolds, scratch), fullCount);
  }
  if (fullTrades !== trades || fullCount.rowsInPosition !== count.rowsInPosition)
    throw new Error(`W3: pruned and unpruned runs differ (${trades} vs ${fullTrades} trades)`);
  const [exactSeconds, fullSeconds] = timeAlternating(
    () => exactOn(cfgs),
    () => exactOn(fullCfgs),
    reps,
  );
  const slowSeconds = timeRepeated(() => {
    for (const c of cfgs) runGridKernel(new KernelCall(h.slow, c, row, folds, nFolds, scratch));
  }, reps);
  const grid = runCurveGrid(curveInputs, baseCfg, DOLLAR_LEVELS, DOLLAR_LEVELS); // warm-up
  const curveSeconds = timeRepeated(
    () => runCurveGrid(curveInputs, baseCfg, DOLLAR_LEVELS, DOLLAR_LEVELS),
    reps,
  );

  const fineCfgs = dollarConfigs(baseCfg, FINE_LEVELS);
  const fineExactSeconds = timeRepeated(() => exactOn(fineCfgs), reps);
  const fineCurveSeconds = timeRepeated(
    () => runCurveGrid(curveInputs, baseCfg, FINE_LEVELS, FINE_LEVELS),
    reps,
  );

  // z-live: 12 combinations over one z_live series
  const zCfgs = [];
  for (const ze of Z_ENTRY)
    for (const zx of Z_EXIT)
      for (const zs of Z_STOP) {
        const c = Float64Array.from(baseCfg);
        c[CFG_Z_ENTRY] = ze;
        c[CFG_Z_EXIT] = zx;
        c[CFG_Z_STOP] = zs ?? Number.NaN;
        zCfgs.push(c);
      }
  const rows = zData.rows;
  const zLiveSeconds = timeRepeated(() => zLiveSeries(rows, h.slow.beta, h.alpha, h.mu, h.sigma), reps);
  const zin = {
    slow: h.slow,
    fast: fl.fast,
    source: { kind: "zlive_rows", rows, zLive: zLiveSeries(rows, h.slow.beta, h.alpha, h.mu, h.sigma) },
  };
  const zOn = () => {
    let t = 0;
    for (const c of zCfgs) t += runHybridKernel(new KernelCall(zin, c, row, folds, nFolds, scratch));
    return t;
  };
  const zTrades = zOn(); // warm-up
  const zSeconds = timeRepeated(zOn, reps);

  const exact = median(exactSeconds);
  const full = median(fullSeconds);
  const curve = median(curveSeconds);
  const fineExact = median(fineExactSeconds);
  const fineCurve = median(fineCurveSeconds);
  const zt = median(zSeconds);
  return {
    workload: "W3",
    description:
      "hybrid kernels, OLS 1000 / z 100, flat_time 16:55, one thread: dollar TP×SL (exact kernel vs precomputed-curve grid) and z-live",
    data: {
      slow_bars: h.slow.n,
      trading_days: h.slow.nDays,
      fast_rows_aligned: fl.fast.n,
      fast_bars_per_leg: [fl.reports.a.bars, fl.reports.b.bars],
      fast_from_cache: fl.reports.a.fromCache && fl.reports.b.fromCache,
      setup_seconds: sig(setupSeconds),
      load_seconds: {
        slow: sig(slowLoadS),
        fast: sig(fastLoadS),
        indicators_and_fast_calendar: sig(prepS),
        dollar_index: sig(indexS),
        zlive_rows: sig(zRowsS),
      },
    },
    repetitions: reps,
    dollar: {
      combinations: cfgs.length,
      trades_per_combination: sig(trades / cfgs.length),
      exact_kernel: {
        seconds_median: sig(exact),
        seconds: exactSeconds.map(sig),
        combinations_per_s: sig(cfgs.length / exact),
        fast_bars_scanned_per_s: sig(count.rowsScanned / exact),
        fast_bars_in_position_per_s: sig(count.rowsInPosition / exact),
        scanned_share_of_in_position: sig(count.rowsScanned / Math.max(1, count.rowsInPosition)),
      },
      pruning: {
        note: "exact kernel on the same 10×10 grid with CFG_HYBRID_PRUNE = 1 (default) vs 0 (every held fast row scanned); reps alternate",
        unpruned_seconds_median: sig(full),
        unpruned_seconds: fullSeconds.map(sig),
        pruned_seconds_median: sig(exact),
        prune_speedup: sig(full / exact),
        fast_bars_in_position: count.rowsInPosition,
        fast_bars_scanned_pruned: count.rowsScanned,
        fast_bars_scanned_unpruned: fullCount.rowsScanned,
        scanned_share_pruned: sig(count.rowsScanned / Math.max(1, fullCount.rowsScanned)),
        fast_bars_scanned_per_s_pruned: sig(count.rowsScanned / exact),
        fast_bars_scanned_per_s_unpruned: sig(fullCount.rowsScanned / full),
        fast_bars_in_position_per_s_pruned: sig(count.rowsInPosition / exact),
        fast_bars_in_position_per_s_unpruned: sig(count.rowsInPosition / full),
      },
      slow_grid_kernel_seconds_median: sig(median(slowSeconds)),
      curve_grid: {
        seconds_median: sig(curve),
        seconds: curveSeconds.map(sig),
        combinations_per_s: sig(cfgs.length / curve),
        cells_exact: grid.cells.filter((c) => c.exact).length,
        discretization_off: grid.discretization.nOff,
      },
      curve_grid_time_over_exact: sig(curve / exact),
      curve_grid_speedup_vs_exact: sig(exact / curve),
      fine_50x50: {
        combinations: fineCfgs.length,
        exact_kernel_seconds_median: sig(fineExact),
        curve_grid_seconds_median: sig(fineCurve),
        curve_grid_time_over_exact: sig(fineCurve / fineExact),
        curve_grid_speedup_vs_exact: sig(fineExact / fineCurve),
      },
    },
    zlive: {
      combinations: zCfgs.length,
      trades_per_combination: sig(zTrades / zCfgs.length),
      zlive_series_seconds_median: sig(median(zLiveSeconds)),
      processed_rows: rows.n,
      kernel_seconds_median: sig(zt),
      kernel_seconds: zSeconds.map(sig),
      combinations_per_s: sig(zCfgs.length / zt),
      fast_bars_scanned_per_s: sig((rows.n * zCfgs.length) / zt),
    },
    rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
