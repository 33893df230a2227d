// Bearer-token auth: every route needs the token except the probes; no token configured means no
// auth at all.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { hasStackTrace, makeServer } from "./http-fake-jobs.js";

const TOKEN = "s3cret-token";
const { app } = makeServer({ token: TOKEN });
const open = makeServer({ token: null });
after(async () => {
  await app.close();
  await open.app.close();
});

test("without a token, or with a wrong one, a route answers 401 unauthorized", async () => {
  const cases: Record<string, string>[] = [
    {},
    { authorization: "Bearer wrong" },
    { authorization: `Bearer ${TOKEN}x` },
    { authorization: TOKEN },
    { authorization: `Basic ${TOKEN}` },
  ];
  for (const headers of cases) {
    const res = await app.inject({ method: "GET", url: "/jobs", headers });
    assert.equal(res.statusCode, 401, JSON.stringify(headers));
    assert.equal(res.json().error, "unauthorized");
    assert.equal(typeof res.json().message, "string");
    assert.match(String(res.headers["www-authenticate"]), /^Bearer/);
    assert.ok(!hasStackTrace(res.body));
  }
});

test("the right token lets requests through (scheme name in any case)", async () => {
  for (const scheme of ["Bearer", "bearer"]) {
    const res = await app.inject({
      method: "GET",
      url: "/jobs",
      headers: { authorization: `${scheme} ${TOKEN}` },
    });
    assert.equal(res.statusCode, 200, scheme);
  }
});

test("a POST is refused before its body is read", async () => {
  const res = await app.inject({ method: "POST", url: "/jobs", payload: { name: "x" } });
  assert.equal(res.statusCode, 401);
});

test("/healthz and /metrics need no token", async () => {
  assert.equal((await app.inject({ method: "GET", url: "/healthz" })).statusCode, 200);
  assert.equal((await app.inject({ method: "GET", url: "/metrics" })).statusCode, 200);
  assert.equal((await app.inject({ method: "GET", url: "/healthz?x=1" })).statusCode, 200);
});

test("/docs and unknown routes need the token too", async () => {
  assert.equal((await app.inject({ method: "GET", url: "/docs/json" })).statusCode, 401);
  assert.equal((await app.inject({ method: "GET", url: "/nowhere" })).statusCode, 401);
  const docs = await app.inject({
    method: "GET",
    url: "/docs/json",
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(docs.statusCode, 200);
});

test("with no token configured, nothing asks for one", async () => {
  const res = await open.app.inject({ method: "GET", url: "/jobs" });
  assert.equal(res.statusCode, 200);
});
