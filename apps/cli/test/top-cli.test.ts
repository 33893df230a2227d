// `pairgrid top` through the real binary on a small results file built with the resultsdb API:
// the --json contract, the table (varying parameters only), the job's own rank settings as
// defaults, and one-line exit-2 errors.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { FOLD_WIDTH, N_STATS, PARAM_NAMES, STAT_NAMES } from "@pairgrid/engine";
import { type ChunkBatch, ResultsDb } from "@pairgrid/resultsdb";
import { pairgrid } from "./cli-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-top-"));
const dbPath = join(dir, "results.duckdb");

const N_FOLDS = 2;
const STAT = (name: string) => STAT_NAMES.indexOf(name as (typeof STAT_NAMES)[number]);
const PARAM = (name: string) => PARAM_NAMES.indexOf(name);

/** Row i: z_entry and zscore_window vary, ols_window is constant, every optional param is null. */
function batch(comboIds: number[]): ChunkBatch {
  const k = comboIds.length;
  const params = new Float64Array(k * PARAM_NAMES.length).fill(Number.NaN);
  const stats = new Float64Array(k * N_STATS).fill(0);
  comboIds.forEach((id, r) => {
    const p = r * PARAM_NAMES.length;
    params[p + PARAM("ols_window")] = 60;
    params[p + PARAM("zscore_window")] = 20 + (id % 2) * 20;
    params[p + PARAM("z_entry")] = 1 + (id % 4) * 0.25;
    const s = r * N_STATS;
    stats[s + STAT("n_trades")] = id; // combo i has i trades
    stats[s + STAT("n_days")] = 250;
    stats[s + STAT("sharpe")] = id === 3 ? Number.NaN : Math.sin(id + 1); // combo 3: NULL sharpe
    stats[s + STAT("max_dd")] = 100 + ((id * 37) % 11);
    stats[s + STAT("total_pnl")] = id * 10.5;
    stats[s + STAT("win_rate")] = 0.5;
    stats[s + STAT("profit_factor")] = id === 0 ? Number.NaN : 1.25;
    stats[s + STAT("skew")] = 0;
    stats[s + STAT("kurtosis")] = 3;
  });
  return {
    comboIds: Float64Array.from(comboIds),
    params,
    stats,
    folds: new Float64Array(k * N_FOLDS * FOLD_WIDTH),
    nFolds: N_FOLDS,
  };
}

const sharpeOf = (id: number) => (id === 3 ? Number.NaN : Math.sin(id + 1));
const ids = (rows: Record<string, unknown>[]) => rows.map((r) => r.combo_id);

before(async () => {
  const db = await ResultsDb.open(dbPath);
  await db.createJob({ job_id: "first", name: "old grid", spec: {}, n_combos: 12, n_chunks: 1 });
  await db.ingestChunk("first", 0, batch([100, 101]));
  // the latest job asks, in its spec, to rank by max_dd among rows with ≥ 5 trades
  await db.createJob({
    job_id: "second",
    name: "es-nq",
    spec: { name: "es-nq", rank: { by: "max_dd", min_trades: 5 } },
    n_combos: 12,
    n_chunks: 2,
  });
  await db.ingestChunk("second", 0, batch([0, 1, 2, 3, 4, 5]));
  await db.ingestChunk("second", 1, batch([6, 7, 8, 9, 10, 11]));
  await db.finalizeDsr("second");
  await db.setStatus("second", "done", true);
  await db.close();
});

test("--json: row objects with every parameter and statistic, ranked, NULL as null", () => {
  const r = pairgrid([
    "top",
    "--db",
    dbPath,
    "--job",
    "second",
    "--by",
    "sharpe",
    "--min-trades",
    "0",
    "--json",
  ]);
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
  const want = [0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11].sort((a, b) => sharpeOf(b) - sharpeOf(a));
  assert.deepEqual(ids(rows), [...want, 3], "NULL sharpe last");
  assert.deepEqual(Object.keys(rows[0]!), ["combo_id", ...PARAM_NAMES, ...STAT_NAMES, "dsr"]);
  assert.equal(rows.at(-1)!.sharpe, null);
  assert.equal(rows[0]!.z_stop, null);
  assert.equal(typeof rows[0]!.dsr, "number");
  assert.equal(rows[0]!.n_trades, want[0]);
});

