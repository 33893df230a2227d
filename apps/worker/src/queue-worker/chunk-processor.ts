// The BullMQ processor of chunk jobs: check the job is not cancelled, get its context and group
// arrays, wait while too many results wait for the coordinator (result-backlog.ts), run the chunk
// on a thread (abortable by a cancel message), add the result job, and only then return, so a
// chunk job is complete only when its rows are safely in Redis.
import { type Job, type Queue, UnrecoverableError } from "bullmq";
import type { Redis } from "ioredis";
import {
  cancelledKey,
  type ChunkJobReturn,
  chunkJobSchema,
  protocolMismatch,
  type ResultJobData,
} from "@pairgrid/cluster";
import type { JobContextCache } from "./job-context-cache.js";
import { publishResult } from "./publish-result.js";
import type { ResultBacklog } from "./result-backlog.js";
import type { RunningChunks } from "./running-chunks.js";
import { crashIfTestChunk } from "./test-crash-hook.js";
import type { WorkerMetrics } from "./worker-metrics.js";

export interface ChunkProcessorDeps {
  redis: Redis;
  /** Holds a chunk while the coordinator is behind on results (result-backlog.ts). */
  backlog: ResultBacklog;
  contexts: JobContextCache;
  results: Queue<ResultJobData>;
  running: RunningChunks;
  metrics: WorkerMetrics;
  workerId: string;
  log: (line: string) => void;
}

const CANCELLED: ChunkJobReturn = { rows: 0, cancelled: true };

export class ChunkProcessor {
  constructor(private readonly d: ChunkProcessorDeps) {}

  /** Runs one chunk job (see the top of the file); throws to let BullMQ retry or fail it. */
  async process(job: Job): Promise<ChunkJobReturn> {
    // first the version: another one's fields would only give a misleading reason below
    const mismatch = protocolMismatch(job.data, "chunk", "worker");
    if (mismatch !== null) {
      this.d.metrics.chunkFailed();
      this.d.log(`chunk job ${job.id}: failed for good: ${mismatch}`);
      throw new UnrecoverableError(mismatch);
    }
    const parsed = chunkJobSchema.safeParse(job.data);
    if (!parsed.success) {
      this.d.metrics.chunkFailed();
      this.d.log(`chunk job ${job.id}: bad data, failed for good: ${parsed.error.message}`);
      throw new UnrecoverableError(`bad chunk job data: ${parsed.error.message}`);
    }
    const { jobId, chunk } = parsed.data;
    crashIfTestChunk(chunk.chunkId);
    const run = this.d.running.track(jobId);
    try {
      if ((await this.d.redis.exists(cancelledKey(jobId))) === 1) return this.cancelled();
      const ctx = await this.d.contexts.acquire(jobId, run.signal);
      try {
        ctx.checkChunk(chunk);
        const group = await ctx.groups.get(chunk.group);
        // no more rows into Redis while the coordinator is behind: the chunk waits, holding nothing
        await this.d.backlog.room(run.signal);
        if (run.signal.aborted) return this.cancelled();
        const t0 = performance.now();
        this.d.metrics.threadBusy();
        let result;
        try {
          result = await ctx.pool.run(chunk, chunk.group, group, run.signal);
        } finally {
          this.d.metrics.threadIdle();
        }
        const ms = performance.now() - t0;
        if (run.signal.aborted) return this.cancelled();
        const combos = chunk.t1 - chunk.t0;
        const blobBytes = ctx.takeBlobBytes();
        try {
          await publishResult(this.d.redis, this.d.results, {
            jobId,
            result,
            combos,
            worker: this.d.workerId,
            ms,
            blobBytes,
          });
        } catch (err) {
          ctx.returnBlobBytes(blobBytes);
          throw err;
        }
        this.d.metrics.chunkProcessed(combos, ms);
        if (result.fastRows) this.d.metrics.fastRowsScanned(result.fastRows);
        return { rows: result.k, cancelled: false };
      } finally {
        ctx.release();
      }
    } catch (err) {
      // an aborted task rejects (AbortError); so may a context load cut short by the cancel
      if (run.signal.aborted) return this.cancelled();
      this.d.metrics.chunkFailed();
      const attempt = `attempt ${job.attemptsMade + 1}/${job.opts.attempts ?? 1}`;
      this.d.log(`chunk ${jobId}/${chunk.chunkId} failed (${attempt}): ${(err as Error)?.message ?? err}`);
      throw err;
    } finally {
      run.done();
    }
  }

  private cancelled(): ChunkJobReturn {
    this.d.metrics.chunkCancelled();
    return CANCELLED;
  }
}
