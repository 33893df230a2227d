// `pairgrid serve` through the real binary over a results file made by `pairgrid run`: the job
// list, the grid route, POST /query and robustness read, POST /jobs refused 405, the token, a
// clean exit on SIGTERM; the file's lock against a concurrent `pairgrid run` (both ways); and the
// one-line exit 2 for a missing, foreign or locked file.
import assert from "node:assert/strict";
import { once } from "node:events";
import { join } from "node:path";
import { after, test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { pairgrid } from "./cli-helpers.js";
import { makeRunDir, runToEnd, spawnPairgrid, specObject, writeSpec } from "./run-fixtures.js";
import { startServe } from "./serve-helpers.js";

const TOKEN = "serve-token";
const rd = makeRunDir("serve", 20, 3);
const spec = writeSpec(
  rd,
  "grid.json",
  specObject({ ols_window: 60, zscore_window: [20, 40], z_entry: [1.5, 2] }),
);
const db = join(rd.dir, "results.duckdb");
const { jobId } = runToEnd(rd, [spec, "--db", db, "--quiet"]);

const serve = await startServe(db, { ...rd.env, PAIRGRID_TOKEN: TOKEN });
after(() => {
  if (serve.child.exitCode === null) serve.child.kill("SIGKILL");
});
const auth = { authorization: `Bearer ${TOKEN}` };
const call = (path: string, init: RequestInit = {}) =>
  fetch(`${serve.url}${path}`, { ...init, headers: { ...auth, ...(init.headers ?? {}) } });

test("serve lists the file's jobs and answers the grid route", async () => {
  const jobs = (await (await call("/jobs")).json()) as { job_id: string; status: string; n_done: number }[];
  assert.deepEqual(
    jobs.map((j) => [j.job_id, j.status, j.n_done]),
    [[jobId, "done", 4]],
  );
  const grid = (await (await call(`/jobs/${jobId}/grid`)).json()) as {
    params: { name: string }[];
    n_rows: number;
  };
  assert.deepEqual(
    grid.params.map((p) => p.name),
    ["zscore_window", "z_entry"],
  );
  assert.equal(grid.n_rows, 4);
  const robustness = await call(`/jobs/${jobId}/robustness`);
  assert.equal(robustness.status, 200, await robustness.clone().text());
});

test("serve answers POST /query from the results file", async () => {
  const res = await call("/query", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sql: "SELECT count(*) AS n, max(combo_id) AS top FROM results" }),
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { columns: { name: string }[]; rows: unknown[][] };
  assert.deepEqual(
    body.columns.map((c) => c.name),
    ["n", "top"],
  );
  assert.deepEqual(body.rows, [[4, 3]]);
});

test("serve refuses to change jobs (405) and wants the token, except for the dashboard's files", async () => {
  const submit = await call("/jobs", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "x" }),
  });
  assert.equal(submit.status, 405);
  assert.equal(((await submit.json()) as { error: string }).error, "read_only");
  const cancel = await call(`/jobs/${jobId}/cancel`, { method: "POST" });
  assert.equal(cancel.status, 405);
  assert.equal((await fetch(`${serve.url}/jobs`)).status, 401);
  assert.equal((await fetch(`${serve.url}/vendor/echarts.min.js`)).status, 200);
});

test("while serve holds the file, pairgrid run on it exits 2 naming the lock", () => {
  const r = pairgrid(["run", spec, "--db", db, "--quiet"], rd.env);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /lock/i);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
});

test("SIGTERM stops serve with exit code 0", async () => {
  const exited = once(serve.child, "exit");
  serve.child.kill("SIGTERM");
  const [code] = (await exited) as [number | null];
  assert.equal(code, 0, serve.err());
});

/** `pairgrid serve` run to its exit (all three refusals run at once: each start loads the CLI). */
async function serveExit(file: string): Promise<{ status: number | null; stderr: string }> {
  const child = spawnPairgrid(["serve", "--db", file, "--port", "0"], rd.env);
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const [status] = (await once(child, "exit")) as [number | null];
  return { status, stderr };
}

test("a missing file, a file that is no results database, or one being written: exit 2, one line", async () => {
  // a writer (as `pairgrid run` would be) holds the results file's lock
  const writer = await DuckDBInstance.create(db);
  try {
    const cases: [string, RegExp][] = [
      [join(rd.dir, "nope.duckdb"), /no such file/],
      [spec, /grid\.json/],
      [db, /lock/i],
    ];
    const results = await Promise.all(cases.map(([file]) => serveExit(file)));
    results.forEach((r, i) => {
      assert.equal(r.status, 2, `${cases[i]![0]}: ${r.stderr}`);
      assert.match(r.stderr, cases[i]![1]);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    });
  } finally {
    writer.closeSync();
  }
});