test("defaults: latest job, its rank.by (max_dd, smallest first) and rank.min_trades", () => {
  const r = pairgrid(["top", "--db", dbPath, "--json", "--limit", "3"]);
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.equal(rows.length, 3);
  const want = [5, 6, 7, 8, 9, 10, 11].sort((a, b) => ((a * 37) % 11) - ((b * 37) % 11) || a - b);
  assert.deepEqual(ids(rows), want.slice(0, 3));
  const older = JSON.parse(pairgrid(["top", "--db", dbPath, "--job", "first", "--json"]).stdout);
  assert.deepEqual(ids(older), [101, 100]);
});

test("table: rank, combo id, only the varying parameters, then the headline statistics", () => {
  const r = pairgrid(["top", "--db", dbPath, "--by", "total_pnl", "--limit", "4"], { FORCE_COLOR: "0" });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.match(lines[0]!, /^job second \(es-nq, done, 12\/12 rows\): top 4 by total_pnl, n_trades ≥ 5$/);
  assert.deepEqual(lines[1]!.trim().split(/\s+/), [
    "rank",
    "combo_id",
    "zscore_window",
    "z_entry",
    "n_trades",
    "total_pnl",
    "sharpe",
    "dsr",
    "max_dd",
    "win_rate",
    "profit_factor",
  ]);
  // title, header, 4 rows, then the replay command of the best row
  assert.equal(lines.length, 7);
  assert.deepEqual(lines[2]!.trim().split(/\s+/).slice(0, 6), ["1", "11", "40", "1.75", "11", "115.50"]);
  // aligned: every line as wide as the header
  for (const line of lines.slice(2, 6)) assert.equal(line.length, lines[1]!.length);
  // the job records no spec file here: the placeholder, and every varying parameter of row 1
  assert.equal(
    lines[6],
    "replay row 1 (combo 11): pairgrid backtest SPEC --set zscore_window=40 --set z_entry=1.75",
  );
});

test("--command N: the replay command of row N, which must be among the rows shown", () => {
  const r = pairgrid(["top", "--db", dbPath, "--by", "total_pnl", "--limit", "4", "--command", "2"]);
  assert.equal(r.status, 0, r.stderr);
  const last = r.stdout.trimEnd().split("\n").at(-1);
  assert.equal(
    last,
    "replay row 2 (combo 10): pairgrid backtest SPEC --set zscore_window=20 --set z_entry=1.5",
  );
  const bad = pairgrid(["top", "--db", dbPath, "--limit", "4", "--command", "5"]);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /--command: row 5 is past --limit 4/);
});

test("the dashboard's ranking and the CLI's agree: the job's rank.min_trades and tie order", async () => {
  const { jobRanking, rankOrderSql } = await import("@pairgrid/resultsdb");
  const rank = jobRanking({ rank: { by: "max_dd", min_trades: 5 } });
  assert.deepEqual(rank, { by: "max_dd", minTrades: 5, ascending: true });
  assert.equal(rankOrderSql("sharpe", false), '"sharpe" DESC NULLS LAST, combo_id ASC');
  assert.deepEqual(jobRanking({}, { by: "sharpe", minTrades: 0 }), {
    by: "sharpe",
    minTrades: 0,
    ascending: false,
  });
});

test("bad input: missing file, unknown job, unknown metric, bad limit → exit 2, one line", () => {
  const cases: [string[], RegExp][] = [
    [["top", "--db", join(dir, "nope.duckdb")], /--db .*nope\.duckdb: no such file/],
    [["top", "--db", dbPath, "--job", "zzz"], /--job zzz: no such job/],
    [["top", "--db", dbPath, "--by", "z_entry"], /--by: unknown metric 'z_entry'/],
    [["top", "--db", dbPath, "--limit", "0"], /--limit: expected an integer ≥ 1/],
    [["top", "--db", dbPath, "--min-trades", "-3"], /--min-trades: expected an integer ≥ 0/],
  ];
  for (const [args, message] of cases) {
    const r = pairgrid(args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.equal(r.stdout, "");
  }
});
