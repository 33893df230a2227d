// The writer's query snapshots on disk: one hidden folder beside the results file, a snapshot
// remade only after a write (and the replaced one deleted), the folder gone when the file closes,
// and a folder left by a killed writer deleted by the next one.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { test } from "node:test";
import { ResultsDb } from "../src/index.js";
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
