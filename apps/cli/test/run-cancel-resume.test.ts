// Ctrl-C during `pairgrid run`: the run stops dispatching, keeps the chunks that finished, marks
// the job cancelled and exits 130 with the command that resumes it; `--resume JOB` then runs only
// the missing chunks, and the completed job equals an uninterrupted run row for row.
import assert from "node:assert/strict";
import { once } from "node:events";
import { join } from "node:path";
import { test } from "node:test";
import { pairgrid } from "./cli-helpers.js";
import {
  assertSameResults,
  jobIdOf,
  jobState,
  makeRunDir,
  runToEnd,
  spawnPairgrid,
  specObject,
  writeSpec,
} from "./run-fixtures.js";

const rd = makeRunDir("run-cancel", 25, 7);
const params = {
  ols_window: [120, 240],
  zscore_window: [30, 60],
  z_entry: [1.5, 2, 2.5],
  z_exit: [0, 0.5],
  z_stop: [null, 3.5],
  max_hold: [0, 60],
  dollar_tp: [null, 500],
  corr_window: 200,
  min_corr: [null, 0.5],
};
const spec = writeSpec(rd, "grid.json", specObject(params));

/** Starts a run of many small chunks, sends SIGINT after its first progress line. */
async function interruptedRun(db: string) {
  const child = spawnPairgrid(["run", spec, "--db", db, "--threads", "2", "--chunk-size", "4"], rd.env);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => {
    stderr += d;
    if (/^progress: /m.test(stderr) && child.signalCode === null && !child.killed) child.kill("SIGINT");
  });
  const guard = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const [code] = (await once(child, "close")) as [number | null];
  clearTimeout(guard);
  return { code, stdout, stderr };
}

test("SIGINT cancels, keeping finished chunks; --resume completes the job like a clean run", async () => {
  const db = join(rd.dir, "cancelled.duckdb");
  const run = await interruptedRun(db);
  assert.equal(run.code, 130, run.stderr);
  const jobId = jobIdOf(run.stdout);
  assert.match(run.stderr, /SIGINT: stopping/);
  assert.ok(
    run.stderr.includes(`pairgrid run ${spec} --db ${db} --resume ${jobId}`),
    `how to resume: ${run.stderr}`,
  );
  const cancelled = await jobState(db, jobId);
  assert.equal(cancelled.status, "cancelled");
  assert.ok(cancelled.finished, "finished_at stamped");
  assert.ok(
    cancelled.rows > 0 && cancelled.rows < cancelled.nCombos,
    `some rows: ${cancelled.rows}/${cancelled.nCombos}`,
  );
  assert.equal(cancelled.nDone, cancelled.rows, "n_done counts what was stored");

  // a resume needs the job's own spec and chunking
  const changed = writeSpec(
    rd,
    "changed.json",
    specObject(params, { costs: { commission: 3, slippage_ticks: 0.5 } }),
  );
  const refused = pairgrid(["run", changed, "--db", db, "--resume", jobId], rd.env);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(
    refused.stderr,
    new RegExp(`^pairgrid: --resume ${jobId}: the spec differs .* at costs\\.commission`),
  );
  const rechunked = pairgrid(["run", spec, "--db", db, "--resume", jobId, "--chunk-size", "50"], rd.env);
  assert.equal(rechunked.status, 2, rechunked.stderr);
  assert.match(rechunked.stderr, /--chunk-size: job .* chunks of 4/);
  assert.equal((await jobState(db, jobId)).rows, cancelled.rows, "refusals write nothing");

  const resumed = runToEnd(rd, [spec, "--db", db, "--resume", jobId, "--threads", "2"]);
  assert.equal(resumed.jobId, jobId, "the same job");
  assert.match(resumed.r.stderr, /resuming: \d+ of 96 chunks left/);
  assert.match(resumed.r.stdout, /^top \d+ by sharpe/m);
  // the best row's replay line sets every varied axis, in the one form `top` prints
  const replay = /^trades of the best row: (.*)$/m.exec(resumed.r.stdout)?.[1] ?? "";
  const varied = Object.entries(params).filter(([, v]) => Array.isArray(v));
  assert.match(replay, new RegExp(`^pairgrid backtest ${spec} (--set [a-z_]+=\\S+ ?){${varied.length}}$`));
  for (const [name] of varied) assert.ok(replay.includes(`--set ${name}=`), `${name} in ${replay}`);
  const done = await jobState(db, jobId);
  assert.equal(done.status, "done");
  assert.equal(done.rows, done.nCombos);
  assert.equal(done.nDone, done.rows);

  const clean = join(rd.dir, "clean.duckdb");
  const { jobId: cleanId } = runToEnd(rd, [spec, "--db", clean, "--threads", "2"]);
  assert.equal(await assertSameResults([clean, db], [cleanId, jobId]), done.rows);
});
