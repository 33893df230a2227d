// The dashboard's files as the server hands them out: the page, every script module the page
// imports, the stylesheet and ECharts from node_modules, with the right types and without a token;
// nothing else (no traversal out of the whitelist, no sources or build metadata).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, test } from "node:test";
import { makeServer } from "./http-fake-jobs.js";

const TOKEN = "dash-static-token";
const { app } = makeServer({ token: TOKEN, dashboard: true });
after(() => app.close());

const get = (url: string) => app.inject({ method: "GET", url });

test("GET / is the page: HTML, local scripts only, a CSP that forbids other origins", async () => {
  const res = await get("/");
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers["content-type"]), /^text\/html; charset=utf-8/);
  assert.match(res.body, /<script type="module" src="\/ui\/main\.js"><\/script>/);
  assert.match(res.body, /<script src="\/vendor\/echarts\.min\.js"/);
  // no CDN: every src/href is a path on this server or a fragment
  for (const [, url] of res.body.matchAll(/(?:src|href)="([^"]*)"/g))
    assert.match(url, /^(\/[^/]|#|data:,$)/, url);
  const csp = String(res.headers["content-security-policy"]);
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.equal(res.headers["x-content-type-options"], "nosniff");
});

test("every module the page imports is served as JavaScript, without a token, and imports only /ui/", async () => {
  const seen = new Set<string>();
  const queue = ["main.js"];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const res = await get(`/ui/${name}`);
    assert.equal(res.statusCode, 200, `/ui/${name}: ${res.body.slice(0, 200)}`);
    assert.match(String(res.headers["content-type"]), /^text\/javascript; charset=utf-8/);
    // every import of the compiled module (static, side-effect or dynamic), resolved against its
    // folder. The browser has no module resolution and only /ui/ is served: the server types the
    // pages use (ui/src/types.ts) must stay type-only imports, erased from the JS.
    for (const [, spec] of res.body.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)) {
      assert.match(spec, /^\.{1,2}\//, `${name} imports "${spec}", not a relative path`);
      const url = new URL(spec, `http://x/ui/${name}`);
      assert.ok(url.pathname.startsWith("/ui/"), `${name} imports "${spec}", outside /ui/`);
      queue.push(url.pathname.slice("/ui/".length));
    }
  }
  for (const view of ["views/jobs-list.js", "views/heatmap.js", "views/combo-page.js", "views/sql-box.js"]) {
    assert.ok(seen.has(view), `${view} reached from main.js (${[...seen].join(", ")})`);
  }
  const css = await get("/ui/style.css");
  assert.equal(css.statusCode, 200);
  assert.match(String(css.headers["content-type"]), /^text\/css/);
});

test("ECharts comes from node_modules, byte for byte", async () => {
  const res = await app.inject({ method: "GET", url: "/vendor/echarts.min.js" });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers["content-type"]), /^text\/javascript/);
  const file = createRequire(import.meta.url).resolve("echarts/dist/echarts.min.js");
  assert.ok(res.rawPayload.equals(readFileSync(file)), "the file from node_modules");
});

test("only whitelisted files: traversal, sources and build metadata are 404", async () => {
  for (const url of [
    "/ui/../package.json",
    "/ui/%2e%2e/package.json",
    "/ui/..%2f..%2fpackage.json",
    "/ui/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json",
    "/ui/main.ts",
    "/ui/main.d.ts",
    "/ui/.tsbuildinfo",
    "/ui/views/",
    "/ui/",
    "/ui//etc/passwd",
    "/vendor/echarts.js",
    "/index.html",
  ]) {
    const res = await get(url);
    // 404 from the whitelist, or 401 for a path outside the dashboard's routes (needs the token)
    assert.ok([401, 404].includes(res.statusCode), `${url}: ${res.statusCode}`);
    assert.equal(typeof res.json().error, "string", url);
    assert.doesNotMatch(res.body, /"name":\s*"pairgrid"|root:x:0:0/, url);
  }
});

test("the API still needs the token when the dashboard is open", async () => {
  assert.equal((await get("/jobs")).statusCode, 401);
  const ok = await app.inject({ method: "GET", url: "/jobs", headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(ok.statusCode, 200);
});
