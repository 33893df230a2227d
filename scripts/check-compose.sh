#!/usr/bin/env bash
# CI check of the deployment files without a Docker engine:
#   - docker-compose.yml is valid (`docker-compose config -q`, Debian's docker-compose v1 is enough)
#     with PAIRGRID_TOKEN set, and refused without it (the coordinator listens on 0.0.0.0);
#   - deploy/prometheus.yml is well-formed YAML with the scrape jobs `coordinator` and `workers`;
#   - the Dockerfile copies the package.json and dist of every workspace.
# Exits 1 on any failure, including a missing docker-compose: CI must not pass silently.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v docker-compose >/dev/null 2>&1; then
  echo "check-compose: docker-compose is not on PATH; cannot validate docker-compose.yml" >&2
  echo "check-compose: install it (Debian: apt-get install docker-compose) and run again" >&2
  exit 1
fi
PAIRGRID_TOKEN=ci-dummy-token docker-compose -f docker-compose.yml config -q
echo "docker-compose.yml: valid ($(docker-compose version --short 2>/dev/null || echo docker-compose))"
if missing=$(env -u PAIRGRID_TOKEN docker-compose -f docker-compose.yml config -q 2>&1); then
  echo "check-compose: docker-compose.yml is accepted without PAIRGRID_TOKEN; it must require one" >&2
  exit 1
fi
if ! grep -q PAIRGRID_TOKEN <<<"$missing"; then
  echo "check-compose: without PAIRGRID_TOKEN, docker-compose failed for another reason: $missing" >&2
  exit 1
fi
echo "docker-compose.yml: refused without PAIRGRID_TOKEN"

node -e '
const fs = require("node:fs");
const YAML = require("yaml");
const fail = (msg) => { console.error("check-compose: " + msg); process.exit(1); };

const file = "deploy/prometheus.yml";
const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"));
if (doc.errors.length > 0) fail(file + ": " + doc.errors[0].message);
const prom = doc.toJS();
const jobs = (prom && Array.isArray(prom.scrape_configs) ? prom.scrape_configs : []).map((j) => j && j.job_name);
for (const want of ["coordinator", "workers"]) {
  if (!jobs.includes(want)) fail(file + ": no scrape job named " + want + " (found: " + jobs.join(", ") + ")");
}
console.log(file + ": scrape jobs " + jobs.join(", "));

// Grafana: the provisioned datasource and the dashboard that names it (its PromQL is run against a
// real Prometheus by apps/cli/test/prometheus-grafana.test.ts)
const dsFile = "deploy/grafana/provisioning/datasources/prometheus.yml";
const ds = YAML.parse(fs.readFileSync(dsFile, "utf8")).datasources[0];
const dashFile = "deploy/grafana/dashboards/pairgrid.json";
const dash = JSON.parse(fs.readFileSync(dashFile, "utf8"));
for (const p of dash.panels) {
  if (!p.datasource || p.datasource.uid !== ds.uid) fail(dashFile + ": panel " + p.title + " does not use datasource " + ds.uid);
}
console.log(dashFile + ": " + dash.panels.length + " panels on datasource " + ds.uid);

const dockerfile = fs.readFileSync("Dockerfile", "utf8");
const workspaces = JSON.parse(fs.readFileSync("package.json", "utf8")).workspaces;
for (const ws of workspaces) {
  for (const part of ["package.json", "dist"]) {
    const src = "/app/" + ws + "/" + part;
    if (!dockerfile.includes(src + " ")) fail("Dockerfile: the runtime stage does not copy " + src);
  }
}
console.log("Dockerfile: copies package.json and dist of " + workspaces.length + " workspaces");
'
