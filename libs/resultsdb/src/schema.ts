// The results file's tables (INTERFACE.md "DuckDB"). Column names are the contract shared with
// `--json` and CSV output, so they come straight from the engine's PARAM_NAMES and STAT_NAMES.
import {
  BIGINT,
  DOUBLE,
  type DuckDBConnection,
  type DuckDBType,
  INTEGER,
  LIST,
  TIMESTAMPTZ,
  VARCHAR,
} from "@duckdb/node-api";
import { PARAM_NAMES, STAT_NAMES } from "@pairgrid/engine";

export interface ColumnDef {
  name: string;
  /** SQL type in CREATE TABLE / ALTER TABLE. */
  sql: string;
  /** The same type for data chunks fed to an appender. */
  duck: DuckDBType;
}

const col = (name: string, sql: string, duck: DuckDBType): ColumnDef => ({ name, sql, duck });

/** Statistics that are counts (`n_trades`, `n_days`, `n_tp_zscore`, …) are stored as INTEGER. */
export function isCountStat(name: string): boolean {
  return name.startsWith("n_");
}

/**
 * `results` columns in declaration order: keys, one per parameter, one per §7 statistic, dsr, and
 * same_as (the combo_id of the lowest-id row of the job with identical statistics, set when the
 * job is finalised: twin-groups.ts).
 */
export const RESULT_COLUMNS: readonly ColumnDef[] = [
  col("job_id", "VARCHAR NOT NULL", VARCHAR),
  col("combo_id", "BIGINT NOT NULL", BIGINT),
  ...PARAM_NAMES.map((p) => col(p, "DOUBLE", DOUBLE)),
  ...STAT_NAMES.map((s) => (isCountStat(s) ? col(s, "INTEGER", INTEGER) : col(s, "DOUBLE", DOUBLE))),
  col("dsr", "DOUBLE", DOUBLE),
  col("same_as", "BIGINT", BIGINT),
];

/**
 * The fold statistics of a row, stored with it in files made since issue 19: one list per field,
 * element f being fold f. `results_folds` is then a view that unnests them. One results row
 * instead of 16 fold rows (each repeating job_id and combo_id) made ingest several times cheaper,
 * and a row's folds can never be missing or doubled. Lists, not fixed-size arrays, because the
 * fold count is the job's (`rank.folds`) and one file holds many jobs. Fixed-size DOUBLE[16] arrays
 * were measured too (issue 19 item 2, 200 k rows, 8 k-row commits, one DuckDB thread): 2.1–2.6
 * CPU-s against 2.1–2.4 for lists, no gain; 64 plain columns were slower than either.
 */
export const FOLD_LIST_COLUMNS: readonly ColumnDef[] = [
  col("fold_n_trades", "INTEGER[]", LIST(INTEGER)),
  col("fold_pnl", "DOUBLE[]", LIST(DOUBLE)),
  col("fold_pnl_sq", "DOUBLE[]", LIST(DOUBLE)),
  col("fold_n_days", "INTEGER[]", LIST(INTEGER)),
];

/** `results_folds` columns (ENGINE.md §7 fold statistics, one row per combination and fold). */
export const FOLD_COLUMNS: readonly ColumnDef[] = [
  col("job_id", "VARCHAR NOT NULL", VARCHAR),
  col("combo_id", "BIGINT NOT NULL", BIGINT),
  col("fold", "INTEGER NOT NULL", INTEGER),
  col("n_trades", "INTEGER", INTEGER),
  col("pnl", "DOUBLE", DOUBLE),
  col("pnl_sq", "DOUBLE", DOUBLE),
  col("n_days", "INTEGER", INTEGER),
];

/**
 * `jobs` columns added after the first files were written: who runs the job and whether it is
 * still alive (job-liveness.ts). A `pairgrid run` records its host, pid and spec file and
 * refreshes heartbeat_at every few seconds; the coordinator records only the runner. Older files
 * get them on their next read-write open; readers of files that lack them see NULL.
 */
export const JOB_RUN_COLUMNS: readonly ColumnDef[] = [
  col("runner", "VARCHAR", VARCHAR),
  col("host", "VARCHAR", VARCHAR),
  col("pid", "INTEGER", INTEGER),
  col("heartbeat_at", "TIMESTAMPTZ", TIMESTAMPTZ),
  col("spec_path", "VARCHAR", VARCHAR),
];

