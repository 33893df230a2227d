// The coordinator's in-memory view of an unfinished job: its plan and chunks, progress counters,
// the blobs it ships, and who is watching. DuckDB holds the durable part (jobs row, chunk ledger);
// on a restart this is rebuilt from it (coordinator.ts, resumeJobs).
import type { Chunk, GridPlan, GridSpec } from "@pairgrid/engine";
import type { JobStatus } from "@pairgrid/resultsdb";
import type { JobView } from "./job-service.js";
import { RateMeter } from "./rate-meter.js";

export class JobState {
  status: JobStatus = "running";
  finishedAt: Date | null = null;
  error: string | null = null;
  /** Chunk ids in the ledger (this process is its only writer, so this copy stays exact). */
  readonly done = new Set<number>();
  rowsDone = 0;
  /** Combination ids processed (valid or not): what progress and rate count. */
  idsDone = 0;
  /** Blobs this job's manifest references (kept until no unfinished job needs them). */
  blobs = new Set<string>();
  readonly rate = new RateMeter();
  readonly listeners = new Set<(v: JobView) => void>();
  /** Set once the final steps (DSR, status) have started, so they run once. */
  finishing = false;
  /** Set once the data is shipped and every chunk enqueued: from then on the reconcile watches it. */
  launched = false;

  constructor(
    readonly jobId: string,
    readonly name: string,
    readonly spec: GridSpec,
    readonly plan: GridPlan,
    readonly chunks: readonly Chunk[],
    readonly nCombos: number,
    readonly createdAt: Date,
  ) {}

  get chunksDone(): number {
    return this.done.size;
  }

  get nChunks(): number {
    return this.chunks.length;
  }

  view(): JobView {
    const rate = this.status === "running" ? this.rate.rate() : 0;
    const left = this.plan.total - this.idsDone;
    return {
      job_id: this.jobId,
      name: this.name,
      status: this.status,
      n_combos: this.nCombos,
      n_chunks: this.nChunks,
      n_done: this.rowsDone,
      chunks_done: this.chunksDone,
      progress: this.plan.total > 0 ? this.idsDone / this.plan.total : 1,
      rate,
      eta_s: this.status === "running" && rate > 0 ? left / rate : null,
      created_at: this.createdAt.toISOString(),
      finished_at: this.finishedAt?.toISOString() ?? null,
      error: this.error,
      runner: "coordinator",
      host: null,
      pid: null,
      heartbeat_at: null,
      resume_command: null,
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
