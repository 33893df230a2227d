// Issue 16 §3–4: Redis faults the cluster must ride out without a restart by hand.
//   - A Redis without AOF restarted empty mid-job: the coordinator's reconcile finds the chunks
//     that are neither stored, queued nor running, ships the job's data again and requeues them;
//     the job ends with exactly one row per valid combination.
//   - Redis down: /healthz answers 503, and the coordinator and the worker each log one line when
//     it goes and one when it is back — no stack traces, no line per retry.
//   - A chunk that kills every worker that takes it fails its job with a message naming the chunk
//     and how many workers died.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { LONG_PARAMS, SMALL_PARAMS } from "./cluster-fixtures.js";
import { Queue } from "bullmq";
import {
  CHUNK_JOB_NAME,
  CHUNK_JOB_OPTIONS,
  CHUNK_QUEUE,
  KEY_PREFIX,
  RESULT_JOB_NAME,
  RESULT_JOB_OPTIONS,
  RESULT_QUEUE,
  resultsKey,
} from "@pairgrid/cluster";
import { connectRedis } from "@pairgrid/worker";
import { TestCluster } from "./cluster-harness.js";
import { makeRunDir, type RunDir, specObject, withResultsFiles } from "./run-fixtures.js";

let rd: RunDir;

before(() => {
  rd = makeRunDir("cluster-redis-faults", 250, 13);
});

/** LONG_PARAMS without the dollar exits: the same 64 chunks, each a ninth as long. */
const { dollar_tp: _tp, dollar_sl: _sl, ...QUICK_PARAMS } = LONG_PARAMS;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(
  what: string,
  cond: () => Promise<boolean> | boolean,
  timeoutMs: number,
  logs: () => string,
) {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) assert.fail(`${what}: not within ${timeoutMs} ms\n${logs()}`);
    await sleep(100);
  }
}

const healthStatus = (cluster: TestCluster) =>
  fetch(`${cluster.url}/healthz`).then(
    (r) => r.status,
    () => 0,
  );

test("a Redis without AOF restarted empty mid-job: lost chunks run again, exactly one row per combination", async () => {
  const cluster = await TestCluster.start(rd, { workers: 2, threads: 1, redis: { appendonly: false } });
  try {
    const job = await cluster.submit(specObject(QUICK_PARAMS, { name: "no-aof" }));
    await cluster.waitFor(job.job_id, (v) => v.chunks_done >= 8);
    await cluster.waitForActive(2);
    await cluster.redis.down("SIGKILL");
    await cluster.redis.up(); // empty: no AOF, no snapshot
    const t0 = Date.now();
    // the reconcile runs every 10 s; the rest is the chunks' own time
    const end = await cluster.waitFor(job.job_id, (v) => v.status === "done", 45_000);
    const coordinatorLog = cluster.logOf(cluster.coordinator!);
    assert.match(coordinatorLog, /job \w+: its data was gone from Redis; shipped again/);
    assert.match(
      coordinatorLog,
      /chunks were neither stored, queued nor running \(lost by Redis\); \d+ enqueued again/,
    );
    assert.match(coordinatorLog, /WARNING: Redis runs without AOF/);
    assert.equal(end.n_done, job.n_combos);
    assert.equal(end.chunks_done, job.n_chunks);
    await cluster.stop();
    const [[rows, ids]] = (await withResultsFiles([cluster.db], (q) =>
      q(
        `SELECT count(*)::INTEGER, count(DISTINCT combo_id)::INTEGER FROM db0.results WHERE job_id = '${job.job_id}'`,
      ),
    )) as [[number, number]];
    assert.deepEqual({ rows, ids }, { rows: job.n_combos, ids: job.n_combos });
    process.stderr.write(
      `# redis restarted empty: the job finished ${((Date.now() - t0) / 1000).toFixed(1)} s later\n`,
    );
  } finally {
    await cluster.stop();
  }
});

