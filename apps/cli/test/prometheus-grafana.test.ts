// The Grafana dashboard (deploy/grafana/) against a real Prometheus: Debian's `prometheus` binary
// scrapes a real coordinator and worker (own redis-server) with the scrape jobs of
// deploy/prometheus.yml, and every PromQL expression of every panel must answer, over the HTTP
// API, with series that carry the labels its legend names. The dashboard JSON is checked for the
// structure Grafana provisioning needs (no Grafana in Debian to load it). Needs `prometheus` on
// PATH (or PAIRGRID_PROMETHEUS): .ci/run installs it.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { freePort } from "@pairgrid/cluster/testing";
import YAML from "yaml";
import { repoRoot } from "./cli-helpers.js";
import { LONG_PARAMS } from "./cluster-fixtures.js";
import { TestCluster } from "./cluster-harness.js";
import { makeRunDir, type RunDir, specObject } from "./run-fixtures.js";

const PROMETHEUS = process.env.PAIRGRID_PROMETHEUS ?? "/usr/bin/prometheus";
const DASHBOARD = join(repoRoot, "deploy/grafana/dashboards/pairgrid.json");
const DATASOURCE = join(repoRoot, "deploy/grafana/provisioning/datasources/prometheus.yml");

interface Target {
  refId: string;
  expr: string;
  legendFormat?: string;
  datasource: { type: string; uid: string };
}
interface Panel {
  id: number;
  title: string;
  type: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: { type: string; uid: string };
  targets: Target[];
}
interface Series {
  metric: Record<string, string>;
  value: [number, string];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dashboard = JSON.parse(readFileSync(DASHBOARD, "utf8")) as {
  uid: string;
  title: string;
  panels: Panel[];
};

let rd: RunDir;
let cluster: TestCluster;
let prometheus: ChildProcess | null = null;
const promLog: string[] = [];
let promUrl = "";

/** deploy/prometheus.yml with this machine's targets in place of Docker's names, scraping every second. */
function promConfig(coordinator: string, worker: string): string {
  const cfg = YAML.parse(readFileSync(join(repoRoot, "deploy/prometheus.yml"), "utf8")) as {
    global: Record<string, string>;
    scrape_configs: Record<string, unknown>[];
  };
  cfg.global.scrape_interval = "1s";
  cfg.global.evaluation_interval = "1s";
  for (const job of cfg.scrape_configs) {
    const target = job.job_name === "coordinator" ? coordinator : job.job_name === "workers" ? worker : null;
    assert.ok(target, `deploy/prometheus.yml: unexpected scrape job ${String(job.job_name)}`);
    delete job.dns_sd_configs;
    job.static_configs = [{ targets: [target] }];
  }
  return YAML.stringify(cfg);
}

async function promQuery(expr: string): Promise<Series[]> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: Series[] } };
  assert.equal(body.status, "success", `${expr}: ${body.error ?? res.status}`);
  return body.data!.result;
}

