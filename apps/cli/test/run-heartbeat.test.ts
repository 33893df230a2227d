// A `pairgrid run` killed with SIGKILL cannot mark its job, which stays `running` in the file. The
// run records its host, pid and spec file and keeps a heartbeat, so `pairgrid top` and `pairgrid
// serve` show the job as interrupted with the command that resumes it; that command finishes the
// job with exactly the rows of an uninterrupted run. While the run is alive the same readers (on
// a copy of the file: the run holds its lock) show it running; once finished it is done.
import assert from "node:assert/strict";
import { copyFileSync, existsSync } from "node:fs";
import { once } from "node:events";
import { hostname } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type CliResult, pairgrid } from "./cli-helpers.js";
import { TestCluster } from "./cluster-harness.js";
import {
  assertSameResults,
  jobIdOf,
  jobState,
  makeRunDir,
  runToEnd,
  spawnPairgrid,
  specObject,
  withResultsFiles,
  writeSpec,
} from "./run-fixtures.js";
import { startServe, stopServe } from "./serve-fixtures.js";

const rd = makeRunDir("heartbeat", 60, 7);
// 8,064 combinations in chunks of 4 on one thread: ~12 s here, most of it in many small commits,
// so the run is still going when it is killed 8 s in (past its first refreshed heartbeat, at 5 s)
const spec = writeSpec(
  rd,
  "grid.json",
  specObject({
    ols_window: [120, 240, 360, 480],
    zscore_window: [30, 60, 90, 120],
    z_entry: { from: 1.5, to: 3, step: 0.25 },
    z_exit: [0, 0.25, 0.5],
    z_stop: [null, 3.5],
    max_hold: [0, 60, 120],
    dollar_tp: [null, 500],
    corr_window: 200,
    min_corr: [null, 0.5],
  }),
);
const KILL_AFTER_MS = 8000;

interface JobJson {
  job_id: string;
  status: string;
  resume_command: string | null;
  pid: number | null;
  host: string | null;
  runner: string | null;
}

/** GET /jobs from `pairgrid serve` over `db`, then serve stopped. */
async function servedJobs(db: string): Promise<JobJson[]> {
  const serve = await startServe(db, rd.env);
  try {
    const res = await fetch(`${serve.url}/jobs`);
    assert.equal(res.status, 200);
    return (await res.json()) as JobJson[];
  } finally {
    assert.equal(await stopServe(serve), 0, serve.err());
  }
}

/** What `top` and `serve` say about a live run: over a copy of its file, made while it runs. */
async function lookWhileRunning(db: string): Promise<{ top: CliResult; jobs: JobJson[] }> {
  const copy = join(rd.dir, "live-copy.duckdb");
  copyFileSync(db, copy);
  // the rows committed so far are in the write-ahead log until the run checkpoints
  if (existsSync(`${db}.wal`)) copyFileSync(`${db}.wal`, `${copy}.wal`);
  const top = pairgrid(["top", "--db", copy, "--limit", "1"], rd.env);
  return { top, jobs: await servedJobs(copy) };
}

/**
 * Starts the run into `db`; once it has stored chunks, looks at it (lookWhileRunning) when asked,
 * and SIGKILLs it `killAfterMs` after it printed its job id (at once when 0), but not before the
 * look is done: once in CI a slow `top` and serve start outlasted the timer, and the look saw the
 * run already killed.
 */
