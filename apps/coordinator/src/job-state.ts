// The coordinator's in-memory view of a job it runs: the runner's ledger job (plan, chunks, the
// chunks stored, rows and combinations done), its status as views show it, the rate, and who is
// watching. DuckDB holds the durable part (jobs row, chunk ledger); on a restart the ledger job is
// rebuilt from it (adoptJob in @pairgrid/jobs).
import type { LedgerJob, RunOutcome } from "@pairgrid/jobs";
import type { JobStatus } from "@pairgrid/resultsdb";
import type { FastWork } from "./fast-work.js";
import type { JobView } from "./job-service.js";
import { RateMeter } from "./rate-meter.js";

export class JobState {
  status: JobStatus = "running";
  finishedAt: Date | null = null;
  error: string | null = null;
  readonly rate = new RateMeter();
  readonly listeners = new Set<(v: JobView) => void>();
  /** The run's end (set when the run starts). */
  finished: Promise<RunOutcome<void> | null> = Promise.resolve(null);

  constructor(
    readonly job: LedgerJob,
    /** Where the executor tallies the job's fast-side work (none: the view's `fast` is null). */
    private readonly fastWork: FastWork | null = null,
  ) {}

  get jobId(): string {
    return this.job.jobId;
  }

  get chunksDone(): number {
    return this.job.done.size;
  }

  get nChunks(): number {
    return this.job.chunking.chunks.length;
  }

  view(): JobView {
    const { plan } = this.job;
    const rate = this.status === "running" ? this.rate.rate() : 0;
    const left = plan.total - this.job.combosDone;
    return {
      job_id: this.jobId,
      name: this.job.name,
      status: this.status,
      n_combos: this.job.nCombos,
      n_chunks: this.nChunks,
      n_done: this.job.rowsDone,
      chunks_done: this.chunksDone,
      progress: plan.total > 0 ? this.job.combosDone / plan.total : 1,
      rate,
      eta_s: this.status === "running" && rate > 0 ? left / rate : null,
      created_at: this.job.createdAt.toISOString(),
      finished_at: this.finishedAt?.toISOString() ?? null,
      error: this.error,
      runner: "coordinator",
      host: null,
      pid: null,
      heartbeat_at: null,
      resume_command: null,
      fast: this.fastWork?.view(this.jobId) ?? null,
    };
  }

  /** Tells every watcher the current view (a throwing listener does not stop the others). */
  notify(): void {
    const v = this.view();
    for (const l of this.listeners) {
      try {
        l(v);
      } catch {
        // a watcher's failure (a closed SSE socket) is its own business
      }
    }
  }
}
