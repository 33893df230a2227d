// The results file of grid runs: jobs, one row per combination, fold statistics and the chunk
// ledger that makes ingest exactly-once. One DuckDB instance per open file, with one connection for
// queries and small writes and, for ingest, lanes of their own (group-commit.ts).
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { type FoldStatistic, InputError } from "@pairgrid/engine";
import type { ChunkBatch } from "./chunk-batch.js";
import {
  checkedChunk,
  type IngestHooks,
  ingestChunksAtomically,
  type PendingChunk,
  type TableLayouts,
} from "./chunk-ingest.js";
import { LedgerStatements, refreshProgress } from "./chunk-ledger.js";
import { finalizeJobDsr } from "./dsr-finalize.js";
import { type FoldStats, readFoldStats } from "./fold-stats.js";
import {
  claimJob,
  insertJob,
  jobSelectList,
  type JobRecord,
  latestJobId,
  type NewJob,
  type RunClaim,
  selectJob,
  selectJobs,
  touchHeartbeat,
  updateJobStatus,
} from "./job-records.js";
import { GroupCommitter } from "./group-commit.js";
import { fileInPlace, type QuerySource, type SnapshotHost, WriterSnapshots } from "./query-snapshot.js";
import { type SandboxOptions, SandboxedQuery } from "./sandboxed-query.js";
import {
  ensureSchema,
  type FoldLayout,
  foldLayout,
  hasSchema,
  ident,
  type JobStatus,
  tableColumnNames,
} from "./schema.js";
import type { RobustnessQuery, RobustnessReport } from "./robustness-json.js";
import { robustnessStreamed } from "./robustness-streamed.js";
import { SerialQueue } from "./serial-queue.js";
import { copyCheckpointed, copyThroughDuckDB, walBytes } from "./snapshot-copies.js";
import { bestAscending } from "./ranking.js";
import { type TopOptions, topRows, varyingParams } from "./top-query.js";
import { markTwins, type TwinGroup, twinGroups } from "./twin-groups.js";
import { WriterThreads } from "./writer-threads.js";

export interface OpenOptions {
  /** Open without write access (and without creating anything): `pairgrid top`, dashboards. */
  readOnly?: boolean;
  /** Ingest transactions that may run at once, each on a connection of its own (default INGEST_LANES). */
  ingestLanes?: number;
  /** WAL size past which the lanes pause for a checkpoint (default WAL_CHECKPOINT_BYTES; tests). */
  walCheckpointBytes?: number;
}

/**
 * Ingest lanes of a writer (group-commit.ts). Two: with chunks queueing up and two free cores, 3 M
 * rows of 16 folds went in at 131–148 k rows/s (close included) against 98–119 k through one
 * connection (bench/ingest-micro.mjs, 8 chunks in flight, alternating, 3 turns each), for the same
 * CPU (medians 27.8 and 28.2 CPU-s) and 80–110 MB more peak RSS. The coordinator ingests beside no
 * kernels; `pairgrid run`, whose kernels hold every core, opens its file with one lane
 * (run-local-grid.ts).
 */
export const INGEST_LANES = 2;

/**
 * jobs.n_done is copied from the ledger at most this often while a job ingests (and whenever its
 * status changes, and on close): a copy is a transaction of its own, and one per group commit
 * would double the writer's commits for a column nobody reads more often than this.
 */
const PROGRESS_COPY_MS = 1000;

/**
 * DuckDB checkpoints on its own at a commit that finds the WAL past `checkpoint_threshold` (256 MB
 * here), but not while other transactions are open, and in practice the WAL of a long ingest grew
 * far past it: 10 M rows of 16 folds (bench/ingest-micro.mjs) left a WAL of up to 3.9 GB through one
 * connection and 1.5 GB through two lanes (disk, and minutes of replay after a crash). Past this
 * size the lanes pause after their transactions and the writer checkpoints (group-commit.ts
 * pauseFor): 10 M rows through two lanes then peaked at 275 MB.
 */
export const WAL_CHECKPOINT_BYTES = 2 * 256 * 1024 * 1024;

/** An ingest lane: a connection of its own and the ledger statements prepared on it. */
interface IngestLane {
  conn: DuckDBConnection;
  ledger: LedgerStatements;
}

