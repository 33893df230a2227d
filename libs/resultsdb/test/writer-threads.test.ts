// A writer's DuckDB pool: one thread while chunks are ingested, the whole pool again before a
// query that scans rows, and a switch only when the kind of work changes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { ResultsDb } from "../src/index.js";
import { WriterThreads } from "../src/writer-threads.js";
import { freshDbPath, makeBatch, newJob, range } from "./fixtures.js";

async function threadsSetting(conn: Awaited<ReturnType<DuckDBInstance["connect"]>>): Promise<number> {
  const reader = await conn.runAndReadAll("SELECT current_setting('threads')::INTEGER");
  return Number(reader.getRowsJS()[0]![0]);
}

test("one thread for ingest, the instance's own count back for queries", async () => {
  const instance = await DuckDBInstance.create(":memory:", { threads: "4" });
  const conn = await instance.connect();
  try {
    const threads = await WriterThreads.of(conn);
    assert.equal(threads.current, 4);
    await threads.forIngest();
    assert.equal(await threadsSetting(conn), 1);
    await threads.forIngest();
    assert.equal(threads.current, 1);
    await threads.forQueries();
    assert.equal(await threadsSetting(conn), 4);
    assert.equal(threads.current, 4);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});

test("a single-thread instance is left alone", async () => {
  const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  const conn = await instance.connect();
  try {
    const threads = await WriterThreads.of(conn);
    await threads.forIngest();
    await threads.forQueries();
    assert.equal(await threadsSetting(conn), 1);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});

test("ResultsDb: ingest narrows the pool, top and read widen it, read-only opens have no switch", async () => {
  const file = freshDbPath("threads");
  const db = await ResultsDb.open(file);
  const all = db.threads!.current;
  await db.createJob(newJob("j"));
  assert.equal(await db.ingestChunk("j", 0, makeBatch(range(0, 10))), true);
  assert.equal(db.threads!.current, 1);
  await db.top({ jobId: "j", by: "sharpe", minTrades: 0, limit: 3 });
  assert.equal(db.threads!.current, all);
  assert.equal(await db.ingestChunk("j", 1, makeBatch(range(10, 20))), true);
  assert.equal(db.threads!.current, 1);
  assert.equal(await db.read(threadsSetting), all);
  await db.close();
  const ro = await ResultsDb.open(file, { readOnly: true });
  assert.equal(ro.threads, null);
  await ro.close();
});
