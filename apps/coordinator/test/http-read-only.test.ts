// Server options of the dashboard: read-only mode (`pairgrid serve`) refuses the routes that change
// jobs with 405 before they run; with a token, the dashboard's page and scripts load without it and
// the SSE stream also takes it as ?access_token= (EventSource cannot send a header), nothing else.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { hasStackTrace, makeServer } from "./http-fake-jobs.js";

const TOKEN = "dash-token";
const ro = makeServer({ readOnly: true });
const guarded = makeServer({ token: TOKEN, dashboard: true, readOnly: true });
let base = "";
before(async () => {
  await guarded.app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(guarded.app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await ro.app.close();
  await guarded.app.close();
});

test("read-only: POST /jobs and POST /jobs/:id/cancel answer 405 read_only; reading works", async () => {
  const job = ro.jobs.add("kept", "running");
  const submit = await ro.app.inject({ method: "POST", url: "/jobs", payload: { name: "x" } });
  assert.equal(submit.statusCode, 405);
  assert.equal(submit.json().error, "read_only");
  assert.match(submit.json().message, /read/);
  assert.equal(submit.headers.allow, "GET, HEAD");
  assert.ok(!hasStackTrace(submit.body));
  const cancel = await ro.app.inject({ method: "POST", url: `/jobs/${job.job_id}/cancel` });
  assert.equal(cancel.statusCode, 405);
  assert.equal(cancel.json().error, "read_only");
  assert.equal(ro.jobs.submitted.length, 0, "the job service was never asked");
  assert.equal(ro.jobs.views.get(job.job_id)!.status, "running", "nothing cancelled");
  assert.equal((await ro.app.inject({ method: "GET", url: "/jobs" })).statusCode, 200);
  assert.equal((await ro.app.inject({ method: "GET", url: `/jobs/${job.job_id}` })).statusCode, 200);
});

test("read-only with a token: the token is checked first (401, not 405)", async () => {
  const res = await guarded.app.inject({ method: "POST", url: "/jobs", payload: {} });
  assert.equal(res.statusCode, 401);
  const ok = await guarded.app.inject({
    method: "POST",
    url: "/jobs",
    payload: {},
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(ok.statusCode, 405);
});

test("the dashboard's page and scripts load without the token; the API does not", async () => {
  const vendor = await guarded.app.inject({ method: "GET", url: "/vendor/echarts.min.js" });
  assert.equal(vendor.statusCode, 200);
  // the page itself: served, or 404 when the UI is not built, never a 401
  assert.notEqual((await guarded.app.inject({ method: "GET", url: "/" })).statusCode, 401);
  for (const url of ["/jobs", "/docs/json", "/nowhere", "/jobs?access_token=" + TOKEN]) {
    assert.equal((await guarded.app.inject({ method: "GET", url })).statusCode, 401, url);
  }
});

test("GET /jobs/:id/events takes ?access_token=, checked like the header", async () => {
  const job = guarded.jobs.add("streamed", "done");
  const res = await fetch(`${base}/jobs/${job.job_id}/events?access_token=${TOKEN}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  assert.match(await res.text(), /event: end/);

  for (const wrong of [`${TOKEN}x`, "", "x"]) {
    const bad = await fetch(`${base}/jobs/${job.job_id}/events?access_token=${wrong}`);
    assert.equal(bad.status, 401, wrong);
    assert.equal(((await bad.json()) as { error: string }).error, "unauthorized");
  }
  const none = await fetch(`${base}/jobs/${job.job_id}/events`);
  assert.equal(none.status, 401);
  assert.match(((await none.json()) as { message: string }).message, /missing/);
});
