// The probes and the API docs: /healthz, /metrics (Prometheus text) and /docs (offline UI + JSON).
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Counter } from "prom-client";
import { hasStackTrace, makeServer } from "./http-fake-jobs.js";

const { app, metrics, jobs } = makeServer();
after(() => app.close());

test("/healthz answers ok with the service's reachability report", async () => {
  const res = await app.inject({ method: "GET", url: "/healthz" });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { ok: true, redis: "ok", db: "ok" });
});

test("/healthz answers 503 with the same report while Redis is unreachable, 200 when it is back", async () => {
  jobs.redisUp = false;
  try {
    const res = await app.inject({ method: "GET", url: "/healthz" });
    assert.equal(res.statusCode, 503);
    assert.deepEqual(res.json(), { ok: false, redis: "unreachable (reconnecting)", db: "ok" });
  } finally {
    jobs.redisUp = true;
  }
  assert.equal((await app.inject({ method: "GET", url: "/healthz" })).statusCode, 200);
});

test("/metrics serves the registry in its own content type", async () => {
  const counter = new Counter({ name: "pairgrid_test_total", help: "a test counter", registers: [metrics] });
  counter.inc(3);
  const res = await app.inject({ method: "GET", url: "/metrics" });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers["content-type"], metrics.contentType);
  assert.match(res.body, /^pairgrid_test_total 3$/m);
});

test("/docs serves the UI page and its assets from node_modules", async () => {
  const page = await app.inject({ method: "GET", url: "/docs" });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers["content-type"]), /text\/html/);
  assert.match(page.body, /swagger/i);
  // the page's script comes from this server, not a CDN
  const bundle = await app.inject({ method: "GET", url: "/docs/static/swagger-ui-bundle.js" });
  assert.equal(bundle.statusCode, 200);
  assert.doesNotMatch(page.body, /<script[^>]+src="https?:/);
});

test("/docs/json is an OpenAPI document with the job routes and their query parameters", async () => {
  const res = await app.inject({ method: "GET", url: "/docs/json" });
  assert.equal(res.statusCode, 200);
  const doc = res.json();
  assert.match(doc.openapi, /^3\./);
  for (const path of [
    "/jobs",
    "/jobs/{id}",
    "/jobs/{id}/results",
    "/jobs/{id}/events",
    "/jobs/{id}/cancel",
  ]) {
    assert.ok(doc.paths[path], `missing ${path}`);
  }
  assert.ok(doc.paths["/jobs"].post, "POST /jobs documented");
  const params = doc.paths["/jobs/{id}/results"].get.parameters.map((p: { name: string }) => p.name);
  // `all` (INTERFACE.md: all=1 lists twins too) joined the documented query of /results
  assert.deepEqual(params.sort(), ["all", "by", "id", "limit", "min_trades"]);
  assert.ok(!hasStackTrace(res.body));
});
