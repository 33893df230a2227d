// W7 — analysis at scale (BENCH.md): one job of N rows (default 25 M; PAIRGRID_W7_ROWS) with 16
// folds each, generated directly in DuckDB by SQL (no grid run), in the layout the tree's own
// ResultsDb creates (fold lists in results, or the older results_folds table). Then, each in a
// process of its own (wall, CPU, peak RSS): the finalize step (dsr, same_as), `pairgrid top`, the
// heatmap route, a rows page, parameter importance and `pairgrid robustness`, the read-only ones
// `reps` times (medians, every run listed). Robustness streams the fold matrix in blocks since
// issue 19 item 3 (it used to hold it whole, ≈ 2.6 KB of RSS per row), so it runs at every size;
// PAIRGRID_W7_ROBUSTNESS_MAX_ROWS skips it above a row count (default: never for this tree, 1 M
// for another PAIRGRID_W7_TREE, which may be from before that change: ≈ 60 GB at 25 M rows).
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { ensureSynthData, root } from "./lib/bench-data.mjs";
import { median, sig } from "./lib/measure.mjs";
import { timedCommand } from "./lib/timed-command.mjs";
import { W6_SPEC } from "./w6-seed-scale.mjs";

const FOLDS = 16;
/** The grid the rows claim to come from (heatmaps read its axes): W6 with finer axes, ≈ 25 M. */
const W7_SPEC = {
  ...W6_SPEC,
  name: "bench-w7",
  params: {
    ...W6_SPEC.params,
    ols_window: [500, 600, 750, 900, 1000, 1250, 1500, 1750, 2000, 2500, 3000, 3500, 4000, 5000, 6000, 8000],
    zscore_window: [50, 60, 75, 90, 100, 125, 150, 175, 200, 250, 300, 350, 400, 500, 600, 800],
    z_entry: { from: 1.5, to: 3.0, step: 0.05 },
    z_exit: { from: -0.5, to: 1.0, step: 0.125 },
  },
};

/** Axis values in spec order, so combo id → parameters is a mixed-radix decomposition. */
function axes(spec) {
  return Object.entries(spec.params).map(([name, a]) => {
    if (Array.isArray(a)) return [name, a];
    if (a !== null && typeof a === "object") {
      const n = Math.round((a.to - a.from) / a.step) + 1;
      return [name, Array.from({ length: n }, (_, i) => Number((a.from + i * a.step).toFixed(10)))];
    }
    return [name, [a]];
  });
}

/** The spec as a runner stores it with the job: data paths absolute. */
function storedSpec(dataDir) {
  const leg = (l) => ({ ...l, slow: join(dataDir, l.slow) });
  return { ...W7_SPEC, data: { ...W7_SPEC.data, a: leg(W7_SPEC.data.a), b: leg(W7_SPEC.data.b) } };
}

const sqlValue = (v) => (v === null ? "NULL" : String(v));

