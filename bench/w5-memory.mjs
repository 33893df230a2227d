// W5 — memory sharing (BENCH.md): peak RSS of ONE `pairgrid worker` process running the W2 grid's
// chunks with --threads 1, 2 and 4, against `pairgrid coordinator` and a private redis-server.
// The base arrays and each group's arrays live in SharedArrayBuffers that every thread reads, so
// the peak should not grow with the thread count beyond a small per-thread constant.
//
// One measurement: a fresh worker process starts (its RSS once it is ready is the idle baseline),
// a fresh W2 job is submitted, and the worker's VmRSS is sampled (/proc/PID/status) while it
// works; once the job is done (or the chunk limit below is reached) its VmHWM (peak resident set)
// is read while it still runs, then the job is cancelled (a no-op when done) and the worker
// stopped. Thread counts alternate within each repetition (1, 2, 4, 1, 2, 4, …) so machine drift
// hits all alike. The whole job is the default: the peak is NOT reached after a few groups with
// several threads (RSS keeps rising group after group, see bench/README.md), so a partial run would
// understate it. PAIRGRID_W5_GROUPS=k stops after the chunks of the first k groups instead (quick
// runs; the JSON says so in `scope`).
//
// Reported for scale: the bytes of the base arrays and of one group's arrays as the worker builds
// them (GroupPrecompute with the same kernel choice), computed here in the bench process; and,
// per thread count, the highest RSS seen while each group's chunks ran (`rss_mb_by_group`).
import { readFileSync } from "node:fs";
import {
  eventSettingsFor,
  groupCombination,
  GroupPrecompute,
  loadSlowPair,
  loadSpecFile,
  packGridData,
  planGrid,
} from "@pairgrid/engine";
import { ensureSynthData, synthPairData, writeSpec } from "./lib/bench-data.mjs";
import { absoluteSynthData, start, startCluster } from "./lib/bench-cluster.mjs";
import { median, sig } from "./lib/measure.mjs";
import { W2_SPEC } from "./w4-cluster.mjs";

const THREADS = [1, 2, 4];
const MiB = 1024 * 1024;
/** Sampling period of the worker's RSS and the job's progress. */
const SAMPLE_MS = 200;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** VmHWM, VmRSS (bytes) and OS thread count of a live process, from /proc/PID/status. */
function procStatus(pid) {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, "m").exec(text)?.[1] ?? NaN) * 1024;
  return {
    hwm: kb("VmHWM"),
    rss: kb("VmRSS"),
    threads: Number(/^Threads:\s+(\d+)$/m.exec(text)?.[1] ?? NaN),
  };
}

async function until(what, ms, ok) {
  for (const t0 = Date.now(); !(await ok());) {
    if (Date.now() - t0 > ms) throw new Error(`W5: timed out waiting for ${what}`);
    await sleep(50);
  }
}

const json = async (res) => {
  const body = await res.json();
  if (!res.ok) throw new Error(`W5: HTTP ${res.status}: ${JSON.stringify(body)}`);
  return body;
};

/** Groups whose chunks a measurement runs: PAIRGRID_W5_GROUPS, else all of them. */
function groupsToRun(nGroups) {
  const v = process.env.PAIRGRID_W5_GROUPS;
  if (v === undefined || v === "") return nGroups;
  const k = Number(v);
  if (!Number.isInteger(k) || k < 1) throw new Error(`PAIRGRID_W5_GROUPS must be an integer ≥ 1, got ${v}`);
  return Math.min(k, nGroups);
}

