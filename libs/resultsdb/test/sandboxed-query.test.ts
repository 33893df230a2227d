// User SQL through ResultsDb.sandbox(): one SELECT only (every other kind of statement, denied
// functions and file access refused as InputError on `sql`), run in a locked-down query process
// over a snapshot while the writer keeps working, the row cap, the time limit and the memory cap
// (each stops the query and leaves the sandbox usable), JSON-safe values.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { InputError } from "@pairgrid/engine";
import {
  QueryBusyError,
  QueryMemoryError,
  QueryTimeoutError,
  ResultsDb,
  SANDBOX_DEFAULTS,
  type SandboxedQuery,
} from "../src/index.js";
import { freshDbPath, makeBatch, newJob, range } from "./fixtures.js";

/** Long enough to outlive any timeout below on a slow 2-core machine; interrupted, never finished. */
const SLOW_SQL = "SELECT count(*) FROM range(1000000000) a, range(1000000) b WHERE a.range + b.range < 0";
/**
 * One scalar call of 3.6·10⁹ steps in little memory: DuckDB looks for an interrupt only between
 * chunks, so inside the server's process this ran ~19 s past an interrupt sent at 1 s.
 */
const UNINTERRUPTIBLE_SQL = "SELECT levenshtein(repeat('a', 60000), repeat('b', 60000))";

const scratch = mkdtempSync(join(tmpdir(), "pairgrid-sandbox-"));
let file: string;
let db: ResultsDb;
let sandbox: SandboxedQuery;

before(async () => {
  file = freshDbPath("sandbox");
  db = await ResultsDb.open(file);
  await db.createJob(newJob("j1"));
  await db.ingestChunk("j1", 0, makeBatch(range(0, 50)));
  sandbox = await db.sandbox();
});
after(() => db.close());

async function refused(sql: string, expected: RegExp): Promise<void> {
  await assert.rejects(
    sandbox.run(sql),
    (err: unknown) => {
      assert.ok(err instanceof InputError, `${sql}: not an InputError: ${String(err)}`);
      assert.equal(err.path, "sql", sql);
      assert.ok(!err.message.includes("\n"), `${sql}: message is not one line: ${err.message}`);
      assert.match(err.message, expected, sql);
      return true;
    },
    sql,
  );
}

test("a SELECT answers columns with DuckDB types and rows as arrays", async () => {
  const answer = await sandbox.run(
    "SELECT job_id, count(*) AS n, max(combo_id) AS top FROM results GROUP BY job_id ORDER BY job_id",
  );
  assert.deepEqual(answer.columns, [
    { name: "job_id", type: "VARCHAR" },
    { name: "n", type: "BIGINT" },
    { name: "top", type: "BIGINT" },
  ]);
  assert.deepEqual(answer.rows, [["j1", 50, 49]]);
  assert.equal(answer.truncated, false);
  assert.ok(Number.isInteger(answer.elapsed_ms) && answer.elapsed_ms >= 0);
});

test("WITH … SELECT, a trailing ';', VALUES, FROM-first and DESCRIBE are single SELECTs and run", async () => {
  const cases: [string, unknown[][]][] = [
    ["WITH x AS (SELECT 2 AS a) SELECT a * 21 FROM x", [[42]]],
    ["SELECT 1 AS one;", [[1]]],
    ["SELECT 1 AS one; -- a comment after the statement", [[1]]],
    [
      "VALUES (1, 'a'), (2, 'b')",
      [
        [1, "a"],
        [2, "b"],
      ],
    ],
    ["FROM jobs SELECT job_id", [["j1"]]],
  ];
  for (const [sql, rows] of cases) assert.deepEqual((await sandbox.run(sql)).rows, rows, sql);
  const described = await sandbox.run("DESCRIBE jobs");
  assert.ok(described.rows.some((r) => r[0] === "job_id"));
});

