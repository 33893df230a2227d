// W6 — seed scale, end to end (BENCH.md): `pairgrid run --threads 2` of a ≈ 1.7 M-combination grid
// (8 OLS × 8 z windows × the W1 thresholds × min_corr × hl_max × max_hurst) into a fresh file, then
// on the finished job `pairgrid top`, a heatmap, `pairgrid robustness` and a combination page, each
// in a process of its own (time, CPU, peak RSS). CPU-seconds per combination × 24.7 M / 3600 is
// the core-hours of the original system's grid (76.7 core-hours).
// Trees: W6 runs the checkout it belongs to; PAIRGRID_W6_TREES="/path/before,/path/after" runs each
// in turn instead (a before/after in one invocation; a tree without W6 works, only its build is used).
// PAIRGRID_W6_SMALL=1 runs a 1/4-size grid (2 of the 8 OLS windows) for the memory-vs-size figure.
// PAIRGRID_W6_OLS=2000,4000 keeps only those OLS windows of the grid (a slice of the full grid in
// minutes: its groups are the full grid's, so is the memory they take).
// PAIRGRID_W6_KEEP=1 keeps the results files (their paths are in the output) for queries after.
// PAIRGRID_W6_FULL=1 runs W6_FULL_SPEC instead, a grid larger than the original system's 24.7 M
// combinations (≈ 26 M: 16 × 16 windows, z_entry every 0.05, 4 min_corr): no extrapolation, the
// seed's size itself (≈ 1 h on this 2-core machine, a file of ≈ 7 GB in PAIRGRID_W6_WORK).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureSynthData, root, synthPairData, writeSpec } from "./lib/bench-data.mjs";
import { median, sig } from "./lib/measure.mjs";
import { timedCommand } from "./lib/timed-command.mjs";

const ORIGINAL_COMBOS = 24.7e6;
const ORIGINAL_CORE_HOURS = 76.7;

export const W6_SPEC = {
  name: "bench-w6",
  data: synthPairData(),
  session: { tz: "America/New_York", day_roll: "18:00", flat_time: "16:55" },
  costs: { commission: 2.25, slippage_ticks: 0.5 },
  hedge: "ols",
  params: {
    ols_window: [500, 750, 1000, 1500, 2000, 3000, 4000, 6000],
    zscore_window: [50, 75, 100, 150, 200, 300, 400, 600],
    z_entry: { from: 1.5, to: 3.0, step: 0.1 },
    z_exit: { from: -0.5, to: 1.0, step: 0.25 },
    z_stop: [null, 3, 3.5, 4, 4.5, 5],
    max_hold: [0, 50, 100, 200, 400],
    corr_window: 500,
    min_corr: [null, 0.6],
    hl_window: 500,
    hl_max: [null, 200],
    hurst_window: 1000,
    max_hurst: [null, 0.5],
  },
};

/** W6 at the original system's size and more: 15.5 × W6 (4 × the windows, 2 × z_entry, 2 × min_corr). */
export const W6_FULL_SPEC = {
  ...W6_SPEC,
  name: "bench-w6-full",
  params: {
    ...W6_SPEC.params,
    ols_window: [500, 625, 750, 875, 1000, 1250, 1500, 1750, 2000, 2500, 3000, 3500, 4000, 5000, 6000, 8000],
    zscore_window: [50, 60, 75, 90, 100, 125, 150, 175, 200, 250, 300, 350, 400, 500, 600, 800],
    z_entry: { from: 1.5, to: 3.0, step: 0.05 },
    min_corr: [null, 0.5, 0.6, 0.7],
  },
};

const SPLIT =
  /([\d,]+) rows \(([\d,]+) combinations\) in ([\d.]+) s: [\d,]+ backtests\/s; load ([\d.]+) s, group precompute ([\d.]+) s, kernels ([\d.]+) s of thread time(?: \(([\d,]+) rows copied from an identical combination\))?, DuckDB ingest ([\d.]+) s \(([\d,]+) rows\/s\); peak RSS (\d+) MB/;
const num = (s) => Number(s.replaceAll(",", ""));

