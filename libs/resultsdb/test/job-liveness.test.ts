// A job stored as running whose `pairgrid run` is gone shows as interrupted (job-liveness.ts): the
// rule over heartbeat age, host and pid; the claim and heartbeat writes; files older than the
// runner columns (read as NULL when opened read-only, migrated when opened to write).
import assert from "node:assert/strict";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import {
  describeInterruption,
  interruption,
  type JobRecord,
  type LivenessProbe,
  localProbe,
  pidAlive,
  ResultsDb,
  resumeCommand,
  STALE_AFTER_MS,
  shownStatus,
} from "../src/index.js";
import { freshDbPath, inspect, newJob } from "./fixtures.js";

const NOW = Date.parse("2024-05-01T12:00:00Z");
const HERE = "box-a";

/** A probe at NOW on HERE where only `alive` pids exist. */
const probe = (alive: number[] = []): LivenessProbe => ({
  now: NOW,
  host: HERE,
  pidAlive: (pid) => alive.includes(pid),
});

function job(over: Partial<JobRecord>): JobRecord {
  return {
    job_id: "j1",
    name: "g",
    spec: {},
    status: "running",
    n_combos: 10,
    n_chunks: 2,
    n_done: 5,
    created_at: new Date(NOW - 60_000),
    finished_at: null,
    runner: "local",
    host: HERE,
    pid: 4242,
    heartbeat_at: new Date(NOW - 2000),
    spec_path: "/grids/g.yaml",
    ...over,
  };
}

test("a local run is interrupted when its heartbeat is stale, or at once when its pid is gone here", () => {
  const db = "/data/r.duckdb";
  // alive: fresh heartbeat and the process exists
  assert.equal(shownStatus(job({}), db, probe([4242])), "running");
  // the process is gone on this machine: interrupted though the last beat is 2 s old
  const gone = interruption(job({}), db, probe([]))!;
  assert.deepEqual(gone, {
    heartbeat_at: new Date(NOW - 2000),
    age_s: 2,
    host: HERE,
    pid: 4242,
    resume: "pairgrid run /grids/g.yaml --db /data/r.duckdb --resume j1",
  });
  assert.equal(describeInterruption(gone), "last heartbeat 2 s ago, pid 4242 on box-a");
  // on another machine the pid says nothing: only the heartbeat's age counts
  assert.equal(shownStatus(job({ host: "box-b" }), db, probe([])), "running");
  const justStale = new Date(NOW - STALE_AFTER_MS - 1);
  assert.equal(shownStatus(job({ host: "box-b", heartbeat_at: justStale }), db, probe([])), "interrupted");
  assert.equal(
    shownStatus(job({ host: "box-b", heartbeat_at: new Date(NOW - STALE_AFTER_MS) }), db, probe([])),
    "running",
  );
  // a stale heartbeat wins over a live pid (the pid was reused by another process)
  assert.equal(shownStatus(job({ heartbeat_at: justStale }), db, probe([4242])), "interrupted");
  // never beat at all
  assert.equal(shownStatus(job({ heartbeat_at: null }), db, probe([4242])), "interrupted");
  assert.equal(
    describeInterruption(interruption(job({ heartbeat_at: null }), db, probe())!),
    "no heartbeat, pid 4242 on box-a",
  );
  // a relative file name is made absolute in the command
  assert.match(
    interruption(job({}), "r.duckdb", probe())!.resume!,
    new RegExp(`--db ${process.cwd()}/r\\.duckdb `),
  );
});

test("only running local jobs can be interrupted", () => {
  const old = new Date(NOW - 3_600_000);
  for (const status of ["done", "cancelled", "failed"] as const) {
    assert.equal(shownStatus(job({ status, heartbeat_at: old }), "/r.duckdb", probe()), status);
  }
  // the coordinator resumes its own jobs when it restarts; files older than runners say nothing
  assert.equal(
    shownStatus(job({ runner: "coordinator", heartbeat_at: null }), "/r.duckdb", probe()),
    "running",
  );
  assert.equal(shownStatus(job({ runner: null, heartbeat_at: null }), "/r.duckdb", probe()), "running");
});

