// The two ways a results file holds fold statistics (schema.ts): lists in `results` under a
// `results_folds` view (new files), and the `results_folds` table of files made before issue 19,
// which must keep taking jobs and reading back the same folds.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { FOLD_COLUMNS, RESULT_COLUMNS, ResultsDb } from "../src/index.js";
import { counts, freshDbPath, inspect, makeBatch, newJob, range } from "./fixtures.js";

const foldRows = (file: string) =>
  inspect(
    file,
    "SELECT combo_id, fold, n_trades, pnl, pnl_sq, n_days FROM results_folds ORDER BY combo_id, fold",
  );

/** What makeBatch stores as fold f of combination id. */
const expectedFolds = (ids: number[], nFolds: number) =>
  ids.flatMap((id) =>
    range(0, nFolds).map((f) => ({
      combo_id: id,
      fold: f,
      n_trades: f + 1,
      pnl: id + f / 10,
      pnl_sq: (id + f / 10) ** 2,
      n_days: 5 + f,
    })),
  );

/** A file as pairgrid made them before issue 19: results with a primary key, a fold table. */
async function makeOldFile(file: string): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  const cols = (defs: typeof RESULT_COLUMNS) => defs.map((c) => `"${c.name}" ${c.sql}`).join(", ");
  const before19 = RESULT_COLUMNS.filter((c) => c.name !== "same_as");
  await conn.run(`CREATE TABLE results (${cols(before19)}, PRIMARY KEY (job_id, combo_id))`);
  await conn.run(`CREATE TABLE results_folds (${cols(FOLD_COLUMNS)})`);
  conn.closeSync();
  instance.closeSync();
  // jobs and chunks as every version made them
  await (await ResultsDb.open(file)).close();
}

test("a new file: folds stored with their row, read back one row per fold through the view", async () => {
  const file = freshDbPath("lists");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  await db.ingestChunk("j", 0, makeBatch(range(0, 4), { nFolds: 5 }));
  await db.ingestChunk("j", 1, makeBatch(range(4, 6), { nFolds: 5 }));
  const fs = await db.foldStats("j");
  assert.equal(fs.folds.nFolds, 5);
  assert.deepEqual(Array.from(fs.folds.pnl.slice(5, 10)), [1, 1.1, 1.2, 1.3, 1.4]);
  await db.close();
  assert.deepEqual(await foldRows(file), expectedFolds(range(0, 6), 5));
  assert.deepEqual(await counts(file, "j"), { results: 6, folds: 30, chunks: 2, n_done: 6 });
  const [kind] = await inspect(
    file,
    "SELECT table_type FROM information_schema.tables WHERE table_name = 'results_folds'",
  );
  assert.equal(kind!.table_type, "VIEW");
});

test("a file made before issue 19 keeps its fold table and takes new jobs in it", async () => {
  const file = freshDbPath("old-layout");
  await makeOldFile(file);
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  await db.ingestChunk("j", 0, makeBatch(range(0, 3), { nFolds: 4 }));
  await db.finalizeDsr("j");
  const fs = await db.foldStats("j");
  assert.deepEqual(Array.from(fs.folds.nDays.slice(0, 4)), [5, 6, 7, 8]);
  assert.equal((await db.top({ jobId: "j", by: "sharpe", minTrades: 0, limit: 10 })).length, 3);
  await db.close();
  assert.deepEqual(await foldRows(file), expectedFolds(range(0, 3), 4));
  const cols = await inspect(file, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'results'");
  assert.ok(
    cols.some((c) => c.column_name === "same_as"),
    "same_as added to the old file",
  );
  assert.ok(!cols.some((c) => c.column_name === "fold_pnl"), "no fold lists in the old layout");

  // read-only, as `pairgrid top` opens it
  const ro = await ResultsDb.open(file, { readOnly: true });
  assert.equal((await ro.foldStats("j")).nRows, 3);
  await ro.close();
});
