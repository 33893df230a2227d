// W6C — the seed-scale grid on the cluster (issue 19 item 7; BENCH.md W6 and W4): the W6 grid
// submitted to `pairgrid coordinator` with two `pairgrid worker --threads 1` processes and a private
// Redis on loopback, against `pairgrid run --threads 2` on the same machine, in turns (local,
// cluster, cluster, local, …) so a slow spell of this shared machine falls on both. Reports the
// wall times and their ratio (goal ≤ 1.10), Redis memory during each job (sampled every 250 ms, and
// Redis's own used_memory_peak, which covers every moment), and the peak RSS of the coordinator and
// of each worker (VmHWM, since their start) next to the local run's — at two grid sizes
// (PAIRGRID_W6_SMALL=1 for the ¼ grid) this is the "memory flat in the job's size" figure.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { WORKER_THREADS_KEY } from "@pairgrid/cluster";
import { Redis } from "ioredis";
import { ensureSynthData, root, writeSpec } from "./lib/bench-data.mjs";
import { absoluteSynthData, start, startCluster, submitAndWait, waitHealthy } from "./lib/bench-cluster.mjs";
import { median, sig } from "./lib/measure.mjs";
import { timedCommand } from "./lib/timed-command.mjs";
import { W6_SPEC } from "./w6-seed-scale.mjs";

const cli = join(root, "apps", "cli", "bin", "pairgrid.js");

/** Peak resident set of a live process since it started (Linux VmHWM), in MB. */
function peakRssMb(pid) {
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

function localRun(specFile, work, env) {
  const db = join(work, `local-${Date.now()}.duckdb`);
  const r = timedCommand([process.execPath, cli, "run", specFile, "--db", db, "--threads", "2", "--quiet"], {
    env,
  });
  rmSync(db, { force: true });
  return { seconds: r.wall_seconds, cpu_seconds: r.cpu_seconds, peak_rss_mb: r.peak_rss_mb };
}

/** Waits until the workers have recorded `threads` chunk threads in Redis (cluster worker-threads.ts). */
async function waitForWorkerThreads(redis, threads, timeoutMs = 60_000) {
  const t0 = Date.now();
  for (;;) {
    const fields = await redis.hgetall(WORKER_THREADS_KEY);
    if (Object.values(fields).reduce((n, v) => n + Number(v), 0) >= threads) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`workers did not register ${threads} threads`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Submits the job and waits for it while sampling Redis's used_memory; wall from submit to done. */
async function clusterRun(url, spec, redis) {
  const usedMemory = (info, field) => Number(new RegExp(`^${field}:(\\d+)`, "m").exec(info)?.[1] ?? NaN);
  let redisMax = 0;
  const sample = async () => {
    redisMax = Math.max(redisMax, usedMemory(await redis.info("memory"), "used_memory"));
  };
  const run = await submitAndWait(url, spec, { pollMs: 250, onPoll: sample });
  const info = await redis.info("memory");
  return {
    seconds: run.seconds,
    combinations: run.nCombos,
    chunks: run.nChunks,
    redis_used_memory_max_sampled_mb: redisMax / 1e6,
    redis_used_memory_peak_mb: usedMemory(info, "used_memory_peak") / 1e6,
    redis_used_memory_after_mb: usedMemory(info, "used_memory") / 1e6,
  };
}

export async function runW6Cluster({ reps }) {
  const dataDir = ensureSynthData("synth-1200d-seed7", { days: 1200, seed: 7 });
  const small = process.env.PAIRGRID_W6_SMALL === "1";
  const params = small ? { ...W6_SPEC.params, ols_window: [1000, 4000] } : W6_SPEC.params;
  const spec = { ...W6_SPEC, name: small ? "bench-w6c-small" : "bench-w6c", params };
  const specFile = writeSpec(dataDir, small ? "w6c-small.json" : "w6c.json", spec);
  const cluster = await startCluster("pairgrid-w6c-", dataDir);
  const { work, env, url, coordinator } = cluster;
  const workers = [0, 1].map(() => start(["worker", "--redis", cluster.redis.url, "--threads", "1"], env));
  const redis = new Redis(cluster.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await waitHealthy(url, coordinator);
    // the coordinator cuts a job for the worker threads it sees at submission: wait for both
    await waitForWorkerThreads(redis, 2);
    const local = [];
    const clustered = [];
    const absolute = { ...spec, data: absoluteSynthData(dataDir) };
    for (let r = 0; r < reps; r++) {
      // alternate which side goes first: the first run of all also warms the data cache
      if (r % 2 === 0) {
        local.push(localRun(specFile, work, env));
        clustered.push(await clusterRun(url, absolute, redis));
      } else {
        clustered.push(await clusterRun(url, absolute, redis));
        local.push(localRun(specFile, work, env));
      }
      process.stderr.write(
        `W6C rep ${r}: local ${JSON.stringify(local.at(-1))} cluster ${JSON.stringify(clustered.at(-1))}\n`,
      );
    }
    const ratio = median(clustered.map((c) => c.seconds)) / median(local.map((l) => l.seconds));
    return {
      workload: small ? "W6C-small" : "W6C",
      combinations: clustered[0].combinations,
      chunks: clustered[0].chunks,
      local_wall_s: local.map((l) => sig(l.seconds)),
      cluster_wall_s: clustered.map((c) => sig(c.seconds)),
      ratio_cluster_over_local: sig(ratio),
      goal_ratio: 1.1,
      local_peak_rss_mb: local.map((l) => sig(l.peak_rss_mb)),
      coordinator_peak_rss_mb: sig(peakRssMb(coordinator.child.pid)),
      worker_peak_rss_mb: workers.map((w) => sig(peakRssMb(w.child.pid))),
      redis_used_memory_max_sampled_mb: sig(
        Math.max(...clustered.map((c) => c.redis_used_memory_max_sampled_mb)),
      ),
      redis_used_memory_peak_mb: sig(clustered.at(-1).redis_used_memory_peak_mb),
      redis_used_memory_after_last_job_mb: sig(clustered.at(-1).redis_used_memory_after_mb),
      note: "cluster: 2 × `pairgrid worker --threads 1` + coordinator + redis-server on loopback; local: `pairgrid run --threads 2`; wall from submit to done vs whole process; peaks of the cluster's processes are since their start (every rep)",
    };
  } finally {
    redis.disconnect();
    await cluster.stop(workers);
  }
}
