// The writer's query snapshots on disk: one hidden folder beside the results file, a snapshot
// remade only after a write (and the replaced one deleted), the folder gone when the file closes,
// and a folder left by a killed writer deleted by the next one. While writes keep coming and a copy
// takes longer than the query time limit, queries are still answered: a query takes the copy under
// way.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { test } from "node:test";
import { QueryTimeoutError, ResultsDb } from "../src/index.js";
import { type SnapshotHost, WriterSnapshots } from "../src/query-snapshot.js";
import { SandboxedQuery } from "../src/sandboxed-query.js";
import { freshDbPath, makeBatch, newJob, range } from "./fixtures.js";

/** The snapshot folders beside `file` and the files in each. */
function snapshotFolders(file: string): Record<string, string[]> {
  const parent = dirname(file);
  const prefix = `.${basename(file)}.query-`;
  const folders = readdirSync(parent).filter((n) => n.startsWith(prefix));
  return Object.fromEntries(folders.map((n) => [n, readdirSync(join(parent, n)).sort()]));
}

/**
 * A writer's file at two moments, as two closed results files (25 rows, then 50), and a host over
 * them whose copies take `copyMs` and copy what was committed when they began (the writes wait for
 * a copy). A test moves `state.committed` and `state.writes` as its writer would.
 */
async function twoMoments(label: string, copyMs: number) {
  const file = freshDbPath(label);
  const later = freshDbPath(`${label}-later`);
  for (const [path, rows] of [
    [file, 25],
    [later, 50],
  ] as const) {
    const db = await ResultsDb.open(path);
    await db.createJob(newJob("s"));
    await db.ingestChunk("s", 0, makeBatch(range(0, rows)));
    await db.close();
  }
  const state = { writes: 0, committed: file, copiesBegan: [] as number[] };
  const host: SnapshotHost = {
    file,
    generation: () => state.writes,
    copyTo: async (path) => {
      const from = state.committed;
      state.copiesBegan.push(performance.now());
      await new Promise((r) => setTimeout(r, copyMs));
      copyFileSync(from, path);
    },
  };
  return { file, later, state, host };
}

test("one snapshot at a time, remade after a write; none left after close, nor a killed writer's", async () => {
  const file = freshDbPath("snapshots");
  const stale = join(dirname(file), `.${basename(file)}.query-left`);
  mkdirSync(stale);
  writeFileSync(join(stale, "snapshot-9.duckdb"), "left by a killed writer");

  const db = await ResultsDb.open(file);
  try {
    await db.createJob(newJob("s"));
    const sandbox = await db.sandbox();
    assert.deepEqual((await sandbox.run("SELECT count(*) FROM jobs")).rows, [[1]]);
    const first = snapshotFolders(file);
    assert.equal(existsSync(stale), false, "the killed writer's folder is gone");
    assert.deepEqual(Object.values(first), [["snapshot-1.duckdb"]]);

    // no write in between: the same snapshot
    assert.deepEqual((await sandbox.run("SELECT count(*) FROM results")).rows, [[0]]);
    assert.deepEqual(snapshotFolders(file), first);

    // a write: a new snapshot that holds it, the old one deleted
    await db.ingestChunk("s", 0, makeBatch(range(0, 25)));
    assert.deepEqual((await sandbox.run("SELECT count(*) FROM results")).rows, [[25]]);
    assert.deepEqual(Object.values(snapshotFolders(file)), [["snapshot-2.duckdb"]]);
  } finally {
    await db.close();
  }
  assert.deepEqual(snapshotFolders(file), {});
});

test("writes every 50 ms and copies slower than the time limit: queries are answered, a copy or two behind", async () => {
  const COPY_MS = 1500;
  const { file, later, state, host } = await twoMoments("slow-copy", COPY_MS);
  const copies = state.copiesBegan;
  // no rest after a copy: the next test shows that
  const snapshots = new WriterSnapshots(host, { restFactor: 0 });
  const writer = setInterval(() => state.writes++, 50);
  const sandbox = SandboxedQuery.open(snapshots, { timeoutMs: 1000 });
  const count = "SELECT count(*) FROM results";
  try {
    await sandbox.ready();
    // no snapshot yet: the first query starts a copy and gives up at its limit; the copy goes on
    await assert.rejects(sandbox.run(count), QueryTimeoutError);
    assert.equal(copies.length, 1);
    // the next arrives after more writes and takes that copy rather than starting another, which
    // would time out again, and so on for as long as the writes go on
    const second = await sandbox.run(count);
    assert.deepEqual(second.rows, [[25]]);
    assert.ok(second.elapsed_ms < 1000, `answered after ${second.elapsed_ms} ms`);
    assert.equal(copies.length, 1, "one copy for both queries");

    // the writer has 50 rows now; a query starts a copy of them, waits half its limit for it and
    // then reads the snapshot it has, while the copy goes on
    state.committed = later;
    const third = await sandbox.run(count);
    assert.deepEqual(third.rows, [[25]]);
    assert.ok(third.elapsed_ms >= 500 && third.elapsed_ms < 1000, `answered after ${third.elapsed_ms} ms`);
    assert.equal(copies.length, 2);
    // the writer stops; once that copy is done the next query reads it (and, as writes landed
    // during that copy, starts one more)
    clearInterval(writer);
    await new Promise((r) => setTimeout(r, COPY_MS));
    assert.deepEqual((await sandbox.run(count)).rows, [[50]]);
    assert.equal(copies.length, 3);
    // once that one is done, no write since it began: it is read, and no copy is made
    await new Promise((r) => setTimeout(r, COPY_MS));
    const last = await sandbox.run(count);
    assert.deepEqual(last.rows, [[50]]);
    assert.ok(last.elapsed_ms < 500, `answered after ${last.elapsed_ms} ms`);
    assert.equal(copies.length, 3);
  } finally {
    clearInterval(writer);
    await sandbox.close();
    await snapshots.close();
  }
  assert.deepEqual(snapshotFolders(file), {}, "every snapshot deleted at close");
});

test("after a long copy, copies rest twice as long: queries meanwhile read the last snapshot", async () => {
  // a "long" copy from 1 s on (5 s by default: a file of a few GB)
  const COPY_MS = 1200;
  const { later, state, host } = await twoMoments("rest", COPY_MS);
  const copies = state.copiesBegan;
  const snapshots = new WriterSnapshots(host, { restAfterMs: 1000 });
  const sandbox = SandboxedQuery.open(snapshots, { timeoutMs: 10_000 });
  const count = "SELECT count(*) FROM results";
  try {
    await sandbox.ready();
    const first = await sandbox.run(count);
    assert.deepEqual(first.rows, [[25]]);
    const copied = performance.now();
    // new writes right after that copy: the copies rest (2 × 1.2 s), the query reads the snapshot
    state.committed = later;
    state.writes++;
    const resting = await sandbox.run(count);
    assert.deepEqual(resting.rows, [[25]]);
    assert.equal(resting.as_of, first.as_of);
    assert.equal(copies.length, 1, "no copy while resting");
    assert.ok(performance.now() - copied < 2 * COPY_MS, "the query came within the rest");
    // after the rest, the next query starts a copy and, as it ends within half its limit, reads it
    await new Promise((r) => setTimeout(r, 2 * COPY_MS + 200 - (performance.now() - copied)));
    const after = await sandbox.run(count);
    assert.deepEqual(after.rows, [[50]]);
    assert.equal(copies.length, 2);
    assert.ok(copies[1]! - copied >= 2 * COPY_MS, "the second copy began after the rest");
  } finally {
    await sandbox.close();
    await snapshots.close();
  }
});