/** First line of a DuckDB error, for one-line messages ("IO Error: Could not set lock …"). */
const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split("\n")[0];

/**
 * A writer's settings. DuckDB checkpoints (folds the WAL into the table file, compressing) each
 * time the WAL passes `checkpoint_threshold`, 16 MB by default: a W2 run's 1.7 M fold rows cross it
 * many times, and those checkpoints were ~40 % of the ingest's CPU. At 256 MB a run checkpoints a
 * few times at most (and on close). Commits stay durable: each one is in the WAL when it returns.
 */
const WRITE_OPTIONS = { checkpoint_threshold: "256MB" };

/**
 * DuckDB's buffer pool of an analysis (read-only opens: top, robustness, the dashboard's reads of
 * a finished file). Its default is 80 % of the machine's memory, which let a report's RSS grow with
 * the job (issue 19); bounded, DuckDB spills sorts, joins and aggregates to its temp directory
 * instead. 1 GB holds the working set of a W6 job's queries.
 */
export const DUCKDB_MEMORY_LIMIT = "1GB";

/**
 * The writer's buffer pool (`pairgrid run`, the coordinator; issue 19 item 6). What grows in it with
 * the job is a cache: after each checkpoint the blocks just written stay in the pool (~73 MB a
 * checkpoint, ~230 k rows with 16 folds) until the limit makes DuckDB evict them; beside them are
 * the rows not yet checkpointed (up to WRITE_OPTIONS.checkpoint_threshold, spilled to the temp
 * directory when the pool is full) and, at finalize, the twins' window. At 1 GB that cache was a
 * run's growth with the number of combinations: ingest + finalize alone, 0.4 M → 1.6 M rows, peak
 * RSS 0.69 → 1.20 GB. At 1.6 M rows, limits alternated (CPU-s ingest / finalize, peak RSS):
 *   1 GB   21.3–26.6 / 2.8–3.8, 1.20–1.21 GB     384 MB 21.6–22.5 / 3.5–3.7, 0.66–0.74 GB
 *   512 MB 22.2–27.2 / 3.6–4.2, 0.87 GB          256 MB 22.2–22.7 / 3.2–3.6, 0.57–0.59 GB
 * The limit costs no ingest CPU beyond the noise and under a second of finalize (blocks read back).
 * 512 MB, not lower: an append keeps ~50 MB of blocks pinned (at 48 MB DuckDB fails the commit),
 * and the coordinator answers the dashboard's analyses (robustness included) from this same pool,
 * so it keeps half the readers' 1 GB for them. PAIRGRID_DUCKDB_MEMORY overrides both limits.
 */
export const WRITER_MEMORY_LIMIT = "512MB";

/**
 * The memory limit an open uses: PAIRGRID_DUCKDB_MEMORY (a DuckDB size such as "512MB" or "4GB"),
 * else WRITER_MEMORY_LIMIT for a read-write open and DUCKDB_MEMORY_LIMIT for a read-only one.
 */
export function duckdbMemoryLimit(readOnly: boolean, env: NodeJS.ProcessEnv = process.env): string {
  const v = env.PAIRGRID_DUCKDB_MEMORY?.trim();
  if (v) return v;
  return readOnly ? DUCKDB_MEMORY_LIMIT : WRITER_MEMORY_LIMIT;
}

/**
 * A file opened read-only before any writer added `same_as` has no twins marked. A temporary view
 * of this connection, named `results` (temp objects shadow the file's), gives it an all-NULL
 * same_as, so every ranked query filters twins the one way (ranking.ts rankedRowsWhere) and counts
 * every row here.
 */
async function noTwinsMarked(conn: DuckDBConnection): Promise<void> {
  const reader = await conn.runAndReadAll("SELECT current_database()");
  const file = ident(String(reader.getRows()[0]![0]));
  await conn.run(`CREATE TEMP VIEW results AS SELECT *, NULL::BIGINT AS same_as FROM ${file}.main.results`);
}