before(async () => {
  assert.ok(
    existsSync(PROMETHEUS),
    `no prometheus at ${PROMETHEUS}: apt-get install prometheus (or set PAIRGRID_PROMETHEUS)`,
  );
  rd = makeRunDir("prom");
  cluster = await TestCluster.start(rd, { workers: 0 });
  const workerMetrics = await freePort();
  cluster.startWorker(1, ["--metrics-port", String(workerMetrics)]);
  await cluster.waitForWorkersStarted();

  const promPort = await freePort();
  promUrl = `http://127.0.0.1:${promPort}`;
  const promDir = join(rd.dir, "prometheus");
  mkdirSync(promDir);
  const config = join(promDir, "prometheus.yml");
  writeFileSync(config, promConfig(`127.0.0.1:${cluster.port}`, `127.0.0.1:${workerMetrics}`));
  prometheus = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(promDir, "data")}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  prometheus.stderr!.on("data", (d: Buffer) => promLog.push(d.toString()));
  const t0 = Date.now();
  while (
    !(await fetch(`${promUrl}/-/ready`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    assert.ok(prometheus.exitCode === null, `prometheus exited:\n${promLog.join("").slice(-3000)}`);
    assert.ok(Date.now() - t0 < 30_000, `prometheus not ready:\n${promLog.join("").slice(-3000)}`);
    await sleep(200);
  }
});

after(async () => {
  prometheus?.kill("SIGTERM");
  await cluster?.stop();
});

test("the dashboard JSON has what Grafana's provisioning needs, on the provisioned datasource", () => {
  const ds = YAML.parse(readFileSync(DATASOURCE, "utf8")) as { datasources: { uid: string; type: string }[] };
  const uid = ds.datasources[0]!.uid;
  assert.equal(ds.datasources[0]!.type, "prometheus");
  assert.ok(dashboard.uid && dashboard.title);
  assert.ok(dashboard.panels.length >= 7);
  const ids = new Set<number>();
  for (const p of dashboard.panels) {
    assert.ok(!ids.has(p.id), `panel id ${p.id} twice`);
    ids.add(p.id);
    assert.equal(p.datasource.uid, uid, `${p.title}: datasource`);
    assert.ok(p.gridPos.w > 0 && p.gridPos.h > 0 && p.gridPos.x + p.gridPos.w <= 24, `${p.title}: gridPos`);
    assert.ok(p.targets.length > 0, `${p.title}: no query`);
    for (const t of p.targets) {
      assert.equal(t.datasource.uid, uid, `${p.title} ${t.refId}: datasource`);
      assert.match(t.expr, /pairgrid_/, `${p.title} ${t.refId}: not a pairgrid metric`);
    }
  }
  const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join(" | ");
  for (const want of [
    "combinations/s per worker",
    "queue depth",
    "in flight",
    "stalled",
    "ingest lag",
    "failed",
    "redis memory",
    "eta",
  ]) {
    assert.ok(titles.includes(want), `no panel for ${want}: ${titles}`);
  }
});

test("every panel's PromQL answers on a real Prometheus with the labels its legend uses", async () => {
  // a job long enough (demo-sized grid, one thread) that its per-job series live through the checks
  const spec = specObject(LONG_PARAMS, { name: "prom" });
  const { job_id } = await cluster.submit(spec, 400);
  const pending = new Map<string, string>();
  for (const p of dashboard.panels)
    for (const t of p.targets) pending.set(`${p.title} ${t.refId}: ${t.expr}`, "not run yet");
  const t0 = Date.now();
  try {
    while (pending.size > 0 && Date.now() - t0 < 90_000) {
      for (const p of dashboard.panels) {
        for (const t of p.targets) {
          const key = `${p.title} ${t.refId}: ${t.expr}`;
          if (!pending.has(key)) continue;
          const series = await promQuery(t.expr);
          const labels = [...(t.legendFormat ?? "").matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!);
          const missing =
            series.length === 0 ? "no series" : labels.find((l) => series.some((s) => !(l in s.metric)));
          if (missing === undefined) pending.delete(key);
          else pending.set(key, missing === "no series" ? missing : `series without label ${missing}`);
        }
      }
      if (pending.size > 0) await sleep(1000);
    }
    assert.deepEqual(
      [...pending].map(([k, why]) => `${k} → ${why}`),
      [],
      `job ${JSON.stringify(await cluster.job(job_id))}; scrape targets: ${JSON.stringify(await promQuery("up"))}\n${cluster.logs()}`,
    );
    // the per-worker series name the worker process, the per-job ones the job; asked while the job
    // runs: once it ends its series go, and the next scrape (every second) marks them stale
    const perWorker = await promQuery(
      "sum by (worker) (rate(pairgrid_worker_combinations_processed_total[1m]))",
    );
    assert.equal(perWorker.length, 1);
    const perJob = await promQuery("pairgrid_job_combinations_total");
    assert.ok(
      perJob.some((s) => s.metric.exported_job === job_id),
      JSON.stringify({ job: await cluster.job(job_id), perJob }),
    );
  } finally {
    await fetch(`${cluster.url}/jobs/${job_id}/cancel`, { method: "POST" });
  }
});
