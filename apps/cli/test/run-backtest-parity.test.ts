// Rows of `pairgrid run` (grid kernel, threads, DuckDB) against `pairgrid backtest --json`
// (reference engine, one combination) for 20 combinations spread over the grid: the --set
// arguments are built from each row's stored parameters, so the row's own values are replayed.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { ROW_STATISTICS } from "./interface-names.js";
import {
  makeRunDir,
  runToEnd,
  spawnPairgrid,
  specObject,
  withResultsFiles,
  writeSpec,
} from "./run-fixtures.js";

const PARAMS = [
  "ols_window",
  "delta",
  "ve",
  "zscore_window",
  "z_entry",
  "z_exit",
  "z_stop",
  "max_hold",
  "dollar_tp",
  "dollar_sl",
  "corr_window",
  "min_corr",
  "hurst_window",
  "max_hurst",
  "hl_window",
  "hl_min",
  "hl_max",
  "adf_window",
  "adf_max_stat",
  "adf_max_pvalue",
  "min_gates",
];

const rd = makeRunDir("run-parity", 25, 9);
const spec = writeSpec(
  rd,
  "grid.json",
  specObject({
    ols_window: [150, 300],
    zscore_window: [40, 80],
    z_entry: [1.5, 2, 2.5],
    z_exit: [-0.25, 0.25],
    z_stop: [null, 3.5],
    max_hold: [0, 40],
    dollar_tp: [null, 400],
    dollar_sl: [null, 600],
    corr_window: 150,
    min_corr: [null, 0.4],
    adf_window: 120,
    adf_max_pvalue: [null, 0.3],
    min_gates: [null, 1],
  }),
);

function backtestJson(sets: string[]): Promise<Record<string, number | null>> {
  return new Promise((resolve, reject) => {
    const child = spawnPairgrid(["backtest", spec, ...sets.flatMap((s) => ["--set", s]), "--json"], rd.env);
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}: ${err}`)),
    );
  });
}

/** Runs `make` over `items` with at most `limit` at a time, keeping the order of results. */
async function mapLimited<T, R>(items: T[], limit: number, make: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await make(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return out;
}

test("20 sampled rows equal pairgrid backtest --json within 1e-9", async () => {
  const db = join(rd.dir, "parity.duckdb");
  const { jobId } = runToEnd(rd, [spec, "--db", db, "--threads", "2"]);
  const rows = await withResultsFiles([db], (query) =>
    query(
      `SELECT combo_id::BIGINT, ${[...PARAMS, ...ROW_STATISTICS].join(", ")} FROM db0.results ` +
        `WHERE job_id = '${jobId}' ORDER BY combo_id`,
    ),
  );
  assert.ok(rows.length > 1000, `a real grid (${rows.length} rows)`);
  // evenly spread over the expansion order: every group and many threshold settings
  const sample = Array.from({ length: 20 }, (_, i) => rows[Math.floor(((i + 0.5) * rows.length) / 20)]!);
  const traded = sample.filter((r) => Number(r[1 + PARAMS.length]) > 0).length;
  assert.ok(traded >= 15, `most sampled rows trade (${traded} of 20)`);

  const refs = await mapLimited(sample, 3, (row) =>
    backtestJson(PARAMS.map((p, j) => `${p}=${row[1 + j] === null ? "null" : String(row[1 + j])}`)),
  );
  sample.forEach((row, i) => {
    ROW_STATISTICS.forEach((name, s) => {
      const got = row[1 + PARAMS.length + s] as number | null;
      const want = refs[i]![name];
      const where = `combo ${row[0]} ${name}: run ${got}, backtest ${want}`;
      if (want === null || want === undefined) {
        assert.equal(got, null, where);
      } else {
        assert.ok(got !== null && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), where);
      }
    });
  });
});