/** One worker process with `threads` threads through the chunks of `nRun` of the job's groups. */
async function measure(url, redisUrl, spec, threads, nGroups, nRun, env) {
  const worker = start(["worker", "--redis", redisUrl, "--threads", String(threads)], env);
  try {
    await until("the worker to start", 60_000, () => worker.log().includes("started"));
    const idle = procStatus(worker.child.pid);
    const job = await json(
      await fetch(`${url}/jobs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(spec),
      }),
    );
    const t0 = performance.now();
    const perGroup = job.n_chunks / nGroups; // chunks are balanced: the same count in every group
    const nChunks = Math.round(nRun * perGroup);
    // highest RSS seen while the chunks of group g were being finished (chunks are group-major)
    const byGroup = new Array(nRun).fill(0);
    let view = null;
    let maxThreads = idle.threads;
    for (;;) {
      view = await json(await fetch(`${url}/jobs/${job.job_id}`));
      if (view.status !== "running" && view.status !== "done") throw new Error(`W5: job ${view.status}`);
      const s = procStatus(worker.child.pid);
      const g = Math.min(nRun - 1, Math.floor(view.chunks_done / perGroup));
      byGroup[g] = Math.max(byGroup[g], s.rss);
      maxThreads = Math.max(maxThreads, s.threads);
      if (view.chunks_done >= nChunks || view.status === "done") break;
      if (performance.now() - t0 > 60 * 60_000) throw new Error(`W5: job ${job.job_id} took over an hour`);
      await sleep(SAMPLE_MS);
    }
    const seconds = (performance.now() - t0) / 1000;
    const end = procStatus(worker.child.pid); // still running: VmHWM covers everything so far
    await json(await fetch(`${url}/jobs/${job.job_id}/cancel`, { method: "POST" }));
    return {
      threads,
      peak_rss_mb: end.hwm / MiB,
      idle_rss_mb: idle.rss / MiB,
      rss_at_end_mb: end.rss / MiB,
      rss_mb_by_group: byGroup.map((b) => b / MiB),
      chunks_done: view.chunks_done,
      seconds,
      os_threads_idle: idle.threads,
      os_threads_max: maxThreads,
      job: { n_chunks: job.n_chunks, n_combos: job.n_combos },
    };
  } finally {
    worker.child.kill("SIGTERM");
    await Promise.race([worker.exited, sleep(30_000)]);
    if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
  }
}

/** Bytes of the base arrays and of group 0's arrays as a worker builds them (kernel choice auto). */
async function dataSizes(specFile) {
  const { spec } = loadSpecFile(specFile);
  const sp = await loadSlowPair(spec);
  const plan = planGrid(spec, Number.MAX_SAFE_INTEGER);
  const data = packGridData(sp);
  const events = eventSettingsFor(spec, plan, data.base, "auto");
  const pair = { a: { close: sp.pair.a.close }, b: { close: sp.pair.b.close } };
  const group = new GroupPrecompute(pair, spec, null, events).compute(groupCombination(plan, 0));
  return {
    slow_bars: data.base.n,
    groups: plan.nGroups,
    per_group: plan.perGroup,
    base_arrays_mb: sig(data.base.sab.byteLength / MiB),
    group_arrays_mb: sig(group.sab.byteLength / MiB),
    group_has_event_index: events !== null,
  };
}

/** Element-wise median of equally long arrays. */
const medianOf = (rows) => rows[0].map((_, k) => median(rows.map((r) => r[k])));

export async function runW5({ reps }) {
  const dataDir = ensureSynthData("synth-1200d-seed7", { days: 1200, seed: 7 });
  const specFile = writeSpec(dataDir, "w2.json", { ...W2_SPEC, data: synthPairData() });
  const sizes = await dataSizes(specFile);
  const nRun = groupsToRun(sizes.groups);
  const cluster = await startCluster("pairgrid-w5-", dataDir);
  const { env, redis, url } = cluster;
  const spec = { ...W2_SPEC, data: absoluteSynthData(dataDir) };
  try {
    await until("the coordinator", 30_000, () =>
      fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
    );
    const runs = [];
    for (let r = 0; r < reps; r++) {
      for (const threads of THREADS) {
        const m = await measure(url, redis.url, spec, threads, sizes.groups, nRun, env);
        runs.push(m);
        process.stderr.write(
          `W5: ${threads} thread(s): peak ${m.peak_rss_mb.toFixed(0)} MB, ${m.chunks_done} chunks in ${m.seconds.toFixed(0)} s\n`,
        );
      }
    }
    const of = (t) => runs.filter((m) => m.threads === t);
    const peak = (t) => median(of(t).map((m) => m.peak_rss_mb));
    const per = THREADS.map((t) => {
      const rs = of(t);
      const peaks = rs.map((m) => m.peak_rss_mb);
      return {
        threads: t,
        peak_rss_mb_median: sig(peak(t)),
        peak_rss_mb: peaks.map(sig),
        peak_spread_mb: sig(Math.max(...peaks) - Math.min(...peaks)),
        idle_rss_mb_median: sig(median(rs.map((m) => m.idle_rss_mb))),
        rss_mb_by_group_median: medianOf(rs.map((m) => m.rss_mb_by_group)).map(Math.round),
        chunks_done: rs.map((m) => m.chunks_done),
        seconds_median: sig(median(rs.map((m) => m.seconds))),
        os_threads_max: Math.max(...rs.map((m) => m.os_threads_max)),
      };
    });
    const first = runs[0];
    return {
      workload: "W5",
      description:
        "peak RSS (VmHWM) of one `pairgrid worker` process on the W2 grid's chunks, --threads 1/2/4, coordinator + private redis-server on loopback",
      scope:
        nRun === sizes.groups
          ? `the whole W2 job (${first.job.n_chunks} chunks, ${first.job.n_combos} combinations) per measurement`
          : `the first ${first.chunks_done} of ${first.job.n_chunks} chunks (${nRun} of ${sizes.groups} groups; chunks are group-major) per measurement, not the whole job (PAIRGRID_W5_GROUPS)`,
      repetitions: reps,
      data: sizes,
      per_threads: per,
      increment_mb_per_added_thread: {
        "1_to_2": sig(peak(2) - peak(1)),
        "2_to_4": sig((peak(4) - peak(2)) / 2),
      },
      peak_4_over_1: sig(peak(4) / peak(1)),
      note: "memory, not time: the grid kernel is being changed; seconds only say how long each measurement ran. VmHWM is read while the worker still runs, after the last chunk counted",
    };
  } finally {
    await cluster.stop();
  }
}
