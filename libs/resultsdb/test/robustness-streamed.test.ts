// The robustness report as served (buildRobustnessReport: fold matrix streamed from DuckDB, top
// rows and their neighbours asked of SQL; robustness-streamed.ts) against the report computed
// over the whole job read into memory (robustnessOf(foldStats)): the same report, number for
// number — on a job with twins, rows without trades, a parameter that is sometimes off (null),
// grid cells missing, and chunks ingested out of order; in both fold layouts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import {
  buildRobustnessReport,
  FOLD_COLUMNS,
  RESULT_COLUMNS,
  ResultsDb,
  robustnessOf,
} from "../src/index.js";
import { robustnessStreamed } from "../src/robustness-streamed.js";
import { freshDbPath } from "./fixtures.js";
import { fillGridJob } from "./grid-job.js";

const QUERIES = [
  { by: "sharpe", limit: 20 },
  { by: "total_pnl", limit: 7 },
  { by: "sharpe", limit: 100, splits: 4, window: 3 },
  { by: "total_pnl", limit: 3, splits: 8, window: 7 },
];

async function compare(db: ResultsDb, jobId: string): Promise<void> {
  const fs = await db.foldStats(jobId);
  for (const q of QUERIES) {
    const served = await buildRobustnessReport(db, jobId, q);
    const reference = robustnessOf(fs, { ...q, by: q.by as "sharpe" | "total_pnl" });
    assert.deepEqual(served, reference, JSON.stringify(q));
  }
}

test("streamed report = in-memory report: PBO, walk-forward, top rows with DSR, stability, twins", async () => {
  const db = await ResultsDb.open(freshDbPath("robust-streamed"));
  await fillGridJob(db, "j1");
  const fs = await db.foldStats("j1");
  // the fixture holds what the test says it does
  assert.ok(
    Array.from(fs.sameAs).some((v) => !Number.isNaN(v)),
    "twins",
  );
  assert.ok(
    Array.from(fs.sharpe).some((v) => Number.isNaN(v)),
    "null Sharpes",
  );
  await compare(db, "j1");
  const report = await buildRobustnessReport(db, "j1", { by: "sharpe", limit: 20 });
  assert.ok(report!.top.some((r) => r.n_identical > 0));
  assert.ok(report!.top.some((r) => r.n_neighbours > 0));
  assert.deepEqual([...report!.params].sort(), ["z_entry", "z_exit", "z_stop", "zscore_window"]);
  await db.close();
});

test("PBO and walk-forward count a group of twins once: the report of the job with its twins' rows deleted", async () => {
  const file = freshDbPath("robust-twins-once");
  const db = await ResultsDb.open(file);
  await fillGridJob(db, "j1");
  const withTwins = await buildRobustnessReport(db, "j1", { by: "sharpe", limit: 20 });
  await db.close();
  // the same file without the twins' rows: nothing left to count twice
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  const deleted = await conn.run("DELETE FROM results WHERE job_id = 'j1' AND same_as IS NOT NULL");
  assert.ok(deleted.rowsChanged > 0, "the fixture has twins");
  conn.closeSync();
  instance.closeSync();
  const pruned = await ResultsDb.open(file);
  const without = await buildRobustnessReport(pruned, "j1", { by: "sharpe", limit: 20 });
  await pruned.close();
  assert.equal(withTwins!.n_combos, without!.n_combos + deleted.rowsChanged);
  assert.equal(withTwins!.n_distinct, without!.n_combos);
  assert.equal(without!.n_distinct, without!.n_combos);
  assert.deepEqual(withTwins!.pbo, without!.pbo);
  assert.deepEqual(withTwins!.walk_forward, without!.walk_forward);
});

test("the older layout (a results_folds table) streams the same report", async () => {
  const file = freshDbPath("robust-streamed-old");
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  const cols = (defs: typeof RESULT_COLUMNS) => defs.map((c) => `"${c.name}" ${c.sql}`).join(", ");
  await conn.run(`CREATE TABLE results (${cols(RESULT_COLUMNS)}, PRIMARY KEY (job_id, combo_id))`);
  await conn.run(`CREATE TABLE results_folds (${cols(FOLD_COLUMNS)})`);
  conn.closeSync();
  instance.closeSync();
  const db = await ResultsDb.open(file);
  await fillGridJob(db, "j2");
  await compare(db, "j2");
  await db.close();
});

