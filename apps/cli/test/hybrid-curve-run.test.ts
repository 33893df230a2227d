// Issue 20: `pairgrid run` on a grid with `engine: hybrid_curve`, the precomputed-curve TP×SL grid
// (ENGINE.md §8) as a job type. Every row equals, bit for bit, its cell of the curve grid that
// `pairgrid hybrid --curve-grid` runs (runCurveGrid over hybridInputsFor: one slow setting, all its
// (tp, sl) cells, by the CLI's path — the readable indicator pipeline, no grid plan, group
// precompute, chunk, thread or DuckDB); one slow setting also through the CLI itself. The chunks are
// whole (tp, sl) blocks; the run says that its rows approximate hybrid_dollar.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  configFor,
  hybridInputsFor,
  loadFastCloses,
  loadSlowPair,
  loadSpecFile,
  resolveCombination,
  runCurveGrid,
} from "@pairgrid/engine";
import { pairgrid } from "./cli-helpers.js";
import { ROW_STATISTICS } from "./interface-names.js";
import { runToEnd, withResultsFiles } from "./run-fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-curve-run-"));
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

/** The slow setting's axes, then the (tp, sl) block: 2·2·2·2 slow settings × 9 cells = 144 rows. */
const SLOW_AXES = ["ols_window", "z_entry", "z_exit", "max_hold"];
const TPS = [null, 150, 300];
const SLS = [null, 100, 250];

const spec = join(dir, "curve.json");
writeFileSync(
  spec,
  JSON.stringify({
    name: "curve",
    data: {
      a: { symbol: "NQ", slow: "data/NQ.csv", fast: "data/NQ_fast.csv", multiplier: 20, tick_size: 0.25 },
      b: { symbol: "YM", slow: "data/YM.csv", fast: "data/YM_fast.csv", multiplier: 5, tick_size: 1 },
      bar_minutes: 5,
      fast_seconds: 1,
    },
    session: { tz: "America/New_York", day_roll: "18:00", flat_time: "16:55" },
    costs: { commission: 2.25, slippage_ticks: 0.5 },
    engine: "hybrid_curve",
    params: {
      ols_window: [100, 150],
      zscore_window: 40,
      z_entry: [1.5, 2],
      z_exit: [0, 0.5],
      max_hold: [0, 8],
      dollar_tp: TPS,
      dollar_sl: SLS,
    },
    rank: { by: "sharpe", min_trades: 1, folds: 4 },
  }),
);

test("hybrid_curve: every row of pairgrid run = its cell of pairgrid hybrid --curve-grid, bit for bit", async () => {
  const db = join(dir, "curve.duckdb");
  // 5 asks for chunks smaller than a (tp, sl) block of 9: each chunk is then one whole block
  const { jobId, r } = runToEnd(rd, [spec, "--db", db, "--threads", "2", "--chunk-size", "5"]);
  assert.match(r.stderr, /16 chunks of ≤ 9/, r.stderr);
  assert.match(r.stderr, /hybrid_curve: precomputed-curve TP×SL grid \(approximates hybrid_dollar/, r.stderr);
  assert.match(r.stdout, /top \d+ by sharpe .*\(curve grid: approximates hybrid_dollar\):/, r.stdout);
  assert.match(
    r.stdout,
    /the exact engine on it: pairgrid hybrid .* --engine hybrid_dollar --compare --set/,
    r.stdout,
  );
  const cols = [...SLOW_AXES, "dollar_tp", "dollar_sl", ...ROW_STATISTICS];
  const rows = await withResultsFiles([db], (query) =>
    query(`SELECT ${cols.join(", ")} FROM db0.results WHERE job_id = '${jobId}' ORDER BY combo_id`),
  );
  assert.equal(rows.length, 144);
  process.env.PAIRGRID_CACHE_DIR = env.PAIRGRID_CACHE_DIR;
  const { spec: loaded } = loadSpecFile(spec);
  const sp = await loadSlowPair(loaded);
  const { fast } = await loadFastCloses(loaded, sp);
  let nonZeroMoved = 0;
  for (let s = 0; s < 16; s++) {
    const block = rows.slice(9 * s, 9 * s + 9);
    const sets = SLOW_AXES.map((name, i) => `${name}=${block[0]![i]}`);
    const combo = resolveCombination(loaded, sets);
    const grid = runCurveGrid(
      {
        slow: hybridInputsFor(loaded, sp, fast, combo).slow,
        fast,
        tradingDayOf: (ms) => sp.calendar.tradingDay(ms),
      },
      configFor(loaded, combo),
      TPS,
      SLS,
    );
    assert.equal(grid.cells.length, 9);
    block.forEach((row, c) => {
      const cell = grid.cells[c]!;
      const where = `slow setting ${s} (${sets.join(" ")}), cell ${c}`;
      // the same slow setting in both (the block's rows share it) and the same (tp, sl)
      SLOW_AXES.forEach((_, i) => assert.equal(row[i], block[0]![i], where));
      assert.equal(row[4], cell.dollarTp, `${where}: dollar_tp`);
      assert.equal(row[5], cell.dollarSl, `${where}: dollar_sl`);
      if (cell.moved > 0) nonZeroMoved++;
      ROW_STATISTICS.forEach((name, i) => {
        const v = row[6 + i];
        const stored = v === null || v === undefined ? null : Number(v);
        assert.equal(stored, cell.stats[name] ?? null, `${where}: ${name}`);
      });
    });
  }
  // and the CLI itself, on the last slow setting
  const last = rows.slice(135);
  const sets = SLOW_AXES.flatMap((name, i) => ["--set", `${name}=${last[0]![i]}`]);
  const one = pairgrid(["hybrid", spec, "--curve-grid", "--engine", "hybrid_dollar", "--json", ...sets], env);
  assert.equal(one.status, 0, one.stderr);
  const cli = JSON.parse(one.stdout) as { cells: Record<string, number | null>[] };
  last.forEach((row, c) =>
    ROW_STATISTICS.forEach((name, i) => {
      const v = row[6 + i];
      assert.equal(v === null ? null : Number(v), cli.cells[c]![name], `CLI cell ${c}: ${name}`);
    }),
  );
  // the levels did move exits: the test is not comparing slow runs only
  assert.ok(nonZeroMoved >= 16, `cells with moved trades: ${nonZeroMoved}`);
});

test("pairgrid hybrid on a hybrid_curve spec runs the curve grid and says so", () => {
  const one = pairgrid(["hybrid", spec, "--json"], env);
  assert.equal(one.status, 0, one.stderr);
  assert.match(one.stderr, /the spec's engine is hybrid_curve; running the curve grid/);
  assert.equal((JSON.parse(one.stdout) as { cells: unknown[] }).cells.length, 9);
});
