// The JSON job routes through app.inject: submit (JSON, YAML, bad spec, bad query, oversize,
// unsupported media type), list, show, results and cancel, and the error body shape.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { InjectOptions } from "fastify";
import { hasStackTrace, makeServer } from "./http-fake-jobs.js";

const { app, jobs } = makeServer({ bodyLimit: 64 * 1024 });
after(() => app.close());

const SPEC = { name: "es-nq", params: { z_entry: [1, 2] } };
const SPEC_YAML = "name: es-nq\nparams:\n  z_entry: [1, 2]\n";

async function call(opts: InjectOptions) {
  const res = await app.inject(opts);
  assert.ok(!hasStackTrace(res.body), `stack trace in response: ${res.body}`);
  return res;
}

test("POST /jobs with a JSON spec answers 201 with the job's id and size", async () => {
  const res = await call({ method: "POST", url: "/jobs", payload: SPEC });
  assert.equal(res.statusCode, 201);
  assert.deepEqual(res.json(), { job_id: "job-1", n_combos: 100, n_chunks: 4 });
  assert.deepEqual(jobs.submitted.at(-1), { spec: SPEC, opts: { chunkSize: undefined } });
});

test("POST /jobs with a YAML spec is parsed as YAML (application/yaml and text/yaml)", async () => {
  for (const type of ["application/yaml", "text/yaml; charset=utf-8"]) {
    const res = await call({
      method: "POST",
      url: "/jobs",
      headers: { "content-type": type },
      payload: SPEC_YAML,
    });
    assert.equal(res.statusCode, 201, `${type}: ${res.body}`);
    assert.deepEqual(jobs.submitted.at(-1)!.spec, SPEC);
  }
});

test("POST /jobs?chunk_size=N passes the chunk size; a bad one is a 400 on query.chunk_size", async () => {
  const ok = await call({ method: "POST", url: "/jobs?chunk_size=500", payload: SPEC });
  assert.equal(ok.statusCode, 201);
  assert.deepEqual(jobs.submitted.at(-1)!.opts, { chunkSize: 500 });
  for (const bad of ["0", "-3", "1.5", "abc"]) {
    const res = await call({ method: "POST", url: `/jobs?chunk_size=${bad}`, payload: SPEC });
    assert.equal(res.statusCode, 400, bad);
    assert.equal(res.json().error, "bad_request");
    assert.equal(res.json().path, "query.chunk_size");
  }
});

test("an InputError from submit is a 400 bad_spec naming the field", async () => {
  const res = await call({ method: "POST", url: "/jobs", payload: { name: "bad" } });
  assert.equal(res.statusCode, 400);
  assert.deepEqual(res.json(), {
    error: "bad_spec",
    message: "z_entry must be positive",
    path: "params.z_entry",
  });
});

test("malformed YAML and malformed JSON are 400 invalid_body", async () => {
  const yaml = await call({
    method: "POST",
    url: "/jobs",
    headers: { "content-type": "application/yaml" },
    payload: "name: [unclosed\n  z: 1",
  });
  assert.equal(yaml.statusCode, 400);
  assert.equal(yaml.json().error, "invalid_body");
  assert.match(yaml.json().message, /^YAML syntax error: .*line/);

  const json = await call({
    method: "POST",
    url: "/jobs",
    headers: { "content-type": "application/json" },
    payload: '{"name": ',
  });
  assert.equal(json.statusCode, 400);
  assert.equal(json.json().error, "invalid_body");
});

test("a body over the limit is 413 payload_too_large, JSON or YAML", async () => {
  const big = "x".repeat(70 * 1024);
  for (const [type, payload] of [
    ["application/json", JSON.stringify({ name: big })],
    ["application/yaml", `name: ${big}\n`],
  ]) {
    const res = await call({ method: "POST", url: "/jobs", headers: { "content-type": type }, payload });
    assert.equal(res.statusCode, 413, type);
    assert.equal(res.json().error, "payload_too_large");
    assert.equal(typeof res.json().message, "string");
  }
});

