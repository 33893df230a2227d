// W2 — the whole local run (BENCH.md): `pairgrid run --threads 2` of the W2 grid (4 OLS windows ×
// 4 z windows × the W1 thresholds × min_corr {null, 0.6}) into a fresh DuckDB file, with the
// event-driven kernel (`--kernel auto`, the default) and with the bar-scan kernel (`--kernel scan`),
// alternating in one run. Reports wall times and their ratio (issue 8: ≥ 5×), the time split each
// run logs (load, group precompute, kernels, DuckDB ingest), peak RSS, rows/s into DuckDB, and
// whether both kernels stored the same rows (every parameter, statistic, dsr and fold value).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { ensureSynthData, root } from "./lib/bench-data.mjs";
import { median, sig } from "./lib/measure.mjs";
import { W2_SPEC } from "./w4-cluster.mjs";
import { writeSpec } from "./lib/bench-data.mjs";

const cli = join(root, "apps", "cli", "bin", "pairgrid.js");

/** The time-split line `pairgrid run` logs (run-local-grid.ts logTimes). */
const SPLIT =
  /([\d,]+) rows \(([\d,]+) combinations\) in ([\d.]+) s: [\d,]+ backtests\/s; load ([\d.]+) s, group precompute ([\d.]+) s, kernels ([\d.]+) s of thread time(?: \(([\d,]+) rows copied from an identical combination\))?, DuckDB ingest ([\d.]+) s \(([\d,]+) rows\/s\); peak RSS (\d+) MB/;
const num = (s) => Number(s.replaceAll(",", ""));

function run(specFile, db, kernel) {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [cli, "run", specFile, "--db", db, "--threads", "2", "--kernel", kernel],
    {
      encoding: "utf8",
      env: { ...process.env, CI: "true" },
    },
  );
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`pairgrid run --kernel ${kernel} failed: ${r.stderr}`);
  const m = SPLIT.exec(r.stderr);
  if (!m) throw new Error(`no time split in the log of --kernel ${kernel}:\n${r.stderr}`);
  const kernelLine = /(event-driven|bar-scan) kernel/.exec(r.stderr)?.[1] ?? "?";
  return {
    wall_seconds: wall,
    kernel_used: kernelLine,
    rows: num(m[1]),
    run_seconds: Number(m[3]),
    load_seconds: Number(m[4]),
    precompute_seconds: Number(m[5]),
    kernel_thread_seconds: Number(m[6]),
    rows_copied_from_identical: m[7] ? num(m[7]) : 0,
    ingest_seconds: Number(m[8]),
    ingest_rows_per_s: num(m[9]),
    peak_rss_mb: Number(m[10]),
  };
}

/** Rows of both files that the other lacks (EXCEPT ALL both ways), results and folds. */
export async function differingRows(dbA, dbB) {
  const inst = await DuckDBInstance.create(":memory:");
  const conn = await inst.connect();
  await conn.run(`ATTACH '${dbA}' AS a (READ_ONLY); ATTACH '${dbB}' AS b (READ_ONLY)`);
  let diff = 0;
  for (const table of ["results", "results_folds"]) {
    const cols = (await (await conn.runAndReadAll(`SELECT * FROM a.${table} LIMIT 0`)).columnNames()).filter(
      (c) => c !== "job_id",
    );
    const list = cols.map((c) => `"${c}"`).join(", ");
    for (const [x, y] of [
      ["a", "b"],
      ["b", "a"],
    ]) {
      const r = await conn.runAndReadAll(
        `SELECT count(*) FROM (SELECT ${list} FROM ${x}.${table} EXCEPT ALL SELECT ${list} FROM ${y}.${table})`,
      );
      diff += Number(r.getRows()[0][0]);
    }
  }
  conn.closeSync();
  return diff;
}

export async function runW2({ reps }) {
  return runLocalComparison({ reps, workload: "W2", spec: W2_SPEC, description: "W2 grid" });
}

/**
 * W2 with a correlation gate that refuses entries (min_corr {null, 0.8}; the synthetic pair's
 * 500-bar correlation lies between 0.74 and 0.95). With min_corr 0.6, as in W2, the gate never
 * refuses on this data and the event path runs each gated combination as its ungated twin (a copy,
 * inert-gates.ts); here every gated combination runs, so this is the speedup without that shortcut.
 */
export async function runW2G({ reps }) {
  const spec = { ...W2_SPEC, name: "bench-w2g", params: { ...W2_SPEC.params, min_corr: [null, 0.8] } };
  return runLocalComparison({
    reps,
    workload: "W2G",
    spec,
    description: "W2 grid with min_corr {null, 0.8} (a gate that refuses entries)",
  });
}

async function runLocalComparison({ reps, workload, spec, description }) {
  const dataDir = ensureSynthData("synth-1200d-seed7", { days: 1200, seed: 7 });
  const specFile = writeSpec(dataDir, `${workload.toLowerCase()}.json`, spec);
  const work = mkdtempSync(join(tmpdir(), "pairgrid-w2-"));
  try {
    const events = [];
    const scan = [];
    let kept = null;
    for (let r = 0; r < reps; r++) {
      // alternate which goes first, so a drift in the machine's load hits both alike
      const order = r % 2 === 0 ? ["auto", "scan"] : ["scan", "auto"];
      for (const kernel of order) {
        const db = join(work, `${kernel}-${r}.duckdb`);
        (kernel === "auto" ? events : scan).push(run(specFile, db, kernel));
        if (r === 0) kept = { ...kept, [kernel]: db };
        else rmSync(db, { force: true });
      }
    }
    const differing = await differingRows(kept.auto, kept.scan);
    const med = (xs, key) => sig(median(xs.map((x) => x[key])));
    const summary = (xs) => ({
      wall_seconds_median: med(xs, "wall_seconds"),
      wall_seconds: xs.map((x) => sig(x.wall_seconds)),
      kernel_used: xs[0].kernel_used,
      combinations_per_s: sig(xs[0].rows / median(xs.map((x) => x.wall_seconds))),
      time_split_median_seconds: {
        load: med(xs, "load_seconds"),
        group_precompute: med(xs, "precompute_seconds"),
        kernels_thread_time: med(xs, "kernel_thread_seconds"),
        duckdb_ingest_busy: med(xs, "ingest_seconds"),
      },
      rows_copied_from_identical: xs[0].rows_copied_from_identical,
      ingest_rows_per_s: med(xs, "ingest_rows_per_s"),
      peak_rss_mb: med(xs, "peak_rss_mb"),
    });
    return {
      workload,
      description: `pairgrid run --threads 2, ${description}, fresh DuckDB file; event-driven (auto) vs bar-scan kernel`,
      rows: events[0].rows,
      repetitions: reps,
      event_driven: summary(events),
      bar_scan: summary(scan),
      speedup_event_vs_scan: sig(
        median(scan.map((x) => x.wall_seconds)) / median(events.map((x) => x.wall_seconds)),
      ),
      rows_differing_between_kernels: differing,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
