// Same-process A/B of the slow kernels of two checkouts (issue 17: "no kernel slower than before").
//
//   node bench/ab-kernels.mjs <old-root> <new-root> [reps=5] [kernel[:reps],kernel[:reps],…]
//
// Each root is a built checkout (`npx tsc -b`) with the W1 data in its bench/.data (copy it, or the
// first run makes it). Both engines are imported into this one process, each loads the W1 grid
// through its own spec → pipeline path, and every repetition times each kernel on old and new in
// turn (which goes first alternates), so a slow spell of this shared machine hits both alike. The
// kernels, as W1 (w1-grid-kernel.mjs) and W2 `--kernel scan` run them:
//   scan     bar scan, one combination at a time (runSlowKernel without events)
//   gated    the same with a min_corr gate on every combination (corr_window 500, min_corr 0.6)
//   event    the event kernel one combination at a time (runSlowKernel with events)
//   batch    the event batch kernel without families (runEventBatch)
//   family   the event family kernel (runEventFamilies)
//   build    the event index build alone (buildEventArrays + GroupEvents)
// Event kernels are timed without the index build (the index is built once per tree). Prints per
// kernel the CPU seconds of each run, the medians and new/old; exits 1 if old and new rows differ.
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { W1_SPEC } from "./w1-grid-kernel.mjs";

const [oldRoot, newRoot, repsArg = "5", onlyArg = "scan,gated,event,batch,family,build"] =
  process.argv.slice(2);
if (!oldRoot || !newRoot) {
  process.stderr.write("usage: node bench/ab-kernels.mjs <old-root> <new-root> [reps] [kernels]\n");
  process.exit(2);
}
const reps = Number(repsArg);
// "batch:11" runs that kernel 11 times instead of `reps`
const plan = onlyArg.split(",").map((x) => {
  const [name, r] = x.split(":");
  return { name, reps: r === undefined ? reps : Number(r) };
});
const only = plan.map((p) => p.name);

// W1's thresholds (BENCH.md), from the W1 benchmark itself
const W1_PARAMS = W1_SPEC.params;

