// `pairgrid run` on grids with `engine: hybrid_dollar | hybrid_zlive`: fast files loaded once and
// shared with two threads, rows into DuckDB; a few rows replayed with `pairgrid hybrid --json`
// (the readable engine on one combination) give the same statistics.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pairgrid } from "./cli-helpers.js";
import { ROW_STATISTICS } from "./interface-names.js";
import { runToEnd, withResultsFiles } from "./run-fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-hybrid-run-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { PAIRGRID_CACHE_DIR: join(dir, "cache") };
const rd = { dir, env };

const synth = pairgrid([
  "data",
  "synth",
  "--out",
  join(dir, "data"),
  "--days",
  "3",
  "--seed",
  "13",
  "--fast-seconds",
  "1",
]);
assert.equal(synth.status, 0, synth.stderr);

const AXES = ["ols_window", "z_entry", "z_exit", "max_hold", "dollar_tp", "dollar_sl"];

function specFile(engine: string): string {
  const path = join(dir, `${engine}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      name: engine,
      data: {
        a: { symbol: "NQ", slow: "data/NQ.csv", fast: "data/NQ_fast.csv", multiplier: 20, tick_size: 0.25 },
        b: { symbol: "YM", slow: "data/YM.csv", fast: "data/YM_fast.csv", multiplier: 5, tick_size: 1 },
        bar_minutes: 5,
        fast_seconds: 1,
      },
      session: { tz: "America/New_York", day_roll: "18:00", flat_time: "16:55" },
      costs: { commission: 2.25, slippage_ticks: 0.5 },
      engine,
      params: {
        ols_window: [100, 150],
        zscore_window: 40,
        z_entry: [1.5, 2],
        z_exit: [0, 0.5],
        max_hold: [0, 8],
        dollar_tp: [null, 300],
        dollar_sl: [null, 250],
      },
      rank: { by: "sharpe", min_trades: 1, folds: 4 },
    }),
  );
  return path;
}

function near(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

for (const engine of ["hybrid_dollar", "hybrid_zlive"]) {
  test(`${engine}: a grid run's rows = pairgrid hybrid on the same combinations`, async () => {
    const spec = specFile(engine);
    const db = join(dir, `${engine}.duckdb`);
    const { jobId, r } = runToEnd(rd, [spec, "--db", db, "--threads", "2", "--chunk-size", "8"]);
    assert.match(r.stderr, /leg a fast: .*NQ_fast\.csv/);
    const rows = await withResultsFiles([db], (query) =>
      query(
        `SELECT ${[...AXES, ...ROW_STATISTICS].join(", ")} FROM db0.results WHERE job_id = '${jobId}' ` +
          "ORDER BY combo_id",
      ),
    );
    assert.equal(rows.length, 64);
    for (const k of [0, 21, 42, 63]) {
      const row = rows[k];
      const sets = AXES.flatMap((name, i) => ["--set", `${name}=${row[i] ?? "null"}`]);
      const one = pairgrid(["hybrid", spec, "--json", ...sets], env);
      assert.equal(one.status, 0, one.stderr);
      const stats = JSON.parse(one.stdout) as Record<string, number | null>;
      ROW_STATISTICS.forEach((name, i) => {
        const v = row[AXES.length + i];
        const stored = v === null ? null : Number(v);
        assert.ok(near(stored, stats[name]), `row ${k} ${name}: ${stored} vs ${stats[name]}`);
      });
    }
  });
}
