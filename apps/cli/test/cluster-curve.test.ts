// Issue 20: the precomputed-curve TP×SL grid (`engine: hybrid_curve`) on the cluster. Submitted to
// a coordinator with 2 workers (a private redis-server), its fast legs travel as per-day blobs as a
// hybrid_dollar grid's do, and the job stores exactly the rows of `pairgrid run` — bit for bit,
// with another chunk size (both cut into whole (tp, sl) blocks, so a chunk's slow settings differ).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pairgrid } from "./cli-helpers.js";
import { TestCluster } from "./cluster-harness.js";
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
    await cluster.stop();
    assert.equal(await assertSameResults([local.db, cluster.db], [local.jobId, job.job_id]), 216);
  } finally {
    await cluster.stop();
  }
});