test("resume commands quote paths a shell would split", () => {
  assert.equal(
    resumeCommand("/my grids/it's.yaml", "/r.duckdb", "ab12cd34"),
    `pairgrid run '/my grids/it'\\''s.yaml' --db /r.duckdb --resume ab12cd34`,
  );
});

test("pidAlive: this process exists; a reaped child does not", async () => {
  assert.equal(pidAlive(process.pid), true);
  const { spawnSync } = await import("node:child_process");
  const child = spawnSync(process.execPath, ["-e", "process.exit(0)"]);
  assert.equal(pidAlive(child.pid!), false);
});

test("claimJob records the run and heartbeat refreshes heartbeat_at", async () => {
  const file = freshDbPath("liveness");
  const db = await ResultsDb.open(file);
  await db.createJob({ ...newJob("j"), runner: "local" });
  await db.createJob({ ...newJob("c"), runner: "coordinator" });
  await db.claimJob("j", { runner: "local", specPath: "/g.yaml", host: "box-a", pid: process.pid });
  const claimed = (await db.getJob("j"))!;
  assert.equal(claimed.runner, "local");
  assert.equal(claimed.host, "box-a");
  assert.equal(claimed.pid, process.pid);
  assert.equal(claimed.spec_path, "/g.yaml");
  assert.ok(claimed.heartbeat_at instanceof Date);
  await new Promise((r) => setTimeout(r, 30));
  await db.heartbeat("j");
  const beat = (await db.getJob("j"))!.heartbeat_at!;
  assert.ok(beat.getTime() > claimed.heartbeat_at!.getTime(), `${beat.toISOString()} after the claim`);
  const c = (await db.getJob("c"))!;
  assert.equal(c.runner, "coordinator");
  assert.equal(c.heartbeat_at, null);
  await assert.rejects(
    db.claimJob("nope", { runner: "local", specPath: "/g", host: "h", pid: 1 }),
    /unknown job/,
  );
  await db.close();
  // this process is alive here: a reader on this machine sees the job running
  const ro = await ResultsDb.open(file, { readOnly: true });
  assert.equal(shownStatus((await ro.getJob("j"))!, file, { ...localProbe(), host: "box-a" }), "running");
  await ro.close();
});

test("a file without the runner columns opens read-only (NULLs) and gains them when opened to write", async () => {
  const file = freshDbPath("old-jobs");
  const db = await ResultsDb.open(file);
  await db.createJob(newJob("old"));
  await db.close();
  // as a file written before runners and heartbeats existed
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  for (const c of ["runner", "host", "pid", "heartbeat_at", "spec_path"]) {
    await conn.run(`ALTER TABLE jobs DROP COLUMN ${c}`);
  }
  conn.closeSync();
  instance.closeSync();

  const ro = await ResultsDb.open(file, { readOnly: true });
  const old = (await ro.getJob("old"))!;
  assert.deepEqual(
    [old.runner, old.host, old.pid, old.heartbeat_at, old.spec_path],
    [null, null, null, null, null],
  );
  assert.equal((await ro.listJobs()).length, 1);
  assert.equal(shownStatus(old, file, localProbe()), "running", "nothing known: shown as stored");
  await ro.close();
  const cols = async () =>
    (await inspect(file, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'jobs'")).length;
  assert.equal(await cols(), 9, "a reader changes nothing");

  const rw = await ResultsDb.open(file);
  await rw.claimJob("old", { runner: "local", specPath: "/g.yaml", host: "h", pid: 7 });
  assert.equal((await rw.getJob("old"))!.pid, 7);
  await rw.close();
  assert.equal(await cols(), 14);
});
