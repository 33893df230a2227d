// What the HTTP routes need from the coordinator, as one interface: the routes (http/) stay thin
// wiring, and the job lifecycle (submit, progress, cancel, results) lives behind it.
import {
  interruption,
  type JobRecord,
  type JobRunner,
  type LivenessProbe,
  type ResultsDb,
  type ShownStatus,
} from "@pairgrid/resultsdb";
import type { FastWorkView } from "./fast-work.js";

/** A job as `GET /jobs` and `GET /jobs/:id` show it (INTERFACE.md: status, done/total, rate, ETA). */
export interface JobView {
  job_id: string;
  name: string;
  /** The stored status, or `interrupted`: a `pairgrid run` that stopped without marking its job. */
  status: ShownStatus;
  /** Valid combinations of the grid (rows the finished job holds). */
  n_combos: number;
  n_chunks: number;
  /** Rows stored so far. */
  n_done: number;
  chunks_done: number;
  /** Fraction of combinations processed, 0..1. */
  progress: number;
  /** Combinations per second over the recent past (0 when idle or finished). */
  rate: number;
  /** Seconds until done at the current rate; null when unknown or finished. */
  eta_s: number | null;
  created_at: string;
  finished_at: string | null;
  /** Why a job failed, when it did. */
  error: string | null;
  /** Who runs the job (null: a file older than runners). */
  runner: JobRunner | null;
  /** Where a `pairgrid run` runs (or ran) the job, and when it last showed it was alive. */
  host: string | null;
  pid: number | null;
  heartbeat_at: string | null;
  /** For an interrupted job, the `pairgrid run … --resume` command that finishes it. */
  resume_command: string | null;
  /**
   * A hybrid job on the cluster: fast rows scanned and fast blob bytes fetched, in all and per
   * worker (work counters: a redelivered chunk counts twice; fast-work.ts). Null for a slow job,
   * before the first hybrid result, and for jobs this coordinator process did not run.
   */
  fast: FastWorkView | null;
}

/**
 * The view of a job known only from its DuckDB record (no live progress: rate 0, no ETA), as the
 * coordinator shows a job it is not running and `pairgrid serve` shows every job. A job stored as
 * running whose `pairgrid run` is gone shows as interrupted (job-liveness.ts in resultsdb).
 */
export function storedJobView(
  r: JobRecord,
  chunksDone: number,
  error: string | null,
  dbFile: string,
  probe: LivenessProbe,
  /** What the coordinator still holds of the job's fast-side work (fast-work.ts), if anything. */
  fast: FastWorkView | null = null,
): JobView {
  const gone = interruption(r, dbFile, probe);
  return {
    job_id: r.job_id,
    name: r.name,
    status: gone ? "interrupted" : r.status,
    n_combos: r.n_combos,
    n_chunks: r.n_chunks,
    n_done: r.n_done,
    chunks_done: chunksDone,
    progress: r.n_chunks > 0 ? chunksDone / r.n_chunks : 1,
    rate: 0,
    eta_s: null,
    created_at: r.created_at.toISOString(),
    finished_at: r.finished_at?.toISOString() ?? null,
    error,
    runner: r.runner,
    host: r.host,
    pid: r.pid,
    heartbeat_at: r.heartbeat_at?.toISOString() ?? null,
    resume_command: gone?.resume ?? null,
    fast,
  };
}

export interface SubmitOptions {
  /** Combinations per chunk (balanced; default from the grid's size). */
  chunkSize?: number;
}

export interface SubmitResult {
  job_id: string;
  n_combos: number;
  n_chunks: number;
}

export interface ResultsQuery {
  by: string;
  limit: number;
  minTrades: number;
  /** Every row, twins included (`all=1`); default each group of twins once. */
  all?: boolean;
}

/** A job's ranked rows, as `pairgrid top` ranks them (null: no such job). */
export async function rankedResults(
  db: ResultsDb,
  jobId: string,
  q: ResultsQuery,
): Promise<Record<string, unknown>[] | null> {
  if (!(await db.getJob(jobId))) return null;
  // a drawdown ranks best when smallest; every other statistic when largest
  return db.top({
    jobId,
    by: q.by,
    minTrades: q.minTrades,
    limit: q.limit,
    ascending: q.by === "max_dd",
    all: q.all,
  });
}

export interface JobService {
  /**
   * Validates the spec (InputError with the field path on bad input, including an oversized
   * grid, refused without expanding it), creates the job and starts enqueueing its chunks.
   */
  submit(rawSpec: unknown, opts: SubmitOptions): Promise<SubmitResult>;
  list(): Promise<JobView[]>;
  /** Null when there is no such job. */
  get(jobId: string): Promise<JobView | null>;
  /** Ranked rows (as `pairgrid top`); InputError for an unknown statistic. Null: no such job. */
  results(jobId: string, q: ResultsQuery): Promise<Record<string, unknown>[] | null>;
  /** Cancels a running job (no-op on a finished one); null when there is no such job. */
  cancel(jobId: string): Promise<JobView | null>;
  /** Calls `listener` on every progress change of the job until the returned function is called. */
  watch(jobId: string, listener: (view: JobView) => void): () => void;
  /** Redis and DuckDB reachability, for /healthz (`ok` false: answered with 503). */
  health(): Promise<{ ok: boolean; redis: string; db: string }>;
}
