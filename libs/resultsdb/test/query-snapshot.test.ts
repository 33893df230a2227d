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
import { WriterSnapshots } from "../src/query-snapshot.js";
import { SandboxedQuery } from "../src/sandboxed-query.js";
import { freshDbPath, makeBatch, newJob, range } from "./fixtures.js";

/** The snapshot folders beside `file` and the files in each. */
function snapshotFolders(file: string): Record<string, string[]> {
  const parent = dirname(file);
  const prefix = `.${basename(file)}.query-`;
  const folders = readdirSync(parent).filter((n) => n.startsWith(prefix));
  return Object.fromEntries(folders.map((n) => [n, readdirSync(join(parent, n)).sort()]));
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

test("writes every 50 ms and a copy slower than the time limit: a query takes the copy under way", async () => {
  // a real results file, closed, which the slow copy below copies as it is
  const file = freshDbPath("slow-copy");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("s"));
  await db.ingestChunk("s", 0, makeBatch(range(0, 25)));
  await db.close();

  const COPY_MS = 1500;
  let writes = 0;
  const copies: string[] = [];
  const snapshots = new WriterSnapshots({
    file,
    generation: () => writes,
    copyTo: async (path) => {
      copies.push(path);
      await new Promise((r) => setTimeout(r, COPY_MS));
      copyFileSync(file, path);
    },
  });
  const writer = setInterval(() => writes++, 50);
  const sandbox = SandboxedQuery.open(snapshots, { timeoutMs: 1000 });
  try {
    await sandbox.ready();
    // the first query starts a copy and gives up at its limit; the copy goes on
    await assert.rejects(sandbox.run("SELECT count(*) FROM results"), QueryTimeoutError);
    assert.equal(copies.length, 1);
    // the next arrives after more writes, takes that copy rather than starting another, and is
    // answered within its limit; remaking for it would time out again, and so on for ever
    const answer = await sandbox.run("SELECT count(*) FROM results");
    assert.deepEqual(answer.rows, [[25]]);
    assert.ok(answer.elapsed_ms < 1000, `answered after ${answer.elapsed_ms} ms`);
    assert.equal(copies.length, 1, "one copy for both queries");
    // with no copy under way, the writes since mean a new copy
    await assert.rejects(sandbox.run("SELECT 1"), QueryTimeoutError);
    assert.equal(copies.length, 2);
  } finally {
    clearInterval(writer);
    await sandbox.close();
    await snapshots.close();
  }
  assert.deepEqual(snapshotFolders(file), {}, "every snapshot deleted at close");
});