test("result jobs whose rows Redis lost: their chunks run again, exactly one row per combination, no rows left behind", async () => {
  const cluster = await TestCluster.start(rd, { workers: 2, threads: 1 });
  const redis = connectRedis(cluster.redis.url, "pairgrid-test");
  try {
    const job = await cluster.submit(specObject(QUICK_PARAMS, { name: "rows-lost" }));
    await cluster.waitFor(job.job_id, (v) => v.chunks_done >= 4);
    // the coordinator paused: results pile up, each job's rows in the job's results hash
    const coordinator = cluster.coordinator!.child;
    coordinator.kill("SIGSTOP");
    const waiting = `${KEY_PREFIX}:${RESULT_QUEUE}:wait`;
    try {
      await until(
        "three results waiting",
        async () => (await redis.llen(waiting)) >= 3,
        30_000,
        () => cluster.logs(),
      );
      // the rows go, the result jobs stay (what a partial loss of Redis's data would leave)
      assert.ok((await redis.hlen(resultsKey(job.job_id))) >= 3);
      await redis.del(resultsKey(job.job_id));
    } finally {
      coordinator.kill("SIGCONT");
    }
    const end = await cluster.waitFor(job.job_id, (v) => v.status === "done", 60_000);
    assert.match(
      cluster.logOf(cluster.coordinator!),
      /the rows of chunk \d+ are gone from Redis; it will run again/,
    );
    assert.equal(end.n_done, job.n_combos);
    assert.equal(end.chunks_done, job.n_chunks);
    // every stored chunk's rows were deleted, the rest with the job
    assert.equal(await redis.exists(resultsKey(job.job_id)), 0);
    await cluster.stop();
    const [[rows, ids]] = (await withResultsFiles([cluster.db], (q) =>
      q(
        `SELECT count(*)::INTEGER, count(DISTINCT combo_id)::INTEGER FROM db0.results WHERE job_id = '${job.job_id}'`,
      ),
    )) as [[number, number]];
    assert.deepEqual({ rows, ids }, { rows: job.n_combos, ids: job.n_combos });
  } finally {
    redis.disconnect();
    await cluster.stop();
  }
});

test("Redis down: /healthz 503 until it is back, one log line per change of state on each process", async () => {
  const cluster = await TestCluster.start(rd, { workers: 1, threads: 1 });
  try {
    assert.equal(await healthStatus(cluster), 200);
    const coordinator = cluster.coordinator!;
    const worker = cluster.workers[0]!;
    await cluster.waitForWorkersStarted();
    const before = { c: cluster.logOf(coordinator).length, w: cluster.logOf(worker).length };
    await cluster.redis.down("SIGKILL");
    await until(
      "503 while Redis is down",
      async () => (await healthStatus(cluster)) === 503,
      5000,
      () => cluster.logs(),
    );
    // long enough for several reconnect attempts (every ≤ 2 s) and monitor ticks (every 1 s)
    await sleep(6000);
    assert.equal(await healthStatus(cluster), 503);
    await cluster.redis.up();
    await until(
      "200 once Redis is back",
      async () => (await healthStatus(cluster)) === 200,
      10_000,
      () => cluster.logs(),
    );
    const back = /redis reachable again after [\d.]+ s/;
    await until(
      "both processes log that Redis is back",
      () => back.test(cluster.logOf(coordinator)) && back.test(cluster.logOf(worker)),
      10_000,
      () => cluster.logs(),
    );
    await sleep(1000); // anything else they would say about the outage
    for (const [name, text] of [
      ["coordinator", cluster.logOf(coordinator).slice(before.c)],
      ["worker", cluster.logOf(worker).slice(before.w)],
    ] as const) {
      const lines = text.split("\n").filter((l) => l.trim() !== "");
      assert.equal(lines.length, 2, `${name} logged:\n${text}`);
      assert.match(lines[0]!, /redis unreachable \(.+\): retrying until it is back/);
      assert.match(lines[1]!, back);
      assert.doesNotMatch(text, /^\s+at |\[ioredis\]/m);
    }
  } finally {
    await cluster.stop();
  }
});

