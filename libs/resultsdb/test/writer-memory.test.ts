// A writer's memory does not grow with its job beyond DuckDB's pool (issue 19 item 6). What grew
// with the number of combinations in `pairgrid run` and the coordinator was that pool: the blocks
// each checkpoint writes stay cached in it, and without a limit (DuckDB's default is 80 % of the
// machine) nothing evicts them. These tests hold the limit on every open and check that DuckDB
// keeps the pool under it while a job's rows go in (the same ingest under a large limit shows the
// rows do fill the pool, so the check can fail), not an RSS threshold that a loaded machine blurs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { DUCKDB_MEMORY_LIMIT, duckdbMemoryLimit, ResultsDb, WRITER_MEMORY_LIMIT } from "../src/index.js";
import { twinPartitions } from "../src/twin-groups.js";
import { freshDbPath, makeBatch, newJob, range } from "./fixtures.js";

const CHUNK = 2000;

async function one(conn: DuckDBConnection, sql: string): Promise<unknown> {
  return (await conn.runAndReadAll(sql)).getRowsJS()[0]![0];
}

/** memory_limit as DuckDB shows it ("488.2 MiB") for a limit given as `size`. */
async function shownLimit(size: string): Promise<string> {
  const instance = await DuckDBInstance.create(":memory:", { memory_limit: size });
  const conn = await instance.connect();
  try {
    return String(await one(conn, "SELECT current_setting('memory_limit')"));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Runs `task` with PAIRGRID_DUCKDB_MEMORY set to `size` (unset: undefined), restoring it after. */
async function withMemoryEnv<T>(size: string | undefined, task: () => Promise<T>): Promise<T> {
  const before = process.env.PAIRGRID_DUCKDB_MEMORY;
  if (size === undefined) delete process.env.PAIRGRID_DUCKDB_MEMORY;
  else process.env.PAIRGRID_DUCKDB_MEMORY = size;
  try {
    return await task();
  } finally {
    if (before === undefined) delete process.env.PAIRGRID_DUCKDB_MEMORY;
    else process.env.PAIRGRID_DUCKDB_MEMORY = before;
  }
}

test("every open sets DuckDB's memory_limit: the writer's, the readers', or PAIRGRID_DUCKDB_MEMORY", async () => {
  assert.equal(duckdbMemoryLimit(false, {}), WRITER_MEMORY_LIMIT);
  assert.equal(duckdbMemoryLimit(true, {}), DUCKDB_MEMORY_LIMIT);
  assert.equal(duckdbMemoryLimit(false, { PAIRGRID_DUCKDB_MEMORY: " 300MB " }), "300MB");
  assert.equal(duckdbMemoryLimit(true, { PAIRGRID_DUCKDB_MEMORY: "2GB" }), "2GB");

  await withMemoryEnv(undefined, async () => {
    const file = freshDbPath("writer-limit");
    const writer = await ResultsDb.open(file);
    const inWriter = await writer.read((conn) => one(conn, "SELECT current_setting('memory_limit')"));
    await writer.close();
    assert.equal(inWriter, await shownLimit(WRITER_MEMORY_LIMIT));
    const reader = await ResultsDb.open(file, { readOnly: true });
    const inReader = await reader.read((conn) => one(conn, "SELECT current_setting('memory_limit')"));
    await reader.close();
    assert.equal(inReader, await shownLimit(DUCKDB_MEMORY_LIMIT));
  });
});

/** DuckDB's pool after `rows` rows (16 folds) went in through ingestChunk: its bytes and its limit. */
async function poolAfterIngest(rows: number): Promise<{ used: number; limit: string }> {
  const db = await ResultsDb.open(freshDbPath("writer-pool"));
  try {
    await db.createJob(newJob("j"));
    for (let c = 0; c < rows / CHUNK; c++) {
      assert.equal(
        await db.ingestChunk("j", c, makeBatch(range(c * CHUNK, (c + 1) * CHUNK), { nFolds: 16 })),
        true,
      );
    }
    return await db.read(async (conn) => ({
      used: Number(await one(conn, "SELECT sum(memory_usage_bytes)::DOUBLE FROM duckdb_memory()")),
      limit: String(await one(conn, "SELECT current_setting('memory_limit')")),
    }));
  } finally {
    await db.close();
  }
}

test("DuckDB's pool stays under the writer's limit while a job's rows go in", async (t) => {
  // 80 MB: above the fixed set of blocks an append keeps pinned (one per column segment; at 48 MB
  // DuckDB fails the commit), below what 128 k rows take in an unbounded pool
  const ROWS = 128_000;
  const CAP = 80e6;
  // the control: under a large limit these rows take more than CAP of the pool
  const open = await withMemoryEnv("1GB", () => poolAfterIngest(ROWS));
  const capped = await withMemoryEnv(`${CAP / 1e6}MB`, () => poolAfterIngest(ROWS));
  t.diagnostic(
    `${ROWS} rows: pool ${(open.used / 1e6).toFixed(1)} MB under ${open.limit}, ` +
      `${(capped.used / 1e6).toFixed(1)} MB under ${capped.limit}`,
  );
  assert.ok(open.used > CAP, `the control should fill more than ${CAP} bytes, used ${open.used}`);
  assert.ok(capped.used <= CAP, `the pool grew past its limit: ${capped.used} bytes > ${CAP}`);
});

test("twins are marked in partitions sized to the memory limit", () => {
  // at 1 GB, 50 M rows a partition (W7's 25 M rows in one)
  assert.equal(twinPartitions(25_000_000, 1e9), 1);
  assert.equal(twinPartitions(50_000_000, 1e9), 1);
  assert.equal(twinPartitions(50_000_001, 1e9), 2);
  // the writer's 512 MB: half the rows a partition; W7 still in one, a 26 M-row job in two
  assert.equal(twinPartitions(25_000_000, 512e6), 1);
  assert.equal(twinPartitions(26_000_000, 512e6), 2);
  assert.equal(twinPartitions(1_720_320, 512e6), 1);
  // never zero partitions, nor zero rows a partition
  assert.equal(twinPartitions(0, 512e6), 1);
  assert.equal(twinPartitions(10, 1), 10);
});
