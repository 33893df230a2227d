// The job runner's contract with any executor, on a real DuckDB file and an in-process executor
// that delivers results as a queue would (out of order, twice, after a failure): each chunk is
// stored once, the end status follows from the stop request (none: done with DSR; a cancel:
// cancelled; a failure: failed with its reason), and results delivered after the end are dropped.
// The end-to-end tests (apps/cli run-*, cluster-*) cover the two real executors.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { FOLD_WIDTH, N_STATS, PARAM_NAMES, parseSpecText, planGrid, validateSpec } from "@pairgrid/engine";
import { type ChunkBatch, ResultsDb } from "@pairgrid/resultsdb";
import {
  chunksLeft,
  createJob,
  type Executor,
  JobRunner,
  type LedgerJob,
  type ResultSink,
  resumeJob,
  type StopRequest,
  type StoreOutcome,
} from "../src/index.js";

// the demo grid's settings with a small grid: 2 groups × 4 thresholds (no data is read)
const demo = fileURLToPath(new URL("../../../../grids/demo.yaml", import.meta.url));
const spec = validateSpec(
  {
    ...(parseSpecText(readFileSync(demo, "utf8"), demo) as object),
    params: { ols_window: [100, 200], zscore_window: 50, z_entry: [1.5, 2, 2.5, 3] },
  },
  dirname(demo),
  false,
);
const plan = planGrid(spec, 1000);

/** Rows for a chunk's combinations (every value a plain number: what ingest and DSR read). */
function batchOf(job: LedgerJob, chunkId: number): { batch: ChunkBatch; combos: number } {
  const c = job.chunking.chunks[chunkId]!;
  const ids = Array.from({ length: c.t1 - c.t0 }, (_, i) => c.group * plan.perGroup + c.t0 + i);
  const k = ids.length;
  const nFolds = 2;
  return {
    batch: {
      comboIds: Float64Array.from(ids),
      params: new Float64Array(k * PARAM_NAMES.length).fill(1),
      stats: new Float64Array(k * N_STATS).map((_, i) => (i % 7) + 1),
      folds: new Float64Array(k * nFolds * FOLD_WIDTH).fill(1),
      nFolds,
    },
    combos: k,
  };
}

/** Delivers what `script` says, recording each outcome. */
function scripted(
  script: (job: LedgerJob, sink: ResultSink, stop: StopRequest, out: StoreOutcome[]) => Promise<void>,
) {
  const outcomes: StoreOutcome[] = [];
  let lateSink: ResultSink | null = null;
  const executor: Executor<StoreOutcome[]> = {
    refusal: () => null,
    async execute(job, sink, stop) {
      lateSink = sink;
      await script(job, sink, stop, outcomes);
      return outcomes;
    },
  };
  return { executor, outcomes, late: () => lateSink! };
}

/** Runs `body` on a fresh results file, closed after. */
async function withDb(body: (db: ResultsDb) => Promise<void>): Promise<void> {
  const db = await ResultsDb.open(join(mkdtempSync(join(tmpdir(), "pairgrid-runner-")), "r.duckdb"));
  try {
    await body(db);
  } finally {
    await db.close();
  }
}

test("every chunk stored once, out of order and twice; done with DSR; later results dropped", async () => {
  await withDb(async (db) => {
    const job = await createJob(db, spec, plan, 2, "coordinator");
    const n = job.chunking.chunks.length;
    assert.ok(n >= 4, `${n} chunks`);
    const { executor, outcomes, late } = scripted(async (j, sink, _stop, out) => {
      for (const id of [...Array(n).keys()].reverse()) {
        const { batch, combos } = batchOf(j, id);
        out.push(await sink.store(id, batch, combos));
        if (id === 1) out.push(await sink.store(id, batch, combos)); // a redelivery
      }
    });
    const progress: number[] = [];
    const out = await new JobRunner(db, executor).run(job, {
      onProgress: (j) => progress.push(j.done.size),
    });
    assert.equal(out.status, "done");
    assert.equal(out.error, null);
    assert.deepEqual(outcomes.filter((o) => o === "duplicate").length, 1);
    assert.deepEqual(
      progress,
      [...Array(n).keys()].map((i) => i + 1),
    );
    assert.equal(out.counters.rows, plan.total);
    const record = (await db.getJob(job.jobId))!;
    assert.equal(record.status, "done");
    assert.equal(record.n_done, plan.total);
    const { batch, combos } = batchOf(job, 0);
    assert.equal(await late().store(0, batch, combos), "dropped");
    const dsr = await db.top({ jobId: job.jobId, by: "dsr", minTrades: 0, limit: 1 });
    assert.equal(typeof dsr[0]?.dsr, "number", "DSR filled in at the end");
  });
});

test("a cancel ends the run cancelled, and a resume runs only the chunks left", async () => {
  await withDb(async (db) => {
    const job = await createJob(db, spec, plan, 2, "local");
    const { executor } = scripted(async (j, sink, stop) => {
      const { batch, combos } = batchOf(j, 0);
      await sink.store(0, batch, combos);
      stop.request("cancel");
    });
    const out = await new JobRunner(db, executor).run(job);
    assert.equal(out.status, "cancelled");
    assert.equal((await db.getJob(job.jobId))!.status, "cancelled");

    const again = await resumeJob(db, job.jobId, spec, plan, undefined);
    assert.deepEqual(
      chunksLeft(again).map((c) => c.chunkId),
      job.chunking.chunks.slice(1).map((c) => c.chunkId),
    );
    const rest = scripted(async (j, sink) => {
      for (const c of chunksLeft(j)) {
        const { batch, combos } = batchOf(j, c.chunkId);
        await sink.store(c.chunkId, batch, combos);
      }
    });
    assert.equal((await new JobRunner(db, rest.executor).run(again)).status, "done");
    assert.equal((await db.getJob(job.jobId))!.n_done, plan.total);
  });
});

test("a failure ends the run failed with its reason; a cancel after it does not erase it", async () => {
  await withDb(async (db) => {
    const job = await createJob(db, spec, plan, 2, "coordinator");
    const runner: JobRunner<StoreOutcome[]> = new JobRunner(
      db,
      scripted(async (_j, _sink, stop) => {
        stop.fail("chunk 3 (group 0, thresholds 0–1) failed after 3 attempts — last error: boom");
        assert.equal(runner.stop(job.jobId, "cancel"), true);
      }).executor,
    );
    const out = await runner.run(job);
    assert.equal(out.status, "failed");
    assert.match(out.error ?? "", /chunk 3 .* boom/);
    assert.equal((await db.getJob(job.jobId))!.status, "failed");
    assert.equal(runner.isRunning(job.jobId), false);
  });
});

test("an executor that throws leaves the job failed and the error to the caller", async () => {
  await withDb(async (db) => {
    const job = await createJob(db, spec, plan, 2, "local");
    const runner = new JobRunner(
      db,
      scripted(async () => {
        throw new Error("threads died");
      }).executor,
    );
    await assert.rejects(runner.run(job), /threads died/);
    assert.equal((await db.getJob(job.jobId))!.status, "failed");
  });
});
