// The results file's tables (INTERFACE.md "DuckDB"). Column names are the contract shared with
// `--json` and CSV output, so they come straight from the engine's PARAM_NAMES and STAT_NAMES.
import {
  BIGINT,
  DOUBLE,
  type DuckDBConnection,
  type DuckDBType,
  INTEGER,
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

/** `results` columns in declaration order: keys, one per parameter, one per §7 statistic, dsr. */
export const RESULT_COLUMNS: readonly ColumnDef[] = [
  col("job_id", "VARCHAR NOT NULL", VARCHAR),
  col("combo_id", "BIGINT NOT NULL", BIGINT),
  ...PARAM_NAMES.map((p) => col(p, "DOUBLE", DOUBLE)),
  ...STAT_NAMES.map((s) => (isCountStat(s) ? col(s, "INTEGER", INTEGER) : col(s, "DOUBLE", DOUBLE))),
  col("dsr", "DOUBLE", DOUBLE),
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

const CREATE_TABLES = [
  `CREATE TABLE IF NOT EXISTS jobs (
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
)`,
  `CREATE TABLE IF NOT EXISTS results (
  ${columnList(RESULT_COLUMNS)},
  PRIMARY KEY (job_id, combo_id)
)`,
  // No primary key on the fold rows: the chunk ledger below already makes them exactly-once (a
  // chunk's fold rows go in with its ledger row, in one transaction), and maintaining an index over
  // 16 rows per combination cost ~40 % of the ingest (W2: 1.7 M fold rows). Files made before keep
  // theirs.
  `CREATE TABLE IF NOT EXISTS results_folds (
  ${columnList(FOLD_COLUMNS)}
)`,
  // The exactly-once ledger: a chunk's rows are in iff its (job_id, chunk_id) row is.
  `CREATE TABLE IF NOT EXISTS chunks (
  job_id VARCHAR NOT NULL,
  chunk_id INTEGER NOT NULL,
  n_rows INTEGER NOT NULL,
  ingested_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (job_id, chunk_id)
)`,
];

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

/**
 * Creates missing tables, and adds columns that a newer engine knows but an older file lacks (a
 * parameter or statistic added later, the jobs' runner and heartbeat), so an old results file
 * keeps taking new jobs.
 */
export async function ensureSchema(conn: DuckDBConnection): Promise<void> {
  for (const sql of CREATE_TABLES) await conn.run(sql);
  for (const [table, cols] of [
    ["jobs", JOB_RUN_COLUMNS],
    ["results", RESULT_COLUMNS],
    ["results_folds", FOLD_COLUMNS],
  ] as const) {
    const have = new Set(await tableColumnNames(conn, table));
    for (const c of cols) {
      if (!have.has(c.name)) {
        const type = c.sql.replace(" NOT NULL", "");
        await conn.run(`ALTER TABLE ${table} ADD COLUMN ${ident(c.name)} ${type}`);
      }
    }
  }
}

/** True when the file holds pairgrid's tables (checked before reading a file opened read-only). */
export async function hasSchema(conn: DuckDBConnection): Promise<boolean> {
  const reader = await conn.runAndReadAll(
    "SELECT count(*)::INTEGER FROM duckdb_tables() WHERE database_name = current_database() " +
      "AND schema_name = 'main' AND table_name IN ('jobs', 'results', 'results_folds', 'chunks')",
  );
  return reader.getRowsJS()[0]![0] === 4;
}
