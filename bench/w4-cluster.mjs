// W4 — cluster overhead (BENCH.md): the W2 grid submitted to `pairgrid coordinator` with two
// `pairgrid worker --threads 1` processes and a private Redis on loopback, against
// `pairgrid run --threads 2` on the same machine. Runs alternate (local, cluster, local, …) so
// drift in the machine's load hits both sides alike. Reports wall times, their ratio (goal ≤ 1.10)
// and the per-chunk queue overhead.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { ensureSynthData, root, synthPairData, writeSpec } from "./lib/bench-data.mjs";
import { absoluteSynthData, start, startCluster, submitAndWait, waitHealthy } from "./lib/bench-cluster.mjs";
import { median, sig } from "./lib/measure.mjs";

const cli = join(root, "apps", "cli", "bin", "pairgrid.js");

export const W2_SPEC = {
  name: "bench-w2",
  data: synthPairData(),
  session: { tz: "America/New_York", day_roll: "18:00", flat_time: "16:55" },
  costs: { commission: 2.25, slippage_ticks: 0.5 },
  hedge: "ols",
  params: {
    ols_window: [500, 1000, 2000, 4000],
    zscore_window: [50, 100, 200, 400],
    z_entry: { from: 1.5, to: 3.0, step: 0.1 },
    z_exit: { from: -0.5, to: 1.0, step: 0.25 },
    z_stop: [null, 3, 3.5, 4, 4.5, 5],
    max_hold: [0, 50, 100, 200, 400],
    corr_window: 500,
    min_corr: [null, 0.6],
  },
};

async function localRun(specFile, dir, env) {
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

/** W2's job through the coordinator: wall from submit to done (bench-cluster.mjs). */
export function clusterRun(url, spec) {
  return submitAndWait(url, spec);
}

/** Sum and count of the workers' chunk durations, from the coordinator's histogram. */
async function chunkSeconds(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sum = Number(/^pairgrid_chunk_duration_seconds_sum (\S+)$/m.exec(text)?.[1] ?? NaN);
  const count = Number(/^pairgrid_chunk_duration_seconds_count (\S+)$/m.exec(text)?.[1] ?? NaN);
  return { sum, count };
}

export async function runW4({ reps }) {
  const dataDir = ensureSynthData("synth-1200d-seed7", { days: 1200, seed: 7 });
  const spec = { ...W2_SPEC, data: synthPairData() };
  const specFile = writeSpec(dataDir, "w2.json", spec);
  const cluster = await startCluster("pairgrid-w4-", dataDir);
  const { work, env, redis, url, coordinator } = cluster;
  const workers = [0, 1].map(() => start(["worker", "--redis", redis.url, "--threads", "1"], env));
  try {
    await waitHealthy(url, coordinator);
    // warm-up of both sides (data cache, JIT of the worker processes), not timed
    await localRun(specFile, work, env);
    await clusterRun(url, { ...spec, data: absoluteSynthData(dataDir) });
    const local = [];
    const cluster = [];
    let chunks = null;
    let before = await chunkSeconds(url);
    let chunkThreadSeconds = [];
    for (let r = 0; r < reps; r++) {
      local.push(await localRun(specFile, work, env));
      const c = await clusterRun(url, { ...spec, data: absoluteSynthData(dataDir) });
      cluster.push(c.seconds);
      chunks = c;
      const after = await chunkSeconds(url);
      chunkThreadSeconds.push(after.sum - before.sum);
      before = after;
    }
    const ratio = median(cluster) / median(local);
    // thread-seconds the cluster spent beyond the chunks' own work, per chunk
    const overhead = cluster.map((s, r) => (2 * s - chunkThreadSeconds[r]) / chunks.nChunks);
    return {
      workload: "W4",
      combinations: chunks.nCombos,
      chunks: chunks.nChunks,
      local_wall_s: local.map(sig),
      cluster_wall_s: cluster.map(sig),
      median_local_s: sig(median(local)),
      median_cluster_s: sig(median(cluster)),
      ratio_cluster_over_local: sig(ratio),
      goal_ratio: 1.1,
      per_chunk_overhead_ms: sig(1000 * median(overhead)),
      note: "cluster: 2 × `pairgrid worker --threads 1` + coordinator + redis-server on loopback; local: `pairgrid run --threads 2`; wall from submit to done vs whole process",
    };
  } finally {
    await cluster.stop(workers);
  }
}