test("the report reads on a connection of its own: writes go on beside it, close() waits for it", async () => {
  const db = await ResultsDb.open(freshDbPath("robust-streamed-side"));
  await fillGridJob(db, "j3");
  const reference = robustnessOf(await db.foldStats("j3"), { by: "sharpe", limit: 5 });
  const pending = buildRobustnessReport(db, "j3", { by: "sharpe", limit: 5 });
  // another job's rows written meanwhile (they are not j3's: the report cannot change)
  await fillGridJob(db, "j4");
  assert.deepEqual(await pending, reference);
  // asked of the database directly (buildRobustnessReport first looks the job up in the queue)
  const last = db.robustness("j4", { by: "total_pnl", limit: 4 });
  await db.close();
  assert.equal((await last).top.length, 4);
});

test("progress: the rows read by both passes, ending at 2 × distinct results; a cached report reports none", async () => {
  const db = await ResultsDb.open(freshDbPath("robust-progress"));
  await fillGridJob(db, "j1");
  // each pass reads each group of twins' first row only
  const nRows = Array.from((await db.foldStats("j1")).sameAs).filter((v) => Number.isNaN(v)).length;
  const calls: [number, number][] = [];
  await buildRobustnessReport(db, "j1", { by: "sharpe", limit: 5 }, (done, total) =>
    calls.push([done, total]),
  );
  assert.ok(calls.length >= 2, "one call per block of each pass at least");
  assert.ok(
    calls.every(([, total]) => total === 2 * nRows),
    "total: two passes",
  );
  assert.ok(
    calls.every(([done], i) => i === 0 || done > calls[i - 1]![0]),
    "done grows",
  );
  assert.deepEqual(calls.at(-1), [2 * nRows, 2 * nRows]);
  const again: number[] = [];
  await buildRobustnessReport(db, "j1", { by: "sharpe", limit: 5 }, (done) => again.push(done));
  assert.deepEqual(again, []);
  await db.close();
});

test("a damaged file is refused, naming the job: a NULL or short fold list in any of the four", async () => {
  // the shape check reads fold_pnl's and fold_n_trades' lengths (no pass reads every row's trade
  // counts); the other two lists are checked as the first pass reads them
  const damage = [
    "fold_pnl = NULL",
    "fold_n_days = NULL",
    "fold_n_trades = NULL",
    "fold_n_trades = list_append(fold_n_trades, 1)",
    "fold_pnl_sq = list_slice(fold_pnl_sq, 1, len(fold_pnl_sq) - 1)",
    "fold_n_days = list_append(fold_n_days, 5)",
  ];
  for (const set of damage) {
    const file = freshDbPath("robust-damaged");
    const db = await ResultsDb.open(file);
    await fillGridJob(db, "j1");
    await db.close();
    const instance = await DuckDBInstance.create(file);
    const conn = await instance.connect();
    await conn.run(`UPDATE results SET ${set} WHERE combo_id = (SELECT max(combo_id) FROM results) - 3`);
    conn.closeSync();
    instance.closeSync();
    const again = await ResultsDb.open(file);
    try {
      await assert.rejects(
        buildRobustnessReport(again, "j1", { by: "sharpe", limit: 5 }),
        (err: Error) => err.name === "InputError" && /^job j1: .*incomplete or damaged$/.test(err.message),
        set,
      );
    } finally {
      await again.close();
    }
  }
});

test("the report's read-ahead is its own: the connection's streaming_buffer_size is DuckDB's after it", async () => {
  const db = await ResultsDb.open(freshDbPath("robust-streamed-setting"));
  await fillGridJob(db, "j1");
  const setting = async (conn: DuckDBConnection) =>
    (await conn.runAndReadAll("SELECT current_setting('streaming_buffer_size')")).getRows()[0]![0];
  await db.read(async (conn) => {
    const before = await setting(conn);
    const report = await robustnessStreamed(conn, "j1", "lists", true, { by: "sharpe", limit: 5 });
    assert.equal(report.top.length, 5);
    assert.equal(await setting(conn), before);
  });
  await db.close();
});
