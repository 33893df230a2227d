// The coordinator: owns the DuckDB file (the only writer) and serves the cluster's jobs. Each job
// is run by the job runner of @pairgrid/jobs (ledger, exactly-once ingest, finalising) with the
// queue executor (queue-executor.ts: data shipped to Redis, chunks to the workers over BullMQ).
// This file is the JobService over them: submit, views and progress, cancel, and on start the
// resumption of every job the previous process left unfinished. HTTP is wired on top (http/).
import { realpath } from "node:fs/promises";
import { planGrid, validateSpec } from "@pairgrid/engine";
import { adoptJob, createJob, JobRunner, type LedgerJob } from "@pairgrid/jobs";
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
  CHUNK_QUEUE,
  firstLine,
  KEY_PREFIX,
  liveWorkerThreads,
  RedisLink,
  RESULT_QUEUE,
} from "@pairgrid/cluster";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { clusterChunkSize } from "./cluster-chunk-size.js";
import { connectRedis } from "./connect-redis.js";
import type { CoordinatorLog } from "./coordinator-log.js";
import { errorKey } from "./coordinator-keys.js";
import { CoordinatorMetrics } from "./coordinator-metrics.js";
import {
  type JobService,
  type JobView,
  rankedResults,
  type ResultsQuery,
  storedJobView,
  type SubmitOptions,
  type SubmitResult,
} from "./job-service.js";
import { clientMessage, JobData } from "./job-data.js";
import { JobState } from "./job-state.js";
import { lazyQuery } from "./lazy-query.js";
import { QueueExecutor } from "./queue-executor.js";
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
  /** Largest fast data a hybrid job may add to Redis (compressed bytes); 0 or unset: no cap but maxmemory. */
  maxBlobBytes?: number;
}

/** /healthz waits this long for Redis's PONG. */
const PING_TIMEOUT_MS = 1000;

const message = firstLine;