function oneTree(tree, specFile, work, tag) {
  const cli = join(tree, "apps", "cli", "bin", "pairgrid.js");
  const db = join(work, `${tag}.duckdb`);
  const run = timedCommand([process.execPath, cli, "run", specFile, "--db", db, "--threads", "2"], {
    env: { PAIRGRID_CACHE_DIR: join(work, "cache") },
  });
  const m = SPLIT.exec(run.stderr);
  if (!m) throw new Error(`no time split in the log of ${tree}:\n${run.stderr.slice(-3000)}`);
  const jobId = /job ([0-9a-f]{8})/.exec(run.stderr)?.[1] ?? null;
  const rows = num(m[1]);
  const result = {
    tree,
    rows,
    wall_seconds: sig(run.wall_seconds),
    cpu_seconds: sig(run.cpu_seconds),
    cpu_us_per_combination: sig((run.cpu_seconds / rows) * 1e6),
    core_hours_for_24_7M: sig(((run.cpu_seconds / rows) * ORIGINAL_COMBOS) / 3600),
    vs_original_core_hours: null,
    time_split_seconds: {
      load: Number(m[4]),
      group_precompute: Number(m[5]),
      kernels_thread_time: Number(m[6]),
      duckdb_ingest_busy: Number(m[8]),
    },
    rows_copied_from_identical: m[7] ? num(m[7]) : 0,
    ingest_rows_per_s_busy: num(m[9]),
    peak_rss_mb: sig(run.peak_rss_mb),
    file_mb: sig(statSync(db).size / 1e6),
    analysis: {},
  };
  result.vs_original_core_hours = sig(ORIGINAL_CORE_HOURS / result.core_hours_for_24_7M);
  const job = jobId ? ["--job", jobId] : [];
  const probe = join(root, "bench", "lib", "analysis-probe.mjs");
  const steps = {
    top: [process.execPath, cli, "top", "--db", db, ...job, "--by", "sharpe", "--limit", "20", "--json"],
    robustness: [process.execPath, cli, "robustness", "--db", db, ...job, "--json"],
    heatmap: [process.execPath, probe, tree, db, jobId, "heatmap"],
    combination_page: [process.execPath, probe, tree, db, jobId, "combo"],
  };
  for (const [name, argv] of Object.entries(steps)) {
    try {
      const r = timedCommand(argv, { env: { PAIRGRID_CACHE_DIR: join(work, "cache") } });
      result.analysis[name] = {
        seconds: sig(r.wall_seconds),
        cpu_seconds: sig(r.cpu_seconds),
        peak_rss_mb: sig(r.peak_rss_mb),
      };
    } catch (err) {
      result.analysis[name] = { error: String(err.message).split("\n").slice(0, 3).join(" ") };
    }
  }
  if (tag.endsWith("keep")) result.db = db;
  else rmSync(db, { force: true });
  return result;
}

export async function runW6({ reps }) {
  const dataDir = ensureSynthData("synth-1200d-seed7", { days: 1200, seed: 7 });
  const small = process.env.PAIRGRID_W6_SMALL === "1";
  const full = process.env.PAIRGRID_W6_FULL === "1";
  let spec = small
    ? { ...W6_SPEC, name: "bench-w6-small", params: { ...W6_SPEC.params, ols_window: [1000, 4000] } }
    : full
      ? W6_FULL_SPEC
      : W6_SPEC;
  const ols = process.env.PAIRGRID_W6_OLS?.split(",").map(Number);
  if (ols) spec = { ...spec, name: `${spec.name}-ols`, params: { ...spec.params, ols_window: ols } };
  const specFile = writeSpec(
    dataDir,
    `${small ? "w6-small" : full ? "w6-full" : "w6"}${ols ? `-ols-${ols.join("-")}` : ""}.json`,
    spec,
  );
  const trees = (process.env.PAIRGRID_W6_TREES ?? root).split(",").map((t) => resolve(t));
  const turns = Number(process.env.PAIRGRID_W6_TURNS ?? reps);
  const keep = process.env.PAIRGRID_W6_KEEP === "1";
  const work = mkdtempSync(join(process.env.PAIRGRID_W6_WORK ?? tmpdir(), "pairgrid-w6-"));
  try {
    const byTree = new Map(trees.map((t) => [t, []]));
    for (let k = 0; k < turns; k++) {
      // alternate the order so a slow spell of the shared machine falls on every tree
      const order = k % 2 === 0 ? trees : [...trees].reverse();
      for (const t of order) {
        const r = oneTree(t, specFile, work, `t${trees.indexOf(t)}-${k}${keep ? "-keep" : ""}`);
        process.stderr.write(`W6 ${t} turn ${k}: ${JSON.stringify(r)}\n`);
        byTree.get(t).push(r);
      }
    }
    const summary = (xs) => ({
      turns: xs.length,
      median_cpu_seconds: sig(median(xs.map((x) => x.cpu_seconds))),
      median_core_hours_for_24_7M: sig(median(xs.map((x) => x.core_hours_for_24_7M))),
      runs: xs,
    });
    return {
      workload: small ? "W6-small" : full ? "W6-full" : "W6",
      description:
        "pairgrid run --threads 2 of the W6 grid into a fresh file, then top, heatmap, robustness, combination page",
      trees: Object.fromEntries([...byTree].map(([t, xs]) => [t, summary(xs)])),
    };
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}