export class ResultsDb {
  /** Test seam for the atomicity tests; never set in production code. */
  ingestHooks: IngestHooks = {};
  private readonly queue = new SerialQueue();
  private closed = false;
  /** Jobs ingested since jobs.n_done was last copied from the ledger (copyProgress). */
  private readonly progressBehind = new Set<string>();
  private progressCopiedAt = 0;
  /** Set when close() is called: ingestChunk refuses new chunks from then on. */
  private closing = false;
  /** Reads on connections of their own (robustness), waited for by close(). */
  private readonly sideReads = new Set<Promise<unknown>>();
  /** Opened on their first ingest (a read-only file never needs them). */
  private readonly lanes = new Map<number, Promise<IngestLane>>();
  /** Query sandboxes opened on this file, closed with it. */
  private readonly sandboxes = new Set<SandboxedQuery>();
  /** What the sandboxes' query processes read: the file, or snapshots while this one writes it. */
  private querySource: QuerySource | null = null;
  /** Raised after each write (query-snapshot.ts: a snapshot is remade when it moved). */
  private writes = 0;
  /**
   * Held by every write of `conn` (writing) and by a snapshot's copy, which writes must not overlap.
   * The WAL checkpoint (writeChunks) does not take it: it is a pause of the ingest queue, as the
   * copy is, and the queue runs its pauses one after another.
   */
  private readonly writeGate = new SerialQueue();
  /** How this writer's query snapshots were made: file copies, and DuckDB's copies (the fallback). */
  readonly snapshotCopies = { file: 0, duckdb: 0 };
  /**
   * Told of each /query snapshot copy: how (a file copy, ingest paused meanwhile; or DuckDB's
   * copy, ingest going on) and its seconds. The coordinator charts it (coordinator-metrics.ts).
   */
  onSnapshotCopy: ((how: "file" | "duckdb", seconds: number) => void) | null = null;
  private readonly ingestQueue: GroupCommitter;

  private constructor(
    readonly file: string,
    readonly readOnly: boolean,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly layouts: TableLayouts,
    /** SELECT list of job rows for this file's `jobs` columns (jobSelectList). */
    private readonly jobColumns: string,
    /** One DuckDB thread while ingesting, all of them for analyses (writer-threads.ts); null read-only. */
    readonly threads: WriterThreads | null,
    ingestLanes: number,
    private readonly walCheckpointBytes: number,
  ) {
    this.ingestQueue = new GroupCommitter((lane, chunks) => this.writeChunks(lane, chunks), {
      lanes: ingestLanes,
    });
  }

  /** Opens (read-write: creating if needed, with its schema) a results file. */
  static async open(file: string, opts: OpenOptions = {}): Promise<ResultsDb> {
    const readOnly = opts.readOnly ?? false;
    if (readOnly && !existsSync(file)) throw new InputError(`${file}: no such results database`);
    let instance: DuckDBInstance;
    try {
      const memory = { memory_limit: duckdbMemoryLimit(readOnly) };
      instance = await DuckDBInstance.create(
        file,
        readOnly ? { access_mode: "READ_ONLY", ...memory } : { ...WRITE_OPTIONS, ...memory },
      );
    } catch (err) {
      // typically the lock another process holds while it writes the file, or not a DuckDB file
      throw new InputError(`${file}: ${firstLine(err)}`);
    }
    const conn = await instance.connect();
    try {
      let folds: FoldLayout;
      if (readOnly) {
        if (!(await hasSchema(conn))) throw new InputError(`${file}: not a pairgrid results database`);
        folds = await foldLayout(conn);
      } else {
        folds = await ensureSchema(conn);
      }
      const layouts: TableLayouts = {
        results: await tableColumnNames(conn, "results"),
        results_folds: folds === "table" ? await tableColumnNames(conn, "results_folds") : [],
        folds,
      };
      if (!layouts.results.includes("same_as")) await noTwinsMarked(conn);
      const jobColumns = jobSelectList(new Set(await tableColumnNames(conn, "jobs")));
      const threads = readOnly ? null : await WriterThreads.of(conn);
      // a crash between an ingest's commit and the copy of its progress left jobs.n_done behind
      if (!readOnly) await refreshProgress(conn);
      return new ResultsDb(
        file,
        readOnly,
        instance,
        conn,
        layouts,
        jobColumns,
        threads,
        opts.ingestLanes ?? INGEST_LANES,
        opts.walCheckpointBytes ?? WAL_CHECKPOINT_BYTES,
      );
    } catch (err) {
      conn.closeSync();
      instance.closeSync();
      throw err;
    }
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.run(() => {
      if (this.closed) throw new Error(`${this.file}: results database is closed`);
      return task();
    });
  }