async function generate(file, tree, jobId, nRows, dataDir) {
  const { ResultsDb } = await import(pathToFileURL(join(tree, "libs/resultsdb/dist/src/index.js")).href);
  const db = await ResultsDb.open(file);
  await db.createJob({
    job_id: jobId,
    name: "bench-w7",
    spec: storedSpec(dataDir),
    n_combos: nRows,
    n_chunks: 1,
  });
  await db.close();
  const inst = await DuckDBInstance.create(file, { memory_limit: "2GB" });
  const conn = await inst.connect();
  const cols = (
    await (
      await conn.runAndReadAll("SELECT column_name FROM duckdb_columns() WHERE table_name = 'results'")
    ).getRowsJS()
  ).map((r) => r[0]);
  const lists = cols.includes("fold_pnl");
  let radix = 1;
  const paramSql = [];
  for (const [name, values] of axes(W7_SPEC)) {
    const pick = `(combo_id // ${radix}) % ${values.length}`;
    paramSql.push(`[${values.map(sqlValue).join(", ")}][${pick} + 1]::DOUBLE AS "${name}"`);
    radix *= values.length;
  }
  // statistics from a hash of a "behaviour" id: rows that differ only in max_hold share one
  // (a fifth of the rows are twins, as a hold that is never reached makes them)
  const holdAxis = axes(W7_SPEC).findIndex(([n]) => n === "max_hold");
  const holdRadix = axes(W7_SPEC)
    .slice(0, holdAxis)
    .reduce((r, [, v]) => r * v.length, 1);
  const behaviour = `CASE WHEN (combo_id // ${holdRadix}) % 5 = 1 THEN combo_id - ${holdRadix} ELSE combo_id END`;
  const h = (salt) => `(hash(b * 31 + ${salt}) % 100000)::DOUBLE / 100000`;
  const foldVal = (salt, scale, int) =>
    `list_transform(range(${FOLDS}), f -> ${int ? "" : "("}(hash(b * 131 + f * 7 + ${salt}) % ${scale})${int ? "::INTEGER" : "::DOUBLE - " + scale / 2 + ")"})`;
  const t0 = performance.now();
  const select = `SELECT '${jobId}' AS job_id, combo_id, ${paramSql.join(", ")},
      (${h(1)} * 400)::INTEGER AS n_trades, ${h(2)} * 20000 - 10000 AS total_pnl, ${h(3)} * 4 - 2 AS sharpe,
      ${h(4)} * 5000 AS max_dd, 1000 AS n_days, ${h(5)} - 0.5 AS skew, 3 + ${h(6)} AS kurtosis,
      ${h(7)} AS win_rate, ${h(8)} * 50 AS avg_bars_held,
      ${foldVal(11, 40, true)} AS fold_n_trades, ${foldVal(12, 2000, false)} AS fold_pnl,
      list_transform(${foldVal(12, 2000, false)}, x -> x * x * 3) AS fold_pnl_sq,
      list_transform(range(${FOLDS}), f -> 62 + (f % 2)::INTEGER) AS fold_n_days
    FROM (SELECT range AS combo_id, ${behaviour} AS b FROM range(${nRows}))`;
  const names = [
    "job_id",
    "combo_id",
    ...axes(W7_SPEC).map(([n]) => n),
    "n_trades",
    "total_pnl",
    "sharpe",
    "max_dd",
    "n_days",
    "skew",
    "kurtosis",
    "win_rate",
    "avg_bars_held",
  ];
  const quoted = names.map((n) => `"${n}"`).join(", ");
  if (lists) {
    await conn.run(
      `INSERT INTO results (${quoted}, fold_n_trades, fold_pnl, fold_pnl_sq, fold_n_days) ${select}`,
    );
  } else {
    await conn.run(`INSERT INTO results (${quoted}) SELECT ${quoted} FROM (${select})`);
    await conn.run(
      `INSERT INTO results_folds SELECT job_id, combo_id, unnest(range(${FOLDS}))::INTEGER, unnest(fold_n_trades), unnest(fold_pnl), unnest(fold_pnl_sq), unnest(fold_n_days) FROM (${select})`,
    );
  }
  await conn.run(
    `UPDATE jobs SET status = 'done', n_done = ${nRows}, finished_at = now() WHERE job_id = '${jobId}'`,
  );
  await conn.run("CHECKPOINT");
  const seconds = (performance.now() - t0) / 1000;
  conn.closeSync();
  inst.closeSync();
  return seconds;
}

