// Issue 20: the precomputed-curve TP×SL grid (`engine: hybrid_curve`) on the cluster. Submitted to
// a coordinator with 2 workers (a private redis-server), its fast legs travel as per-day blobs as a
// hybrid_dollar grid's do, and the job stores exactly the rows of `pairgrid run` — bit for bit,
// with another chunk size (both cut into whole (tp, sl) blocks, so a chunk's slow settings differ).
// Its view counts the fast rows the workers scanned and the day blob bytes they fetched, per
// worker: the bytes their logs say they fetched, and none for a second job over the same days.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pairgrid } from "./cli-helpers.js";
import { type JobViewLike, type Proc, TestCluster } from "./cluster-harness.js";
import { assertSameResults, type RunDir, runToEnd, specObject, writeSpec } from "./run-fixtures.js";

/** 4 indicator groups × 6 slow settings × 9 (tp, sl) cells = 216 combinations. */
const PARAMS = {
  ols_window: [100, 150],
  zscore_window: [30, 40],
  z_entry: [1.5, 2, 2.5],
  z_exit: [0, 0.5],
  dollar_tp: [null, 200, 300],
  dollar_sl: [null, 150, 250],
};

let rd: RunDir;
let spec: object;
let local: { db: string; jobId: string };

before(() => {
  const dir = mkdtempSync(join(tmpdir(), "pairgrid-cluster-curve-"));
  rd = { dir, env: { PAIRGRID_CACHE_DIR: join(dir, "cache") } };
  const synth = pairgrid(
    ["data", "synth", "--out", join(dir, "data"), "--days", "3", "--seed", "13", "--fast-seconds", "1"],
    rd.env,
  );
  assert.equal(synth.status, 0, synth.stderr);
  const s = specObject(PARAMS, {
    name: "curve",
    engine: "hybrid_curve",
    rank: { by: "sharpe", min_trades: 1, folds: 4 },
  }) as { data: Record<string, Record<string, unknown> | number> };
  Object.assign(s.data.a as object, { fast: "data/NQ_fast.csv" });
  Object.assign(s.data.b as object, { fast: "data/YM_fast.csv" });
  s.data.fast_seconds = 1;
  spec = s;
  const db = join(dir, "curve-local.duckdb");
  const file = writeSpec(rd, "curve.json", spec);
  const { jobId, r } = runToEnd(rd, [file, "--db", db, "--threads", "2", "--chunk-size", "9", "--quiet"]);
  assert.equal(r.status, 0, r.stderr);
  local = { db, jobId };
});
after(() => rmSync(rd.dir, { recursive: true, force: true }));

test("hybrid_curve through 2 workers: exactly the rows and folds of pairgrid run", async () => {
  const cluster = await TestCluster.start(rd, { workers: 2, threads: 1 });
  try {
    await cluster.waitForWorkersStarted();
    // 20 rounds up to whole blocks of 9: 27 (2 chunks of 54 per group)
    const job = await cluster.submit(spec, 20);
    assert.equal(job.n_combos, 216);
    assert.equal(job.n_chunks, 8);
    const end = await cluster.waitFor(job.job_id, (v) => v.status === "done", 120_000);
    assert.equal(end.n_done, job.n_combos);
    const fetched = assertFastWork(cluster, job.job_id, end);
    assert.ok(fetched > 0, "the first job over these days fetches its day blobs from Redis");

    // the same days again: nothing fetched (disk cache or memory), but the rows are scanned again
    const again = await cluster.submit(spec, 20);
    const endAgain = await cluster.waitFor(again.job_id, (v) => v.status === "done", 120_000);
    assert.equal(assertFastWork(cluster, again.job_id, endAgain), 0);

    await cluster.stop();
    assert.equal(await assertSameResults([local.db, cluster.db], [local.jobId, job.job_id]), 216);
  } finally {
    await cluster.stop();
  }
});

type WorkerWork = NonNullable<JobViewLike["fast"]>["by_worker"][number];

/**
 * Checks the finished job's `fast` view against the workers' logs: rows scanned by each worker
 * that ran a chunk, blob bytes each fetched as its "loaded" line says, per-worker figures summing
 * to the totals. Returns the bytes fetched.
 */
function assertFastWork(cluster: TestCluster, jobId: string, end: JobViewLike): number {
  const fast = end.fast;
  assert.ok(fast, `a hybrid job's view has fast work: ${JSON.stringify(end)}`);
  assert.ok(fast.rows_scanned > 0, JSON.stringify(fast));
  const sum = (f: (w: WorkerWork) => number) => fast.by_worker.reduce((s, w) => s + f(w), 0);
  assert.equal(
    sum((w) => w.rows_scanned),
    fast.rows_scanned,
  );
  assert.equal(
    sum((w) => w.blob_bytes_fetched),
    fast.blob_bytes_fetched,
  );
  let logged = 0;
  for (const p of cluster.workers) {
    const { id, bytes } = loggedFetch(cluster, p, jobId);
    const mine: WorkerWork | undefined = fast.by_worker.find((w) => w.worker === id);
    if (bytes === null) {
      assert.equal(mine, undefined, `${id} did not load job ${jobId}`);
      continue;
    }
    assert.ok(mine, `${id} loaded job ${jobId} and ran a chunk: ${JSON.stringify(fast)}`);
    assert.ok(mine.rows_scanned > 0);
    assert.equal(mine.blob_bytes_fetched, bytes, `${id}: the bytes its log says it fetched`);
    logged += bytes;
  }
  assert.equal(fast.blob_bytes_fetched, logged);
  return fast.blob_bytes_fetched;
}

/** A worker's `host:pid` and the fast blob bytes it logged fetching for the job (null: never loaded it). */
function loggedFetch(cluster: TestCluster, p: Proc, jobId: string): { id: string; bytes: number | null } {
  const log = cluster.logOf(p);
  const id = /worker (\S+): started —/.exec(log)?.[1];
  assert.ok(id, log);
  const loads = log.match(new RegExp(`job ${jobId}: loaded .* fetched \\((\\d+) bytes\\)`, "g")) ?? [];
  if (loads.length === 0) return { id, bytes: null };
  const bytes = loads.reduce((s, line) => s + Number(/\((\d+) bytes\)/.exec(line)![1]), 0);
  return { id, bytes };
}