  /** A queued call that scans a job's rows: DuckDB's whole thread pool first (writer-threads.ts). */
  private analysis<T>(task: () => Promise<T>): Promise<T> {
    return this.serial(async () => {
      await this.threads?.forQueries();
      return task();
    });
  }

  /**
   * A queued call that writes through this file's connection, after any snapshot copy under way
   * (snapshotHost): reads go on during a copy, writes wait for it.
   */
  private writing<T>(task: () => Promise<T>): Promise<T> {
    return this.writeGate.run(() => this.serial(task));
  }

  /** A queued write that a query should see: counted once it settled, so a query after it sees it. */
  private async write<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await this.writing(task);
    } finally {
      this.writes++;
    }
  }

  /** Registers a job with status `running` and n_done 0. */
  createJob(job: NewJob): Promise<void> {
    return this.write(() => insertJob(this.conn, job));
  }

  /** A new job id: 8 hex digits, short enough to type, unique within this results file. */
  async newJobId(): Promise<string> {
    for (;;) {
      const id = randomBytes(4).toString("hex");
      if (!(await this.getJob(id))) return id;
    }
  }

  getJob(jobId: string): Promise<JobRecord | null> {
    return this.serial(() => selectJob(this.conn, jobId, this.jobColumns));
  }

  /** Every job, newest first. */
  listJobs(): Promise<JobRecord[]> {
    return this.serial(() => selectJobs(this.conn, this.jobColumns));
  }

  /** A `pairgrid run` takes the job on: its runner, spec file, host and pid, and a first heartbeat. */
  claimJob(jobId: string, claim: RunClaim): Promise<void> {
    return this.writing(() => claimJob(this.conn, jobId, claim));
  }

  /** Refreshes the job's heartbeat (job-liveness.ts); queued between ingests like every call. */
  heartbeat(jobId: string): Promise<void> {
    return this.writing(() => touchHeartbeat(this.conn, jobId));
  }

  /**
   * Exactly once: the chunk's rows, fold rows and its ledger row for (jobId, chunkId) in ONE
   * transaction; jobs.n_done then follows the ledger. Returns false, writing nothing, when the
   * chunk is already in the ledger (a redelivered or retried chunk). Chunks submitted while the
   * ingest lanes are busy are committed together (group-commit.ts), so the batch's arrays must
   * stay untouched until the promise settles.
   */
  async ingestChunk(jobId: string, chunkId: number, batch: ChunkBatch): Promise<boolean> {
    if (this.readOnly) throw new Error(`${this.file}: opened read-only`);
    if (this.closing) throw new Error(`${this.file}: results database is closed`);
    // a malformed batch is refused here, alone, before it can share a transaction with others
    return this.ingestQueue.submit(checkedChunk(jobId, chunkId, batch));
  }

  /** One transaction on an ingest lane for chunks that queued up together (see group-commit.ts). */
  private async writeChunks(lane: number, chunks: readonly PendingChunk[]): Promise<boolean[]> {
    if (this.closed) throw new Error(`${this.file}: results database is closed`);
    const { conn, ledger } = await this.lane(lane);
    await this.threads?.forIngest(conn);
    const written = await ingestChunksAtomically(conn, this.layouts, ledger, chunks, this.ingestHooks);
    this.writes++;
    if (walBytes(this.file) > this.walCheckpointBytes) {
      // on the writer's queue, so none of its own small writes (n_done, heartbeats) is open either:
      // DuckDB refuses a CHECKPOINT while any write transaction is
      this.ingestQueue.pauseFor(() =>
        this.serial(async () => {
          await this.conn.run("CHECKPOINT");
        }),
      );
    }
    for (let i = 0; i < chunks.length; i++) if (written[i]) this.progressBehind.add(chunks[i]!.jobId);
    if (performance.now() - this.progressCopiedAt >= PROGRESS_COPY_MS) this.copyProgress();
    return written;
  }

  /**
   * Copies the ledger's counts into jobs.n_done for the jobs ingested since the last copy, on the
   * writer's queue (job reads take n_done from the ledger itself; this is for SQL on `jobs`).
   */
  private copyProgress(): void {
    const jobs = [...this.progressBehind];
    this.progressBehind.clear();
    this.progressCopiedAt = performance.now();
    if (jobs.length > 0) this.writing(() => refreshProgress(this.conn, jobs)).catch(() => undefined);
  }

  /** Lane `i`'s connection and ledger statements, opened on first use. */
  private lane(i: number): Promise<IngestLane> {
    let lane = this.lanes.get(i);
    if (!lane) {
      lane = (async () => {
        const conn = await this.instance.connect();
        return { conn, ledger: await LedgerStatements.prepare(conn) };
      })();
      this.lanes.set(i, lane);
    }
    return lane;
  }

  /** Chunk ids already in the ledger: what a resumed job can skip. */
  doneChunks(jobId: string): Promise<Set<number>> {
    return this.serial(async () => {
      const reader = await this.conn.runAndReadAll("SELECT chunk_id FROM chunks WHERE job_id = $1", [jobId]);
      return new Set(reader.getRowsJS().map((r) => Number(r[0])));
    });
  }

  /** Sets a job's status; `finished` true stamps finished_at now, false clears it. */
  setStatus(jobId: string, status: JobStatus, finished?: boolean): Promise<void> {
    this.copyProgress(); // queued first: a job's row is exact when its status changes
    return this.write(() => updateJobStatus(this.conn, jobId, status, finished));
  }

  /**
   * The finalise step once a job's rows are in: results.dsr for every row (ENGINE.md §7: N = all
   * the job's rows), then results.same_as (twin-groups.ts).
   */
  async finalizeDsr(jobId: string): Promise<void> {
    await this.write(async () => {
      await this.threads?.forQueries();
      await finalizeJobDsr(this.conn, jobId);
      await markTwins(this.conn, jobId);
    });
  }

  /**
   * "+N identical" and the parameters that vary inside each group, for first rows of twin groups
   * (the rows `top` lists by default): what rankings and tables show beside a row.
   */
  twinGroups(jobId: string, comboIds: readonly number[]): Promise<TwinGroup[]> {
    if (!this.layouts.results.includes("same_as")) {
      return Promise.resolve(comboIds.map((id) => ({ combo_id: id, n_identical: 0, varying: {} })));
    }
    return this.analysis(() => twinGroups(this.conn, jobId, comboIds));
  }

  /** The best rows of a job (default: the latest job) by a RANKABLE statistic. */
  top(opts: TopOptions): Promise<Record<string, unknown>[]> {
    const ascending = opts.ascending ?? bestAscending(opts.by);
    return this.analysis(async () =>
      topRows(this.conn, await this.resolveJob(opts.jobId), { ...opts, ascending }),
    );
  }

  /** Parameters that are not constant (or all NULL) over the job's rows. */
  varyingParams(jobId?: string): Promise<string[]> {
    return this.analysis(async () => varyingParams(this.conn, await this.resolveJob(jobId)));
  }

  /** A job's fold rows and result columns as typed arrays in combo_id order (fold-stats.ts). */
  foldStats(jobId?: string): Promise<FoldStats> {
    return this.analysis(async () => readFoldStats(this.conn, await this.resolveJob(jobId)));
  }

  /**
   * The robustness report of an existing job, streaming its fold matrix (robustness-streamed.ts).
   * On a connection of its own, in one read transaction (every pass sees the same rows), outside
   * the queue: at 25 M rows it takes minutes, and ingest and the dashboard's other routes go on
   * meanwhile. close() waits for it.
   */
  async robustness(
    jobId: string,
    q: RobustnessQuery & { by: FoldStatistic; limit: number },
    onProgress?: (done: number, total: number) => void,
  ): Promise<RobustnessReport> {
    if (this.closed) throw new Error(`${this.file}: results database is closed`);
    // registered before the first await, so a close() from now on waits for it
    const task = (async () => {
      // queued: the pool is switched between two ingests (a later ingest narrows it again)
      await this.analysis(async () => undefined);
      const conn = await this.instance.connect();
      try {
        await conn.run("BEGIN TRANSACTION");
        return await robustnessStreamed(
          conn,
          jobId,
          this.layouts.folds,
          this.layouts.results.includes("same_as"),
          q,
          { onProgress },
        );
      } finally {
        await conn.run("ROLLBACK").catch(() => undefined);
        conn.closeSync();
      }
    })();
    this.sideReads.add(task);
    try {
      return await task;
    } finally {
      this.sideReads.delete(task);
    }
  }

  /** The job id a query means: the one named (which must exist) or the latest. */
  private async resolveJob(jobId: string | undefined): Promise<string> {
    if (jobId !== undefined) {
      if (!(await selectJob(this.conn, jobId, this.jobColumns)))
        throw new InputError(`${this.file}: unknown job '${jobId}'`);
      return jobId;
    }
    const latest = await latestJobId(this.conn);
    if (latest === null) throw new InputError(`${this.file}: no jobs yet`);
    return latest;
  }

  /**
   * Read-only user SQL (`POST /query`) in query processes of its own (sandboxed-query.ts), which
   * read this file when it is open read-only and a snapshot of it otherwise (query-snapshot.ts).
   * This file's DuckDB instance never runs user SQL.
   */
  async sandbox(opts?: SandboxOptions): Promise<SandboxedQuery> {
    if (this.closed) throw new Error(`${this.file}: results database is closed`);
    this.querySource ??= this.readOnly ? fileInPlace(this.file) : new WriterSnapshots(this.snapshotHost());
    const sandbox = SandboxedQuery.open(this.querySource, opts);
    this.sandboxes.add(sandbox);
    return sandbox;
  }

  /**
   * Copies what is committed into a new DuckDB file at `path` that a query process may open.
   * Fast way: with every write paused (the ingest lanes idle, the write gate held; reads go on), a
   * CHECKPOINT folds the WAL into the file, which then holds every commit and changes no more until
   * the writes resume, so its bytes are copied as they are (the kernel's copy_file_range, no
   * decoding: see bench/snapshot-copy.mjs for both ways on a seed-scale file). When the checkpoint
   * fails or leaves a WAL behind, DuckDB copies instead (COPY FROM DATABASE in one transaction on a
   * connection of its own): slower, but ingest goes on meanwhile.
   */
  private snapshotHost(): SnapshotHost {
    return {
      file: this.file,
      generation: () => this.writes,
      copyTo: async (path: string) => {
        if (this.closed) throw new Error(`${this.file}: results database is closed`);
        let t0 = performance.now();
        const copied = await this.writeGate.run(() =>
          this.ingestQueue.whilePaused(() => copyCheckpointed(this.instance, this.file, path)),
        );
        let how: "file" | "duckdb" = "file";
        if (!copied) {
          t0 = performance.now();
          await copyThroughDuckDB(this.instance, path);
          how = "duckdb";
        }
        this.snapshotCopies[how]++;
        this.onSnapshotCopy?.(how, (performance.now() - t0) / 1000);
      },
    };
  }

  /**
   * Runs read-only queries written elsewhere in this package (the dashboard's heatmap-query.ts,
   * rows-query.ts) on this file's connection, queued with every other call.
   */
  read<T>(task: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.analysis(() => task(this.conn));
  }

  /** Waits for queued calls, then closes the connection and the database (releasing the file). */
  async close(): Promise<void> {
    // no chunk is taken from now on; those taken are written first, outside the queue, whose
    // checkpoints (above) the lanes may wait for
    this.closing = true;
    await this.ingestQueue.drained();
    await this.queue.run(async () => {
      if (this.closed) return;
      this.closed = true;
      if (!this.readOnly) await refreshProgress(this.conn).catch(() => undefined);
      await Promise.allSettled([...this.sideReads]);
      for (const sandbox of this.sandboxes) await sandbox.close();
      await this.querySource?.close();
      for (const lane of this.lanes.values()) {
        const { conn, ledger } = await lane;
        ledger.destroy();
        conn.closeSync();
      }
      this.conn.closeSync();
      this.instance.closeSync();
    });
  }
}
