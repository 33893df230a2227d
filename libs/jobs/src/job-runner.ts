// The one job runner of `pairgrid run` and the coordinator: given a job from the ledger (created
// or resumed, ledger.ts), it hands the job's chunks to an executor, stores each result exactly once
// as it arrives, reports progress, and finalises: DSR and `done` when every chunk is stored,
// `cancelled` when a stop ended the run first, `failed` with a reason when the executor gave up.
// It is engine-agnostic: whether an engine can run is the executor's call (Executor.refusal).
import { InputError, type GridSpec } from "@pairgrid/engine";
import type { ResultsDb } from "@pairgrid/resultsdb";
import type { Executor, ResultSink } from "./executor.js";
import type { LedgerJob } from "./ledger.js";
import { StopRequest } from "./stop-request.js";

/** What this run (not the job's earlier ones) stored. */
export interface RunCounters {
  chunks: number;
  rows: number;
  /** Combinations covered by the chunks stored, skipped ones included. */
  combos: number;
  /** Time during which at least one ingest was under way (overlapping ingests counted once). */
  ingestMs: number;
}

export type RunStatus = "done" | "cancelled" | "failed";

export interface RunOutcome<Report> {
  status: RunStatus;
  /** Why the job failed (its client reads it), when it did. */
  error: string | null;
  report: Report;
  counters: RunCounters;
}

export interface RunOptions {
  /** Stops the run from outside (signals, a cancel); the runner makes one when not given. */
  stop?: StopRequest;
  /** Called after each stored chunk (job.done, job.rowsDone and job.combosDone are up to date). */
  onProgress?: (job: LedgerJob, run: RunCounters) => void;
}

/** Time during which at least one task is under way (overlapping tasks counted once). */
class BusyClock {
  private open = 0;
  private since = 0;
  ms = 0;

  enter(): void {
    if (this.open++ === 0) this.since = performance.now();
  }

  leave(): void {
    if (--this.open === 0) this.ms += performance.now() - this.since;
  }
}

export class JobRunner<Report> {
  /** Stop requests of the runs under way, by job id. */
  private readonly running = new Map<string, StopRequest>();

  constructor(
    private readonly db: ResultsDb,
    private readonly executor: Executor<Report>,
  ) {}

  /** Refuses (InputError) a spec this runner's executor cannot run, before any job exists. */
  check(spec: GridSpec): void {
    const refusal = this.executor.refusal(spec);
    if (refusal) throw refusal;
  }

  /** Asks the run of `jobId` to stop (false: no run of it under way). */
  stop(jobId: string, reason: string, error: string | null = null): boolean {
    const stop = this.running.get(jobId);
    if (!stop) return false;
    stop.request(reason, error);
    return true;
  }

  isRunning(jobId: string): boolean {
    return this.running.has(jobId);
  }

  /** Runs the job's chunks left to its end (see the top of the file). */
  async run(job: LedgerJob, o: RunOptions = {}): Promise<RunOutcome<Report>> {
    if (this.running.has(job.jobId)) throw new InputError(`job ${job.jobId} is already running`);
    const stop = o.stop ?? new StopRequest();
    this.running.set(job.jobId, stop);
    const counters: RunCounters = { chunks: 0, rows: 0, combos: 0, ingestMs: 0 };
    const ingestBusy = new BusyClock();
    let ended = false;
    const sink: ResultSink = {
      store: async (chunkId, batch, combos) => {
        if (ended) return "dropped";
        ingestBusy.enter();
        let stored: boolean;
        try {
          stored = await this.db.ingestChunk(job.jobId, chunkId, batch);
        } finally {
          ingestBusy.leave();
          counters.ingestMs = ingestBusy.ms;
        }
        if (!stored) return "duplicate";
        const rows = batch.comboIds.length;
        job.done.add(chunkId);
        job.rowsDone += rows;
        job.combosDone += combos;
        counters.chunks++;
        counters.rows += rows;
        counters.combos += combos;
        o.onProgress?.(job, counters);
        return "stored";
      },
    };
    try {
      // not awaited otherwise: a queue executor must be taking results as soon as run() returns
      if (job.reopen) await this.db.setStatus(job.jobId, "running", false);
      let report: Report;
      try {
        report = await this.executor.execute(job, sink, stop);
      } catch (err) {
        ended = true;
        // best effort: the database itself may be what failed; the original error matters more
        await this.db.setStatus(job.jobId, "failed", true).catch(() => undefined);
        throw err;
      }
      ended = true;
      const status: RunStatus =
        stop.error !== null
          ? "failed"
          : stop.requested && job.done.size < job.chunking.chunks.length
            ? "cancelled"
            : "done";
      if (status === "done") await this.db.finalizeDsr(job.jobId);
      await this.db.setStatus(job.jobId, status, true);
      return { status, error: status === "failed" ? stop.error : null, report, counters };
    } finally {
      this.running.delete(job.jobId);
    }
  }
}
