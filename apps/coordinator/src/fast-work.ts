// A hybrid job's fast-side work as its workers report it on their result jobs: fast rows the
// kernels scanned and fast day blob bytes fetched from Redis, per worker, for the job's view
// (GET /jobs/:id, the SSE events). These are work counters, not row counts: the results of a chunk
// redelivered after a worker was killed count once per delivery, as the work was done twice.
// Kept in memory for the last jobs only (not in DuckDB): a restarted coordinator shows null for
// the jobs it ran before, and the counts of a resumed job start again from the restart.

/** The job view's `fast` field (null for a slow job, or one no hybrid result has reached yet). */
export interface FastWorkView {
  rows_scanned: number;
  blob_bytes_fetched: number;
  by_worker: { worker: string; rows_scanned: number; blob_bytes_fetched: number }[];
}

/** Jobs whose counts are kept: enough for a dashboard's recent jobs, a few KB in all. */
export const FAST_WORK_JOBS_KEPT = 256;

interface WorkerWork {
  rows: number;
  bytes: number;
}

export class FastWork {
  private readonly jobs = new Map<string, Map<string, WorkerWork>>();

  constructor(private readonly kept: number = FAST_WORK_JOBS_KEPT) {}

  /** Adds one result's counts; results carrying neither (slow chunks) leave the job unseen. */
  add(jobId: string, worker: string, rows: number, bytes: number): void {
    if (rows === 0 && bytes === 0) return;
    let byWorker = this.jobs.get(jobId);
    if (byWorker === undefined) {
      byWorker = new Map();
      this.jobs.set(jobId, byWorker);
      // insertion order is age: the oldest job's counts go first
      for (const old of this.jobs.keys()) {
        if (this.jobs.size <= this.kept) break;
        this.jobs.delete(old);
      }
    }
    const w = byWorker.get(worker) ?? { rows: 0, bytes: 0 };
    w.rows += rows;
    w.bytes += bytes;
    byWorker.set(worker, w);
  }

  view(jobId: string): FastWorkView | null {
    const byWorker = this.jobs.get(jobId);
    if (byWorker === undefined) return null;
    const by_worker = [...byWorker]
      .map(([worker, w]) => ({ worker, rows_scanned: w.rows, blob_bytes_fetched: w.bytes }))
      .sort((a, b) => (a.worker < b.worker ? -1 : a.worker > b.worker ? 1 : 0));
    return {
      rows_scanned: by_worker.reduce((s, w) => s + w.rows_scanned, 0),
      blob_bytes_fetched: by_worker.reduce((s, w) => s + w.blob_bytes_fetched, 0),
      by_worker,
    };
  }
}
