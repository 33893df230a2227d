// Ingest: values land under their names with NULL for NaN, each chunk exactly once, n_done and
// the ledger follow, and concurrent callers are serialized.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FOLD_WIDTH, InputError, N_STATS, PARAM_NAMES, STAT_NAMES } from "@pairgrid/engine";
import { ResultsDb } from "../src/index.js";
import { counts, freshDbPath, inspect, makeBatch, newJob, paramValue, range, statValue } from "./fixtures.js";

const nullIfNaN = (v: number) => (Number.isNaN(v) ? null : v);

test("ingested rows read back value for value, NaN as NULL, folds by combination and fold", async () => {
  const file = freshDbPath("ingest");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  assert.equal(await db.ingestChunk("j", 0, makeBatch([0, 1, 2, 3, 4], { nFolds: 3 })), true);
  await db.close();

  const rows = await inspect(file, "SELECT * FROM results ORDER BY combo_id");
  assert.equal(rows.length, 5);
  for (const row of rows) {
    const id = row.combo_id as number;
    assert.equal(row.job_id, "j");
    for (const p of PARAM_NAMES) assert.equal(row[p], nullIfNaN(paramValue(id, p)), `${p} of ${id}`);
    for (const s of STAT_NAMES) assert.equal(row[s], nullIfNaN(statValue(id, s)), `${s} of ${id}`);
    assert.equal(row.dsr, null);
  }
  assert.equal(rows[4]!.sharpe, null, "combo 4's NaN sharpe is NULL");
  assert.equal(rows[0]!.z_stop, null);

  const folds = await inspect(file, "SELECT * FROM results_folds WHERE combo_id = 2 ORDER BY fold");
  assert.deepEqual(
    folds.map((f) => [f.fold, f.n_trades, f.pnl, f.pnl_sq, f.n_days]),
    [0, 1, 2].map((f) => [f, f + 1, 2 + f / 10, (2 + f / 10) ** 2, 5 + f]),
  );
  const [ledger] = await inspect(file, "SELECT job_id, chunk_id, n_rows, ingested_at FROM chunks");
  assert.equal(ledger!.chunk_id, 0);
  assert.equal(ledger!.n_rows, 5);
  assert.ok(ledger!.ingested_at instanceof Date);
});

test("the same chunk twice: the second call returns false and changes nothing", async () => {
  const file = freshDbPath("twice");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  assert.equal(await db.ingestChunk("j", 7, makeBatch(range(0, 10))), true);
  // a redelivered chunk, even with different contents, is recognized by its id alone
  assert.equal(await db.ingestChunk("j", 7, makeBatch(range(10, 20))), false);
  assert.equal(await db.ingestChunk("j", 7, makeBatch(range(0, 10))), false);
  assert.equal((await db.getJob("j"))!.n_done, 10);
  await db.close();
  assert.deepEqual(await counts(file, "j"), { results: 10, folds: 30, chunks: 1, n_done: 10 });
});

test("n_done counts rows over chunks; doneChunks lists the ledger per job", async () => {
  const db = await ResultsDb.open(freshDbPath("progress"));
  await db.createJob(newJob("a"));
  await db.createJob(newJob("b"));
  await db.ingestChunk("a", 0, makeBatch(range(0, 4)));
  await db.ingestChunk("a", 2, makeBatch(range(8, 11)));
  await db.ingestChunk("a", 5, makeBatch([])); // a chunk whose combinations were all invalid
  await db.ingestChunk("b", 0, makeBatch(range(0, 2)));
  assert.equal((await db.getJob("a"))!.n_done, 7);
  assert.equal((await db.getJob("b"))!.n_done, 2);
  assert.deepEqual([...(await db.doneChunks("a"))].sort(), [0, 2, 5]);
  assert.deepEqual([...(await db.doneChunks("b"))], [0]);
  assert.deepEqual([...(await db.doneChunks("none"))], []);
  await db.close();
});

test("concurrent ingests on one ResultsDb are serialized and all land", async () => {
  const file = freshDbPath("concurrent");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  const chunkIds = range(0, 20);
  // chunk 3 arrives twice at once: exactly one of the two calls writes it
  const results = await Promise.all([
    ...chunkIds.map((c) => db.ingestChunk("j", c, makeBatch(range(c * 5, c * 5 + 5)))),
    db.ingestChunk("j", 3, makeBatch(range(15, 20))),
  ]);
  assert.equal(results.filter((r) => r).length, 20);
  await db.close();
  assert.deepEqual(await counts(file, "j"), { results: 100, folds: 300, chunks: 20, n_done: 100 });
});

test("bad input is refused before anything is written", async () => {
  const file = freshDbPath("bad");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  await assert.rejects(db.ingestChunk("nope", 0, makeBatch([1])), InputError);
  const good = makeBatch([1, 2]);
  await assert.rejects(db.ingestChunk("j", 0, { ...good, params: good.params.subarray(1) }), /params/);
  await assert.rejects(db.ingestChunk("j", 0, { ...good, stats: new Float64Array(N_STATS) }), /stats/);
  await assert.rejects(db.ingestChunk("j", 0, { ...good, folds: new Float64Array(FOLD_WIDTH) }), /folds/);
  await assert.rejects(db.ingestChunk("j", 0, { ...good, comboIds: Float64Array.of(1, 2.5) }), /combo id/);
  await assert.rejects(db.ingestChunk("j", -1, good), /chunk id/);
  await db.close();
  assert.deepEqual(await counts(file, "j"), { results: 0, folds: 0, chunks: 0, n_done: 0 });
});
