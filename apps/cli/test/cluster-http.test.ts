// Issue 5, the HTTP edge of a real coordinator (its own Redis, real DuckDB): bearer token, bad
// specs with the field path, oversize bodies and grids, YAML bodies, Server-Sent Events, metrics,
// and cancel in the middle of a job (queued chunks never run, the count stops moving).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { LONG_PARAMS } from "./cluster-fixtures.js";
import { TestCluster } from "./cluster-harness.js";
import { jobState, makeRunDir, type RunDir, specObject } from "./run-fixtures.js";

const TOKEN = "s3cret-token";
let rd: RunDir;
let cluster: TestCluster;

before(async () => {
  rd = makeRunDir("cluster-http", 250, 17);
  // a small body limit: the oversize body is sent whole before the server answers 413
  cluster = await TestCluster.start(rd, {
    workers: 1,
    threads: 2,
    token: TOKEN,
    coordinatorArgs: ["--body-limit", "65536"],
  });
});
after(async () => {
  await cluster?.stop();
});

const post = (path: string, body: string, headers: Record<string, string>) =>
  fetch(`${cluster.url}${path}`, { method: "POST", body, headers });

test("token: 401 without or with a wrong one; /healthz and /metrics open", async () => {
  const spec = JSON.stringify(specObject({ ols_window: 500, zscore_window: 50 }));
  for (const auth of [undefined, "Bearer nope"]) {
    const res = await post("/jobs", spec, {
      "content-type": "application/json",
      ...(auth ? { authorization: auth } : {}),
    });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: string }).error, "unauthorized");
  }
  assert.equal((await fetch(`${cluster.url}/jobs`)).status, 401);
  assert.equal((await fetch(`${cluster.url}/healthz`)).status, 200);
  const metrics = await fetch(`${cluster.url}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /pairgrid_chunks\{state="waiting"\}/);
});

test("bad specs: 400 with the field path; oversize body 413; oversize grid 400 at once", async () => {
  const h = cluster.headers({ "content-type": "application/json" });
  const bad = specObject({ ols_window: 500, zscore_window: 50, z_entry: "two" });
  let res = await post("/jobs", JSON.stringify(bad), h);
  assert.equal(res.status, 400);
  let body = (await res.json()) as { error: string; message: string; path?: string };
  assert.equal(body.path, "params.z_entry");
  assert.doesNotMatch(JSON.stringify(body), /\n\s+at /);

  const unknownKey = { ...specObject({ ols_window: 500, zscore_window: 50 }), colour: "blue" };
  res = await post("/jobs", JSON.stringify(unknownKey), h);
  assert.equal(res.status, 400);

  const missingFile = specObject({ ols_window: 500, zscore_window: 50 }, { name: "x" });
  (missingFile as { data: { a: { slow: string } } }).data.a.slow = "data/nope.csv";
  res = await post("/jobs", JSON.stringify(missingFile), h);
  assert.equal(res.status, 400);

  res = await post("/jobs", JSON.stringify({ pad: "x".repeat(200 * 1024) }), h);
  assert.equal(res.status, 413);

  const huge = specObject({
    ols_window: { from: 100, to: 100000, step: 1 },
    zscore_window: { from: 10, to: 10000, step: 1 },
    z_entry: { from: 1, to: 5, step: 0.001 },
  });
  const t0 = performance.now();
  res = await post("/jobs", JSON.stringify(huge), h);
  assert.equal(res.status, 400);
  body = (await res.json()) as { error: string; message: string; path?: string };
  assert.equal(body.path, "params");
  assert.ok(performance.now() - t0 < 2000, "refused without expanding the grid");

  res = await post("/jobs", "name: [unclosed", cluster.headers({ "content-type": "application/yaml" }));
  assert.equal(res.status, 400);
});

test("YAML body, events, and cancel mid-job: queued chunks never run, the row count stops", async () => {
  const { stringify } = await import("yaml");
  const yamlSpec = stringify(specObject(LONG_PARAMS, { name: "cancel-me" }));
  const res = await post("/jobs", yamlSpec, cluster.headers({ "content-type": "application/yaml" }));
  assert.equal(res.status, 201);
  const job = (await res.json()) as { job_id: string; n_combos: number; n_chunks: number };

  // Server-Sent Events: the first event is the job's progress
  const ac = new AbortController();
  const events = await fetch(`${cluster.url}/jobs/${job.job_id}/events`, {
    headers: cluster.headers(),
    signal: ac.signal,
  });
  assert.equal(events.status, 200);
  assert.match(events.headers.get("content-type") ?? "", /text\/event-stream/);
  const reader = events.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  assert.match(first, /event: progress/);
  ac.abort();

  await cluster.waitFor(job.job_id, (v) => v.chunks_done >= 3);
  const cancel = await post(`/jobs/${job.job_id}/cancel`, "", cluster.headers());
  assert.equal(cancel.status, 200);
  assert.equal(((await cancel.json()) as { status: string }).status, "cancelled");
  // a running chunk stops soon and nothing more is stored
  await new Promise((r) => setTimeout(r, 2500));
  const a = (await cluster.job(job.job_id))!;
  await new Promise((r) => setTimeout(r, 1500));
  const b = (await cluster.job(job.job_id))!;
  assert.equal(a.status, "cancelled");
  assert.equal(b.n_done, a.n_done);
  assert.ok(a.chunks_done < job.n_chunks, `${a.chunks_done} of ${job.n_chunks} chunks ran`);
  const metrics = await (await fetch(`${cluster.url}/metrics`)).text();
  assert.match(metrics, /pairgrid_chunks\{state="waiting"\} 0/);
  assert.match(metrics, /pairgrid_chunks\{state="active"\} 0/);

  assert.equal((await fetch(`${cluster.url}/jobs/ffffffff`, { headers: cluster.headers() })).status, 404);
  await cluster.stop();
  const st = await jobState(cluster.db, job.job_id);
  assert.equal(st.status, "cancelled");
  assert.equal(st.rows, a.n_done);
});
