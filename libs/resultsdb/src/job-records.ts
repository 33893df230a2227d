// The `jobs` table: one row per grid run, its spec as JSON, status and progress.
import { BIGINT, type DuckDBConnection, INTEGER, VARCHAR } from "@duckdb/node-api";
import { InputError } from "@pairgrid/engine";
import { LEDGER_N_DONE } from "./chunk-ledger.js";
import { ident, JOB_RUN_COLUMNS, JOB_STATUSES, type JobRunner, type JobStatus } from "./schema.js";

export interface JobRecord {
  job_id: string;
  name: string;
  /** The grid spec as submitted (stored as JSON). */
  spec: unknown;
  status: JobStatus;
  n_combos: number;
  n_chunks: number;
  /** Rows ingested so far (combinations, not chunks). */
  n_done: number;
  created_at: Date;
  finished_at: Date | null;
  /** Who runs it; null in files written before runners were recorded. */
  runner: JobRunner | null;
  /** Where and as which process a `pairgrid run` runs (or last ran) it. */
  host: string | null;
  pid: number | null;
  /** Refreshed every few seconds by the `pairgrid run` that runs the job (job-liveness.ts). */
  heartbeat_at: Date | null;
  /** The spec file of a `pairgrid run` (absolute), for the command that resumes the job. */
  spec_path: string | null;
}

export interface NewJob {
  job_id: string;
  name: string;
  spec: unknown;
  n_combos: number;
  n_chunks: number;
  runner?: JobRunner;
}

/** A `pairgrid run` taking a job on: recorded when it starts or resumes the job. */
export interface RunClaim {
  runner: JobRunner;
  specPath: string;
  host: string;
  pid: number;
}

/** n_done from the ledger itself, not the column's copy of it (chunk-ledger.ts). */
const BASE_COLUMNS = `job_id, name, spec, status, n_combos, n_chunks, ${LEDGER_N_DONE} AS n_done, created_at, finished_at`;

/**
 * The SELECT list of job rows for a file whose `jobs` table has the columns `have`: a file opened
 * read-only is never migrated, so columns added later may be missing and read as NULL.
 */
export function jobSelectList(have: ReadonlySet<string>): string {
  const extra = JOB_RUN_COLUMNS.map((c) => (have.has(c.name) ? ident(c.name) : `NULL AS ${ident(c.name)}`));
  return [BASE_COLUMNS, ...extra].join(", ");
}

/** Every column present: what a writer's file has after ensureSchema. */
const ALL_COLUMNS = jobSelectList(new Set(JOB_RUN_COLUMNS.map((c) => c.name)));
/** Newest first; rowid breaks ties between jobs created within the same transaction time. */
const NEWEST_FIRST = "ORDER BY created_at DESC, rowid DESC";

function toJobRecord(row: Record<string, unknown>): JobRecord {
  const spec = row.spec;
  return {
    job_id: String(row.job_id),
    name: String(row.name),
    spec: typeof spec === "string" ? JSON.parse(spec) : null,
    status: row.status as JobStatus,
    n_combos: Number(row.n_combos),
    n_chunks: Number(row.n_chunks),
    n_done: Number(row.n_done),
    created_at: row.created_at as Date,
    finished_at: (row.finished_at as Date | null) ?? null,
    runner: (row.runner as JobRunner | null) ?? null,
    host: (row.host as string | null) ?? null,
    pid: row.pid === null || row.pid === undefined ? null : Number(row.pid),
    heartbeat_at: (row.heartbeat_at as Date | null) ?? null,
    spec_path: (row.spec_path as string | null) ?? null,
  };
}

export async function insertJob(conn: DuckDBConnection, job: NewJob): Promise<void> {
  const existing = await conn.runAndReadAll("SELECT 1 FROM jobs WHERE job_id = $1", [job.job_id], [VARCHAR]);
  if (existing.currentRowCount > 0) throw new InputError(`job '${job.job_id}' already exists`);
  await conn.run(
    "INSERT INTO jobs (job_id, name, spec, status, n_combos, n_chunks, runner) " +
      "VALUES ($1, $2, $3::JSON, 'running', $4, $5, $6)",
    [
      job.job_id,
      job.name,
      JSON.stringify(job.spec ?? null),
      BigInt(job.n_combos),
      job.n_chunks,
      job.runner ?? null,
    ],
    [VARCHAR, VARCHAR, VARCHAR, BIGINT, INTEGER, VARCHAR],
  );
}

export async function selectJob(
  conn: DuckDBConnection,
  jobId: string,
  columns = ALL_COLUMNS,
): Promise<JobRecord | null> {
  const reader = await conn.runAndReadAll(
    `SELECT ${columns} FROM jobs WHERE job_id = $1`,
    [jobId],
    [VARCHAR],
  );
  const row = reader.getRowObjectsJS()[0];
  return row ? toJobRecord(row) : null;
}

/** Every job, newest first. */
export async function selectJobs(conn: DuckDBConnection, columns = ALL_COLUMNS): Promise<JobRecord[]> {
  const reader = await conn.runAndReadAll(`SELECT ${columns} FROM jobs ${NEWEST_FIRST}`);
  return reader.getRowObjectsJS().map(toJobRecord);
}

/** The job a ranking means when none is named: the most recently created. */
export async function latestJobId(conn: DuckDBConnection): Promise<string | null> {
  const reader = await conn.runAndReadAll(`SELECT job_id FROM jobs ${NEWEST_FIRST} LIMIT 1`);
  const row = reader.getRowsJS()[0];
  return row ? String(row[0]) : null;
}

export async function updateJobStatus(
  conn: DuckDBConnection,
  jobId: string,
  status: JobStatus,
  finished: boolean | undefined,
): Promise<void> {
  if (!(JOB_STATUSES as readonly string[]).includes(status)) {
    throw new InputError(`unknown job status '${status}' (one of: ${JOB_STATUSES.join(", ")})`);
  }
  // true stamps the end, false clears it (a job resumed), undefined leaves it as it was
  const finishedAt = finished === undefined ? "finished_at" : finished ? "current_timestamp" : "NULL";
  const reader = await conn.runAndReadAll(
    `UPDATE jobs SET status = $2, finished_at = ${finishedAt} WHERE job_id = $1 RETURNING job_id`,
    [jobId, status],
    [VARCHAR, VARCHAR],
  );
  if (reader.currentRowCount === 0) throw new InputError(`unknown job '${jobId}'`);
}

/** Records the run that takes the job on (a new run or a resume) and its first heartbeat. */
export async function claimJob(conn: DuckDBConnection, jobId: string, claim: RunClaim): Promise<void> {
  const reader = await conn.runAndReadAll(
    "UPDATE jobs SET runner = $2, spec_path = $3, host = $4, pid = $5, heartbeat_at = current_timestamp " +
      "WHERE job_id = $1 RETURNING job_id",
    [jobId, claim.runner, claim.specPath, claim.host, claim.pid],
    [VARCHAR, VARCHAR, VARCHAR, VARCHAR, INTEGER],
  );
  if (reader.currentRowCount === 0) throw new InputError(`unknown job '${jobId}'`);
}

/** The running process is alive: one small UPDATE, queued between ingests like every call. */
export async function touchHeartbeat(conn: DuckDBConnection, jobId: string): Promise<void> {
  await conn.run("UPDATE jobs SET heartbeat_at = current_timestamp WHERE job_id = $1", [jobId], [VARCHAR]);
}
