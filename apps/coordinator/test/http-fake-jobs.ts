// An in-memory JobService for the HTTP tests: no Redis, no DuckDB, only what the routes need to
// see. `setStatus` plays the worker side: it changes a job and notifies its watchers.
import { InputError } from "@pairgrid/engine";
import type { JobStatus } from "@pairgrid/resultsdb";
import { Registry } from "prom-client";
import { buildServer, type ServerOptions } from "../src/http/index.js";
import type { JobService, JobView, ResultsQuery, SubmitOptions } from "../src/job-service.js";

export class FakeJobs implements JobService {
  readonly views = new Map<string, JobView>();
  readonly submitted: { spec: unknown; opts: SubmitOptions }[] = [];
  readonly resultQueries: ResultsQuery[] = [];
  private readonly watchers = new Map<string, Set<(view: JobView) => void>>();
  private nextId = 1;

  /** A spec named "bad" is refused the way the real service refuses a bad field. */
  async submit(rawSpec: unknown, opts: SubmitOptions) {
    const name = (rawSpec as { name?: unknown } | null)?.name;
    if (name === "bad") throw new InputError("z_entry must be positive", "params.z_entry");
    if (name === "boom") throw new Error("database is on fire");
    if (name === "nofile") {
      throw Object.assign(new Error("ENOENT: no such file '/srv/data/a.csv'"), { path: "/srv/data/a.csv" });
    }
    this.submitted.push({ spec: rawSpec, opts });
    const view = this.add(String(name ?? "unnamed"));
    return { job_id: view.job_id, n_combos: view.n_combos, n_chunks: view.n_chunks };
  }

  add(name: string, status: JobStatus = "running"): JobView {
    const view: JobView = {
      job_id: `job-${this.nextId++}`,
      name,
      status,
      n_combos: 100,
      n_chunks: 4,
      n_done: 0,
      chunks_done: 0,
      progress: 0,
      rate: 0,
      eta_s: null,
      created_at: "2024-01-02T03:04:05.000Z",
      finished_at: null,
      error: null,
      runner: "coordinator",
      host: null,
      pid: null,
      heartbeat_at: null,
      resume_command: null,
      fast: null,
    };
    this.views.set(view.job_id, view);
    return view;
  }

  setStatus(jobId: string, change: Partial<JobView>): void {
    const view = { ...this.views.get(jobId)!, ...change };
    this.views.set(jobId, view);
    for (const listener of this.watchers.get(jobId) ?? []) listener(view);
  }

  watcherCount(jobId: string): number {
    return this.watchers.get(jobId)?.size ?? 0;
  }

  async list() {
    return [...this.views.values()];
  }

  async get(jobId: string) {
    return this.views.get(jobId) ?? null;
  }

  async results(jobId: string, q: ResultsQuery) {
    this.resultQueries.push(q);
    if (!this.views.has(jobId)) return null;
    if (q.by === "kurtosis") throw new InputError("kurtosis is not rankable here", "by");
    return [{ combo_id: 0, sharpe: 1.5, n_trades: 12 }];
  }

  async cancel(jobId: string) {
    if (!this.views.has(jobId)) return null;
    this.setStatus(jobId, { status: "cancelled" });
    return this.views.get(jobId)!;
  }

  watch(jobId: string, listener: (view: JobView) => void) {
    let set = this.watchers.get(jobId);
    if (!set) this.watchers.set(jobId, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Set false to play a coordinator whose Redis is down. */
  redisUp = true;

  async health() {
    return this.redisUp
      ? { ok: true, redis: "ok", db: "ok" }
      : { ok: false, redis: "unreachable (reconnecting)", db: "ok" };
  }
}

export function makeServer(extra: Partial<ServerOptions> = {}) {
  const jobs = new FakeJobs();
  const metrics = new Registry();
  const app = buildServer({ jobs, metrics, ...extra });
  return { app, jobs, metrics };
}

/** No response may carry a stack trace, whatever went wrong. */
export function hasStackTrace(body: string): boolean {
  return body.includes("    at ");
}