test("anything but exactly one SELECT is refused with a one-line reason on `sql`", async () => {
  const oneSelect = /^only one SELECT statement is allowed/;
  const cases: [string, RegExp][] = [
    ["", /no SQL statement/],
    ["  -- only a comment\n", /no SQL statement/],
    ["SELECT 1; SELECT 2", /only one SELECT statement is allowed \(found 2\)/],
    ["SELECT 1; DROP TABLE results", /found 2/],
    ["EXPLAIN SELECT 1", oneSelect],
    ["EXPLAIN ANALYZE SELECT 1", oneSelect],
    ["PRAGMA version", oneSelect],
    ["PRAGMA table_info('jobs')", oneSelect],
    ["PRAGMA enable_profiling", oneSelect],
    ["SET threads = 1", oneSelect],
    ["RESET lock_configuration", oneSelect],
    ["SET VARIABLE x = 1", oneSelect],
    [`COPY jobs TO '${join(scratch, "jobs.csv")}'`, oneSelect],
    [`EXPORT DATABASE '${join(scratch, "export")}'`, oneSelect],
    [`ATTACH '${join(scratch, "other.duckdb")}' AS other`, oneSelect],
    ["DETACH sandbox", oneSelect],
    ["INSTALL httpfs", oneSelect],
    ["LOAD json", oneSelect],
    ["CREATE TABLE t (a INTEGER)", oneSelect],
    ["CREATE MACRO m() AS 1", oneSelect],
    ["INSERT INTO jobs (job_id) VALUES ('x')", oneSelect],
    ["UPDATE jobs SET n_done = 0", oneSelect],
    ["DELETE FROM chunks", oneSelect],
    ["DROP TABLE results", oneSelect],
    ["ALTER TABLE jobs ADD COLUMN x INTEGER", oneSelect],
    ["BEGIN TRANSACTION", oneSelect],
    ["CHECKPOINT", oneSelect],
    ["VACUUM", oneSelect],
    ["CALL pragma_version()", oneSelect],
    ["PIVOT jobs ON status", oneSelect],
    ["selec 1", /^Parser Error: syntax error/],
    ["SELECT * FROM no_such_table", /^Catalog Error: .*no_such_table/],
    ["SELECT getenv('HOME')", /^Catalog Error: .*getenv/],
    ["SELECT $1", /parameters .* are not supported/],
    ["SELECT * FROM jobs WHERE job_id = ?", /parameters .* are not supported/],
  ];
  for (const [sql, expected] of cases) await refused(sql, expected);
  assert.ok(!existsSync(join(scratch, "jobs.csv")) && !existsSync(join(scratch, "other.duckdb")));
  assert.deepEqual((await sandbox.run("SELECT count(*) FROM results")).rows, [[50]]);
});

test("files, the network and extensions are out of reach: external access is off, settings locked", async () => {
  const permission = /^Permission Error: .*disabled by configuration/;
  const cases: [string, RegExp][] = [
    ["SELECT * FROM read_csv('/etc/passwd', sep = ':')", permission],
    ["SELECT * FROM read_text('/etc/hostname')", permission],
    ["SELECT * FROM read_blob('/etc/hostname')", permission],
    [`SELECT * FROM read_parquet('${join(scratch, "x.parquet")}')`, permission],
    ["SELECT * FROM read_json('/etc/passwd')", permission],
    ["SELECT * FROM glob('/*')", permission],
    ["SELECT * FROM 'https://example.com/x.csv'", permission],
    [`SELECT * FROM read_duckdb('${join(scratch, "other.duckdb")}')`, permission],
    ["SELECT * FROM duckdb_secrets()", permission],
  ];
  for (const [sql, expected] of cases) await refused(sql, expected);

  const settings = await sandbox.run(
    "SELECT current_setting('enable_external_access'), current_setting('lock_configuration'), " +
      "current_setting('autoload_known_extensions'), current_setting('autoinstall_known_extensions')",
  );
  assert.deepEqual(settings.rows, [[false, true, false, false]]);
});