/** Statuses stored in `jobs.status`. */
export const JOB_STATUSES = ["running", "done", "cancelled", "failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
/** Who runs a job: `pairgrid run` on one machine, or the coordinator with its workers. */
export const JOB_RUNNERS = ["local", "coordinator"] as const;
export type JobRunner = (typeof JOB_RUNNERS)[number];

/** Double-quoted SQL identifier; every name here is a plain identifier, quoting is for safety. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const columnList = (cols: readonly ColumnDef[]) => cols.map((c) => `${ident(c.name)} ${c.sql}`).join(",\n  ");

const CREATE_JOBS = `CREATE TABLE IF NOT EXISTS jobs (
  job_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  spec JSON,
  status VARCHAR NOT NULL,
  n_combos BIGINT NOT NULL,
  n_chunks INTEGER NOT NULL,
  n_done BIGINT NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  finished_at TIMESTAMPTZ,
  ${columnList(JOB_RUN_COLUMNS)}
)`;

// The exactly-once ledger: a chunk's rows are in iff its (job_id, chunk_id) row is.
const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS chunks (
  job_id VARCHAR NOT NULL,
  chunk_id INTEGER NOT NULL,
  n_rows INTEGER NOT NULL,
  ingested_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (job_id, chunk_id)
)`;

/**
 * A new file's results, with the folds as lists in the row. The primary key stays: INTERFACE.md
 * makes it optional, but it is what refuses a batch repeating a stored combo_id (the ingest
 * atomicity tests), and dropping it saved no measurable ingest CPU once the fold rows were gone
 * (issue 19, typed-array ingest: 1.5 M rows with 16 folds took 19.4–20.0 CPU-s with the key and
 * 19.0–19.4 without, in one process; DuckDB's append, WAL and checkpoint are the cost). Its index
 * is not held in memory between ingests: after a checkpoint a reopened file loads what an insert
 * touches, under 1 MB after 2 M rows. Measured again with one DuckDB thread (issue 19 item 2, 200 k rows):
 * 2.10–2.42 CPU-s with the key, 2.11–2.37 without.
 */
const CREATE_RESULTS = `CREATE TABLE results (
  ${columnList([...RESULT_COLUMNS, ...FOLD_LIST_COLUMNS])},
  PRIMARY KEY (job_id, combo_id)
)`;

/** `results_folds` over the lists: one row per (combination, fold), the INTERFACE.md columns. */
const CREATE_FOLDS_VIEW = `CREATE VIEW results_folds AS
SELECT job_id, combo_id, fold::INTEGER AS fold, n_trades, pnl, pnl_sq, n_days FROM (
  SELECT job_id, combo_id, unnest(range(len(fold_pnl))) AS fold, unnest(fold_n_trades) AS n_trades,
    unnest(fold_pnl) AS pnl, unnest(fold_pnl_sq) AS pnl_sq, unnest(fold_n_days) AS n_days
  FROM results
)`;

/**
 * Files made before issue 19 (they keep this layout, and take new jobs in it): results with a
 * primary key, fold rows in a table of their own. No primary key on the fold rows: the chunk
 * ledger already makes them exactly-once.
 */
const CREATE_FOLDS_TABLE = `CREATE TABLE IF NOT EXISTS results_folds (
  ${columnList(FOLD_COLUMNS)}
)`;

/** How a file stores fold statistics: lists in `results` (new files) or a `results_folds` table. */
export type FoldLayout = "lists" | "table";

/** Names of a table's columns in storage order (the order an appender fills them in). */
export async function tableColumnNames(conn: DuckDBConnection, table: string): Promise<string[]> {
  const reader = await conn.runAndReadAll(
    "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() " +
      "AND schema_name = 'main' AND table_name = $1 ORDER BY column_index",
    [table],
    [VARCHAR],
  );
  return reader.getRowsJS().map((r) => String(r[0]));
}

/** Kinds of pairgrid's relations in the file: table name → "table" | "view". */
async function relationKinds(conn: DuckDBConnection): Promise<Map<string, string>> {
  const reader = await conn.runAndReadAll(
    "SELECT table_name, CASE WHEN table_type = 'VIEW' THEN 'view' ELSE 'table' END " +
      "FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main'",
  );
  return new Map(reader.getRowsJS().map((r) => [String(r[0]), String(r[1])]));
}

/** The fold layout of a file that has pairgrid's tables (read-only opens included). */
export async function foldLayout(conn: DuckDBConnection): Promise<FoldLayout> {
  return (await tableColumnNames(conn, "results")).includes("fold_pnl") ? "lists" : "table";
}

/**
 * Creates missing tables (a new file gets the list layout), and adds columns that a newer engine
 * knows but an older file lacks (a parameter or statistic added later, the jobs' runner and
 * heartbeat, same_as), so an old results file keeps taking new jobs in its own layout.
 */
export async function ensureSchema(conn: DuckDBConnection): Promise<FoldLayout> {
  await conn.run(CREATE_JOBS);
  await conn.run(CREATE_LEDGER);
  const kinds = await relationKinds(conn);
  if (!kinds.has("results")) {
    await conn.run(CREATE_RESULTS);
    await conn.run(CREATE_FOLDS_VIEW);
  } else if (!kinds.has("results_folds")) {
    // a results table without folds is not a file this code or an older one made
    throw new Error("the file has a results table but no results_folds: not a pairgrid results database");
  }
  const layout = await foldLayout(conn);
  if (layout === "table") await conn.run(CREATE_FOLDS_TABLE);
  const tables: [string, readonly ColumnDef[]][] = [
    ["jobs", JOB_RUN_COLUMNS],
    ["results", RESULT_COLUMNS],
  ];
  if (layout === "table") tables.push(["results_folds", FOLD_COLUMNS]);
  for (const [table, cols] of tables) {
    const have = new Set(await tableColumnNames(conn, table));
    for (const c of cols) {
      if (!have.has(c.name)) {
        const type = c.sql.replace(" NOT NULL", "");
        await conn.run(`ALTER TABLE ${table} ADD COLUMN ${ident(c.name)} ${type}`);
      }
    }
  }
  return layout;
}

/** True when the file holds pairgrid's tables (checked before reading a file opened read-only). */
export async function hasSchema(conn: DuckDBConnection): Promise<boolean> {
  const reader = await conn.runAndReadAll(
    "SELECT count(*)::INTEGER FROM information_schema.tables WHERE table_catalog = current_database() " +
      "AND table_schema = 'main' AND table_name IN ('jobs', 'results', 'results_folds', 'chunks')",
  );
  return reader.getRowsJS()[0]![0] === 4;
}
