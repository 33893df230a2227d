// A SIGKILLed worker's chunk is taken by another worker within 35 s with the DEFAULT lock settings
// (lock 20 s + stalled check every 10 s; BullMQ's own defaults took 58–62 s). The job has one
// chunk, so the surviving worker is idle and takes it as soon as it is back in the queue: what
// is measured is the queue's redo time alone.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CHUNK_QUEUE, chunkJobId, KEY_PREFIX } from "@pairgrid/cluster";
import { connectRedis } from "@pairgrid/worker";
import { TestCluster } from "./cluster-harness.js";
import { makeRunDir, specObject } from "./run-fixtures.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One group (no indicator axis varies) of ≈ 12 k threshold sets: one chunk of a few seconds. */
const ONE_GROUP = {
  ols_window: 1000,
  zscore_window: 100,
  z_entry: { from: 1.5, to: 3.0, step: 0.05 },
  z_exit: [-0.5, -0.25, 0, 0.25, 0.5],
  z_stop: [null, 3.5, 4.5],
  max_hold: [0, 100, 300],
  dollar_tp: [null, 500, 1000],
  dollar_sl: [null, 500, 1000],
};

test("a SIGKILLed worker's chunk is redone by another worker within 35 s (default lock settings)", async () => {
  const rd = makeRunDir("cluster-redo", 250, 13);
  const cluster = await TestCluster.start(rd, { workers: 2, threads: 1, lockMs: null });
  const redis = connectRedis(cluster.redis.url, "pairgrid-test");
  try {
    const job = await cluster.submit(specObject(ONE_GROUP, { name: "redo" }), 1_000_000);
    assert.equal(job.n_chunks, 1);
    const key = `${KEY_PREFIX}:${CHUNK_QUEUE}:${chunkJobId(job.job_id, 0)}`;
    // processedBy: the `host:pid` of the worker holding the chunk
    let holder: string | null = null;
    const t0 = Date.now();
    while (!(holder = await redis.hget(key, "pb"))) {
      if (Date.now() - t0 > 20_000) assert.fail(`no worker took the chunk\n${cluster.logs()}`);
      await sleep(20);
    }
    const victim = cluster.workers.findIndex((w) => holder!.endsWith(`:${w.child.pid}`));
    assert.ok(victim >= 0, `holder ${holder}`);
    await cluster.killWorker(victim, "SIGKILL");
    const killedAt = Date.now();
    let redoneBy: string | null = holder;
    while (redoneBy === holder) {
      if (Date.now() - killedAt > 60_000) assert.fail(`chunk not redone within 60 s\n${cluster.logs()}`);
      await sleep(100);
      redoneBy = await redis.hget(key, "pb");
    }
    const seconds = (Date.now() - killedAt) / 1000;
    process.stderr.write(`# killed worker's chunk redone after ${seconds.toFixed(1)} s\n`);
    assert.ok(redoneBy !== null, "the chunk was taken again, not lost");
    assert.ok(seconds <= 36, `redone after ${seconds.toFixed(1)} s`);
    // the chunk would run for a while yet: cancelling aborts it so the worker stops at once
    const res = await fetch(`${cluster.url}/jobs/${job.job_id}/cancel`, { method: "POST" });
    assert.equal(res.status, 200);
  } finally {
    redis.disconnect();
    await cluster.stop();
  }
});