test("functions that change the instance are refused wherever they hide in the query", async () => {
  const logDir = join(scratch, "logs");
  const cases: [string, RegExp][] = [
    [`SELECT * FROM enable_logging(storage = 'file', storage_path = '${logDir}')`, /enable_logging\(\)/],
    ["SELECT * FROM enable_profiling()", /enable_profiling\(\) is not allowed/],
    ["SELECT * FROM disable_peg_parser()", /disable_peg_parser\(\)/],
    ["SELECT * FROM truncate_duckdb_logs()", /truncate_duckdb_logs\(\)/],
    ["SELECT * FROM force_checkpoint()", /force_checkpoint\(\)/],
    ["SELECT * FROM checkpoint()", /checkpoint\(\)/],
    ["SELECT write_log('x')", /write_log\(\)/],
    ["SELECT * FROM query('SELECT * FROM enable_logging()')", /query\(\) is not allowed/],
    ["SELECT * FROM json_execute_serialized_sql('{}')", /json_execute_serialized_sql\(\)/],
    ["SELECT (SELECT count(*) FROM ENABLE_LOGGING()) AS n", /enable_logging\(\)/],
    ["WITH x AS (SELECT * FROM system.main.enable_logging()) SELECT * FROM x", /enable_logging\(\)/],
    ["SELECT list_transform([1], x -> write_log('y'))", /write_log\(\)/],
  ];
  for (const [sql, expected] of cases) await refused(sql, expected);
  assert.ok(!existsSync(logDir));
  // the instance is untouched: the writer still commits, the sandbox still reads
  await db.createJob(newJob("after-denied"));
  assert.deepEqual((await sandbox.run("SELECT count(*) FROM jobs WHERE job_id = 'after-denied'")).rows, [
    [1],
  ]);
});

test("the writer ingests, finalizes and changes status; the next query's snapshot sees it", async () => {
  await db.createJob(newJob("j2"));
  assert.equal(await db.ingestChunk("j2", 0, makeBatch(range(0, 30))), true);
  assert.equal(await db.ingestChunk("j2", 1, makeBatch(range(30, 60))), true);
  const dsrCount = "SELECT count(dsr) FROM results WHERE job_id = 'j2'";
  const before = await sandbox.run(dsrCount);
  assert.deepEqual(before.rows, [[0]]);
  await db.finalizeDsr("j2");
  await db.setStatus("j2", "done", true);
  const [[written]] = (await sandbox.run(dsrCount)).rows as [[number]];
  assert.ok(written > 0, "finalizeDsr wrote dsr values");
  const answer = await sandbox.run(
    "SELECT j.status, j.n_done, count(*) FROM jobs j JOIN results r USING (job_id) " +
      "WHERE job_id = 'j2' GROUP BY ALL",
  );
  assert.deepEqual(answer.rows, [["done", 60, 60]]);
  // each answer says when its snapshot was taken: a new one after the writes
  assert.ok(before.as_of !== null && answer.as_of !== null, "a writer's file is read through snapshots");
  assert.ok(Date.parse(answer.as_of) > Date.parse(before.as_of), `${before.as_of} → ${answer.as_of}`);
  assert.deepEqual([...(await db.doneChunks("j2"))].sort(), [0, 1]);
  // a second sandbox on the same file opens and runs
  const second = await db.sandbox({ maxRows: 5 });
  assert.deepEqual((await second.run("SELECT count(*) FROM results WHERE job_id = 'j2'")).rows, [[60]]);
});

