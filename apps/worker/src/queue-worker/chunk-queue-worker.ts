// A cluster worker process's queue side: takes chunk jobs from CHUNK_QUEUE (as many at once as it
// has threads), runs them on the job's chunk pool and sends each result back as a result job.
// Cancel messages abort running chunks of a cancelled job; a finished job's threads and arrays are
// released when the coordinator says it is done. close() is graceful: running chunks finish and
// are delivered, then the pools and connections go.
import { hostname } from "node:os";
import { join } from "node:path";
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import {
  CHUNK_QUEUE,
  type ChunkJobReturn,
  KEY_PREFIX,
  lockSettings,
  MAX_STALLED_COUNT,
  RedisLink,
  registerWorkerThreads,
  RESULT_QUEUE,
  type ResultJobData,
  unregisterWorkerThreads,
} from "@pairgrid/cluster";
import { connectRedis } from "../connect-redis.js";
import { BlobCache, DEFAULT_BLOB_CACHE_BYTES } from "./blob-cache.js";
import { JobEndListener } from "./job-end-listener.js";
import { ChunkProcessor } from "./chunk-processor.js";
import { defaultCacheDir, type KernelChoice } from "@pairgrid/engine";
import { DEFAULT_DISK_BLOB_CACHE_BYTES, DiskBlobCache } from "./disk-blob-cache.js";
import { DEFAULT_JOBS_KEPT, JobContextCache } from "./job-context-cache.js";
import { DEFAULT_MAX_QUEUED_RESULTS, ResultBacklog } from "./result-backlog.js";
import { FastDataMemo } from "./fast-data-memo.js";
import { RunningChunks } from "./running-chunks.js";
import { type WorkerCounts, WorkerMetrics } from "./worker-metrics.js";

export interface ChunkQueueWorkerOptions {
  redisUrl: string;
  /** Threads of each job's chunk pool. */
  threads: number;
  /** One line per event (started, job loaded, chunk failed, cancel, shutting down). */
  log: (line: string) => void;
  /** Chunk jobs taken at once; default `threads`, so each running chunk has a thread. */
  concurrency?: number;
  /** Bound of the decoded blob cache (base and hedge arrays in memory), bytes. */
  blobCacheBytes?: number;
  /** Bound of the disk cache of fast day blobs, bytes (default 4 GiB). */
  diskBlobCacheBytes?: number;
  /** Folder of the disk blob cache (default `blobs` under the cache folder, $PAIRGRID_CACHE_DIR). */
  diskBlobCacheDir?: string;
  /** Job contexts (each with a pool of `threads` threads) kept at once. */
  jobsKept?: number;
  /** Which slow kernel the job groups are built for (engine kernel-choice.ts); default auto. */
  kernel?: KernelChoice;
  /** Waiting results at which chunks are held (result-backlog.ts); default 8. */
  maxQueuedResults?: number;
}

/** `host:pid`: what the result jobs name as their worker. */
export const workerIdOf = () => `${hostname()}:${process.pid}`;

const MiB = 1024 * 1024;
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

export class ChunkQueueWorker {
  private closing: Promise<void> | null = null;

  private constructor(
    readonly id: string,
    private readonly threads: number,
    readonly metrics: WorkerMetrics,
    private readonly worker: Worker<unknown, ChunkJobReturn>,
    private readonly results: Queue<ResultJobData>,
    private readonly jobEnds: JobEndListener,
    private readonly contexts: JobContextCache,
    private readonly redis: Redis,
    private readonly link: RedisLink,
    private readonly log: (line: string) => void,
  ) {}

