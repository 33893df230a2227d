// The worker's job contexts, a couple at most: each holds a pool of `threads` threads and its
// job's arrays, and a worker usually serves one job at a time (two around a job boundary, or
// when two jobs are queued together). A finished or cancelled job's context is dropped when the
// coordinator says so (job-end-listener.ts); the bound covers a missed message. Loading is
// shared: the first chunks of a job arriving together wait for one manifest fetch and one pool.
import { LruMap } from "@pairgrid/jobs";
import { JobContext, type JobContextDeps } from "./job-context.js";

/** Jobs kept: the current one and the previous or next. */
export const DEFAULT_JOBS_KEPT = 2;

export class JobContextCache {
  private readonly contexts: LruMap<string, Promise<JobContext>>;
  /** Pools being closed by eviction, awaited by close(). */
  private readonly retiring = new Set<Promise<void>>();

  constructor(
    private readonly deps: JobContextDeps,
    capacity = DEFAULT_JOBS_KEPT,
    private readonly onLoaded: (ctx: JobContext, ms: number) => void = () => {},
  ) {
    this.contexts = new LruMap(capacity, (_jobId, ctx) => this.retire(ctx));
  }

  /**
   * The context of `jobId` with a hold taken on it: the caller must `release()` it. Loads it on
   * first use; loads again when it was evicted between the load and the hold. `signal` (the
   * chunk's cancellation) stops that retrying for a job dropped because it was cancelled.
   */
  async acquire(jobId: string, signal?: AbortSignal): Promise<JobContext> {
    for (;;) {
      signal?.throwIfAborted();
      let entry = this.contexts.get(jobId);
      if (entry === undefined) {
        entry = this.load(jobId);
        this.contexts.set(jobId, entry);
      }
      const ctx = await entry;
      if (ctx.tryAcquire()) return ctx;
    }
  }

  private load(jobId: string): Promise<JobContext> {
    const t0 = performance.now();
    const loading = JobContext.load(jobId, this.deps).then((ctx) => {
      this.onLoaded(ctx, performance.now() - t0);
      return ctx;
    });
    // a failed load is not kept: the chunk's retry loads again
    loading.catch(() => {
      if (this.contexts.peek(jobId) === loading) this.contexts.delete(jobId);
    });
    return loading;
  }

  /**
   * Drops a job's context (its job was cancelled or finished): its pool closes when its chunks
   * let go. False when this worker held no context of that job.
   */
  drop(jobId: string): boolean {
    const entry = this.contexts.peek(jobId);
    if (entry === undefined) return false;
    this.contexts.delete(jobId);
    this.retire(entry);
    return true;
  }

  private retire(entry: Promise<JobContext>): void {
    const closed = entry.then(
      (ctx) => ctx.retire(),
      () => {},
    );
    this.retiring.add(closed);
    void closed.finally(() => this.retiring.delete(closed));
  }

  /** Retires every context and waits until all their pools are closed. */
  async close(): Promise<void> {
    for (const [, entry] of this.contexts.drain()) this.retire(entry);
    await Promise.all([...this.retiring]);
  }

  get size(): number {
    return this.contexts.size;
  }
}
