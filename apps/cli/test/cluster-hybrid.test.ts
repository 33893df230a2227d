// Issue 20: hybrid grids on the cluster. A hybrid_dollar and a hybrid_zlive grid submitted to a
// coordinator with 2 workers (a private redis-server), one worker SIGKILLed in the middle of a
// chunk, store exactly the rows of `pairgrid run`. The fast legs travel as per-day blobs: a second
// job over the same days finds them all in the workers' disk cache and fetches none, and when the
// last job naming them is over they are gone from Redis. Fast data that would not fit in Redis is
// refused at submission with the size it needs.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { blobPartKey, jobManifestSchema, KEY_PREFIX, manifestKey } from "@pairgrid/cluster";
import { connectRedis } from "@pairgrid/worker";
import { pairgrid } from "./cli-helpers.js";
import { TestCluster } from "./cluster-harness.js";
import { assertSameResults, type RunDir, runToEnd, specObject, writeSpec } from "./run-fixtures.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

const ENGINES = ["hybrid_dollar", "hybrid_zlive"] as const;
/** 288 combinations; 24 per chunk: 12 chunks, tenths of a second each (z-live) — a kill lands in one. */
const PARAMS = {
  ols_window: [100, 150],
  zscore_window: [30, 40],
  z_entry: [1.5, 2, 2.5],
  z_exit: [0, 0.5],
  max_hold: [0, 8],
  dollar_tp: [null, 200, 300],
  dollar_sl: [null, 250],
};
const CHUNK = 24;

