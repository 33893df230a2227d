// A chunk is all or nothing: an ingest that fails midway leaves no rows, no fold rows, no ledger
// entry and n_done untouched, and the same chunk then goes in on retry.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ResultsDb } from "../src/index.js";
import { counts, freshDbPath, makeBatch, newJob, range } from "./fixtures.js";

test("a duplicate primary key midway (raised at the appender's flush) rolls the whole chunk back", async () => {
  const file = freshDbPath("dup-key");
  let db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  assert.equal(await db.ingestChunk("j", 0, makeBatch(range(0, 10))), true);
  // chunk 1 wrongly overlaps chunk 0 on combo 9: results rows 10…18 would be fine, row 9 is not
  await assert.rejects(db.ingestChunk("j", 1, makeBatch(range(9, 19))), /Duplicate key|constraint/i);
  assert.deepEqual([...(await db.doneChunks("j"))], [0]);
  await db.close();
  assert.deepEqual(await counts(file, "j"), { results: 10, folds: 30, chunks: 1, n_done: 10 });

  db = await ResultsDb.open(file);
  assert.equal(await db.ingestChunk("j", 1, makeBatch(range(10, 20))), true);
  await db.close();
  assert.deepEqual(await counts(file, "j"), { results: 20, folds: 60, chunks: 2, n_done: 20 });
});

test("an error thrown after the result rows are appended leaves nothing behind; the retry succeeds", async () => {
  const file = freshDbPath("thrown");
  let db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  db.ingestHooks.afterResultRows = () => {
    throw new Error("worker died mid-chunk");
  };
  await assert.rejects(db.ingestChunk("j", 0, makeBatch(range(0, 3000))), /worker died/);
  // the connection is usable again at once: the failed transaction was rolled back
  db.ingestHooks = {};
  assert.deepEqual([...(await db.doneChunks("j"))], []);
  await db.close();
  assert.deepEqual(await counts(file, "j"), { results: 0, folds: 0, chunks: 0, n_done: 0 });

  db = await ResultsDb.open(file);
  assert.equal(await db.ingestChunk("j", 0, makeBatch(range(0, 3000))), true);
  await db.close();
  assert.deepEqual(await counts(file, "j"), { results: 3000, folds: 9000, chunks: 1, n_done: 3000 });
});

test("a duplicate combo id inside one batch fails it whole, and later chunks still go in", async () => {
  const file = freshDbPath("dup-in-batch");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  await assert.rejects(db.ingestChunk("j", 0, makeBatch([1, 2, 2, 3])));
  assert.equal(await db.ingestChunk("j", 1, makeBatch([4, 5])), true);
  assert.equal(await db.ingestChunk("j", 0, makeBatch([1, 2, 3])), true);
  await db.close();
  assert.deepEqual(await counts(file, "j"), { results: 5, folds: 15, chunks: 2, n_done: 5 });
});

test("chunks in flight together share a transaction; one bad chunk among them fails alone", async () => {
  const file = freshDbPath("group");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  // submitted without waiting, as a worker pool delivers them: they are committed as one group,
  // which fails on chunk 1's overlap with chunk 0; the retry one by one isolates chunk 1
  const settled = await Promise.allSettled([
    db.ingestChunk("j", 0, makeBatch(range(0, 10))),
    db.ingestChunk("j", 1, makeBatch(range(5, 15))),
    db.ingestChunk("j", 2, makeBatch(range(20, 30))),
    db.ingestChunk("j", 0, makeBatch(range(0, 10))),
  ]);
  assert.deepEqual(
    settled.map((s) => s.status),
    ["fulfilled", "rejected", "fulfilled", "fulfilled"],
  );
  assert.deepEqual(
    settled.map((s) => (s.status === "fulfilled" ? s.value : null)),
    [true, null, true, false],
  );
  await db.close();
  assert.deepEqual(await counts(file, "j"), { results: 20, folds: 60, chunks: 2, n_done: 20 });
});