test("a chunk or result job of another cluster protocol fails its grid job at once, naming both versions", async () => {
  const cluster = await TestCluster.start(rd, { workers: 1, threads: 1 });
  const redis = connectRedis(cluster.redis.url, "pairgrid-test");
  const chunks = new Queue(CHUNK_QUEUE, { connection: redis, prefix: KEY_PREFIX });
  const results = new Queue(RESULT_QUEUE, { connection: redis, prefix: KEY_PREFIX });
  const mixed =
    /but this (worker|coordinator) speaks protocol 2: run the coordinator and every worker from the same pairgrid version$/;
  try {
    // what a worker from before versions sent: no version, the rows base64 in the job's data
    const a = await cluster.submit(specObject(LONG_PARAMS, { name: "old-worker" }));
    const oldResult = {
      jobId: a.job_id,
      chunkId: 0,
      combos: 1,
      rows: 1,
      worker: "old:1",
      ms: 1,
      payload: "UEdDUg==",
    };
    await results.add(RESULT_JOB_NAME, oldResult, { ...RESULT_JOB_OPTIONS, jobId: `${a.job_id}-old` });
    // not retried: BullMQ's 5 attempts would take ≈ 15 s
    const t0 = Date.now();
    const endA = await cluster.waitFor(a.job_id, (v) => v.status === "failed", 60_000);
    assert.ok(Date.now() - t0 < 8000, `failed after ${Date.now() - t0} ms`);
    assert.match(
      endA.error ?? "",
      /^the result of chunk 0 failed to be stored after 1 attempt — last error: a result job of cluster protocol 1 \(no version field\), /,
    );
    assert.match(endA.error ?? "", mixed);

    // a chunk job from a coordinator of a later version, taken by this worker
    const b = await cluster.submit(specObject(LONG_PARAMS, { name: "new-coordinator" }));
    const newChunk = { protocol: 3, jobId: b.job_id, chunk: { chunkId: 1, group: 0, t0: 0, t1: 1 } };
    await chunks.add(CHUNK_JOB_NAME, newChunk, {
      ...CHUNK_JOB_OPTIONS,
      jobId: `${b.job_id}-new`,
      lifo: true,
    });
    const endB = await cluster.waitFor(b.job_id, (v) => v.status === "failed", 60_000);
    assert.match(
      endB.error ?? "",
      /^chunk 1 \(group 0, thresholds 0–0\) failed after 1 attempt — last error: a chunk job of cluster protocol 3, /,
    );
    assert.match(endB.error ?? "", mixed);
  } finally {
    await chunks.close();
    await results.close();
    redis.disconnect();
    await cluster.stop();
  }
});

test("a chunk that kills its worker every time fails the job, naming the chunk and the deaths", async () => {
  const crashing = 3;
  const cluster = await TestCluster.start(rd, {
    workers: 2,
    threads: 1,
    workerEnv: { PAIRGRID_TEST_CRASH_CHUNK: String(crashing) },
  });
  try {
    const job = await cluster.submit(specObject(SMALL_PARAMS, { name: "crashing-chunk" }), 200);
    assert.ok(job.n_chunks > crashing, `${job.n_chunks} chunks`);
    let replaced = 0;
    const t0 = Date.now();
    for (;;) {
      replaced += cluster.replaceDeadWorkers();
      const v = await cluster.job(job.job_id);
      if (v && v.status !== "running") break;
      if (Date.now() - t0 > 50_000)
        assert.fail(`job still running after ${replaced} dead workers\n${cluster.logs()}`);
      await sleep(100);
    }
    const end = (await cluster.job(job.job_id))!;
    assert.equal(end.status, "failed");
    // MAX_STALLED_COUNT is 3: the fourth death fails it; BullMQ alone would say "(1 attempts)"
    assert.match(
      end.error ?? "",
      new RegExp(
        `^chunk ${crashing} \\(group \\d+, thresholds \\d+–\\d+\\) failed: its worker died 4 times \\(stalled\\)$`,
      ),
    );
    assert.ok(replaced >= 4, `${replaced} workers replaced`);
    // the last replacements must be up before the graceful stop (they exit 0 on SIGTERM once up)
    cluster.dropDeadWorkers();
    await cluster.waitForWorkersStarted();
  } finally {
    cluster.dropDeadWorkers();
    await cluster.stop();
  }
});
