// W4H — hybrid grids on the cluster (issue 20): W3's data (60 days of 1-second bars, ≈ 5 M fast
// rows per leg) and two hybrid grids over it — hybrid_dollar on W3's 10 × 10 dollar TP × SL grid,
// hybrid_zlive on W3's z grid — submitted to `pairgrid coordinator` with two `pairgrid worker
// --threads 1` processes and a private Redis on loopback, against `pairgrid run --threads 2`.
// Runs alternate (local, cluster, …) so drift in the machine's load hits both sides alike. The
// first cluster run of each grid is the cold one (the workers' disk caches empty; timed apart);
// the timed runs after it find the fast day blobs on disk. Reports wall times and their ratio
// (goal ≤ 1.15), the bytes the coordinator shipped and the workers fetched, and each worker's
// disk-cache hit rate.
import { rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { freePort } from "@pairgrid/cluster/testing";
import { ensureSynthData, root, synthPairData, writeSpec } from "./lib/bench-data.mjs";
import { median, sig } from "./lib/measure.mjs";
import { start, startCluster, waitHealthy } from "./lib/bench-cluster.mjs";
import { clusterRun } from "./w4-cluster.mjs";

const cli = join(root, "apps", "cli", "bin", "pairgrid.js");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const LEVELS = Array.from({ length: 10 }, (_, k) => 250 * (k + 1));

function w3Spec(dir, engine, params) {
  const d = synthPairData({ fast_seconds: 1 });
  const abs = (f) => join(dir, f);
  return {
    name: `bench-w4h-${engine}`,
    data: {
      ...d,
      a: { ...d.a, slow: abs(d.a.slow), fast: abs("NQ_fast.csv") },
      b: { ...d.b, slow: abs(d.b.slow), fast: abs("YM_fast.csv") },
    },
    session: { tz: "America/New_York", day_roll: "18:00", flat_time: "16:55" },
    costs: { commission: 2.25, slippage_ticks: 0.5 },
    engine,
    params: { ols_window: 1000, zscore_window: 100, ...params },
  };
}

const GRIDS = {
  hybrid_dollar: { z_entry: 2, z_exit: 0.5, z_stop: null, dollar_tp: LEVELS, dollar_sl: LEVELS },
  hybrid_zlive: { z_entry: [2, 2.5, 3], z_exit: [0, 0.5], z_stop: [null, 4] },
};

function localRun(specFile, dir, env) {
  const db = join(dir, `local-${Date.now()}.duckdb`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, "run", specFile, "--db", db, "--threads", "2", "--quiet"], {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`pairgrid run failed: ${r.stderr}`);
  const seconds = (performance.now() - t0) / 1000;
  rmSync(db, { force: true });
  return seconds;
}

/** A worker's transfer counters, from its /metrics. */
async function workerTransfer(port) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (re) => Number(re.exec(text)?.[1] ?? 0);
  return {
    bytes: value(/^pairgrid_worker_blob_bytes_fetched_total\{[^}]*\} (\S+)$/m),
    fromMemory: value(/^pairgrid_worker_fast_blob_reads_total\{[^}]*source="memory"[^}]*\} (\S+)$/m),
    fromCache: value(/^pairgrid_worker_fast_blob_reads_total\{[^}]*source="cache"[^}]*\} (\S+)$/m),
    fetched: value(/^pairgrid_worker_fast_blob_reads_total\{[^}]*source="redis"[^}]*\} (\S+)$/m),
    fastRows: value(/^pairgrid_worker_fast_rows_scanned_total\{[^}]*\} (\S+)$/m),
  };
}

const minus = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] - b[k]]));
// a day blob not read at all (its job's data still assembled in the worker's memory) is a hit too
const reads = (t) => t.fromMemory + t.fromCache + t.fetched;
const rate = (t) => (reads(t) > 0 ? sig((t.fromMemory + t.fromCache) / reads(t)) : null);
const memoryRate = (t) => (reads(t) > 0 ? sig(t.fromMemory / reads(t)) : null);

export async function runW4H({ reps }) {
  const dataDir = ensureSynthData("synth-60d-seed7-fast1s", { days: 60, seed: 7, fastSeconds: 1 });
  const cluster = await startCluster("pairgrid-w4h-", dataDir);
  const { work, env, redis, url, coordinator } = cluster;
  const metricsPorts = [await freePort(), await freePort()];
  // each worker its own cache folder, as on two hosts
  const workers = metricsPorts.map((mp, i) =>
    start(["worker", "--redis", redis.url, "--threads", "1", "--metrics-port", String(mp)], {
      PAIRGRID_CACHE_DIR: join(work, `cache-worker${i}`),
    }),
  );
  try {
    await waitHealthy(url, coordinator);
    for (let t0 = Date.now(); !workers.every((w) => /started —/.test(w.log()));) {
      if (Date.now() - t0 > 30_000) throw new Error("workers did not start");
      await sleep(100);
    }
    const grids = {};
    for (const [engine, params] of Object.entries(GRIDS)) {
      const spec = w3Spec(dataDir, engine, params);
      const specFile = writeSpec(dataDir, `w4h-${engine}.json`, spec);
      const t0 = await Promise.all(metricsPorts.map(workerTransfer));
      // warm-up: the local run fills the bar cache; the cluster's first run is the cold one
      localRun(specFile, work, env);
      const cold = await clusterRun(url, spec);
      const t1 = await Promise.all(metricsPorts.map(workerTransfer));
      const local = [];
      const cluster = [];
      for (let r = 0; r < reps; r++) {
        local.push(localRun(specFile, work, env));
        cluster.push((await clusterRun(url, spec)).seconds);
      }
      const t2 = await Promise.all(metricsPorts.map(workerTransfer));
      const coldT = t1.map((t, i) => minus(t, t0[i]));
      const warmT = t2.map((t, i) => minus(t, t1[i]));
      grids[engine] = {
        combinations: cold.nCombos,
        chunks: cold.nChunks,
        local_wall_s: local.map(sig),
        cluster_wall_s: cluster.map(sig),
        cold_cluster_wall_s: sig(cold.seconds),
        median_local_s: sig(median(local)),
        median_cluster_s: sig(median(cluster)),
        ratio_cluster_over_local: sig(median(cluster) / median(local)),
        goal_ratio: 1.15,
        cold_bytes_fetched_per_worker: coldT.map((t) => t.bytes),
        cold_cache_hit_rate_per_worker: coldT.map(rate),
        cold_memory_hit_rate_per_worker: coldT.map(memoryRate),
        warm_bytes_fetched_per_worker: warmT.map((t) => t.bytes),
        warm_cache_hit_rate_per_worker: warmT.map(rate),
        warm_memory_hit_rate_per_worker: warmT.map(memoryRate),
        fast_rows_scanned_per_worker: warmT.map((t) => t.fastRows / reps),
      };
    }
    const shipped = /fast data: (\d+) day blobs, (\d+) bytes/.exec(coordinator.log());
    return {
      workload: "W4H",
      grids,
      fast_blobs_shipped: shipped ? { days: Number(shipped[1]), bytes: Number(shipped[2]) } : null,
      note:
        "cluster: 2 × `pairgrid worker --threads 1` (own disk caches) + coordinator + redis-server on loopback; " +
        "local: `pairgrid run --threads 2`; wall from submit to done vs whole process; timed cluster runs after a cold one (warm disk caches)",
    };
  } finally {
    await cluster.stop(workers);
  }
}
