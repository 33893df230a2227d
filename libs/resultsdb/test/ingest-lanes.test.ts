// Two ingest lanes (group-commit.ts, results-db.ts): transactions really run at once, every chunk
// is still stored exactly once, two chunks claiming the same combinations from two lanes end with
// one stored and one refused, and jobs.n_done follows the ledger even after a crash between a
// commit and its copy.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { ResultsDb } from "../src/index.js";
import { counts, freshDbPath, makeBatch, newJob, range } from "./fixtures.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

test("with two lanes two ingest transactions are open at once, and every chunk lands once", async () => {
  const file = freshDbPath("lanes");
  const db = await ResultsDb.open(file, { ingestLanes: 2 });
  await db.createJob(newJob("j"));
  let open = 0;
  let most = 0;
  db.ingestHooks.afterResultRows = async () => {
    most = Math.max(most, ++open);
    await new Promise((resolve) => setTimeout(resolve, 20));
    open--;
  };
  const done: Promise<boolean>[] = [];
  for (let c = 0; c < 40; c++) {
    done.push(db.ingestChunk("j", c, makeBatch(range(c * 50, c * 50 + 50))));
    // every fifth chunk delivered twice, one tick later: the copy must be skipped, not stored
    if (c % 5 === 0) {
      await tick();
      done.push(db.ingestChunk("j", c, makeBatch(range(c * 50, c * 50 + 50))));
    }
    await tick();
  }
  const written = await Promise.all(done);
  assert.equal(written.filter((w) => w).length, 40);
  assert.equal(most, 2, "two transactions overlapped");
  assert.equal((await db.getJob("j"))!.n_done, 2000);
  await db.close();
  assert.deepEqual(await counts(file, "j"), { results: 2000, folds: 6000, chunks: 40, n_done: 2000 });
});

test("one lane never overlaps transactions", async () => {
  const file = freshDbPath("one-lane");
  const db = await ResultsDb.open(file, { ingestLanes: 1 });
  await db.createJob(newJob("j"));
  let open = 0;
  let most = 0;
  db.ingestHooks.afterResultRows = async () => {
    most = Math.max(most, ++open);
    await new Promise((resolve) => setTimeout(resolve, 5));
    open--;
  };
  const done: Promise<boolean>[] = [];
  for (let c = 0; c < 10; c++) {
    done.push(db.ingestChunk("j", c, makeBatch(range(c * 10, c * 10 + 10))));
    await tick();
  }
  await Promise.all(done);
  assert.equal(most, 1);
  await db.close();
});

test("two chunks with the same combinations on two lanes at once: one is stored, the other refused", async () => {
  const file = freshDbPath("lanes-overlap");
  const db = await ResultsDb.open(file, { ingestLanes: 2 });
  await db.createJob(newJob("j"));
  // hold each transaction open until both have appended, so their commits race on the key
  let arrived = 0;
  let release!: () => void;
  const both = new Promise<void>((resolve) => (release = resolve));
  db.ingestHooks.afterResultRows = async () => {
    if (++arrived === 2) release();
    await both;
  };
  const a = db.ingestChunk("j", 0, makeBatch(range(0, 10)));
  await tick();
  const b = db.ingestChunk("j", 1, makeBatch(range(5, 15)));
  const settled = await Promise.allSettled([a, b]);
  db.ingestHooks = {};
  const ok = settled.filter((s) => s.status === "fulfilled");
  const refused = settled.filter((s) => s.status === "rejected");
  assert.equal(ok.length, 1);
  assert.equal(refused.length, 1);
  assert.match(String((refused[0] as PromiseRejectedResult).reason), /duplicate key|constraint/i);
  // the refused chunk left nothing: its combinations beyond the overlap are absent too
  const stored = settled[0]!.status === "fulfilled" ? 0 : 1;
  assert.deepEqual([...(await db.doneChunks("j"))], [stored]);
  assert.equal((await db.getJob("j"))!.n_done, 10);
  await db.close();
  assert.deepEqual(await counts(file, "j"), { results: 10, folds: 30, chunks: 1, n_done: 10 });
});

test("a stale jobs.n_done (crash between a commit and its copy) is read from the ledger and repaired", async () => {
  const file = freshDbPath("stale-n-done");
  let db = await ResultsDb.open(file);
  await db.createJob(newJob("j"));
  for (let c = 0; c < 3; c++) await db.ingestChunk("j", c, makeBatch(range(c * 10, c * 10 + 10)));
  await db.close();
  // what a crash right after a commit leaves: the ledger has the chunk, the counter does not
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  await conn.run("UPDATE jobs SET n_done = 7 WHERE job_id = 'j'");
  conn.closeSync();
  instance.closeSync();

  const ro = await ResultsDb.open(file, { readOnly: true });
  assert.equal((await ro.getJob("j"))!.n_done, 30, "read from the ledger");
  await ro.close();
  assert.equal((await counts(file, "j")).n_done, 7, "a read-only open changes nothing");

  db = await ResultsDb.open(file);
  await db.close();
  assert.equal((await counts(file, "j")).n_done, 30, "a writer's open copies the ledger's count");
});