export class Coordinator implements JobService {
  /** The jobs this process runs, by id. */
  private readonly states = new Map<string, JobState>();
  private readonly runner: JobRunner<void>;
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
    private readonly executor: QueueExecutor,
  ) {
    this.runner = new JobRunner(db, executor);
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
    const metrics = new CoordinatorMetrics(chunkQueue, resultQueue);
    db.onSnapshotCopy = (how, seconds) => metrics.querySnapshots.observe({ how }, seconds);
    const data = new JobData(await realpath(o.dataDir));
    const executor = new QueueExecutor({
      redis,
      resultConnection: () => {
        const connection = connectRedis(o.redisUrl, "pairgrid-coordinator-results");
        link.watch(connection);
        return connection;
      },
      chunkQueue,
      resultQueue,
      data,
      metrics,
      link,
      log: o.log,
      ingestConcurrency: o.ingestConcurrency ?? 8,
      maxBlobBytes: o.maxBlobBytes ?? 0,
    });
    const c = new Coordinator(o, redis, db, chunkQueue, resultQueue, metrics, data, link, executor);
    await checkRedisSettings(redis, o.log);
    await c.resumeJobs();
    executor.start();
    return c;
  }

  // ---- JobService -------------------------------------------------------------------------

  async submit(rawSpec: unknown, opts: SubmitOptions): Promise<SubmitResult> {
    // paths are checked against the data root before anything is read, existence included
    const spec = await this.data.resolve(validateSpec(rawSpec, this.o.dataDir, false));
    this.runner.check(spec);
    const plan = planGrid(spec, this.o.maxCombos);
    const threads = opts.chunkSize === undefined ? await this.liveThreads() : 0;
    const size = opts.chunkSize ?? clusterChunkSize(spec, plan, threads);
    // the data is read before the job exists: a missing or malformed file is the client's 400
    const prepared = await this.executor.prepare(spec);
    const job = await createJob(this.db, spec, plan, size, "coordinator");
    const nChunks = job.chunking.chunks.length;
    const cutFor = threads > 0 ? `${threads} live worker threads` : "no worker connected yet";
    this.o.log.info(
      `job ${job.jobId} (${spec.name}): ${job.nCombos} combinations in ${nChunks} chunks (${cutFor})`,
    );
    this.executor.preload(job.jobId, prepared);
    this.run(job);
    return { job_id: job.jobId, n_combos: job.nCombos, n_chunks: nChunks };
  }

  /** Chunk threads of the workers connected now; 0 (the default chunking) if Redis cannot say. */
  private async liveThreads(): Promise<number> {
    try {
      return await liveWorkerThreads(this.chunkQueue, this.redis);
    } catch {
      return 0;
    }
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

  results(jobId: string, q: ResultsQuery): Promise<Record<string, unknown>[] | null> {
    return rankedResults(this.db, jobId, q);
  }

  async cancel(jobId: string): Promise<JobView | null> {
    const st = this.states.get(jobId);
    if (!st) return this.get(jobId);
    this.runner.stop(jobId, "cancel");
    await st.finished;
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
    await this.executor.close();
    this.link.stop();
    await this.chunkQueue.close();
    await this.resultQueue.close();
    this.redis.disconnect();
    await this.db.close();
  }

  /** Hands the job to the runner; its view follows the progress, and it is forgotten at the end. */
  private run(job: LedgerJob): void {
    const st = new JobState(job, this.executor.fastWork);
    this.states.set(job.jobId, st);
    this.metrics.combosTotal.set({ job: job.jobId }, job.plan.total);
    this.metrics.combosDone.set({ job: job.jobId }, job.combosDone);
    let combos = 0;
    const running = this.runner.run(job, {
      onProgress: (_job, run) => {
        st.rate.add(run.combos - combos);
        combos = run.combos;
        this.metrics.combosDone.set({ job: job.jobId }, job.combosDone);
        st.notify();
      },
    });
    st.finished = running.then(
      (out) => {
        st.status = out.status;
        st.error = out.error;
        if (out.status === "done") this.o.log.info(`job ${job.jobId}: done, ${job.rowsDone} rows`);
        return out;
      },
      (err: unknown) => {
        // a coordinator closing under a run leaves the job running, for the next one to resume
        if (this.closed) return null;
        this.o.log.error(`job ${job.jobId}: ${message(err)}`);
        st.status = "failed";
        st.error = clientMessage(err);
        return null;
      },
    );
    void st.finished.then((out) => {
      if (out === null && this.closed) return;
      st.finishedAt = new Date();
      this.states.delete(job.jobId);
      this.metrics.combosTotal.remove({ job: job.jobId });
      this.metrics.combosDone.remove({ job: job.jobId });
      st.notify();
    });
  }

  /**
   * Rebuilds every job left running by a previous coordinator from the ledger and runs it again. A
   * job a `pairgrid run` left running (killed) is not the coordinator's: it shows as interrupted
   * with its own resume command (which may need the fast data the cluster does not run).
   */
  private async resumeJobs(): Promise<void> {
    for (const r of await this.db.listJobs()) {
      if (r.status !== "running" || r.runner === "local") continue;
      try {
        const job = await adoptJob(this.db, r);
        const nChunks = job.chunking.chunks.length;
        this.o.log.info(`job ${r.job_id}: resuming, ${job.done.size} of ${nChunks} chunks stored`);
        this.run(job);
      } catch (err) {
        this.o.log.error(`job ${r.job_id}: cannot resume: ${message(err)}`);
        await this.db.setStatus(r.job_id, "failed", true);
        await this.redis.set(errorKey(r.job_id), `cannot resume: ${clientMessage(err)}`);
      }
    }
  }

  private async viewOf(r: JobRecord): Promise<JobView> {
    const st = this.states.get(r.job_id);
    if (st) return st.view();
    const chunksDone = r.status === "done" ? r.n_chunks : (await this.db.doneChunks(r.job_id)).size;
    const error = r.status === "failed" ? await this.redis.get(errorKey(r.job_id)).catch(() => null) : null;
    return storedJobView(
      r,
      chunksDone,
      error,
      this.db.file,
      localProbe(),
      this.executor.fastWork.view(r.job_id),
    );
  }
}
