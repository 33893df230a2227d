// The file layout other tools rely on (INTERFACE.md "DuckDB"), and how opening behaves.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { InputError, PARAM_NAMES, STAT_NAMES } from "@pairgrid/engine";
import { ResultsDb } from "../src/index.js";
import { freshDbPath, inspect, makeBatch, paramValue, statValue } from "./fixtures.js";

test("open creates jobs, results, results_folds and chunks with the contract's columns", async () => {
  const file = freshDbPath("schema");
  await (await ResultsDb.open(file)).close();
  const cols = await inspect(
    file,
    "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' ORDER BY table_name, column_index",
  );
  const of = (table: string) => cols.filter((c) => c.table_name === table);
  assert.deepEqual(
    of("results").map((c) => c.column_name),
    [
      "job_id",
      "combo_id",
      ...PARAM_NAMES,
      ...STAT_NAMES,
      "dsr",
      "same_as",
      // a new file keeps a row's folds with it; results_folds is a view over these (schema.ts)
      "fold_n_trades",
      "fold_pnl",
      "fold_pnl_sq",
      "fold_n_days",
    ],
  );
  const type = (name: string) => of("results").find((c) => c.column_name === name)!.data_type;
  assert.equal(type("combo_id"), "BIGINT");
  for (const s of STAT_NAMES) assert.equal(type(s), s.startsWith("n_") ? "INTEGER" : "DOUBLE", s);
  for (const p of PARAM_NAMES) assert.equal(type(p), "DOUBLE", p);
  assert.equal(type("dsr"), "DOUBLE");
  assert.deepEqual(
    of("results_folds").map((c) => `${c.column_name} ${c.data_type}`),
    [
      "job_id VARCHAR",
      "combo_id BIGINT",
      "fold INTEGER",
      "n_trades INTEGER",
      "pnl DOUBLE",
      "pnl_sq DOUBLE",
      "n_days INTEGER",
    ],
  );
  assert.deepEqual(
    of("jobs").map((c) => c.column_name),
    [
      "job_id",
      "name",
      "spec",
      "status",
      "n_combos",
      "n_chunks",
      "n_done",
      "created_at",
      "finished_at",
      // who runs the job and whether it is alive (job-liveness.ts)
      "runner",
      "host",
      "pid",
      "heartbeat_at",
      "spec_path",
    ],
  );
  assert.deepEqual(
    of("chunks").map((c) => c.column_name),
    ["job_id", "chunk_id", "n_rows", "ingested_at"],
  );
  const keys = await inspect(
    file,
    "SELECT table_name, constraint_column_names::VARCHAR AS cols FROM duckdb_constraints() " +
      "WHERE constraint_type = 'PRIMARY KEY' ORDER BY table_name",
  );
  assert.deepEqual(
    keys.map((k) => `${k.table_name} ${k.cols}`),
    [
      "chunks [job_id, chunk_id]",
      "jobs [job_id]",
      "results [job_id, combo_id]",
      // results_folds has none (a view over results' fold lists in a new file; schema.ts)
    ],
  );
});

test("opening an existing file again keeps its contents and adds a column it lacks", async () => {
  const file = freshDbPath("migrate");
  const db = await ResultsDb.open(file);
  await db.createJob({ job_id: "j", name: "n", spec: {}, n_combos: 1, n_chunks: 1 });
  await db.close();
  // a file written before `min_gates` existed
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  await conn.run('ALTER TABLE results DROP COLUMN "min_gates"');
  conn.closeSync();
  instance.closeSync();
  const again = await ResultsDb.open(file);
  assert.equal((await again.listJobs()).length, 1);
  // the re-added column now sits last; ingest must still put every value under its own name
  assert.equal(await again.ingestChunk("j", 0, makeBatch([7])), true);
  await again.close();
  const cols = await inspect(file, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'results'");
  assert.equal(cols.at(-1)!.column_name, "min_gates");
  const [row] = await inspect(file, "SELECT z_entry, n_trades, kurtosis, dsr, min_gates FROM results");
  assert.deepEqual(row, {
    z_entry: paramValue(7, "z_entry"),
    n_trades: statValue(7, "n_trades"),
    kurtosis: statValue(7, "kurtosis"),
    dsr: null,
    min_gates: null,
  });
});

test("read-only open: missing file, foreign file and writes are refused", async () => {
  await assert.rejects(ResultsDb.open(freshDbPath("missing"), { readOnly: true }), InputError);

  const foreign = freshDbPath("foreign");
  const instance = await DuckDBInstance.create(foreign);
  const conn = await instance.connect();
  await conn.run("CREATE TABLE something (x INTEGER)");
  conn.closeSync();
  instance.closeSync();
  await assert.rejects(ResultsDb.open(foreign, { readOnly: true }), /not a pairgrid results database/);

  const garbage = freshDbPath("garbage");
  writeFileSync(garbage, "this is not a database file\n".repeat(100));
  await assert.rejects(ResultsDb.open(garbage), InputError);

  const file = freshDbPath("ro");
  await (await ResultsDb.open(file)).close();
  const ro = await ResultsDb.open(file, { readOnly: true });
  await assert.rejects(
    ro.createJob({ job_id: "x", name: "x", spec: {}, n_combos: 1, n_chunks: 1 }),
    /read-only/,
  );
  await ro.close();
});