test("snapshots taken while chunks stream in are whole: each holds exactly the rows of the chunks in its ledger", async () => {
  const writer = await ResultsDb.open(freshDbPath("sandbox-stream"));
  try {
    // every commit checkpoints (DuckDB's own, at the commit that passes the threshold): a copy of
    // the file's bytes that overlapped one would be torn
    await writer.read((conn) => conn.run("SET checkpoint_threshold = '1KB'"));
    const live = await writer.sandbox({ timeoutMs: 20_000 });
    await live.ready();
    await writer.createJob(newJob("stream"));
    const CHUNKS = 60;
    const ROWS = 500;
    // a chunk every 20 ms or so, as a worker delivers them, while the queries below take snapshots
    const ingest = (async () => {
      const written: boolean[] = [];
      for (const i of range(0, CHUNKS)) {
        written.push(await writer.ingestChunk("stream", i, makeBatch(range(i * ROWS, (i + 1) * ROWS))));
        await new Promise((r) => setTimeout(r, 20));
      }
      return written;
    })();
    let ingested = false;
    void ingest.finally(() => (ingested = true));
    const seen: number[] = [];
    const whole =
      "SELECT (SELECT count(*) FROM results WHERE job_id = 'stream'), " +
      "(SELECT coalesce(sum(n_rows), 0)::BIGINT FROM chunks WHERE job_id = 'stream'), " +
      `(SELECT count(*) FROM results WHERE job_id = 'stream' AND combo_id // ${ROWS} NOT IN ` +
      "(SELECT chunk_id FROM chunks WHERE job_id = 'stream'))";
    for (let i = 0; ; i++) {
      const done = ingested;
      const [[rows, ledger, strays]] = (await live.run(whole)).rows as [[number, number, number]];
      assert.equal(rows, ledger, `query ${i}: ${rows} rows for ${ledger} in the ledger`);
      assert.equal(strays, 0, `query ${i}: rows of a chunk the ledger does not hold`);
      seen.push(rows);
      if (done) break;
    }
    assert.deepEqual(
      await ingest,
      range(0, CHUNKS).map(() => true),
    );
    assert.equal(seen.at(-1), CHUNKS * ROWS, "the query after the last commit sees every row");
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
      "a later snapshot never holds less",
    );
    assert.ok(new Set(seen).size >= 3, `snapshots in the middle of the ingest: ${seen.join(" ")}`);
    // every snapshot was the file's bytes after a checkpoint, none DuckDB's slower copy
    assert.ok(writer.snapshotCopies.file >= 3, `${writer.snapshotCopies.file} file copies`);
    assert.equal(writer.snapshotCopies.duckdb, 0);
  } finally {
    await writer.close();
  }
});

test("a running sandbox query does not hold up the writer (own connection, own queue)", async () => {
  const slow = await db.sandbox({ timeoutMs: 2000 });
  let settled = false;
  const running = slow.run(SLOW_SQL).finally(() => (settled = true));
  running.catch(() => undefined);
  await new Promise((r) => setTimeout(r, 100));
  await db.createJob(newJob("j3"));
  assert.equal(await db.ingestChunk("j3", 0, makeBatch(range(0, 20))), true);
  assert.equal(settled, false, "the ingest finished while the query still ran");
  await assert.rejects(running, QueryTimeoutError);
});

test("rows stop at the cap (default 10 000) with truncated; reading stops there", async () => {
  assert.equal(SANDBOX_DEFAULTS.maxRows, 10_000);
  const exact = await sandbox.run("SELECT * FROM range(10000)");
  assert.equal(exact.rows.length, 10_000);
  assert.equal(exact.truncated, false);
  const over = await sandbox.run("SELECT * FROM range(10001)");
  assert.equal(over.rows.length, 10_000);
  assert.equal(over.truncated, true);
  assert.deepEqual(over.rows.at(-1), [9999]);
  // ten billion rows: only streaming up to the cap answers this within the timeout
  const huge = await sandbox.run("SELECT range AS i, range * 2 AS j FROM range(10000000000)");
  assert.equal(huge.rows.length, 10_000);
  assert.equal(huge.truncated, true);

  const small = await db.sandbox({ maxRows: 3 });
  const cut = await small.run("SELECT combo_id FROM results WHERE job_id = 'j1' ORDER BY combo_id");
  assert.deepEqual(cut.rows, [[0], [1], [2]]);
  assert.equal(cut.truncated, true);
  assert.equal((await small.run("SELECT 1 WHERE false")).rows.length, 0);
});

test("a query past the time limit is stopped within 1.5× of it, and the sandbox answers the next", async () => {
  const quick = await db.sandbox({ timeoutMs: 1500 });
  for (let round = 0; round < 2; round++) {
    // the limit counts a process start too: begin with one up, as a server between queries is
    await quick.ready();
    const started = performance.now();
    await assert.rejects(quick.run(UNINTERRUPTIBLE_SQL), (err: unknown) => {
      assert.ok(err instanceof QueryTimeoutError);
      assert.ok(err instanceof InputError, "a timeout is the query's fault: 400 at worst");
      assert.equal(err.path, "sql");
      assert.equal(err.message, "query stopped at the time limit (1.5 s)");
      return true;
    });
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 1500 && elapsed < 1.5 * 1500, `stopped after ${Math.round(elapsed)} ms`);
    await quick.ready();
    assert.deepEqual((await quick.run("SELECT 42 AS answer")).rows, [[42]]);
  }
});

