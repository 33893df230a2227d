// Issue 5: crashes do not lose or duplicate results. Workers are SIGKILLed in the middle of
// chunks, again and again; the coordinator is killed and restarted; Redis itself is killed and
// restarted (AOF on). Each job still ends with exactly n_combos rows — no duplicate combo ids —
// equal to those of `pairgrid run`.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { LONG_PARAMS, localBaseline } from "./cluster-fixtures.js";
import { TestCluster } from "./cluster-harness.js";
import { assertSameResults, makeRunDir, type RunDir, withResultsFiles } from "./run-fixtures.js";

let rd: RunDir;
let base: ReturnType<typeof localBaseline>;

before(() => {
  rd = makeRunDir("cluster-crash", 250, 13);
  base = localBaseline(rd, "crash", LONG_PARAMS);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rows and distinct combination ids of a job, read after the coordinator let go of the file. */
async function counts(db: string, jobId: string): Promise<{ rows: number; ids: number }> {
  return withResultsFiles([db], async (q) => {
    const [[rows, ids]] = (await q(
      `SELECT count(*)::INTEGER, count(DISTINCT combo_id)::INTEGER FROM db0.results WHERE job_id = '${jobId}'`,
    )) as [[number, number]];
    return { rows, ids };
  });
}

async function checkExact(cluster: TestCluster, jobId: string, nCombos: number): Promise<void> {
  await cluster.stop();
  assert.deepEqual(await counts(cluster.db, jobId), { rows: nCombos, ids: nCombos });
  await assertSameResults([base.db, cluster.db], [base.jobId, jobId]);
}

test("SIGKILL of workers in the middle of chunks, four times in one job: exactly n_combos rows", async () => {
  const cluster = await TestCluster.start(rd, { workers: 2, threads: 1 });
  try {
    const job = await cluster.submit(base.spec);
    for (const at of [4, 10, 16, 22]) {
      await cluster.waitFor(job.job_id, (v) => v.chunks_done >= at);
      // both workers hold a chunk: whichever is killed dies in the middle of one
      await cluster.waitForActive(2);
      const victim = at % 2 === 0 ? 0 : 1;
      await cluster.killWorker(victim, "SIGKILL");
      await sleep(200);
      cluster.startWorker(1);
    }
    const end = await cluster.waitFor(job.job_id, (v) => v.status === "done", 240_000);
    assert.equal(end.n_done, job.n_combos);
    await checkExact(cluster, job.job_id, job.n_combos);
  } finally {
    await cluster.stop();
  }
});

test("the coordinator killed and restarted mid-job, then Redis killed and restarted: the job completes exactly", async () => {
  const cluster = await TestCluster.start(rd, { workers: 2, threads: 1 });
  try {
    const job = await cluster.submit(base.spec);
    await cluster.waitFor(job.job_id, (v) => v.chunks_done >= 6);
    await cluster.waitForActive(2);
    await cluster.stopCoordinator("SIGKILL");
    // workers go on meanwhile; their results wait in Redis for the next coordinator
    await sleep(1500);
    await cluster.startCoordinator();
    const resumed = await cluster.waitFor(job.job_id, (v) => v.chunks_done >= 6);
    assert.equal(resumed.status, "running");
    assert.match(cluster.logs(), /resuming, \d+ of \d+ chunks stored/);

    await cluster.waitFor(job.job_id, (v) => v.chunks_done >= 20);
    await cluster.waitForActive(2);
    await cluster.redis.down("SIGKILL");
    await sleep(1500);
    await cluster.redis.up();

    const end = await cluster.waitFor(job.job_id, (v) => v.status === "done", 240_000);
    assert.equal(end.n_done, job.n_combos);
    await checkExact(cluster, job.job_id, job.n_combos);
  } finally {
    await cluster.stop();
  }
});