export async function runW7({ reps = 3 } = {}) {
  const nRows = Number(process.env.PAIRGRID_W7_ROWS ?? 25e6);
  const tree = resolve(process.env.PAIRGRID_W7_TREE ?? root);
  // another tree (PAIRGRID_W7_TREE, e.g. a "before" checkout) may still hold the fold matrix whole
  const robustnessMax = Number(
    process.env.PAIRGRID_W7_ROBUSTNESS_MAX_ROWS ?? (tree === resolve(root) ? Number.POSITIVE_INFINITY : 1e6),
  );
  const dataDir = ensureSynthData("synth-1200d-seed7", { days: 1200, seed: 7 });
  const work = mkdtempSync(join(process.env.PAIRGRID_W7_WORK ?? tmpdir(), "pairgrid-w7-"));
  // PAIRGRID_W7_FILE keeps the generated file (and reuses it when it exists): building 25 M rows
  // takes minutes, so iterating on the analysis routes should not pay for it every time
  const kept = process.env.PAIRGRID_W7_FILE ? resolve(process.env.PAIRGRID_W7_FILE) : null;
  const file = kept ?? join(work, "w7.duckdb");
  const jobId = "w7000001";
  const cli = join(tree, "apps", "cli", "bin", "pairgrid.js");
  const probe = join(root, "bench", "lib", "analysis-probe.mjs");
  try {
    const reused = kept !== null && existsSync(kept);
    const generateSeconds = reused ? null : await generate(file, tree, jobId, nRows, dataDir);
    const topArgv = [
      process.execPath,
      cli,
      "top",
      "--db",
      file,
      "--job",
      jobId,
      "--by",
      "sharpe",
      "--limit",
      "20",
    ];
    const steps = {
      finalize_dsr_same_as: [process.execPath, probe, tree, file, jobId, "finalize"],
      top: [...topArgv, "--json"],
      // the table a user reads: also the varying parameters and each row's twins ("+N identical")
      top_table: topArgv,
      heatmap: [process.execPath, probe, tree, file, jobId, "heatmap"],
      rows_page: [process.execPath, probe, tree, file, jobId, "rows"],
      importance: [process.execPath, probe, tree, file, jobId, "importance"],
      robustness: [process.execPath, cli, "robustness", "--db", file, "--job", jobId, "--json"],
    };
    const analysis = {};
    // PAIRGRID_W7_STEPS=top,heatmap runs only those (comma-separated; "none" only generates)
    const only = process.env.PAIRGRID_W7_STEPS?.split(",");
    for (const [name, argv] of Object.entries(steps)) {
      if (only && !only.includes(name)) continue;
      if (name === "robustness" && nRows > robustnessMax) {
        analysis[name] = {
          skipped: `not started above PAIRGRID_W7_ROBUSTNESS_MAX_ROWS = ${robustnessMax} rows`,
        };
        continue;
      }
      try {
        // finalize writes the file (once, as a run does); every read-only route runs `reps` times:
        // medians, with each run listed (this shared machine's speed drifts by tens of percent)
        const runs = [];
        for (let k = 0; k < (name === "finalize_dsr_same_as" ? 1 : reps); k++) runs.push(timedCommand(argv));
        const med = (key) => sig(median(runs.map((r) => r[key])));
        analysis[name] = {
          seconds: med("wall_seconds"),
          cpu_seconds: med("cpu_seconds"),
          peak_rss_mb: med("peak_rss_mb"),
          max_peak_rss_mb: sig(Math.max(...runs.map((r) => r.peak_rss_mb))),
          runs_seconds: runs.map((r) => sig(r.wall_seconds)),
        };
      } catch (err) {
        analysis[name] = { error: String(err.message).split("\n").slice(0, 3).join(" ") };
      }
      process.stderr.write(`W7 ${name}: ${JSON.stringify(analysis[name])}\n`);
    }
    return {
      workload: "W7",
      description: `one job of ${nRows} rows × ${FOLDS} folds generated in DuckDB, analysis routes each in its own process`,
      tree,
      rows: nRows,
      generate_seconds: generateSeconds === null ? "reused PAIRGRID_W7_FILE" : sig(generateSeconds),
      file_mb: sig(statSync(file).size / 1e6),
      analysis,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
