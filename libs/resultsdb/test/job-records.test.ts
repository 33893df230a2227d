// Jobs: create, read back (spec JSON round trip), list newest first, status changes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "@pairgrid/engine";
import { ResultsDb } from "../src/index.js";
import { freshDbPath, newJob } from "./fixtures.js";

test("createJob, getJob, listJobs and setStatus", async () => {
  const db = await ResultsDb.open(freshDbPath("jobs"));
  const spec = {
    name: "es-nq",
    params: { z_entry: [1, 2], z_stop: null },
    rank: { by: "dsr", min_trades: 5 },
  };
  const before = Date.now();
  await db.createJob({ job_id: "a", name: "es-nq", spec, n_combos: 5_000_000_000, n_chunks: 12 });
  await db.createJob(newJob("b"));

  const a = (await db.getJob("a"))!;
  assert.equal(a.job_id, "a");
  assert.equal(a.name, "es-nq");
  assert.deepEqual(a.spec, spec);
  assert.equal(a.status, "running");
  assert.equal(a.n_combos, 5_000_000_000);
  assert.equal(a.n_chunks, 12);
  assert.equal(a.n_done, 0);
  assert.ok(a.created_at instanceof Date && a.created_at.getTime() >= before - 1000);
  assert.equal(a.finished_at, null);
  assert.equal(await db.getJob("nope"), null);

  assert.deepEqual(
    (await db.listJobs()).map((j) => j.job_id),
    ["b", "a"],
  );
  await assert.rejects(db.createJob(newJob("a")), InputError);

  await db.setStatus("a", "done", true);
  const done = (await db.getJob("a"))!;
  assert.equal(done.status, "done");
  assert.ok(done.finished_at instanceof Date);
  await db.setStatus("a", "cancelled");
  assert.ok((await db.getJob("a"))!.finished_at instanceof Date, "finished_at kept when not told");
  await db.setStatus("a", "running", false);
  assert.equal((await db.getJob("a"))!.finished_at, null);

  await assert.rejects(db.setStatus("nope", "done"), InputError);
  await assert.rejects(db.setStatus("a", "paused" as never), InputError);
  await db.close();
});