/** 800 MB in one list value, then unnested: DuckDB's memory_limit does not see it (9 GB RSS). */
const RUNAWAY_SQL = "SELECT count(*) FROM (SELECT unnest(range(100000000)))";

/** This process's resident set, sampled every 10 ms while `work` runs: [before, peak, after]. */
async function residentDuring(work: () => Promise<unknown>): Promise<[number, number, number]> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return [before, peak, process.memoryUsage.rss()];
}

test("a runaway query is stopped at the memory cap; this process's memory stays where it was", async () => {
  const capped = await db.sandbox({ memoryBytes: 256_000_000, timeoutMs: 20_000 });
  await capped.ready();
  let elapsed = 0;
  const [before, peak, after] = await residentDuring(async () => {
    const started = performance.now();
    await assert.rejects(capped.run(RUNAWAY_SQL), (err: unknown) => {
      assert.ok(err instanceof QueryMemoryError, String(err));
      assert.ok(err instanceof InputError);
      assert.equal(err.path, "sql");
      assert.equal(err.message, "query stopped at the memory cap (256 MB)");
      return true;
    });
    elapsed = performance.now() - started;
  });
  // it reaches the cap within a second or two, long before the 20 s limit
  assert.ok(elapsed < 10_000, `stopped after ${Math.round(elapsed)} ms`);
  const mb = (n: number) => Math.round((n - before) / 1e6);
  assert.ok(peak - before < 100e6, `this process grew ${mb(peak)} MB during the query`);
  assert.ok(after - before < 100e6, `and kept ${mb(after)} MB`);
  await capped.ready();
  assert.deepEqual((await capped.run("SELECT count(*) FROM results WHERE job_id = 'j1'")).rows, [[50]]);
});

test("what DuckDB's own memory_limit sees (a big sort, no spilling) is the memory cap too", async () => {
  const capped = await db.sandbox({ memoryBytes: 64_000_000 });
  await assert.rejects(
    capped.run("SELECT list(range ORDER BY random()) FROM range(50000000)"),
    (err: unknown) => err instanceof QueryMemoryError && /64 MB/.test(err.message),
  );
  assert.deepEqual((await capped.run("SELECT 1")).rows, [[1]]);
});

