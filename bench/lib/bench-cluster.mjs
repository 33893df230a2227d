// The cluster the cluster benchmarks (W4, W4H, W5) run against: a private redis-server and a
// `pairgrid coordinator` on loopback over one data folder, with a temp folder for the results file
// and caches. Workers are started by each benchmark (how many, how many threads, which caches).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, TestRedis } from "@pairgrid/cluster/testing";
import { root, synthPairData } from "./bench-data.mjs";

const cli = join(root, "apps", "cli", "bin", "pairgrid.js");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A `pairgrid` child process, its stderr kept for the figures a benchmark reads from its log. */
export function start(args, env) {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr.on("data", (d) => (log += d.toString()));
  const exited = new Promise((r) => child.once("exit", r));
  return { child, exited, log: () => log };
}

/**
 * Starts redis-server and a coordinator over `dataDir`. `stop(others)` ends the given worker
 * processes and the coordinator (SIGTERM, at most 20 s each), then Redis, and removes the folder.
 */
export async function startCluster(prefix, dataDir) {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const env = { PAIRGRID_CACHE_DIR: join(work, "cache") };
  const redis = await TestRedis.start();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const db = join(work, "cluster.duckdb");
  const coordinator = start(
    ["coordinator", "--redis", redis.url, "--db", db, "--port", String(port), "--data-dir", dataDir],
    env,
  );
  const stop = async (others = []) => {
    const procs = [...others, coordinator];
    for (const p of procs) p.child.kill("SIGTERM");
    await Promise.all(procs.map((p) => Promise.race([p.exited, sleep(20_000)])));
    await redis.stop();
    rmSync(work, { recursive: true, force: true });
  };
  return { work, env, redis, url, coordinator, stop };
}

/** Waits (at most 30 s) for the coordinator's /healthz; its log is in the error if it never answers. */
export async function waitHealthy(url, coordinator) {
  for (
    let t0 = Date.now();
    !(await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    ));
  ) {
    if (Date.now() - t0 > 30_000) throw new Error(`coordinator did not start: ${coordinator.log()}`);
    await sleep(100);
  }
}

/** The synthetic pair's data block with absolute slow-leg paths (a job submitted over HTTP). */
export function absoluteSynthData(dir) {
  const d = synthPairData();
  return { ...d, a: { ...d.a, slow: join(dir, d.a.slow) }, b: { ...d.b, slow: join(dir, d.b.slow) } };
}

/**
 * fetch, once more when the connection was found closed: between two submissions a benchmark's
 * local run can take minutes, past the server's keep-alive timeout, and undici may write the next
 * request into the socket the server has just closed (EPIPE / ECONNRESET: it never reached it).
 */
async function fetchRetry(url, init) {
  try {
    return await fetch(url, init);
  } catch (err) {
    if (!["EPIPE", "ECONNRESET", "UND_ERR_SOCKET"].includes(err?.cause?.code)) throw err;
    return fetch(url, init);
  }
}

/**
 * Submits a job and polls it until done (every `pollMs`, calling `onPoll` first each time): wall
 * seconds from submit to done, its chunk and combination counts. A failed job throws.
 */
export async function submitAndWait(url, spec, { pollMs = 50, onPoll = async () => {} } = {}) {
  const t0 = performance.now();
  const res = await fetchRetry(`${url}/jobs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(spec),
  });
  const job = await res.json();
  if (res.status !== 201) throw new Error(`submit: ${JSON.stringify(job)}`);
  for (;;) {
    await onPoll();
    const v = await (await fetchRetry(`${url}/jobs/${job.job_id}`)).json();
    if (v.status === "done")
      return { seconds: (performance.now() - t0) / 1000, nChunks: job.n_chunks, nCombos: job.n_combos };
    if (v.status !== "running") throw new Error(`job ${job.job_id} ${v.status}: ${v.error}`);
    await sleep(pollMs);
  }
}