test("an unsupported content type is 415 JSON", async () => {
  const res = await call({
    method: "POST",
    url: "/jobs",
    headers: { "content-type": "application/xml" },
    payload: "<spec/>",
  });
  assert.equal(res.statusCode, 415);
  assert.equal(res.json().error, "unsupported_media_type");
});

test("an unexpected failure is a bare 500: no message from inside, no stack", async () => {
  // "nofile" throws an fs-style error whose `path` is a server file: not a spec field, not a 400
  for (const name of ["boom", "nofile"]) {
    const res = await call({ method: "POST", url: "/jobs", payload: { name } });
    assert.equal(res.statusCode, 500, name);
    assert.deepEqual(res.json(), { error: "internal", message: "internal server error" });
  }
});

test("GET /jobs lists the jobs; GET /jobs/:id shows one or answers 404", async () => {
  const view = jobs.add("listed");
  const list = await call({ method: "GET", url: "/jobs" });
  assert.equal(list.statusCode, 200);
  assert.ok(list.json().some((v: { job_id: string }) => v.job_id === view.job_id));

  const one = await call({ method: "GET", url: `/jobs/${view.job_id}` });
  assert.equal(one.statusCode, 200);
  assert.deepEqual(one.json(), view);

  const missing = await call({ method: "GET", url: "/jobs/nope" });
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(missing.json(), { error: "not_found", message: "no job 'nope'" });
});

test("GET /jobs/:id/results uses by=sharpe, limit=50, min_trades=0 unless told otherwise", async () => {
  const view = jobs.add("ranked", "done");
  const res = await call({ method: "GET", url: `/jobs/${view.job_id}/results` });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), [{ combo_id: 0, sharpe: 1.5, n_trades: 12 }]);
  assert.deepEqual(jobs.resultQueries.at(-1), { by: "sharpe", limit: 50, minTrades: 0 });

  await call({ method: "GET", url: `/jobs/${view.job_id}/results?by=sortino&limit=10000&min_trades=30` });
  assert.deepEqual(jobs.resultQueries.at(-1), { by: "sortino", limit: 10000, minTrades: 30 });
});

test("GET /jobs/:id/results: bad query values are 400 with the query field as path", async () => {
  const view = jobs.add("ranked-bad", "done");
  const cases: [string, string][] = [
    ["limit=abc", "query.limit"],
    ["limit=0", "query.limit"],
    ["limit=10001", "query.limit"],
    ["min_trades=-1", "query.min_trades"],
    ["by=favourite_colour", "query.by"],
  ];
  for (const [query, path] of cases) {
    const res = await call({ method: "GET", url: `/jobs/${view.job_id}/results?${query}` });
    assert.equal(res.statusCode, 400, query);
    assert.equal(res.json().error, "bad_request", query);
    assert.equal(res.json().path, path, query);
    assert.equal(typeof res.json().message, "string");
  }
});

test("GET /jobs/:id/results: the service's InputError keeps its field, as a query path", async () => {
  const view = jobs.add("ranked-refused", "done");
  const res = await call({ method: "GET", url: `/jobs/${view.job_id}/results?by=kurtosis` });
  assert.equal(res.statusCode, 400);
  assert.deepEqual(res.json(), {
    error: "bad_request",
    message: "kurtosis is not rankable here",
    path: "query.by",
  });
});

test("GET /jobs/:id/results of an unknown job is 404", async () => {
  const res = await call({ method: "GET", url: "/jobs/nope/results" });
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().error, "not_found");
});

test("POST /jobs/:id/cancel answers the job's view, or 404", async () => {
  const view = jobs.add("to-cancel");
  const res = await call({ method: "POST", url: `/jobs/${view.job_id}/cancel` });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().status, "cancelled");
  const missing = await call({ method: "POST", url: "/jobs/nope/cancel" });
  assert.equal(missing.statusCode, 404);
});

test("an unknown route is a JSON 404", async () => {
  const res = await call({ method: "GET", url: "/no/such/route" });
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().error, "not_found");
});

test("a malformed URL is a JSON 400 too (fastify raises it before routing)", async () => {
  const res = await call({ method: "GET", url: "/jobs/%zz" });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error, "bad_request");
});