/** Median time of `n` chunk ingests of 2000 rows each into job `jobId` from chunk `first`. */
async function ingestLatency(jobId: string, first: number, n: number): Promise<number> {
  const times: number[] = [];
  for (let c = first; c < first + n; c++) {
    const started = performance.now();
    assert.equal(await db.ingestChunk(jobId, c, makeBatch(range(c * 2000, c * 2000 + 2000))), true);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

test("ingest keeps its pace while a query burns CPU to its time limit in its own process", async () => {
  await db.createJob(newJob("pace"));
  const heavy = await db.sandbox({ timeoutMs: 6000 });
  await heavy.ready();
  const alone = await ingestLatency("pace", 0, 7);
  let settled = false;
  const running = heavy.run(SLOW_SQL).finally(() => (settled = true));
  running.catch(() => undefined);
  await new Promise((r) => setTimeout(r, 500)); // the query is running, not starting
  const beside = await ingestLatency("pace", 7, 7);
  assert.equal(settled, false, "the ingests finished while the query still ran");
  // generous: the machine is shared; a stalled writer would take the query's whole 6 s
  assert.ok(
    beside < Math.max(4 * alone, alone + 500),
    `ingest ${Math.round(beside)} ms vs ${Math.round(alone)} ms`,
  );
  await assert.rejects(running, QueryTimeoutError);
  assert.deepEqual((await sandbox.run("SELECT count(*) FROM results WHERE job_id = 'pace'")).rows, [[28000]]);
});

test("at most maxPending queries are held; more are refused as busy at once", async () => {
  const narrow = await db.sandbox({ maxPending: 2, timeoutMs: 300 });
  const first = narrow.run(SLOW_SQL);
  const second = narrow.run(SLOW_SQL);
  await assert.rejects(narrow.run("SELECT 1"), QueryBusyError);
  await assert.rejects(first, QueryTimeoutError);
  await assert.rejects(second, QueryTimeoutError);
  await narrow.ready();
  assert.deepEqual((await narrow.run("SELECT 1")).rows, [[1]]);
});

test("values are JSON-safe: exact integers as numbers, big ones as strings, ISO times, NULL for NaN", async () => {
  const answer = await sandbox.run(`SELECT
      42::BIGINT AS small_bigint,
      4611686018427387904::BIGINT AS big_bigint,
      170141183460469231731687303715884105727::HUGEINT AS huge,
      7::HUGEINT AS small_huge,
      18446744073709551615::UBIGINT AS ubig,
      1.5::DECIMAL(18, 3) AS dec,
      2.5::FLOAT AS f,
      'NaN'::DOUBLE AS nan,
      'Infinity'::DOUBLE AS inf,
      NULL AS nothing,
      NULL::INTEGER AS null_int,
      DATE '2024-01-02' AS d,
      TIMESTAMP '2024-01-02 03:04:05.123' AS ts,
      'infinity'::TIMESTAMP AS ts_inf,
      TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tstz,
      TIME '03:04:05' AS t,
      INTERVAL 2 DAY AS iv,
      [1, NULL, 3] AS list,
      {'a': 1, 'b': 'x', 'c': [1.5::DOUBLE, 'NaN'::DOUBLE]} AS struct,
      MAP {'k': 2} AS map,
      true AS flag,
      'a"b\\c' AS str`);
  const byName = Object.fromEntries(answer.columns.map((c, i) => [c.name, answer.rows[0]![i]]));
  assert.deepEqual(byName, {
    small_bigint: 42,
    big_bigint: "4611686018427387904",
    huge: "170141183460469231731687303715884105727",
    small_huge: 7,
    ubig: "18446744073709551615",
    dec: 1.5,
    f: 2.5,
    nan: null,
    inf: null,
    nothing: null,
    null_int: null,
    d: "2024-01-02",
    ts: "2024-01-02T03:04:05.123Z",
    ts_inf: "infinity",
    tstz: "2024-01-02T03:04:05.000Z",
    t: "03:04:05",
    iv: "2 days",
    list: [1, null, 3],
    struct: { a: 1, b: "x", c: [1.5, null] },
    map: [{ key: "k", value: 2 }],
    flag: true,
    str: 'a"b\\c',
  });
  const types = Object.fromEntries(answer.columns.map((c) => [c.name, c.type]));
  assert.equal(types.dec, "DECIMAL(18,3)");
  assert.equal(types.list, "INTEGER[]");
  // nothing JSON cannot carry (a bigint would make stringify throw)
  assert.deepEqual(JSON.parse(JSON.stringify(answer.rows)), answer.rows);
});

test("statistics stored as NULL come back null; a read-only results file can be queried too", async () => {
  const other = freshDbPath("sandbox-ro");
  const writer = await ResultsDb.open(other);
  await writer.createJob(newJob("r"));
  await writer.ingestChunk("r", 0, makeBatch(range(0, 10)));
  await writer.close();
  const reader = await ResultsDb.open(other, { readOnly: true });
  try {
    const ro = await reader.sandbox();
    // combo 4's sharpe is NaN in the batch: stored NULL, answered null
    const answer = await ro.run("SELECT combo_id, sharpe FROM results WHERE combo_id IN (3, 4) ORDER BY 1");
    assert.equal(answer.rows[1]![1], null);
    assert.equal(typeof answer.rows[0]![1], "number");
    // read as it is, not through a snapshot
    assert.equal(answer.as_of, null);
  } finally {
    await reader.close();
  }
});
