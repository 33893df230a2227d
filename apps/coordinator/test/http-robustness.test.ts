// GET /jobs/:id/robustness on a small Fastify app (error handling, zod compilers, the plugin) over a
// real DuckDB results file from a small grid run (the engine's chunk function on synthetic data,
// ingested like `pairgrid run` does): the full report served as built, the query string passed
// through, 404 for an unknown job, 400 naming the query field for bad options, no stack traces.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  GroupPrecompute,
  groupCombination,
  inputsFromPacked,
  loadSlowPair,
  packGridData,
  planChunks,
  planGrid,
  runChunk,
  slowGroupContext,
  validateSpec,
  writeSynthFiles,
} from "@pairgrid/engine";
import { buildRobustnessReport, ResultsDb, type RobustnessReport } from "@pairgrid/resultsdb";
import Fastify from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { installErrorHandling } from "../src/http/error-handler.js";
import { robustnessRoutes } from "../src/http/routes/robustness.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-http-robustness-"));
const FOLDS = 6;
let db: ResultsDb;
const app = Fastify();

/** A small slow-engine grid run into a fresh results file; returns its job id. */
async function smallRun(file: string): Promise<string> {
  writeSynthFiles(join(dir, "data"), { days: 24, seed: 3 });
  const spec = validateSpec(
    {
      name: "robust",
      data: {
        a: { symbol: "NQ", slow: "data/NQ.csv", multiplier: 20, tick_size: 0.25 },
        b: { symbol: "YM", slow: "data/YM.csv", multiplier: 5, tick_size: 1 },
        cache: false,
      },
      session: { flat_time: "16:55" },
      costs: { commission: 2.25, slippage_ticks: 0.5 },
      params: { ols_window: [100, 200], zscore_window: [30, 60], z_entry: [1.5, 2, 2.5], z_exit: [0, 0.5] },
      rank: { folds: FOLDS },
    },
    dir,
  );
  const plan = planGrid(spec);
  const sp = await loadSlowPair(spec);
  const data = packGridData(sp);
  const pre = new GroupPrecompute(sp.pair, spec);
  const chunks = planChunks(plan, 6);
  db = await ResultsDb.open(file);
  const jobId = "robust01";
  await db.createJob({ job_id: jobId, name: "robust", spec, n_combos: plan.total, n_chunks: chunks.length });
  for (const chunk of chunks) {
    const group = pre.compute(groupCombination(plan, chunk.group));
    const inputs = inputsFromPacked(data.base, group, data.barMs, data.nDays);
    await db.ingestChunk(jobId, chunk.chunkId, runChunk(spec, plan, slowGroupContext(inputs), chunk));
  }
  await db.finalizeDsr(jobId);
  await db.setStatus(jobId, "done", true);
  return jobId;
}

let jobId = "";
before(async () => {
  jobId = await smallRun(join(dir, "results.duckdb"));
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  await app.register(robustnessRoutes, { robustness: (id, q) => buildRobustnessReport(db, id, q) });
});
after(async () => {
  await app.close();
  await db.close();
});

async function get(url: string) {
  const res = await app.inject({ method: "GET", url });
  assert.doesNotMatch(res.body, /\n\s+at /, `stack trace in ${res.body}`);
  return res;
}

test("the report is served whole, exactly as the shared builder makes it", async () => {
  const res = await get(`/jobs/${jobId}/robustness`);
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json() as RobustnessReport;
  const direct = await buildRobustnessReport(db, jobId, { by: "sharpe", limit: 20 });
  assert.deepEqual(body, JSON.parse(JSON.stringify(direct)), "no key dropped or changed by the serializer");
  // defaults for 6 folds: S = 6 (all C(6,3) = 20 splits), window ⌊6/4⌋ = 1
  assert.deepEqual(
    [body.n_folds, body.pbo!.groups, body.pbo!.n_splits_total, body.walk_forward!.window],
    [6, 6, 20, 1],
  );
  assert.equal(body.pbo!.n_splits, 20);
  assert.equal(body.pbo!.pbo, body.pbo!.logits.filter((l) => l <= 0).length / 20);
  assert.equal(body.walk_forward!.rolling.steps.length, 5);
  // the ranking is `pairgrid top`'s, with stability next to sharpe and dsr
  const top = await db.top({ jobId, by: "sharpe", minTrades: 0, limit: 20 });
  assert.deepEqual(
    body.top.map((r) => [r.combo_id, r.sharpe, r.dsr]),
    top.map((r) => [r.combo_id, r.sharpe, r.dsr]),
  );
  assert.ok(body.top.every((r) => r.n_neighbours > 0 && r.stability !== null));
  assert.deepEqual(body.params, ["ols_window", "zscore_window", "z_entry", "z_exit"]);
});

test("query: by, splits, window and limit reach the report", async () => {
  const res = await get(`/jobs/${jobId}/robustness?by=total_pnl&splits=4&window=2&limit=3`);
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json() as RobustnessReport;
  assert.equal(body.by, "total_pnl");
  assert.deepEqual([body.pbo!.groups, body.pbo!.n_splits_total], [4, 6]);
  assert.equal(body.walk_forward!.window, 2);
  assert.equal(body.walk_forward!.anchored.steps.length, 4);
  assert.equal(body.top.length, 3);
  const pnl = body.top.map((r) => r.total_pnl!);
  assert.deepEqual(
    pnl,
    [...pnl].sort((a, b) => b - a),
  );
});

test("an unknown job is a 404", async () => {
  const res = await get("/jobs/nope/robustness");
  assert.equal(res.statusCode, 404);
  assert.deepEqual(res.json(), { error: "not_found", message: "no job 'nope'" });
});

test("bad options are 400s naming the query field", async () => {
  const cases: [string, string, RegExp][] = [
    ["splits=3", "query.splits", /even number from 2 to 6 \(the job has 6 folds\)/],
    ["splits=8", "query.splits", /from 2 to 6/],
    ["window=6", "query.window", /from 1 to 5/],
    ["splits=abc", "query.splits", /./],
    ["by=dsr", "query.by", /./],
    ["limit=0", "query.limit", /./],
  ];
  for (const [query, path, message] of cases) {
    const res = await get(`/jobs/${jobId}/robustness?${query}`);
    assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
    const body = res.json() as { error: string; message: string; path: string };
    assert.equal(body.error, "bad_request", query);
    assert.equal(body.path, path, query);
    assert.match(body.message, message, query);
  }
});

test("a report is computed once per job state: asked again it is the cached one, until the job changes", async () => {
  const a = await buildRobustnessReport(db, jobId, { by: "sharpe", limit: 7 });
  const b = await buildRobustnessReport(db, jobId, { by: "sharpe", limit: 7 });
  assert.ok(a !== null && a === b, "the same report object, not a second computation");
  const other = await buildRobustnessReport(db, jobId, { by: "total_pnl", limit: 7 });
  assert.notEqual(other, a, "another question is computed anew");
  // the walk-forward's hindsight curve: the in-sample best's PnL in each step's test fold
  const w = a!.walk_forward!.anchored;
  assert.equal(w.in_sample_best.test_fold_pnl.length, w.steps.length);
  // a job whose state moves (here its status) is computed anew
  await db.setStatus(jobId, "failed", true);
  try {
    const c = await buildRobustnessReport(db, jobId, { by: "sharpe", limit: 7 });
    assert.notEqual(c, a);
    assert.deepEqual(c, a, "same rows, same figures");
  } finally {
    await db.setStatus(jobId, "done", true);
  }
});