let rd: RunDir;
const base: Record<string, { spec: object; db: string; jobId: string }> = {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function hybridSpec(engine: string): object {
  const spec = specObject(PARAMS, {
    name: engine,
    engine,
    rank: { by: "sharpe", min_trades: 1, folds: 4 },
  }) as {
    data: Record<string, Record<string, unknown> | number>;
  };
  Object.assign(spec.data.a as object, { fast: "data/NQ_fast.csv" });
  Object.assign(spec.data.b as object, { fast: "data/YM_fast.csv" });
  spec.data.fast_seconds = 1;
  return spec;
}

before(() => {
  const dir = mkdtempSync(join(tmpdir(), "pairgrid-cluster-hybrid-"));
  rd = { dir, env: { PAIRGRID_CACHE_DIR: join(dir, "cache") } };
  const synth = pairgrid(
    ["data", "synth", "--out", join(dir, "data"), "--days", "4", "--seed", "13", "--fast-seconds", "1"],
    rd.env,
  );
  assert.equal(synth.status, 0, synth.stderr);
  for (const engine of ENGINES) {
    const spec = hybridSpec(engine);
    const file = writeSpec(rd, `${engine}.json`, spec);
    const db = join(dir, `${engine}-local.duckdb`);
    const { jobId } = runToEnd(rd, [
      file,
      "--db",
      db,
      "--threads",
      "2",
      "--chunk-size",
      String(CHUNK),
      "--quiet",
    ]);
    base[engine] = { spec, db, jobId };
  }
});
after(() => rmSync(rd.dir, { recursive: true, force: true }));

/** Keys of the blobs in the cluster's Redis (heads only, not their parts or reference sets). */
async function blobHeads(url: string): Promise<string[]> {
  const redis = connectRedis(url, "pairgrid-test");
  try {
    const keys = await redis.keys(`${KEY_PREFIX}:blob:*`);
    return keys.filter((k) => /^[^:]+:blob:[0-9a-f]{64}$/.test(k));
  } finally {
    redis.disconnect();
  }
}

test("hybrid_dollar and hybrid_zlive through 2 workers, one SIGKILLed mid-chunk: the rows of pairgrid run; a second job fetches no fast blob", async () => {
  const cluster = await TestCluster.start(rd, { workers: 2, threads: 1 });
  try {
    await cluster.waitForWorkersStarted();
    const jobs = [];
    for (const engine of ENGINES) jobs.push(await cluster.submit(base[engine]!.spec, CHUNK));
    // both workers hold a chunk of the first job: the one killed dies in the middle of it
    await cluster.waitFor(jobs[0]!.job_id, (v) => v.chunks_done >= 2);
    await cluster.waitForActive(2);
    await cluster.killWorker(0, "SIGKILL");
    await sleep(200);
    cluster.startWorker(1);
    for (const job of jobs) {
      const end = await cluster.waitFor(job.job_id, (v) => v.status === "done", 120_000);
      assert.equal(end.n_done, job.n_combos);
    }
    // every job over: no blob is left in Redis
    assert.deepEqual(await blobHeads(cluster.redis.url), []);

    // the same days again: each worker that loads the job reads every day blob from its disk cache
    const again = await cluster.submit(base.hybrid_dollar!.spec, CHUNK);
    await cluster.waitFor(again.job_id, (v) => v.status === "done", 120_000);
    const loads = cluster.logs().match(new RegExp(`job ${again.job_id}: loaded .*`, "g")) ?? [];
    assert.ok(loads.length >= 1, cluster.logs());
    for (const line of loads) assert.match(line, /: (\d+) from the disk cache, 0 fetched \(0 bytes\)/, line);
    // and the coordinator shipped the day blobs it had cut for the first jobs over these files
    assert.match(
      cluster.logs(),
      new RegExp(`job ${again.job_id}: fast data: .*, cut for an earlier job over the same files`),
    );

    await cluster.stop();
    await assertSameResults(
      [base.hybrid_dollar!.db, cluster.db],
      [base.hybrid_dollar!.jobId, jobs[0]!.job_id],
    );
    await assertSameResults([base.hybrid_zlive!.db, cluster.db], [base.hybrid_zlive!.jobId, jobs[1]!.job_id]);
    await assertSameResults([base.hybrid_dollar!.db, cluster.db], [base.hybrid_dollar!.jobId, again.job_id]);
  } finally {
    await cluster.stop();
  }
});

test("a hybrid_zlive job survives a coordinator SIGKILL and a Redis SIGKILL (AOF): exactly the rows of pairgrid run", async () => {
  const cluster = await TestCluster.start(rd, { workers: 2, threads: 1 });
  try {
    const job = await cluster.submit(base.hybrid_zlive!.spec, 8);
    await cluster.waitFor(job.job_id, (v) => v.chunks_done >= 3);
    await cluster.stopCoordinator("SIGKILL");
    await sleep(1000);
    await cluster.startCoordinator();
    await cluster.waitFor(job.job_id, (v) => v.chunks_done >= 12);
    await cluster.redis.down("SIGKILL");
    await sleep(1000);
    await cluster.redis.up();
    const end = await cluster.waitFor(job.job_id, (v) => v.status === "done", 120_000);
    assert.equal(end.n_done, job.n_combos);
    assert.deepEqual(await blobHeads(cluster.redis.url), []);
    await cluster.stop();
    assert.equal(
      await assertSameResults([base.hybrid_zlive!.db, cluster.db], [base.hybrid_zlive!.jobId, job.job_id]),
      job.n_combos,
    );
  } finally {
    await cluster.stop();
  }
});

test("a day blob tampered in Redis fails the job with a reason naming the blob; no row is stored", async () => {
  // a worker with an empty disk cache: one holding the day (checked against its sha256) never reads Redis's copy
  const cluster = await TestCluster.start(rd, {
    workers: 0,
    workerEnv: { PAIRGRID_CACHE_DIR: join(rd.dir, "cache-tamper") },
  });
  try {
    const job = await cluster.submit(base.hybrid_dollar!.spec, CHUNK);
    // shipped before any worker exists: tamper one day's blob, then start one
    const redis = connectRedis(cluster.redis.url, "pairgrid-test");
    let sha: string;
    try {
      let text: string | null = null;
      for (let t0 = Date.now(); (text = await redis.get(manifestKey(job.job_id))) === null;) {
        if (Date.now() - t0 > 20_000) assert.fail(`no manifest\n${cluster.logs()}`);
        await sleep(50);
      }
      const manifest = jobManifestSchema.parse(JSON.parse(text));
      sha = manifest.fast!.days[2]!.sha;
      const part = (await redis.getBuffer(blobPartKey(sha, 0)))!;
      part[part.length >> 1]! ^= 0x10;
      await redis.set(blobPartKey(sha, 0), part);
    } finally {
      redis.disconnect();
    }
    cluster.startWorker(1);
    const end = await cluster.waitFor(job.job_id, (v) => v.status === "failed", 60_000);
    assert.match(
      end.error ?? "",
      new RegExp(`blob ${sha}: Redis returned content that does not match its sha256 twice`),
    );
    assert.equal(end.n_done, 0);
  } finally {
    await cluster.stop();
  }
});

test("fast data that would not fit in Redis is refused at submission with the size it needs", async () => {
  const cluster = await TestCluster.start(rd, {
    workers: 0,
    coordinatorArgs: ["--max-blob-bytes", "100000"],
  });
  try {
    const post = async () => {
      const res = await fetch(`${cluster.url}/jobs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(base.hybrid_zlive!.spec),
      });
      return {
        status: res.status,
        body: (await res.json()) as { error: string; message: string; path: string },
      };
    };
    const capped = await post();
    assert.equal(capped.status, 400, JSON.stringify(capped.body));
    assert.equal(capped.body.path, "data");
    assert.match(
      capped.body.message,
      /the fast data needs [\d.]+ MB in Redis \(4 days.*over the coordinator's --max-blob-bytes/,
    );

    await cluster.stopCoordinator("SIGTERM");
    const redis = connectRedis(cluster.redis.url, "pairgrid-test");
    try {
      const used = Number(/^used_memory:(\d+)/m.exec(await redis.info("memory"))![1]);
      await redis.config("SET", "maxmemory", String(used + 200_000));
    } finally {
      redis.disconnect();
    }
    await cluster.startCoordinator([]);
    const full = await post();
    assert.equal(full.status, 400, JSON.stringify(full.body));
    assert.match(
      full.body.message,
      /the fast data needs [\d.]+ MB in Redis \(4 days\), Redis has [\d.]+ MB free under its maxmemory/,
    );
    assert.deepEqual(await blobHeads(cluster.redis.url), []);
  } finally {
    await cluster.stop();
  }
});
