// The queue worker against a real redis-server (never the machine's own on 6379), with the test
// playing the coordinator: it ships the blobs and the manifest, enqueues chunk jobs and reads the
// result jobs. Every test gets a fresh server, so queues and keys never leak between tests.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  type Chunk,
  type ChunkResult,
  chunkingOf,
  decodeChunkResult,
  encodePacked,
  type GridSpec,
  GroupPrecompute,
  groupCombination,
  hedgeKey,
  inputsFromPacked,
  loadSlowPair,
  packArrays,
  packGridData,
  planGrid,
  runChunk,
  slowGroupContext,
  type SlowPair,
  validateSpec,
  writeSynthFiles,
} from "@pairgrid/engine";
import { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import {
  CANCEL_CHANNEL,
  FINISHED_CHANNEL,
  cancelledKey,
  CHUNK_JOB_NAME,
  CLUSTER_PROTOCOL,
  CHUNK_JOB_OPTIONS,
  CHUNK_QUEUE,
  chunkJobId,
  type ChunkJobData,
  type ChunkJobReturn,
  type JobManifest,
  KEY_PREFIX,
  liveWorkerThreads,
  manifestKey,
  putBlob,
  RESULT_JOB_NAME,
  RESULT_QUEUE,
  type ResultJobData,
  resultJobId,
  resultJobSchema,
  resultsKey,
  WORKER_THREADS_KEY,
} from "@pairgrid/cluster";
import { TestRedis } from "@pairgrid/cluster/testing";
import { ChunkQueueWorker, connectRedis } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-qworker-"));
writeSynthFiles(join(dir, "data"), { days: 12, seed: 11 });
const data = {
  a: { symbol: "NQ", slow: "data/NQ.csv", multiplier: 20, tick_size: 0.25 },
  b: { symbol: "YM", slow: "data/YM.csv", multiplier: 5, tick_size: 1 },
  cache: false,
};
const base = { data, session: { flat_time: "16:55" }, costs: { commission: 2.25, slippage_ticks: 0.5 } };
/** 4 groups (2 hedges × 2 z windows) × 36 threshold sets, a correlation gate on. */
const spec = validateSpec(
  {
    name: "qworker",
    ...base,
    params: {
      ols_window: [150, 300],
      zscore_window: [30, 60],
      z_entry: [1.5, 2, 2.5],
      z_exit: [0, 0.5, 2],
      z_stop: [null, 3.5],
      corr_window: 200,
      min_corr: [null, 0.5],
    },
    rank: { folds: 4 },
  },
  dir,
);
/** One group, one big chunk of ~15 k combinations: long enough (≈ 0.5 s) to be caught running. */
const slowSpec = validateSpec(
  {
    name: "qworker-slow",
    ...base,
    params: {
      ols_window: 300,
      zscore_window: 60,
      z_entry: { from: 1.5, to: 3, step: 0.05 },
      z_exit: { from: -0.5, to: 1, step: 0.25 },
      z_stop: [null, 3, 3.5, 4, 4.5, 5, 6],
      max_hold: [0, 25, 50, 100, 200, 400, 800, 1600],
    },
    rank: { folds: 2 },
  },
  dir,
);
const sp = await loadSlowPair(spec);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const silent = () => {};

/** What the coordinator ships for a job (job-shipping.ts does the same): blobs, then the manifest. */
async function shipJob(
  redis: Redis,
  jobId: string,
  s: GridSpec,
  pair: SlowPair,
  hedgeFilter: (key: string) => boolean = () => true,
): Promise<void> {
  const plan = planGrid(s);
  const gd = packGridData(pair);
  const pre = new GroupPrecompute(pair.pair, s);
  const hedges: Record<string, string> = {};
  for (let g = 0; g < plan.nGroups; g++) {
    const { key, h } = pre.hedge(groupCombination(plan, g));
    if (key in hedges || !hedgeFilter(key)) continue;
    hedges[key] = await putBlob(redis, encodePacked(packArrays({ beta: h.beta, spread: h.spread })));
  }
  const manifest: JobManifest = {
    jobId,
    spec: s as unknown as Record<string, unknown>,
    base: await putBlob(redis, encodePacked(gd.base)),
    barMs: gd.barMs,
    nDays: gd.nDays,
    hedges,
  };
  await redis.set(manifestKey(jobId), JSON.stringify(manifest));
}

/** Chunk results computed in this thread, from the pair itself (no blobs). */
function localResults(s: GridSpec, pair: SlowPair, chunks: Chunk[]): ChunkResult[] {
  const plan = planGrid(s);
  const gd = packGridData(pair);
  const pre = new GroupPrecompute(pair.pair, s);
  const groups = new Map<number, ReturnType<GroupPrecompute["compute"]>>();
  return chunks.map((c) => {
    if (!groups.has(c.group)) groups.set(c.group, pre.compute(groupCombination(plan, c.group)));
    const inputs = inputsFromPacked(gd.base, groups.get(c.group)!, gd.barMs, gd.nDays);
    return runChunk(s, plan, slowGroupContext(inputs), c);
  });
}

function sameArray(got: Float64Array, want: Float64Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Object.is(got[i], want[i]), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

/** A fresh Redis, the coordinator's connections to it, and a watch on chunk job outcomes. */
class Harness {
  readonly completed = new Map<string, ChunkJobReturn>();
  readonly failed = new Map<string, string>();
  private readonly cleanups: (() => Promise<unknown>)[] = [];

  private constructor(
    readonly server: TestRedis,
    readonly redis: Redis,
    readonly chunks: Queue<ChunkJobData>,
    readonly results: Queue<ResultJobData>,
  ) {}

  static async start(): Promise<Harness> {
    const server = await TestRedis.start();
    const connection = { host: "127.0.0.1", port: server.port };
    const redis = connectRedis(server.url, "test-coordinator");
    const h = new Harness(
      server,
      redis,
      new Queue<ChunkJobData>(CHUNK_QUEUE, { connection, prefix: KEY_PREFIX }),
      new Queue<ResultJobData>(RESULT_QUEUE, { connection, prefix: KEY_PREFIX }),
    );
    const events = new QueueEvents(CHUNK_QUEUE, { connection, prefix: KEY_PREFIX });
    events.on("completed", ({ jobId, returnvalue }) => {
      const v = typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue;
      h.completed.set(jobId, v as ChunkJobReturn);
    });
    events.on("failed", ({ jobId, failedReason }) => h.failed.set(jobId, failedReason));
    await events.waitUntilReady();
    h.cleanups.push(
      () => events.close(),
      () => h.chunks.close(),
      () => h.results.close(),
      () => redis.quit(),
    );
    return h;
  }

  async enqueue(jobId: string, chunks: Chunk[]): Promise<void> {
    await this.chunks.addBulk(
      chunks.map((chunk) => ({
        name: CHUNK_JOB_NAME,
        data: { protocol: CLUSTER_PROTOCOL, jobId, chunk },
        opts: { ...CHUNK_JOB_OPTIONS, jobId: chunkJobId(jobId, chunk.chunkId) },
      })),
    );
  }

  /** A worker; this harness reads the results only at the end, so they may all wait (unless `more`). */
  async worker(threads = 2, more: { maxQueuedResults?: number } = {}): Promise<ChunkQueueWorker> {
    const w = await ChunkQueueWorker.start({
      redisUrl: this.server.url,
      threads,
      log: silent,
      maxQueuedResults: 1000,
      ...more,
    });
    this.cleanups.unshift(() => w.close());
    return w;
  }

  /** Waits until `n` chunk jobs have completed or failed. */
  async settled(n: number, timeoutMs = 15_000): Promise<void> {
    const t0 = Date.now();
    while (this.completed.size + this.failed.size < n) {
      if (Date.now() - t0 > timeoutMs) {
        assert.fail(`${this.completed.size} completed, ${this.failed.size} failed of ${n}`);
      }
      await sleep(10);
    }
  }

  async resultJobs(): Promise<ResultJobData[]> {
    const jobs = await this.results.getJobs(["waiting", "prioritized", "delayed"]);
    return jobs.map((j) => {
      assert.equal(j.name, RESULT_JOB_NAME);
      const data = resultJobSchema.parse(j.data);
      assert.equal(j.id, resultJobId(data.jobId, data.chunkId));
      return data;
    });
  }

  async stop(): Promise<void> {
    for (const f of this.cleanups) await f().catch(() => {});
    await this.server.stop();
  }
}

test("result jobs equal the chunk function run locally, bit for bit", async () => {
  const h = await Harness.start();
  try {
    const jobId = "0000abcd";
    const plan = planGrid(spec);
    const { chunks } = chunkingOf(plan, 9);
    assert.ok(plan.nGroups === 4 && chunks.length === 16, "4 groups of 4 chunks");
    await shipJob(h.redis, jobId, spec, sp);
    await h.enqueue(jobId, chunks);
    const worker = await h.worker(2);
    await h.settled(chunks.length);
    assert.deepEqual([...h.failed], []);

    const results = new Map((await h.resultJobs()).map((r) => [r.chunkId, r]));
    assert.equal(results.size, chunks.length, "one result job per chunk");
    const rows = new Map(Object.entries(await h.redis.hgetallBuffer(resultsKey(jobId))));
    assert.equal(rows.size, chunks.length, "one rows field per chunk");
    const want = localResults(spec, sp, chunks);
    chunks.forEach((chunk, j) => {
      const r = results.get(chunk.chunkId)!;
      const w = want[j]!;
      assert.equal(r.jobId, jobId);
      assert.equal(r.combos, chunk.t1 - chunk.t0);
      assert.equal(r.rows, w.k);
      assert.equal(r.worker, worker.id);
      assert.deepEqual(h.completed.get(chunkJobId(jobId, chunk.chunkId)), { rows: w.k, cancelled: false });
      // the rows are in the job's results hash, written before the result job (result-job.ts)
      const bytes = rows.get(String(chunk.chunkId));
      assert.ok(bytes, `chunk ${chunk.chunkId}: rows in ${resultsKey(jobId)}`);
      const got = decodeChunkResult(bytes);
      assert.equal(got.chunkId, chunk.chunkId);
      assert.equal(got.k, w.k);
      assert.equal(got.skipped, w.skipped);
      assert.equal(got.nFolds, w.nFolds);
      for (const field of ["comboIds", "params", "stats", "folds"] as const) {
        sameArray(got[field], w[field], `chunk ${chunk.chunkId} ${field}`);
      }
    });
    assert.deepEqual(worker.counts, {
      processed: chunks.length,
      cancelled: 0,
      failed: 0,
      combos: plan.total,
      busy: 0,
    });
    const exposition = await worker.metrics.registry.metrics();
    assert.match(exposition, /pairgrid_worker_chunks_processed_total\{worker="[^"]+"\} 16/);
    assert.match(exposition, /process_resident_memory_bytes/);
  } finally {
    await h.stop();
  }
});

test("a finished job's context is released when the coordinator announces it", async () => {
  const h = await Harness.start();
  try {
    const chunks = chunkingOf(planGrid(spec), 36).chunks.slice(0, 2);
    for (const jobId of ["0000a001", "0000a002"]) await shipJob(h.redis, jobId, spec, sp);
    const worker = await h.worker(1);
    await h.enqueue("0000a001", chunks);
    await h.settled(2);
    await h.enqueue("0000a002", chunks);
    await h.settled(4);
    assert.deepEqual([...h.failed], []);
    // without the announcement both jobs' threads and arrays stay (the cache keeps two)
    assert.equal(worker.jobContexts, 2);
    const contextsAfter = async (publish: string, want: number) => {
      await h.redis.publish(FINISHED_CHANNEL, publish);
      for (let i = 0; worker.jobContexts !== want; i++) {
        assert.ok(i < 500, `${worker.jobContexts} contexts held after "${publish}" finished, want ${want}`);
        await sleep(10);
      }
    };
    await contextsAfter("0000a001", 1);
    await contextsAfter("0000ffff", 1); // a job this worker never ran: nothing to release
    await contextsAfter("0000a002", 0);
    assert.match(await worker.metrics.registry.metrics(), /pairgrid_worker_job_contexts\{worker="[^"]+"\} 0/);
    // a chunk of a finished job arriving late (a redelivery; a new BullMQ id, or BullMQ would
    // dedupe it) still runs: its context is loaded again
    await h.enqueue("0000a001", [{ ...chunks[0]!, chunkId: chunks[0]!.chunkId + 1000 }]);
    await h.settled(5);
    assert.equal(worker.counts.processed, 5);
    assert.equal(worker.jobContexts, 1);
  } finally {
    await h.stop();
  }
});

test("a hedge missing from the manifest fails the chunk: the worker never computes one", async () => {
  const h = await Harness.start();
  try {
    const jobId = "0000beef";
    const plan = planGrid(spec);
    const shipped = hedgeKey(spec, groupCombination(plan, 0));
    await shipJob(h.redis, jobId, spec, sp, (key) => key === shipped);
    // group 0 has its hedge; group 3 (ols_window 300) does not
    const chunks = chunkingOf(plan, 36).chunks.filter((c) => c.group === 0 || c.group === 3);
    await h.enqueue(jobId, chunks);
    await h.worker(1);
    await h.settled(2);
    assert.equal(h.completed.get(chunkJobId(jobId, chunks[0]!.chunkId))?.cancelled, false);
    assert.match(h.failed.get(chunkJobId(jobId, chunks[1]!.chunkId)) ?? "", /no hedge ols:300/);
    assert.deepEqual(
      (await h.resultJobs()).map((r) => r.chunkId),
      [chunks[0]!.chunkId],
    );
  } finally {
    await h.stop();
  }
});

test("chunks of a job with its cancelled key set return cancelled without running", async () => {
  const h = await Harness.start();
  try {
    const jobId = "0000dead";
    // no manifest at all: a cancelled chunk must not even load its job
    await h.redis.set(cancelledKey(jobId), "1");
    const chunks = chunkingOf(planGrid(spec), 9).chunks.slice(0, 3);
    await h.enqueue(jobId, chunks);
    const worker = await h.worker(2);
    await h.settled(chunks.length);
    for (const c of chunks) {
      assert.deepEqual(h.completed.get(chunkJobId(jobId, c.chunkId)), { rows: 0, cancelled: true });
    }
    assert.deepEqual(await h.resultJobs(), []);
    assert.equal(worker.counts.cancelled, 3);
    assert.equal(worker.counts.processed, 0);
  } finally {
    await h.stop();
  }
});

/** Enqueues slowSpec's one big chunk and waits until a thread is running it. */
async function startSlowChunk(
  h: Harness,
  jobId: string,
): Promise<{ worker: ChunkQueueWorker; chunk: Chunk }> {
  const plan = planGrid(slowSpec);
  const [chunk] = chunkingOf(plan, plan.perGroup).chunks;
  assert.ok(plan.nGroups === 1 && plan.perGroup > 10_000);
  await shipJob(h.redis, jobId, slowSpec, sp);
  await h.enqueue(jobId, [chunk!]);
  const worker = await h.worker(1);
  const t0 = Date.now();
  while (worker.counts.busy === 0) {
    assert.ok(Date.now() - t0 < 10_000, "the chunk never started");
    await sleep(2);
  }
  return { worker, chunk: chunk! };
}

test("a cancel message aborts a running chunk: cancelled, no result job", async () => {
  const h = await Harness.start();
  try {
    const jobId = "0000cafe";
    const { worker, chunk } = await startSlowChunk(h, jobId);
    await h.redis.set(cancelledKey(jobId), "1");
    await h.redis.publish(CANCEL_CHANNEL, jobId);
    await h.settled(1);
    assert.deepEqual(h.completed.get(chunkJobId(jobId, chunk.chunkId)), { rows: 0, cancelled: true });
    assert.deepEqual(await h.resultJobs(), []);
    assert.equal(worker.counts.cancelled, 1);
    assert.equal(worker.counts.busy, 0);
  } finally {
    await h.stop();
  }
});

test("close() lets a running chunk finish and deliver its result", async () => {
  const h = await Harness.start();
  try {
    const jobId = "0000f00d";
    const { worker, chunk } = await startSlowChunk(h, jobId);
    await worker.close();
    const results = await h.resultJobs();
    assert.deepEqual(
      results.map((r) => r.chunkId),
      [chunk.chunkId],
    );
    assert.equal(results[0]!.combos, chunk.t1 - chunk.t0);
    assert.equal(worker.counts.processed, 1);
  } finally {
    await h.stop();
  }
});

test("close() of an idle worker is quick and leaves no connection behind", async () => {
  const h = await Harness.start();
  try {
    const worker = await h.worker(2);
    const named = async () =>
      ((await h.redis.client("LIST")) as string).split("\n").filter((l) => l.includes("pairgrid-worker"));
    assert.ok((await named()).length >= 2, "the worker's connections are named");
    const t0 = Date.now();
    await worker.close();
    assert.ok(Date.now() - t0 < 5000, `close took ${Date.now() - t0} ms`);
    await worker.close(); // idempotent
    for (let i = 0; (await named()).length > 0; i++) {
      assert.ok(i < 100, `connections left: ${(await named()).join("; ")}`);
      await sleep(20);
    }
  } finally {
    await h.stop();
  }
});

test("the coordinator sees the live workers' threads; a stale or closed worker counts for none", async () => {
  const h = await Harness.start();
  try {
    assert.equal(await liveWorkerThreads(h.chunks, h.redis), 0);
    // a worker that died without a word leaves its field behind: not connected, not counted
    await h.redis.hset(WORKER_THREADS_KEY, "gone-host:4242", "8");
    const two = await h.worker(2);
    const one = await h.worker(1);
    assert.equal(await liveWorkerThreads(h.chunks, h.redis), 3);
    await one.close();
    assert.equal(await liveWorkerThreads(h.chunks, h.redis), 2);
    await two.close();
    assert.equal(await liveWorkerThreads(h.chunks, h.redis), 0);
    assert.deepEqual(await h.redis.hgetall(WORKER_THREADS_KEY), { "gone-host:4242": "8" });
  } finally {
    await h.stop();
  }
});

test("a worker holds its chunks while results pile up in Redis, and runs them once they are taken", async () => {
  const h = await Harness.start();
  try {
    const jobId = "0000b001";
    const { chunks } = chunkingOf(planGrid(spec), 9);
    await shipJob(h.redis, jobId, spec, sp);
    await h.enqueue(jobId, chunks);
    const max = 3;
    await h.worker(2, { maxQueuedResults: max });
    // nobody takes the results (the coordinator is down): the queue fills to the bound, plus at
    // most one more from the other thread that looked at the same moment, and stays there
    let peak = 0;
    const watch = async (ms: number) => {
      const t0 = Date.now();
      while (Date.now() - t0 < ms) {
        peak = Math.max(peak, await h.results.getWaitingCount());
        await sleep(10);
      }
    };
    const t0 = Date.now();
    while ((await h.results.getWaitingCount()) < max) {
      assert.ok(Date.now() - t0 < 15_000, "results never reached the bound");
      await sleep(10);
    }
    await watch(1500);
    assert.ok(peak <= max + 1, `peak ${peak} results waiting`);
    assert.ok(h.completed.size <= max + 1, `${h.completed.size} chunks ran`);
    // the coordinator is back and takes each result: the held chunks run, every one delivered once
    const taken: number[] = [];
    const t1 = Date.now();
    while (taken.length < chunks.length) {
      assert.ok(Date.now() - t1 < 30_000, `${taken.length} of ${chunks.length} results after 30 s`);
      peak = Math.max(peak, await h.results.getWaitingCount());
      for (const job of await h.results.getJobs(["waiting"])) {
        taken.push(resultJobSchema.parse(job.data).chunkId);
        await job.remove();
      }
      await sleep(10);
    }
    assert.ok(peak <= max + 1, `peak ${peak} results waiting`);
    assert.deepEqual(
      taken.sort((a, b) => a - b),
      chunks.map((c) => c.chunkId),
    );
    await h.settled(chunks.length);
    assert.deepEqual([...h.failed], []);
  } finally {
    await h.stop();
  }
});
