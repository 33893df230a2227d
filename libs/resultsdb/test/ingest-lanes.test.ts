// Two ingest lanes (group-commit.ts, results-db.ts): transactions really run at once, every chunk
// is still stored exactly once, two chunks claiming the same combinations from two lanes end with
// one stored and one refused, and jobs.n_done follows the ledger even after a crash between a
// commit and its copy.
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { ResultsDb } from "../src/index.js";
import { counts, freshDbPath, makeBatch, newJob, range, tick } from "./fixtures.js";

/**
 * Holds every ingest transaction open `ms` after its result rows are appended and counts how many
 * are open at once: `most()` is the largest count seen.
 */
function overlapCounter(db: ResultsDb, ms: number): { most: () => number } {
  let open = 0;
  let most = 0;
  db.ingestHooks.afterResultRows = async () => {
    most = Math.max(most, ++open);
    await new Promise((resolve) => setTimeout(resolve, ms));
    open--;
  };
  return { most: () => most };
}

test("with two lanes two ingest transactions are open at once, and every chunk lands once", async () => {
  const file = freshDbPath("lanes");
  const db = await ResultsDb.open(file, { ingestLanes: 2 });
  await db.createJob(newJob("j"));
  const overlap = overlapCounter(db, 20);
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
  assert.equal(overlap.most(), 2, "two transactions overlapped");
  assert.equal((await db.getJob("j"))!.n_done, 2000);
  await db.close();
  assert.deepEqual(await counts(file, "j"), { results: 2000, folds: 6000, chunks: 40, n_done: 2000 });
});

test("one lane never overlaps transactions", async () => {
  const file = freshDbPath("one-lane");
  const db = await ResultsDb.open(file, { ingestLanes: 1 });
  await db.createJob(newJob("j"));
  const overlap = overlapCounter(db, 5);
  const done: Promise<boolean>[] = [];
  for (let c = 0; c < 10; c++) {
    done.push(db.ingestChunk("j", c, makeBatch(range(c * 10, c * 10 + 10))));
    await tick();
  }
  await Promise.all(done);
  assert.equal(overlap.most(), 1);
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

test("past the WAL limit the lanes pause for a checkpoint; a close meanwhile waits for it, nothing is lost", async () => {
  const file = freshDbPath("lanes-checkpoint");
  // any WAL at all is past the limit: every commit asks for a checkpoint
  const db = await ResultsDb.open(file, { ingestLanes: 2, walCheckpointBytes: 1 });
  await db.createJob(newJob("j"));
  const overlap = overlapCounter(db, 5);
  const done: Promise<boolean>[] = [];
  for (let c = 0; c < 30; c++) {
    done.push(db.ingestChunk("j", c, makeBatch(range(c * 100, c * 100 + 100))));
    if (c % 3 === 2) await tick();
  }
  // closed while chunks still wait and checkpoints are due: close() must neither hang nor drop them
  await db.close();
  assert.deepEqual(await Promise.all(done), Array(30).fill(true));
  assert.equal(overlap.most(), 2, "the lanes still overlapped between checkpoints");
  assert.deepEqual(await counts(file, "j"), { results: 3000, folds: 9000, chunks: 30, n_done: 3000 });
  let wal = 0;
  try {
    wal = statSync(`${file}.wal`).size;
  } catch {
    // no WAL left: everything checkpointed
  }
  assert.equal(wal, 0);
});

test("the WAL of a long ingest stays near the limit: the lanes checkpoint as it passes", async () => {
  const file = freshDbPath("lanes-wal-bound");
  const limit = 2 * 1024 * 1024;
  const db = await ResultsDb.open(file, { ingestLanes: 2, walCheckpointBytes: limit });
  await db.createJob(newJob("j"));
  const walNow = () => {
    try {
      return statSync(`${file}.wal`).size;
    } catch {
      return 0; // checkpointed just now
    }
  };
  // two chunks at a time, one per lane, 30 times: about 1 MB of WAL each time
  let largest = 0;
  let firstPair = 0;
  for (let c = 0; c < 60; c += 2) {
    const batch = (k: number) => makeBatch(range(k * 500, k * 500 + 500), { nFolds: 16 });
    await Promise.all([db.ingestChunk("j", c, batch(c)), db.ingestChunk("j", c + 1, batch(c + 1))]);
    firstPair ||= walNow();
    largest = Math.max(largest, walNow());
  }
  await db.close();
  // the checkpoint comes once the transactions open when the limit was passed have ended, and the
  // pair after it lands before the next check: the WAL stays under the limit and two pairs
  // (without the checkpoints it would reach 30 pairs, ~30 MB)
  assert.ok(firstPair > 0);
  assert.ok(largest > limit, `largest WAL ${largest} B: the limit was reached`);
  assert.ok(
    largest < limit + 2 * firstPair,
    `largest WAL ${largest} B, limit ${limit} B, a pair ${firstPair} B`,
  );
  assert.equal((await counts(file, "j")).results, 30_000);
});
