// Issue 5: a grid submitted to a coordinator with 2 worker processes (over a private Redis) gives
// exactly the DuckDB rows of `pairgrid run` — every parameter, statistic, dsr and fold value —
// and `pairgrid submit --watch` follows it to the end.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { localBaseline, SMALL_PARAMS } from "./cluster-fixtures.js";
import { TestCluster } from "./cluster-harness.js";
import { assertSameResults, jobState, makeRunDir, type RunDir, spawnPairgrid } from "./run-fixtures.js";

let rd: RunDir;
let cluster: TestCluster;

before(async () => {
  rd = makeRunDir("cluster-exact", 60, 11);
  cluster = await TestCluster.start(rd, { workers: 2, threads: 1 });
});
after(async () => {
  await cluster?.stop();
});

test("a job over HTTP with 2 workers stores exactly the rows of pairgrid run", async () => {
  const base = localBaseline(rd, "exact", SMALL_PARAMS);
  // many small chunks, so both workers take part and results arrive interleaved
  const res = await fetch(`${cluster.url}/jobs?chunk_size=16`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(base.spec),
  });
  assert.equal(res.status, 201);
  const job = (await res.json()) as { job_id: string; n_combos: number; n_chunks: number };
  assert.ok(job.n_chunks >= 20, `${job.n_chunks} chunks`);
  const end = await cluster.waitFor(job.job_id, (v) => v.status === "done");
  assert.equal(end.n_done, job.n_combos);
  assert.equal(end.chunks_done, job.n_chunks);

  // `pairgrid submit --watch` on the same cluster: progress to the end, then the top rows
  const sub = spawnPairgrid(
    ["submit", base.file, "--url", cluster.url, "--watch", "--chunk-size", "40"],
    rd.env,
  );
  let out = "";
  let err = "";
  sub.stdout.on("data", (d: Buffer) => (out += d.toString()));
  sub.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => sub.once("exit", r));
  assert.equal(code, 0, `${err}\n${cluster.logs()}`);
  const second = /^job ([0-9a-f]{8})$/m.exec(out)?.[1];
  assert.ok(second, out);
  assert.match(out, /^top \d+ by sharpe/m);
  assert.match(err, /done, [\d,]+ rows/);

  // every worker that loaded a job released its threads and arrays when the job finished
  const released = () =>
    cluster.workers.every((w) =>
      [job.job_id, second].every(
        (id) =>
          !cluster.logOf(w).includes(`job ${id}: loaded`) || cluster.logOf(w).includes(`job ${id}: finished`),
      ),
    );
  for (let i = 0; !released(); i++) {
    assert.ok(i < 100, `a worker kept a finished job's context\n${cluster.logs()}`);
    await sleep(50);
  }
  assert.ok(cluster.workers.some((w) => cluster.logOf(w).includes(`job ${second}: loaded`)));
  // the coordinator owns the file: stop it before reading
  await cluster.stop();
  for (const id of [job.job_id, second]) {
    const st = await jobState(cluster.db, id);
    assert.deepEqual([st.status, st.rows, st.nDone, st.finished], ["done", st.nCombos, st.nCombos, true]);
    const n = await assertSameResults([base.db, cluster.db], [base.jobId, id]);
    assert.equal(n, job.n_combos);
  }
});
