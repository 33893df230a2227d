// `pairgrid serve --query-memory … --query-timeout …` over real HTTP: a runaway query is a 400
// naming the memory cap while serve's own memory stays flat and its other routes keep answering;
// a query DuckDB cannot interrupt is a 400 naming the time limit within 1.5× of it; bad values of
// either flag exit 2 naming the flag.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ResultsDb } from "@pairgrid/resultsdb";
import { pairgrid } from "./cli-helpers.js";
import { makeRunDir } from "./run-fixtures.js";
import { type ServeProcess, startServe } from "./serve-fixtures.js";

/** 800 MB in one list value, then unnested: DuckDB's memory_limit does not see it (9 GB RSS). */
const RUNAWAY_SQL = "SELECT count(*) FROM (SELECT unnest(range(100000000)))";
/** One scalar call DuckDB cannot interrupt: ~20 s of CPU in little memory. */
const UNINTERRUPTIBLE_SQL = "SELECT levenshtein(repeat('a', 60000), repeat('b', 60000))";

const rd = makeRunDir("serve-limits", 5, 3);
const db = join(rd.dir, "results.duckdb");
let serve: ServeProcess;

before(async () => {
  const writer = await ResultsDb.open(db);
  await writer.createJob({ job_id: "a1", name: "a1", spec: { name: "a1" }, n_combos: 1, n_chunks: 1 });
  await writer.close();
  serve = await startServe(db, rd.env, ["--query-memory", "200MB", "--query-timeout", "2s"]);
});
after(() => {
  if (serve.child.exitCode === null) serve.child.kill("SIGKILL");
});

const query = (sql: string) =>
  fetch(`${serve.url}/query`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sql }),
  });

/** A small query answered: after a stopped query, the first may time out waiting for a new process. */
async function answered(sql: string): Promise<unknown[][]> {
  for (let attempt = 0; ; attempt++) {
    const res = await query(sql);
    const body = (await res.json()) as { rows: unknown[][]; error?: string };
    if (res.status === 200) return body.rows;
    assert.ok(body.error === "query_timeout" && attempt < 4, JSON.stringify(body));
  }
}

const rssOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;

test("a runaway query is a 400 naming the memory cap; serve's memory stays flat, its routes answer", async () => {
  assert.deepEqual(await answered("SELECT count(*) FROM jobs"), [[1]]);
  const pid = serve.child.pid!;
  const baseline = rssOf(pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
  const started = performance.now();
  const runaway = query(RUNAWAY_SQL);
  // meanwhile the server answers its other routes at once
  await new Promise((r) => setTimeout(r, 300));
  const listStarted = performance.now();
  const jobs = await fetch(`${serve.url}/jobs`);
  const listMs = performance.now() - listStarted;
  const res = await runaway;
  const elapsed = performance.now() - started;
  clearInterval(sampler);
  assert.equal(jobs.status, 200);
  assert.ok(listMs < 1000, `GET /jobs took ${Math.round(listMs)} ms beside the runaway query`);
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), {
    error: "query_memory",
    message: "query stopped at the memory cap (200 MB)",
    path: "sql",
  });
  assert.ok(elapsed < 3000, `answered after ${Math.round(elapsed)} ms`);
  const mb = (n: number) => Math.round((n - baseline) / 1e6);
  assert.ok(peak - baseline < 100e6, `serve grew ${mb(peak)} MB during the query`);
  assert.ok(rssOf(pid) - baseline < 100e6, `and kept ${mb(rssOf(pid))} MB`);
  assert.deepEqual(await answered("SELECT count(*) FROM jobs"), [[1]]);
});

test("a query DuckDB cannot interrupt is a 400 naming the time limit, within 1.5× of --query-timeout", async () => {
  assert.deepEqual(await answered("SELECT 1"), [[1]]);
  const started = performance.now();
  const res = await query(UNINTERRUPTIBLE_SQL);
  const elapsed = performance.now() - started;
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), {
    error: "query_timeout",
    message: "query stopped at the time limit (2 s)",
    path: "sql",
  });
  assert.ok(elapsed >= 2000 && elapsed < 3000, `answered after ${Math.round(elapsed)} ms`);
  assert.deepEqual(await answered("SELECT 2"), [[2]]);
});

test("bad --query-memory or --query-timeout values exit 2 with one line naming the flag", () => {
  const cases: [string[], RegExp][] = [
    [["--query-memory", "lots"], /^pairgrid: --query-memory lots: expected a size/],
    [["--query-memory", "1MB"], /^pairgrid: --query-memory 1MB: .*at least 16MB/],
    [["--query-timeout", "0s"], /^pairgrid: --query-timeout 0s: expected a duration/],
    [["--query-timeout", "10"], /^pairgrid: --query-timeout 10: expected a duration/],
  ];
  for (const [flags, message] of cases) {
    const r = pairgrid(["serve", "--db", db, "--port", "0", ...flags], rd.env);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr.trim(), message);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  }
});
