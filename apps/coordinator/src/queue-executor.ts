// The queue executor: runs a job's chunks on the cluster. It ships the job's data to Redis, enqueues
// the chunks for the workers (BullMQ), and hands each result the workers publish to the job
// runner's sink (@pairgrid/jobs), which stores it exactly once. It also watches the queues: a
// chunk or result that failed for good fails its job, and chunks Redis lost are enqueued again.
// On a stop (cancel or failure) the workers are told and the queued chunks withdrawn.
import {
  dataFilesStamp,
  decodeChunkResult,
  type GridSpec,
  InputError,
  isHybridEngine,
  type SlowPair,
  zodToInputError,
} from "@pairgrid/engine";
import type { Executor, LedgerJob, ResultSink, StopRequest } from "@pairgrid/jobs";
import {
  CANCEL_CHANNEL,
  cancelledKey,
  chunkJobSchema,
  clusterEngineRefusal,
  FINISHED_CHANNEL,
  firstLine,
  isConnectionError,
  KEY_PREFIX,
  lockSettings,
  manifestKey,
  protocolMismatch,
  RESULT_QUEUE,
  type RedisLink,
  releaseBlobRefs,
  resultJobSchema,
  resultsKey,
} from "@pairgrid/cluster";
import { type Job, type Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";
import { enqueueChunks, removeQueuedChunks } from "./chunk-enqueue.js";
import { chunkFailure, resultFailure } from "./chunk-failure.js";
import { errorKey } from "./coordinator-keys.js";
import type { CoordinatorLog } from "./coordinator-log.js";
import type { CoordinatorMetrics } from "./coordinator-metrics.js";
import { type FastBlobs, checkFastSize, fastBlobsOf } from "./fast-blobs.js";
import { FastBlobMemo } from "./fast-blob-memo.js";
import { clientMessage, type JobData } from "./job-data.js";
import { manifestBlobs, shipJobData, shippedManifest } from "./job-shipping.js";
import { FastWork } from "./fast-work.js";
import { lostChunks } from "./lost-chunks.js";

/** How often failed chunk and result jobs are looked for. */
const MONITOR_MS = 1000;
/**
 * What a failed chunk or result job says of its grid job and chunk, whatever else it holds or
 * lacks (a job of another protocol version): the monitor needs no more to fail the grid job.
 */
const failedChunkSchema = z.object({ jobId: z.string(), chunk: chunkJobSchema.shape.chunk });
const failedResultSchema = z.object({ jobId: z.string(), chunkId: z.number().int().nonnegative() });
/**
 * How often running jobs are checked for chunks Redis lost (lost-chunks.ts): a Redis restarted
 * empty has its lost chunks queued again within this, without a coordinator restart.
 */
const RECONCILE_MS = 10_000;

const message = firstLine;

export interface QueueExecutorOptions {
  redis: Redis;
  /** A second connection for the result worker (BullMQ does not close a connection it was given). */
  resultConnection: () => Redis;
  chunkQueue: Queue;
  resultQueue: Queue;
  data: JobData;
  metrics: CoordinatorMetrics;
  link: RedisLink;
  log: CoordinatorLog;
  /** Results ingested concurrently (committed together by the group commit of @pairgrid/resultsdb). */
  ingestConcurrency: number;
  /** Largest fast data (compressed blobs) a job may add to Redis, bytes; 0: only maxmemory bounds it. */
  maxBlobBytes?: number;
}

/** A job's data read at submission, ready to ship: its slow bars and its fast day blobs, if hybrid. */
export interface PreparedData {
  sp: SlowPair;
  fast: FastBlobs | null;
  /** The fast blobs were cut for an earlier job over the same, unchanged files (fast-blob-memo.ts). */
  fastKept?: boolean;
}

/** One job's run on the cluster. */
interface Execution {
  job: LedgerJob;
  sink: ResultSink;
  stop: StopRequest;
  /** Blobs this job's manifest references (kept until no unfinished job needs them). */
  blobs: Set<string>;
  /** Set once the data is shipped and every chunk enqueued: from then on the reconcile watches it. */
  launched: boolean;
  /** Set once every chunk is stored or the stop is dealt with, so the end runs once. */
  ended: boolean;
  /** Resolves the runner's `execute`. */
  end: () => void;
}

export class QueueExecutor implements Executor<void> {
  private readonly executions = new Map<string, Execution>();
  /** The data a submission already read (its client's 400 comes before the job exists). */
  private readonly loaded = new Map<string, PreparedData>();
  /** The fast day blobs of the last data read, for the next hybrid job over the same files. */
  private readonly fastMemo = new FastBlobMemo();
  /** Each hybrid job's fast rows scanned and blob bytes fetched, per worker (the job views read it). */
  readonly fastWork = new FastWork();
  private resultWorker: Worker | null = null;
  private resultConnection: Redis | null = null;
  private monitorTimer: NodeJS.Timeout | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private monitoring = false;
  private reconciling = false;
  private closed = false;

  constructor(private readonly o: QueueExecutorOptions) {}

  /** Engines the cluster does not run (cluster-engines.ts in @pairgrid/cluster). */
  refusal(spec: GridSpec): InputError | null {
    const why = clusterEngineRefusal(spec.engine);
    return why === null ? null : new InputError(why, "engine");
  }

  /**
   * Reads a (resolved) spec's data and cuts a hybrid grid's fast closes into day blobs; refuses
   * (InputError) fast data that would not fit in Redis (fast-blobs.ts). Before the job exists.
   */
  async prepare(spec: GridSpec): Promise<PreparedData> {
    const prepared = await this.read(spec);
    if (prepared.fast !== null) await checkFastSize(this.o.redis, prepared.fast, this.o.maxBlobBytes ?? 0);
    return prepared;
  }

  private async read(spec: GridSpec): Promise<PreparedData> {
    if (!isHybridEngine(spec.engine)) return { sp: await this.o.data.loadSlow(spec), fast: null };
    const stamp = await dataFilesStamp(spec);
    const sp = await this.o.data.loadSlow(spec);
    // the files stamped before the slow load are still those after it: the kept blobs are theirs
    const stampNow = stamp === null ? null : await dataFilesStamp(spec);
    const kept = stampNow === stamp && stamp !== null ? this.fastMemo.get(stamp) : undefined;
    if (kept !== undefined) return { sp, fast: kept, fastKept: true };
    const fast = await fastBlobsOf(sp, (await this.o.data.loadFast(spec, sp))!);
    if (stamp !== null && stampNow === stamp && (await dataFilesStamp(spec)) === stamp)
      this.fastMemo.set(stamp, fast);
    return { sp, fast };
  }

  /** The job's data, read at submission: shipped without reading the files again. */
  preload(jobId: string, data: PreparedData): void {
    this.loaded.set(jobId, data);
  }

  /** Starts ingesting the workers' results and watching the queues. */
  start(): void {
    const connection = this.o.resultConnection();
    this.resultConnection = connection;
    this.resultWorker = new Worker(RESULT_QUEUE, (job) => this.ingest(job), {
      connection,
      prefix: KEY_PREFIX,
      concurrency: this.o.ingestConcurrency,
      ...lockSettings(),
    });
    this.resultWorker.on("error", this.o.link.onError("result worker"));
    this.monitorTimer = setInterval(() => void this.monitor(), MONITOR_MS);
    this.reconcileTimer = setInterval(() => void this.reconcile(), RECONCILE_MS);
  }

  /** Stops ingesting (waiting for ingests under way); runs under way stay running, for a restart. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.monitorTimer) clearInterval(this.monitorTimer);
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    await this.resultWorker?.close();
    this.resultConnection?.disconnect();
  }

  execute(job: LedgerJob, sink: ResultSink, stop: StopRequest): Promise<void> {
    return new Promise<void>((resolve) => {
      const ex: Execution = {
        job,
        sink,
        stop,
        blobs: new Set(),
        launched: false,
        ended: false,
        end: resolve,
      };
      this.executions.set(job.jobId, ex);
      stop.onRequest(() => void this.withdraw(ex));
      void this.launch(ex);
    });
  }

  private allStored(ex: Execution): boolean {
    return ex.job.done.size === ex.job.chunking.chunks.length;
  }

  /** Ships the job's data (unless already in Redis) and enqueues its chunks not yet stored. */
  private async launch(ex: Execution): Promise<void> {
    const { jobId, spec, plan } = ex.job;
    try {
      let manifest = await shippedManifest(this.o.redis, jobId);
      if (manifest === null) {
        // a resumed job's files are checked again: the root may have changed since it was submitted
        const d = this.loaded.get(jobId) ?? (await this.read(await this.o.data.resolve(spec)));
        manifest = await shipJobData(this.o.redis, jobId, spec, plan, d.sp, d.fast);
        if (d.fast !== null) {
          const bytes = d.fast.days.reduce((s, day) => s + day.buf.length, 0);
          this.o.log.info(
            `job ${jobId}: fast data: ${d.fast.days.length} day blobs, ${bytes} bytes (${d.fast.rows} rows, ` +
              `${d.fast.rows * 24} bytes raw)${d.fastKept ? ", cut for an earlier job over the same files" : ""}`,
          );
        }
      }
      this.loaded.delete(jobId);
      ex.blobs = new Set(manifestBlobs(manifest));
      if (ex.stop.requested) return void (await this.cleanUp(ex));
      const added = await enqueueChunks({
        redis: this.o.redis,
        chunkQueue: this.o.chunkQueue,
        resultQueue: this.o.resultQueue,
        jobId,
        chunks: ex.job.chunking.chunks,
        done: ex.job.done,
        stopped: () => ex.stop.requested || this.closed,
      });
      ex.launched = true;
      this.o.log.info(`job ${jobId}: ${added} chunks enqueued`);
      // a job with nothing left to run (all chunks stored before a restart) finishes here
      if (this.allStored(ex)) await this.complete(ex);
    } catch (err) {
      this.loaded.delete(jobId);
      if (this.closed) return;
      // the job's error is shown over HTTP: the client's view of it; the log keeps the rest
      if (!(err instanceof InputError)) this.o.log.error(`job ${jobId}: preparing the job: ${message(err)}`);
      ex.stop.fail(`preparing the job: ${clientMessage(err)}`);
    }
  }

  /**
   * One chunk's result → the runner's sink (the ledger refuses a chunk already stored). Its rows
   * are read from the job's results hash and deleted from it once stored (result-job.ts).
   */
  private async ingest(job: Job): Promise<string> {
    // first the version (protocol.ts): not retried, its reason is what the grid job's error shows
    const mismatch = protocolMismatch(job.data, "result", "coordinator");
    if (mismatch !== null) throw new UnrecoverableError(mismatch);
    const parsed = resultJobSchema.safeParse(job.data);
    // one line, with the field: what a failed result's reason (and its grid job's error) shows
    if (!parsed.success) throw new Error(`result job: ${zodToInputError(parsed.error).message}`);
    const d = parsed.data;
    const key = resultsKey(d.jobId);
    const field = String(d.chunkId);
    const ex = this.executions.get(d.jobId);
    // results of a finished, cancelled or failed job are dropped: its row count is final
    if (!ex || ex.ended || ex.stop.requested) {
      await this.o.redis.hdel(key, field);
      return "dropped";
    }
    const bytes = await this.o.redis.hgetBuffer(key, field);
    if (bytes === null) {
      if (ex.job.done.has(d.chunkId)) return "duplicate";
      // Redis lost the rows but kept the job: completed unstored, the chunk is lost and reconcile
      // runs it again (lost-chunks.ts)
      this.o.log.warn(
        `job ${d.jobId}: the rows of chunk ${d.chunkId} are gone from Redis; it will run again`,
      );
      return "lost";
    }
    const batch = decodeChunkResult(bytes);
    if (batch.chunkId !== d.chunkId)
      throw new Error(`result of chunk ${d.chunkId} holds chunk ${batch.chunkId}`);
    const t0 = performance.now();
    const stored = await ex.sink.store(d.chunkId, batch, d.combos);
    // stored or already stored: the ledger has the chunk, its rows in Redis are no longer needed
    await this.o.redis.hdel(key, field);
    this.o.metrics.chunkDuration.observe(d.ms / 1000);
    this.o.metrics.workerChunks.inc({ worker: d.worker });
    this.o.metrics.workerCombos.inc({ worker: d.worker }, d.combos);
    if (d.fastRows) this.o.metrics.workerFastRows.inc({ worker: d.worker }, d.fastRows);
    // after the store, as the metrics: a store that throws is retried and would count twice
    this.fastWork.add(d.jobId, d.worker, d.fastRows ?? 0, d.blobBytes ?? 0);
    if (stored !== "stored") return stored;
    this.o.metrics.ingested(batch.k, (performance.now() - t0) / 1000);
    if (this.allStored(ex)) await this.complete(ex);
    return "stored";
  }

  /**
   * Every chunk is stored: the job's Redis side goes, the workers are told they can release its
   * threads and arrays, and the runner finalises. A worker that misses the message (disconnected)
   * keeps the job's context until a later job evicts it: memory, not correctness.
   */
  private async complete(ex: Execution): Promise<void> {
    if (ex.ended) return;
    ex.ended = true;
    try {
      await this.cleanUp(ex);
      await this.o.redis.publish(FINISHED_CHANNEL, ex.job.jobId).catch(() => 0);
    } finally {
      ex.end();
    }
  }

  /** Cancel or fail: workers told (key + pub/sub), queued chunks removed, Redis side cleaned. */
  private async withdraw(ex: Execution): Promise<void> {
    if (ex.ended) return;
    ex.ended = true;
    const { jobId } = ex.job;
    const error = ex.stop.error;
    if (error) this.o.log.error(`job ${jobId}: failed: ${error}`);
    else this.o.log.info(`job ${jobId}: cancelled`);
    try {
      await this.o.redis.set(cancelledKey(jobId), "1", "EX", 7 * 86400);
      if (error) await this.o.redis.set(errorKey(jobId), error);
      await this.o.redis.publish(CANCEL_CHANNEL, jobId);
      await removeQueuedChunks(this.o.chunkQueue, jobId, ex.job.chunking.chunks);
      await this.cleanUp(ex);
    } catch (err) {
      // Redis down: the stop still holds here (results dropped, status stored by the runner)
      if (!this.closed) this.o.log.warn(`job ${jobId}: withdrawing its chunks: ${message(err)}`);
    } finally {
      this.executions.delete(jobId);
      ex.end();
    }
  }

  /** Forgets a finished job's Redis side: its manifest, and the blobs no other job names (blob-refs.ts). */
  private async cleanUp(ex: Execution): Promise<void> {
    this.executions.delete(ex.job.jobId);
    await this.o.redis.del(manifestKey(ex.job.jobId), resultsKey(ex.job.jobId));
    await releaseBlobRefs(this.o.redis, ex.job.jobId, ex.blobs);
  }

  /** Chunks or results that failed for good fail their job (a retried-out bug, a lost blob). */
  private async monitor(): Promise<void> {
    if (this.monitoring || this.closed) return;
    this.monitoring = true;
    try {
      for (const [queue, what] of [
        [this.o.chunkQueue, "chunk"],
        [this.o.resultQueue, "result of chunk"],
      ] as const) {
        for (const j of await queue.getFailed(0, 99)) {
          // only what names the grid job and the chunk: a job of another protocol (failed for
          // that reason, protocol.ts) must still fail its grid job, or its chunk would run again
          const d = (what === "chunk" ? failedChunkSchema : failedResultSchema).safeParse(j.data);
          if (d.success) {
            const ex = this.executions.get(d.data.jobId);
            if (ex) {
              ex.stop.fail(
                "chunk" in d.data ? chunkFailure(d.data.chunk, j) : resultFailure(d.data.chunkId, j),
              );
            }
          }
          await j.remove().catch(() => undefined);
        }
      }
    } catch (err) {
      // Redis down (the link logs that once): the next tick tries again
      if (!this.closed && !isConnectionError(err)) this.o.log.warn(`monitor: ${message(err)}`);
    } finally {
      this.monitoring = false;
    }
  }

  /**
   * Finds the chunks of running jobs that Redis lost (restarted without AOF, flushed): in neither
   * the ledger, the chunk queue nor the result queue (lost-chunks.ts). Their job's data is shipped
   * again when it went too, then they are enqueued again; the ledger keeps rows unique if one of
   * them was in fact still running somewhere.
   */
  private async reconcile(): Promise<void> {
    if (this.reconciling || this.closed || !this.o.link.up) return;
    this.reconciling = true;
    try {
      for (const ex of [...this.executions.values()]) {
        if (ex.launched && !ex.ended && !ex.stop.requested && !this.closed) await this.reconcileJob(ex);
      }
    } catch (err) {
      if (!this.closed && !isConnectionError(err)) this.o.log.warn(`reconcile: ${message(err)}`);
    } finally {
      this.reconciling = false;
    }
  }

  private async reconcileJob(ex: Execution): Promise<void> {
    const { jobId, spec, plan, chunking, done } = ex.job;
    const query = {
      redis: this.o.redis,
      chunkQueue: this.o.chunkQueue,
      resultQueue: this.o.resultQueue,
      jobId,
      chunks: chunking.chunks,
      done,
    };
    const lost = await lostChunks(query);
    if (lost.length === 0) return;
    // the manifest and blobs first: a worker must find them for any chunk it takes
    if ((await shippedManifest(this.o.redis, jobId)) === null) {
      let d: PreparedData;
      try {
        // checked against the data root again, as when a job is resumed
        d = await this.read(await this.o.data.resolve(spec));
      } catch (err) {
        return ex.stop.fail(`its data went with Redis and cannot be read again: ${clientMessage(err)}`);
      }
      const manifest = await shipJobData(this.o.redis, jobId, spec, plan, d.sp, d.fast);
      ex.blobs = new Set(manifestBlobs(manifest));
      this.o.log.warn(`job ${jobId}: its data was gone from Redis; shipped again`);
    }
    const added = await enqueueChunks({
      ...query,
      chunks: lost,
      stopped: () => ex.stop.requested || this.closed,
    });
    this.o.log.warn(
      `job ${jobId}: ${lost.length} chunks were neither stored, queued nor running (lost by Redis); ` +
        `${added} enqueued again`,
    );
  }
}
