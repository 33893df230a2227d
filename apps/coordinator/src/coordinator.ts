// The coordinator: owns the DuckDB file (the only writer), turns submitted grids into chunk jobs
// on Redis, ingests the workers' results exactly once, tracks progress, cancels, and on start
// resumes every job the previous process left unfinished. HTTP is wired on top (http/).
import {
  type Chunk,
  chunkingOf,
  chunkingOfJob,
  countValidCombinations,
  decodeChunkResult,
  defaultChunkSize,
  type GridSpec,
  InputError,
  planGrid,
  type SlowPair,
  validateSpec,
} from "@pairgrid/engine";
import {
  buildRobustnessReport,
  type JobRecord,
  localProbe,
  type QueryAnswer,
  ResultsDb,
  type RobustnessQuery,
  type RobustnessReport,
  type SandboxOptions,
} from "@pairgrid/resultsdb";
import {
  CANCEL_CHANNEL,
  CHUNK_QUEUE,
  cancelledKey,
  chunkJobSchema,
  deleteBlobs,
  firstLine,
  isConnectionError,
  KEY_PREFIX,
  lockSettings,
  manifestKey,
  RedisLink,
  RESULT_QUEUE,
  resultJobSchema,
} from "@pairgrid/cluster";
import { type Job, Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { enqueueChunks, removeQueuedChunks } from "./chunk-enqueue.js";
import { realpath } from "node:fs/promises";
import { chunkFailure, resultFailure } from "./chunk-failure.js";
import { connectRedis } from "./connect-redis.js";
import type { CoordinatorLog } from "./coordinator-log.js";
import { errorKey } from "./coordinator-keys.js";
import { CoordinatorMetrics } from "./coordinator-metrics.js";
import {
  type JobService,
  type JobView,
  type ResultsQuery,
  storedJobView,
  type SubmitOptions,
  type SubmitResult,
} from "./job-service.js";
import { manifestBlobs, shipJobData, shippedManifest } from "./job-shipping.js";
import { clientMessage, JobData } from "./job-data.js";
import { JobState } from "./job-state.js";
import { lazyQuery } from "./lazy-query.js";
import { lostChunks } from "./lost-chunks.js";
import { checkRedisSettings } from "./redis-policy.js";
import { type ResultsReader, ResultsDbReader } from "./results-reader.js";

export interface CoordinatorOptions {
  redisUrl: string;
  dbFile: string;
  /**
   * The data root: relative data paths in submitted specs resolve against it, and no spec may
   * make the coordinator read a file whose real path lies outside it.
   */
  dataDir: string;
  /** Largest grid accepted (valid combinations). */
  maxCombos: number;
  log: CoordinatorLog;
  /** Results ingested concurrently (committed together by the group commit of @pairgrid/resultsdb). */
  ingestConcurrency?: number;
  /** POST /query's limits (memory cap, time limit); unset ones take the sandbox's defaults. */
  query?: SandboxOptions;
}

/** Chunking hint: enough chunks for 16 threads at 4 chunks each, at most 2000 combinations. */
const CLUSTER_THREADS_HINT = 16;
/** How often failed chunk and result jobs are looked for. */
const MONITOR_MS = 1000;
/**
 * How often running jobs are checked for chunks Redis lost (lost-chunks.ts): a Redis restarted
 * empty has its lost chunks queued again within this, without a coordinator restart.
 */
const RECONCILE_MS = 10_000;
/** /healthz waits this long for Redis's PONG. */
const PING_TIMEOUT_MS = 1000;

const message = firstLine;

export class Coordinator implements JobService {
  private readonly states = new Map<string, JobState>();
  private monitorTimer: NodeJS.Timeout | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private reconciling = false;
  /** The result worker's connection: BullMQ does not close a connection it was given. */
  private resultConnection: Redis | null = null;
  private monitoring = false;
  private closed = false;
  /** The dashboard's analysis reads over this coordinator's results file. */
  readonly reader: ResultsReader;
  /** POST /query: one read-only SELECT in the results file's sandbox. */
  readonly query: (sql: string) => Promise<QueryAnswer>;
  /** GET /jobs/:id/robustness: PBO, walk-forward and stability of a job (null: no such job). */
  readonly robustness: (jobId: string, q: RobustnessQuery) => Promise<RobustnessReport | null>;

  private constructor(
    private readonly o: CoordinatorOptions,
    private readonly redis: Redis,
    private readonly db: ResultsDb,
    private readonly chunkQueue: Queue,
    private readonly resultQueue: Queue,
    readonly metrics: CoordinatorMetrics,
    private readonly data: JobData,
    /** Redis's reachability, logged once per change (not once per retry per connection). */
    private readonly link: RedisLink,
    private resultWorker: Worker | null = null,
  ) {
    this.reader = new ResultsDbReader(db);
    this.query = lazyQuery(db, o.query);
    this.robustness = (jobId, q) => buildRobustnessReport(db, jobId, q);
  }

  static async start(o: CoordinatorOptions): Promise<Coordinator> {
    const link = new RedisLink(o.log);
    const redis = connectRedis(o.redisUrl, "pairgrid-coordinator");
    link.watch(redis);
    const db = await ResultsDb.open(o.dbFile);
    const queueOpts = { connection: redis, prefix: KEY_PREFIX };
    const chunkQueue = new Queue(CHUNK_QUEUE, queueOpts);
    const resultQueue = new Queue(RESULT_QUEUE, queueOpts);
    // unlistened, a Queue prints a stack trace for each of its connection's errors
    chunkQueue.on("error", link.onError("chunk queue"));
    resultQueue.on("error", link.onError("result queue"));
    const c = new Coordinator(
      o,
      redis,
      db,
      chunkQueue,
      resultQueue,
      new CoordinatorMetrics(chunkQueue, resultQueue),
      new JobData(await realpath(o.dataDir)),
      link,
    );
    await checkRedisSettings(redis, o.log);
    await c.resumeJobs();
    c.resultConnection = connectRedis(o.redisUrl, "pairgrid-coordinator-results");
    link.watch(c.resultConnection);
    c.resultWorker = new Worker(RESULT_QUEUE, (job) => c.ingest(job), {
      connection: c.resultConnection,
      prefix: KEY_PREFIX,
      concurrency: o.ingestConcurrency ?? 8,
      ...lockSettings(),
    });
    c.resultWorker.on("error", link.onError("result worker"));
    c.monitorTimer = setInterval(() => void c.monitor(), MONITOR_MS);
    c.reconcileTimer = setInterval(() => void c.reconcile(), RECONCILE_MS);
    return c;
  }

  // ---- JobService -------------------------------------------------------------------------

  async submit(rawSpec: unknown, opts: SubmitOptions): Promise<SubmitResult> {
    // paths are checked against the data root before anything is read, existence included
    const spec = await this.data.resolve(validateSpec(rawSpec, this.o.dataDir, false));
    if (spec.engine !== "slow") {
      throw new InputError(
        `engine: the cluster runs the slow engine; run ${spec.engine} grids with \`pairgrid run\``,
        "engine",
      );
    }
    const plan = planGrid(spec, this.o.maxCombos);
    const size = opts.chunkSize ?? defaultChunkSize(plan, CLUSTER_THREADS_HINT);
    const { chunks } = chunkingOf(plan, size);
    // the data is read before the job exists: a missing or malformed file is the client's 400
    const sp = await this.data.loadSlow(spec);
    const jobId = await this.db.newJobId();
    const nCombos = countValidCombinations(plan);
    await this.db.createJob({
      job_id: jobId,
      name: spec.name,
      spec: JSON.parse(JSON.stringify(spec)),
      n_combos: nCombos,
      n_chunks: chunks.length,
      runner: "coordinator",
    });
    const record = (await this.db.getJob(jobId))!;
    const st = new JobState(jobId, spec.name, spec, plan, chunks, nCombos, record.created_at);
    this.track(st);
    this.o.log.info(`job ${jobId} (${spec.name}): ${nCombos} combinations in ${chunks.length} chunks`);
    void this.launch(st, sp);
    return { job_id: jobId, n_combos: nCombos, n_chunks: chunks.length };
  }

  async list(): Promise<JobView[]> {
    const records = await this.db.listJobs();
    return Promise.all(records.map((r) => this.viewOf(r)));
  }

  async get(jobId: string): Promise<JobView | null> {
    const st = this.states.get(jobId);
    if (st) return st.view();
    const r = await this.db.getJob(jobId);
    return r ? this.viewOf(r) : null;
  }

  async results(jobId: string, q: ResultsQuery): Promise<Record<string, unknown>[] | null> {
    if (!(await this.db.getJob(jobId))) return null;
    return this.db.top({
      jobId,
      by: q.by,
      minTrades: q.minTrades,
      limit: q.limit,
      ascending: q.by === "max_dd",
    });
  }

  async cancel(jobId: string): Promise<JobView | null> {
    const st = this.states.get(jobId);
    if (!st) return this.get(jobId);
    await this.stop(st, "cancelled", null);
    return st.view();
  }

  watch(jobId: string, listener: (view: JobView) => void): () => void {
    const st = this.states.get(jobId);
    if (!st) return () => {};
    st.listeners.add(listener);
    return () => st.listeners.delete(listener);
  }

  async health(): Promise<{ ok: boolean; redis: string; db: string }> {
    // a PING sent while disconnected would wait in ioredis's offline queue, one per probe
    if (this.redis.status !== "ready") {
      return { ok: false, redis: `unreachable (${this.redis.status})`, db: this.db.file };
    }
    let timer: NodeJS.Timeout | undefined;
    const redis = await Promise.race([
      this.redis.ping().then(
        () => "ok",
        (err: unknown) => message(err),
      ),
      new Promise<string>((r) => {
        timer = setTimeout(() => r(`no answer within ${PING_TIMEOUT_MS} ms`), PING_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    return { ok: redis === "ok", redis, db: this.db.file };
  }

  // ---- lifecycle --------------------------------------------------------------------------

  /** Stops ingesting (waiting for ingests under way), then closes queues, Redis and DuckDB. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.monitorTimer) clearInterval(this.monitorTimer);
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    await this.resultWorker?.close();
    this.link.stop();
    await this.chunkQueue.close();
    await this.resultQueue.close();
    this.resultConnection?.disconnect();
    this.redis.disconnect();
    await this.db.close();
  }

  private track(st: JobState): void {
    this.states.set(st.jobId, st);
    this.metrics.combosTotal.set({ job: st.jobId }, st.plan.total);
    this.metrics.combosDone.set({ job: st.jobId }, st.idsDone);
  }

  /** Ships the job's data (unless already in Redis) and enqueues its chunks not yet stored. */
  private async launch(st: JobState, sp: SlowPair | null): Promise<void> {
    try {
      let manifest = await shippedManifest(this.redis, st.jobId);
      if (manifest === null) {
        // a resumed job's files are checked again: the root may have changed since it was submitted
        const pair = sp ?? (await this.data.loadSlow(await this.data.resolve(st.spec)));
        manifest = await shipJobData(this.redis, st.jobId, st.spec, st.plan, pair);
      }
      st.blobs = new Set(manifestBlobs(manifest));
      if (st.status !== "running") return void (await this.cleanUp(st));
      const added = await enqueueChunks({
        redis: this.redis,
        chunkQueue: this.chunkQueue,
        resultQueue: this.resultQueue,
        jobId: st.jobId,
        chunks: st.chunks,
        done: st.done,
        stopped: () => st.status !== "running" || this.closed,
      });
      st.launched = true;
      this.o.log.info(`job ${st.jobId}: ${added} chunks enqueued`);
      // a job with nothing left to run (all chunks stored before a restart) finishes here
      if (st.chunksDone === st.nChunks) await this.finish(st);
    } catch (err) {
      if (this.closed) return;
      // the job's error is shown over HTTP: the client's view of it; the log keeps the rest
      if (!(err instanceof InputError))
        this.o.log.error(`job ${st.jobId}: preparing the job: ${message(err)}`);
      await this.stop(st, "failed", `preparing the job: ${clientMessage(err)}`);
    }
  }

  /**
   * Rebuilds the state of every job left running by a previous coordinator and relaunches it. A
   * job a `pairgrid run` left running (killed) is not the coordinator's: it shows as interrupted
   * with its own resume command (which may need the fast data the cluster does not run).
   */
  private async resumeJobs(): Promise<void> {
    for (const r of await this.db.listJobs()) {
      if (r.status !== "running" || r.runner === "local") continue;
      try {
        const spec: GridSpec = validateSpec(r.spec, "/", false);
        const plan = planGrid(spec, Number.MAX_SAFE_INTEGER);
        const { chunks } = chunkingOfJob(plan, r.n_chunks, r.job_id);
        const done = await this.db.doneChunks(r.job_id);
        const st = new JobState(r.job_id, r.name, spec, plan, chunks, r.n_combos, r.created_at);
        for (const id of done) st.done.add(id);
        st.rowsDone = r.n_done;
        st.idsDone = chunks.reduce((s: number, c: Chunk) => s + (done.has(c.chunkId) ? c.t1 - c.t0 : 0), 0);
        this.track(st);
        this.o.log.info(`job ${r.job_id}: resuming, ${done.size} of ${chunks.length} chunks stored`);
        void this.launch(st, null);
      } catch (err) {
        this.o.log.error(`job ${r.job_id}: cannot resume: ${message(err)}`);
        await this.db.setStatus(r.job_id, "failed", true);
        await this.redis.set(errorKey(r.job_id), `cannot resume: ${clientMessage(err)}`);
      }
    }
  }

  /** One chunk's result → DuckDB, exactly once (the ledger refuses a chunk already stored). */
  private async ingest(job: Job): Promise<string> {
    const d = resultJobSchema.parse(job.data);
    const st = this.states.get(d.jobId);
    // results of a finished, cancelled or failed job are dropped: its row count is final
    if (!st || st.status !== "running") return "dropped";
    const batch = decodeChunkResult(Buffer.from(d.payload, "base64"));
    if (batch.chunkId !== d.chunkId)
      throw new Error(`result of chunk ${d.chunkId} holds chunk ${batch.chunkId}`);
    const t0 = performance.now();
    const stored = await this.db.ingestChunk(d.jobId, d.chunkId, batch);
    this.metrics.chunkDuration.observe(d.ms / 1000);
    this.metrics.workerChunks.inc({ worker: d.worker });
    this.metrics.workerCombos.inc({ worker: d.worker }, d.combos);
    if (!stored) return "duplicate";
    this.metrics.ingested(batch.k, (performance.now() - t0) / 1000);
    st.done.add(d.chunkId);
    st.rowsDone += batch.k;
    st.idsDone += d.combos;
    st.rate.add(d.combos);
    this.metrics.combosDone.set({ job: st.jobId }, st.idsDone);
    st.notify();
    if (st.chunksDone === st.nChunks) await this.finish(st);
    return "stored";
  }

  private async finish(st: JobState): Promise<void> {
    if (st.finishing) return;
    st.finishing = true;
    await this.db.finalizeDsr(st.jobId);
    await this.db.setStatus(st.jobId, "done", true);
    st.status = "done";
    st.finishedAt = new Date();
    this.o.log.info(`job ${st.jobId}: done, ${st.rowsDone} rows`);
    await this.cleanUp(st);
    st.notify();
  }

  /** Cancel or fail: workers told (key + pub/sub), queued chunks removed, status stored. */
  private async stop(st: JobState, status: "cancelled" | "failed", error: string | null): Promise<void> {
    if (st.status !== "running") return;
    st.status = status;
    st.error = error;
    st.finishedAt = new Date();
    if (error) this.o.log.error(`job ${st.jobId}: failed: ${error}`);
    else this.o.log.info(`job ${st.jobId}: cancelled`);
    await this.redis.set(cancelledKey(st.jobId), "1", "EX", 7 * 86400);
    if (error) await this.redis.set(errorKey(st.jobId), error);
    await this.redis.publish(CANCEL_CHANNEL, st.jobId);
    await this.db.setStatus(st.jobId, status, true);
    await removeQueuedChunks(this.chunkQueue, st.jobId, st.chunks);
    await this.cleanUp(st);
    st.notify();
  }

  /** Forgets a finished job: manifest and blobs no unfinished job shares, progress gauges. */
  private async cleanUp(st: JobState): Promise<void> {
    this.states.delete(st.jobId);
    const stillNeeded = new Set([...this.states.values()].flatMap((s) => [...s.blobs]));
    await this.redis.del(manifestKey(st.jobId));
    await deleteBlobs(
      this.redis,
      [...st.blobs].filter((b) => !stillNeeded.has(b)),
    );
    this.metrics.combosTotal.remove({ job: st.jobId });
    this.metrics.combosDone.remove({ job: st.jobId });
  }

  /** Chunks or results that failed for good fail their job (a retried-out bug, a lost blob). */
  private async monitor(): Promise<void> {
    if (this.monitoring || this.closed) return;
    this.monitoring = true;
    try {
      for (const [queue, what] of [
        [this.chunkQueue, "chunk"],
        [this.resultQueue, "result of chunk"],
      ] as const) {
        for (const j of await queue.getFailed(0, 99)) {
          const d = (what === "chunk" ? chunkJobSchema : resultJobSchema).safeParse(j.data);
          if (d.success) {
            const st = this.states.get(d.data.jobId);
            if (st)
              await this.stop(
                st,
                "failed",
                "chunk" in d.data ? chunkFailure(d.data.chunk, j) : resultFailure(d.data.chunkId, j),
              );
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
    if (this.reconciling || this.closed || !this.link.up) return;
    this.reconciling = true;
    try {
      for (const st of [...this.states.values()]) {
        if (st.launched && st.status === "running" && !st.finishing && !this.closed)
          await this.reconcileJob(st);
      }
    } catch (err) {
      if (!this.closed && !isConnectionError(err)) this.o.log.warn(`reconcile: ${message(err)}`);
    } finally {
      this.reconciling = false;
    }
  }

  private async reconcileJob(st: JobState): Promise<void> {
    const lost = await lostChunks({
      redis: this.redis,
      chunkQueue: this.chunkQueue,
      resultQueue: this.resultQueue,
      jobId: st.jobId,
      chunks: st.chunks,
      done: st.done,
    });
    if (lost.length === 0) return;
    // the manifest and blobs first: a worker must find them for any chunk it takes
    if ((await shippedManifest(this.redis, st.jobId)) === null) {
      let sp: SlowPair;
      try {
        // checked against the data root again, as when a job is resumed
        sp = await this.data.loadSlow(await this.data.resolve(st.spec));
      } catch (err) {
        return this.stop(
          st,
          "failed",
          `its data went with Redis and cannot be read again: ${clientMessage(err)}`,
        );
      }
      const manifest = await shipJobData(this.redis, st.jobId, st.spec, st.plan, sp);
      st.blobs = new Set(manifestBlobs(manifest));
      this.o.log.warn(`job ${st.jobId}: its data was gone from Redis; shipped again`);
    }
    const added = await enqueueChunks({
      redis: this.redis,
      chunkQueue: this.chunkQueue,
      resultQueue: this.resultQueue,
      jobId: st.jobId,
      chunks: lost,
      done: st.done,
      stopped: () => st.status !== "running" || this.closed,
    });
    this.o.log.warn(
      `job ${st.jobId}: ${lost.length} chunks were neither stored, queued nor running (lost by Redis); ` +
        `${added} enqueued again`,
    );
  }

  private async viewOf(r: JobRecord): Promise<JobView> {
    const st = this.states.get(r.job_id);
    if (st) return st.view();
    const chunksDone = r.status === "done" ? r.n_chunks : (await this.db.doneChunks(r.job_id)).size;
    const error = r.status === "failed" ? await this.redis.get(errorKey(r.job_id)).catch(() => null) : null;
    return storedJobView(r, chunksDone, error, this.db.file, localProbe());
  }
}
