// What runs a job's chunks. The job runner (job-runner.ts) owns the ledger — it creates or resumes
// the job, stores each result exactly once and finalises — and hands the chunks to an executor:
// the local thread pool (local/local-executor.ts) or the cluster's queue (apps/coordinator,
// queue-executor.ts). An executor knows nothing of DuckDB: results go to the runner's sink.
import type { GridSpec, InputError } from "@pairgrid/engine";
import type { ChunkBatch } from "@pairgrid/resultsdb";
import type { LedgerJob } from "./ledger.js";
import type { StopRequest } from "./stop-request.js";

/** What became of a delivered result: stored now, already in the ledger, or the run had ended. */
export type StoreOutcome = "stored" | "duplicate" | "dropped";

export interface ResultSink {
  /**
   * Stores one chunk's rows in the ledger, exactly once (a chunk already stored is refused), and
   * updates the job's progress. `combos` is the chunk's combination count (skipped ones included).
   */
  store(chunkId: number, batch: ChunkBatch, combos: number): Promise<StoreOutcome>;
}

export interface Executor<Report = unknown> {
  /** Why this executor cannot run the spec (bad input, naming the field), or null. */
  refusal(spec: GridSpec): InputError | null;
  /**
   * Runs the job's chunks not in `job.done`, delivering every result to `sink`. Resolves when each
   * of them is stored, or once a stop request (`stop`; a failure is one, with its reason) is dealt
   * with: nothing more is dispatched and nothing more will be delivered. Throws on a failure the
   * executor could not turn into a stop (the runner marks the job failed).
   */
  execute(job: LedgerJob, sink: ResultSink, stop: StopRequest): Promise<Report>;
}
