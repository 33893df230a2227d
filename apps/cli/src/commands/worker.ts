// `pairgrid worker`: one cluster worker process. It takes chunk jobs from Redis, runs them on a
// thread pool and sends the rows back as result jobs; all of that is ChunkQueueWorker
// (@pairgrid/worker). Here: flags, the metrics endpoint, the log, and the process's lifecycle.
import type { MetricsServer } from "@pairgrid/worker";
import type { Command } from "commander";
import {
  DEFAULT_BLOB_CACHE_GB,
  type WorkerFlagsInput,
  type WorkerSettings,
  workerSettings,
} from "../worker-flags.js";

/** `pairgrid worker [--redis URL] [--threads N] [--metrics-port P]` */
export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description("cluster worker: runs chunk jobs from Redis on a thread pool until stopped")
    .option("--redis <url>", "Redis URL (default: $PAIRGRID_REDIS_URL or redis://127.0.0.1:6379)")
    .option("--threads <n>", "worker threads (default: the machine's available parallelism)")
    .option("--kernel <kind>", "slow kernel: auto (event-driven when it pays), events, or scan", "auto")
    .option("--metrics-port <port>", "serve Prometheus metrics at :PORT/metrics (default 0: off)")
    .option(
      "--blob-cache-gb <size>",
      `disk cache of hybrid jobs' fast data (compressed day blobs), in $PAIRGRID_CACHE_DIR/blobs, GiB (default ${DEFAULT_BLOB_CACHE_GB})`,
    )
    .addHelpText(
      "after",
      "\nSIGTERM or Ctrl-C stops cleanly: running chunks finish and their results are delivered,\n" +
        "then the worker exits 0. A second signal exits at once (the chunks go back to the queue\n" +
        "when their locks expire).",
    )
    .action(async (flags: WorkerFlagsInput) => {
      process.exitCode = await runWorker(workerSettings(flags));
    });
}

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

/** Exit code of a process ended by `signal` (the shell's 128 + signal number). */
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

async function runWorker(s: WorkerSettings): Promise<number> {
  // loaded here, not at the top: every other command starts without BullMQ and ioredis
  const { ChunkQueueWorker, startMetricsServer } = await import("@pairgrid/worker");
  const worker = await ChunkQueueWorker.start({
    redisUrl: s.redisUrl,
    threads: s.threads,
    kernel: s.kernel,
    diskBlobCacheBytes: s.diskBlobCacheBytes,
    log,
  });
  let metrics: MetricsServer | null = null;
  try {
    if (s.metricsPort > 0) {
      metrics = await startMetricsServer(worker.metrics.registry, s.metricsPort);
      log(`metrics on :${metrics.port}/metrics`);
    }
  } catch (err) {
    await worker.close();
    throw err;
  }
  const signal = await firstSignal();
  log(`${signal}: stopping (again to exit now)`);
  const again = (second: NodeJS.Signals) => process.exit(SIGNAL_EXIT[second] ?? 1);
  process.once("SIGINT", again);
  process.once("SIGTERM", again);
  await worker.close();
  await metrics?.close();
  process.off("SIGINT", again);
  process.off("SIGTERM", again);
  return 0;
}

/** Resolves with the first SIGINT or SIGTERM (handled: neither kills the process by default). */
function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
      resolve(signal);
    };
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
  });
}