  /** Connects, subscribes to cancel messages, then starts taking chunk jobs. */
  static async start(o: ChunkQueueWorkerOptions): Promise<ChunkQueueWorker> {
    if (!Number.isInteger(o.threads) || o.threads < 1)
      throw new RangeError(`threads must be ≥ 1, got ${o.threads}`);
    const id = workerIdOf();
    const log = o.log;
    const redis = connectRedis(o.redisUrl, `pairgrid-worker:${id}`);
    const sub = connectRedis(o.redisUrl, `pairgrid-worker-cancel:${id}`);
    // one line per change of Redis's reachability, not one per retry per connection
    const link = new RedisLink({ warn: log, info: log });
    link.watch(redis);
    link.watch(sub);

    // the gauges read the memory cache's size and the contexts held at scrape time, after they exist
    const metrics = new WorkerMetrics(id, {
      blobBytes: () => blobs.bytes,
      jobContexts: () => contexts.size,
    });
    const fetched = (bytes: number) => metrics.blobFetched(bytes);
    const blobs = new BlobCache(redis, o.blobCacheBytes ?? DEFAULT_BLOB_CACHE_BYTES, fetched);
    const fastBlobs = new DiskBlobCache(
      redis,
      o.diskBlobCacheDir ?? join(defaultCacheDir(), "blobs"),
      o.diskBlobCacheBytes ?? DEFAULT_DISK_BLOB_CACHE_BYTES,
      fetched,
    );
    const contexts = new JobContextCache(
      {
        redis,
        blobs,
        fastBlobs,
        fastMemo: new FastDataMemo(),
        threads: o.threads,
        kernel: o.kernel ?? "auto",
      },
      o.jobsKept ?? DEFAULT_JOBS_KEPT,
      (ctx, ms) => {
        const f = ctx.fast;
        if (f?.fromMemory) metrics.fastBlobsRead(0, 0, f.days);
        else if (f) metrics.fastBlobsRead(f.days - f.fetchedDays, f.fetchedDays);
        log(
          `job ${ctx.jobId}: loaded in ${Math.round(ms)} ms — ${ctx.plan.nGroups} groups × ` +
            `${ctx.plan.perGroup} thresholds, ${ctx.data.base.n} bars ` +
            `(${(ctx.data.base.sab.byteLength / MiB).toFixed(1)} MiB) on ${plural(o.threads, "thread")}` +
            (f === null
              ? ""
              : `; ${f.data.fast.n} fast rows in ${plural(f.days, "day blob")}` +
                (f.fromMemory
                  ? " (still in memory): 0 from the disk cache, 0 fetched (0 bytes)"
                  : ": " +
                    `${f.days - f.fetchedDays} from the disk cache, ${f.fetchedDays} fetched (${f.fetchedBytes} bytes)`)),
        );
      },
    );
    const running = new RunningChunks();
    // subscribed before the first chunk is taken, so no cancel can be missed in between
    const jobEnds = await JobEndListener.start(sub, {
      onCancel(jobId) {
        const aborted = running.cancel(jobId);
        contexts.drop(jobId);
        log(`job ${jobId}: cancelled${aborted > 0 ? `, ${plural(aborted, "running chunk")} aborted` : ""}`);
      },
      onFinished(jobId) {
        // a chunk still running (a redelivered copy) keeps its hold: the pool closes after it
        if (contexts.drop(jobId)) log(`job ${jobId}: finished — its threads and arrays released`);
      },
    });

    const results = new Queue<ResultJobData>(RESULT_QUEUE, { connection: redis, prefix: KEY_PREFIX });
    results.on("error", link.onError("result queue"));
    const backlog = new ResultBacklog(results, o.maxQueuedResults ?? DEFAULT_MAX_QUEUED_RESULTS, (line) =>
      log(`worker ${id}: ${line}`),
    );
    const processor = new ChunkProcessor({
      redis,
      backlog,
      contexts,
      results,
      running,
      metrics,
      workerId: id,
      log,
    });
    const worker = new Worker<unknown, ChunkJobReturn>(CHUNK_QUEUE, (job) => processor.process(job), {
      connection: redis,
      prefix: KEY_PREFIX,
      concurrency: o.concurrency ?? o.threads,
      // recorded on each chunk job it takes (BullMQ's processedBy): who ran, or died running, it
      name: id,
      maxStalledCount: MAX_STALLED_COUNT,
      ...lockSettings(),
    });
    // BullMQ emits 'error' (lost locks, connection trouble); unlistened, it prints stack traces
    worker.on("error", link.onError("chunk queue"));
    await worker.waitUntilReady();
    // the coordinator cuts jobs for the threads of the workers it sees (cluster-chunk-size.ts)
    await registerWorkerThreads(redis, id, o.threads);
    log(
      `worker ${id}: started — ${plural(o.threads, "thread")}, ` +
        `${plural(o.concurrency ?? o.threads, "chunk")} at once, ` +
        `redis ${redactUrl(o.redisUrl)}`,
    );
    return new ChunkQueueWorker(id, o.threads, metrics, worker, results, jobEnds, contexts, redis, link, log);
  }

  /** Jobs whose context (threads and arrays) this worker holds now. */
  get jobContexts(): number {
    return this.contexts.size;
  }

  /** Chunks processed, cancelled and failed so far, and the combinations covered. */
  get counts(): Readonly<WorkerCounts> {
    return this.metrics.counts;
  }

  /**
   * Stops taking chunks, waits for the running ones to finish and deliver their results, then
   * closes the pools and the connections. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.log(`worker ${this.id}: shutting down — waiting for running chunks`);
      await this.worker.close();
      await unregisterWorkerThreads(this.redis, this.id, this.threads).catch(() => {});
      await this.contexts.close();
      this.link.stop();
      await this.results.close();
      await this.jobEnds.close();
      await this.redis.quit().catch(() => {});
      const t = this.metrics.transfer;
      this.log(
        `worker ${this.id}: stopped — ${t.blobBytesFetched} blob bytes fetched; fast day blobs ` +
          `${t.fastBlobsFromMemory} still in memory, ${t.fastBlobsFromCache} from the disk cache, ` +
          `${t.fastBlobsFetched} fetched`,
      );
    })();
    return this.closing;
  }
}

/** The URL without its password, for the log. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}