async function killedRun(db: string, o: { killAfterMs: number; look: boolean }) {
  const child = spawnPairgrid(["run", spec, "--db", db, "--threads", "1", "--chunk-size", "4"], rd.env);
  let stdout = "";
  let stderr = "";
  // set in a callback: typed by hand, or the compiler takes it for null for good
  let live = null as Promise<{ top: CliResult; jobs: JobJson[] }> | null;
  let killTimer: NodeJS.Timeout | null = null;
  let timerDone = false;
  let lookDone = !o.look;
  const killWhenDue = () => {
    if (timerDone && lookDone) child.kill("SIGKILL");
  };
  child.stdout.on("data", (d) => {
    stdout += d;
    if (killTimer === null && o.killAfterMs > 0 && /^job /m.test(stdout)) {
      killTimer = setTimeout(() => {
        timerDone = true;
        killWhenDue();
      }, o.killAfterMs);
    }
  });
  child.stderr.on("data", (d) => {
    stderr += d;
    if (!/^progress: /m.test(stderr)) return;
    if (o.killAfterMs === 0) child.kill("SIGKILL");
    else if (o.look && live === null) {
      live = lookWhileRunning(db).finally(() => {
        lookDone = true;
        killWhenDue();
      });
    }
  });
  const [code, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
  if (killTimer) clearTimeout(killTimer);
  assert.equal(signal, "SIGKILL", `the run ended by itself (exit ${code}) before the kill: ${stderr}`);
  return { pid: child.pid!, jobId: jobIdOf(stdout), live: live ? await live : null };
}

test("SIGKILL mid-run: top and serve show interrupted with a resume command that finishes the job", async () => {
  const db = join(rd.dir, "killed.duckdb");
  const run = await killedRun(db, { killAfterMs: KILL_AFTER_MS, look: true });
  const { jobId, pid } = run;
  assert.ok(run.live, "looked at the run while it was alive");
  const resume = `pairgrid run ${spec} --db ${db} --resume ${jobId}`;

  // while it ran: fresh heartbeat, its pid alive on this host
  assert.equal(run.live!.top.status, 0, run.live!.top.stderr);
  assert.match(
    run.live!.top.stdout,
    new RegExp(`^job ${jobId} \\(run-test, running, \\d+/8064 rows\\)`, "m"),
  );
  assert.doesNotMatch(run.live!.top.stdout, /interrupted/);
  const liveJob = run.live!.jobs.find((j) => j.job_id === jobId)!;
  assert.deepEqual(
    [liveJob.status, liveJob.runner, liveJob.pid, liveJob.host, liveJob.resume_command],
    ["running", "local", pid, hostname(), null],
  );

  // the file as the kill left it: still `running`, with the run's pid, host, spec and heartbeats
  const [[status, runner, storedPid, host, specPath, beatAfterMs]] = await withResultsFiles([db], (q) =>
    q(
      "SELECT status, runner, pid, host, spec_path, (epoch_ms(heartbeat_at) - epoch_ms(created_at))::INTEGER " +
        `FROM db0.jobs WHERE job_id = '${jobId}'`,
    ),
  );
  assert.deepEqual([status, runner, storedPid, host, specPath], ["running", "local", pid, hostname(), spec]);
  assert.ok(
    Number(beatAfterMs) >= 4500,
    `heartbeat refreshed while running: ${beatAfterMs} ms after creation`,
  );
  const killed = await jobState(db, jobId);
  assert.ok(killed.rows > 0 && killed.rows < killed.nCombos, `some rows: ${killed.rows}/${killed.nCombos}`);

  // (a) top: interrupted at once (its pid is gone on this host), with the command that resumes it
  const top = pairgrid(["top", "--db", db, "--limit", "3"], rd.env);
  assert.equal(top.status, 0, top.stderr);
  const notice = new RegExp(
    `^job ${jobId}: interrupted \\(last heartbeat \\d+ s ago, pid ${pid} on ${hostname().replaceAll(".", "\\.")}\\); ` +
      `resume with: (.*)$`,
    "m",
  ).exec(top.stdout);
  assert.ok(notice, `interrupted notice: ${top.stdout}`);
  assert.equal(notice[1], resume);
  assert.match(
    top.stdout,
    new RegExp(`^job ${jobId} \\(run-test, interrupted, ${killed.rows}/8064 rows\\)`, "m"),
  );
  const json = pairgrid(["top", "--db", db, "--json", "--limit", "2"], rd.env);
  assert.equal(json.status, 0, json.stderr);
  assert.equal((JSON.parse(json.stdout) as unknown[]).length, 2, "stdout stays the rows");
  assert.ok(json.stderr.includes(`resume with: ${resume}`), json.stderr);

  // (c) serve: the job list says interrupted and carries the command
  const served = (await servedJobs(db)).find((j) => j.job_id === jobId)!;
  assert.deepEqual(
    [served.status, served.resume_command, served.pid, served.host],
    ["interrupted", resume, pid, hostname()],
  );

  // (b) the command finishes the job: only the missing chunks, then rows as a clean run's
  const resumed = pairgrid(resume.split(" ").slice(1), rd.env);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.equal(jobIdOf(resumed.stdout), jobId);
  const left = /resuming: (\d+) of (\d+) chunks left/.exec(resumed.stderr);
  assert.ok(left && Number(left[1]) < Number(left[2]), resumed.stderr);
  const done = await jobState(db, jobId);
  assert.deepEqual([done.status, done.rows, done.nDone], ["done", done.nCombos, done.nCombos]);
  const clean = join(rd.dir, "clean.duckdb");
  const { jobId: cleanId } = runToEnd(rd, [
    spec,
    "--db",
    clean,
    "--threads",
    "2",
    "--chunk-size",
    "500",
    "--quiet",
  ]);
  assert.equal(await assertSameResults([clean, db], [cleanId, jobId]), 8064);
  const [[sum0], [sum1]] = await withResultsFiles([clean, db], async (q) => [
    ...(await q(
      `SELECT sum(hash(COLUMNS(* EXCLUDE (job_id))))::VARCHAR FROM db0.results WHERE job_id = '${cleanId}'`,
    )),
    ...(await q(
      `SELECT sum(hash(COLUMNS(* EXCLUDE (job_id))))::VARCHAR FROM db1.results WHERE job_id = '${jobId}'`,
    )),
  ]);
  assert.equal(sum1, sum0, "checksum of the rows");

  // finished: done everywhere, never interrupted (its process is gone, its heartbeat stopped)
  const after = pairgrid(["top", "--db", db, "--limit", "1"], rd.env);
  assert.match(after.stdout, new RegExp(`^job ${jobId} \\(run-test, done, 8064/8064 rows\\)`, "m"));
  assert.doesNotMatch(after.stdout, /interrupted/);
  const finished = (await servedJobs(db)).find((j) => j.job_id === jobId)!;
  assert.deepEqual([finished.status, finished.resume_command], ["done", null]);
});

test("a coordinator over the file shows the killed run's job interrupted and leaves it alone", async () => {
  const crd = makeRunDir("heartbeat-coord", 2, 7);
  const db = join(crd.dir, "cluster.duckdb"); // where TestCluster's coordinator keeps its results
  const { jobId } = await killedRun(db, { killAfterMs: 0, look: false });
  const before = await jobState(db, jobId);
  // no workers: what is checked is whether the coordinator takes the job on, not who would run it
  const cluster = await TestCluster.start(crd, { workers: 0 });
  try {
    const view = (await (await fetch(`${cluster.url}/jobs/${jobId}`)).json()) as JobJson;
    assert.deepEqual(
      [view.status, view.runner, view.resume_command],
      ["interrupted", "local", `pairgrid run ${spec} --db ${db} --resume ${jobId}`],
    );
    // a coordinator resumes its own jobs on start; this one is `pairgrid run --resume`'s
    await new Promise((r) => setTimeout(r, 1000));
    assert.doesNotMatch(cluster.logs(), new RegExp(`job ${jobId}: resuming`));
  } finally {
    await cluster.stop();
  }
  const afterwards = await jobState(db, jobId);
  assert.deepEqual([afterwards.status, afterwards.rows], ["running", before.rows], "left as it was");
});
