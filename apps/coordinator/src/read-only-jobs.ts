// A JobService over a results file alone, for `pairgrid serve`: jobs and results as the file
// holds them, no Redis, nothing submitted or cancelled (the server answers those routes 405
// before they get here). The file is opened read-only, so while it is served no other process can
// write it (DuckDB's lock): a job's figures cannot change, and `watch` has nothing to report.
import { InputError } from "@pairgrid/engine";
import { type JobRecord, localProbe, type ResultsDb } from "@pairgrid/resultsdb";
import {
  type JobService,
  type JobView,
  rankedResults,
  type ResultsQuery,
  storedJobView,
  type SubmitResult,
} from "./job-service.js";

export class ReadOnlyJobs implements JobService {
  constructor(private readonly db: ResultsDb) {}

  async submit(): Promise<SubmitResult> {
    throw new InputError("read-only: jobs are submitted to a coordinator, not to `pairgrid serve`");
  }

  async list(): Promise<JobView[]> {
    const records = await this.db.listJobs();
    return Promise.all(records.map((r) => this.viewOf(r)));
  }

  async get(jobId: string): Promise<JobView | null> {
    const r = await this.db.getJob(jobId);
    return r ? this.viewOf(r) : null;
  }

  results(jobId: string, q: ResultsQuery): Promise<Record<string, unknown>[] | null> {
    return rankedResults(this.db, jobId, q);
  }

  async cancel(): Promise<JobView | null> {
    throw new InputError("read-only: jobs are cancelled on a coordinator, not on `pairgrid serve`");
  }

  /** Nothing changes while the file is open read-only; an event stream shows the state it starts with. */
  watch(): () => void {
    return () => {};
  }

  async health(): Promise<{ ok: boolean; redis: string; db: string }> {
    return { ok: true, redis: "not used (read-only results file)", db: this.db.file };
  }

  private async viewOf(r: JobRecord): Promise<JobView> {
    const chunksDone = r.status === "done" ? r.n_chunks : (await this.db.doneChunks(r.job_id)).size;
    return storedJobView(r, chunksDone, null, this.db.file, localProbe());
  }
}