function cpuSeconds(fn) {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One tree's engine, its W1 grid (and the gated one) and a runner per kernel on its own API. */
async function loadTree(root) {
  const E = await import(pathToFileURL(join(root, "libs/engine/dist/src/index.js")).href);
  const data = await import(pathToFileURL(join(root, "bench/lib/bench-data.mjs")).href);
  const newApi = typeof E.KernelCall === "function";

  async function grid(name, params) {
    const dir = data.ensureSynthData("synth-1200d-seed7", { days: 1200, seed: 7 });
    const spec0 = {
      name,
      data: data.synthPairData(),
      session: { tz: "America/New_York", day_roll: "18:00", flat_time: "16:55" },
      costs: { commission: 2.25, slippage_ticks: 0.5 },
      hedge: "ols",
      params,
    };
    const { spec } = E.loadSpecFile(data.writeSpec(dir, `ab-${name}.json`, spec0));
    const slow = await E.loadSlowPair(spec);
    const base = E.resolveCombination(spec, []);
    const axes = Object.entries(spec.params).map(([p, axis]) => [p, E.axisValues(axis)]);
    const combos = [];
    const walk = (k, c) => {
      if (k === axes.length) {
        if (E.thresholdProblem(c) === null) combos.push({ ...c });
        return;
      }
      const [p, values] = axes[k];
      for (const v of values) walk(k + 1, { ...c, [p]: v });
    };
    walk(0, base);
    const ind = E.computeIndicators(slow.pair, combos[0], {
      hedge: spec.hedge,
      hurstLags: spec.gates.hurst_lags,
    });
    const inp = E.backtestInputs(slow, ind);
    const cfgs = new Float64Array(combos.length * E.CFG_LENGTH);
    combos.forEach((c, k) => E.fillConfig(cfgs, spec, c, k * E.CFG_LENGTH));
    const levels = E.zLevelsOf(
      ...["z_entry", "z_exit", "z_stop"].map((p) => E.axisValues(spec.params[p]).filter((v) => v !== null)),
    );
    const nFolds = spec.rank.folds;
    const nc = combos.length;
    const stride = nFolds * E.FOLD_WIDTH;
    return {
      inp,
      cfgs,
      levels,
      nFolds,
      nc,
      stride,
      rows: new Float64Array(nc * E.N_STATS),
      folds: new Float64Array(nc * stride),
    };
  }

  const g = await grid("ab-w1", W1_PARAMS);
  // the gated grid is loaded only when its kernel is asked for (it computes a correlation series)
  const gg = only.includes("gated")
    ? await grid("ab-w1-gated", { ...W1_PARAMS, corr_window: 500, min_corr: 0.6 })
    : null;
  const buildEvents = (x) => new E.GroupEvents(x.inp, E.buildEventArrays(x.inp, x.levels).arrays);
  const events = buildEvents(g);

  function perCombination(x, ev) {
    const scratch = E.makeKernelScratch(x.inp.nDays);
    let trades = 0;
    if (newApi) {
      const call = new E.KernelCall(x.inp, x.cfgs, x.rows, x.folds, x.nFolds, scratch);
      for (let k = 0; k < x.nc; k++) {
        trades += E.runSlowKernel(call.at(k * E.CFG_LENGTH, k * E.N_STATS, k * x.stride), ev);
      }
    } else {
      for (let k = 0; k < x.nc; k++) {
        trades += E.runSlowKernel(
          x.inp,
          ev,
          x.cfgs,
          k * E.CFG_LENGTH,
          x.rows,
          k * E.N_STATS,
          x.folds,
          k * x.stride,
          x.nFolds,
          scratch,
          null,
        );
      }
    }
    return trades;
  }

  function whole(x, ev, families) {
    const at = (w) => Int32Array.from({ length: x.nc }, (_, k) => k * w);
    const cfgO = at(E.CFG_LENGTH);
    const rowO = at(E.N_STATS);
    const foldO = at(x.stride);
    const bs = new E.BatchScratch(x.inp.nDays);
    if (newApi) {
      const call = new E.BatchCall(x.inp, ev, x.cfgs, cfgO, x.rows, rowO, x.folds, foldO, x.nFolds);
      if (families) E.runEventFamilies(call, bs, new E.FamilyScratch(x.inp.nDays));
      else E.runEventBatch(call, bs);
    } else {
      const args = [x.inp, ev, x.cfgs, cfgO, x.nc, x.rows, rowO, x.folds, foldO, x.nFolds, bs];
      if (families) E.runEventFamilies(...args, new E.FamilyScratch(x.inp.nDays));
      else E.runEventBatch(...args);
    }
  }

  const kernels = {
    scan: { grid: g, run: () => perCombination(g, null) },
    gated: { grid: gg, run: () => perCombination(gg, null) },
    event: { grid: g, run: () => perCombination(g, events) },
    batch: { grid: g, run: () => whole(g, events, false) },
    family: { grid: g, run: () => whole(g, events, true) },
    build: { grid: null, run: () => buildEvents(g) },
  };
  return { root, kernels, nc: g.nc, ncGated: gg?.nc ?? 0, bars: g.inp.n };
}

const trees = [await loadTree(oldRoot), await loadTree(newRoot)];
process.stdout.write(
  `old ${oldRoot}, new ${newRoot}: ${trees[0].bars} bars, ${trees[0].nc} combinations ` +
    `(${trees[0].ncGated} gated), ${reps} reps\n`,
);

/** Same numbers, NaN included. */
function identical(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

let differ = false;
for (const { name, reps } of plan) {
  const [o, n] = trees.map((t) => t.kernels[name]);
  if (!o) throw new Error(`unknown kernel ${name}`);
  // warm-up: one untimed run each
  o.run();
  n.run();
  if (o.grid && !(identical(o.grid.rows, n.grid.rows) && identical(o.grid.folds, n.grid.folds))) {
    process.stdout.write(`${name}: ROWS DIFFER between old and new\n`);
    differ = true;
  }
  const times = [[], []];
  for (let r = 0; r < reps; r++) {
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const t of order) times[t].push(cpuSeconds([o, n][t].run));
  }
  const [mo, mn] = times.map(median);
  // each repetition's own ratio too: its two runs are adjacent in time, so they share the load
  const paired = median(times[1].map((s, r) => s / times[0][r]));
  const fmt = (xs) => xs.map((s) => s.toFixed(3)).join(" ");
  process.stdout.write(
    `${name.padEnd(7)} old ${mo.toFixed(3)} s [${fmt(times[0])}]  new ${mn.toFixed(3)} s [${fmt(times[1])}]  ` +
      `new/old ${(mn / mo).toFixed(3)} (median of paired ratios ${paired.toFixed(3)})\n`,
  );
}
process.exit(differ ? 1 : 0);
