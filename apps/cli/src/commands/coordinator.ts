// `pairgrid coordinator`: the HTTP API over a Coordinator (Redis queue + the DuckDB file it alone
// writes). SIGTERM/SIGINT close it gracefully: no new requests, ingests under way finish; every
// unfinished job is resumed by the next start.
import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { CoordinatorLog } from "@pairgrid/coordinator";
import { InputError, maxCombosFromEnv } from "@pairgrid/engine";
import { DEFAULT_REDIS_URL } from "@pairgrid/cluster";
import type { Command } from "commander";
import {
  QUERY_MEMORY_DEFAULT,
  QUERY_MEMORY_HELP,
  QUERY_TIMEOUT_DEFAULT,
  QUERY_TIMEOUT_HELP,
  queryLimits,
} from "../query-flags.js";
import { checkListen, INSECURE_NO_AUTH_HELP } from "../listen-guard.js";
import { positiveInt } from "../run-flags.js";

interface CoordinatorFlags {
  redis?: string;
  db: string;
  port: string;
  host: string;
  dataDir?: string;
  maxCombos?: string;
  maxBlobBytes?: string;
  bodyLimit?: string;
  queryMemory: string;
  queryTimeout: string;
  logRequests?: boolean;
  insecureNoAuth?: boolean;
}

export function registerCoordinatorCommand(program: Command): void {
  program
    .command("coordinator")
    .description("HTTP coordinator: accepts grids, queues chunks on Redis, stores results in DuckDB")
    .option("--redis <url>", `Redis URL (default: $PAIRGRID_REDIS_URL or ${DEFAULT_REDIS_URL})`)
    .option("--db <file.duckdb>", "results file (this process is its only writer)", "pairgrid.duckdb")
    .option("--port <p>", "HTTP port", "8080")
    .option("--host <addr>", "address to listen on", "127.0.0.1")
    .option(
      "--data-dir <dir>",
      "data root: data paths in submitted specs resolve inside it, and no spec can read a file " +
        "outside it (default: $PAIRGRID_DATA_DIR or the current folder)",
    )
    .option("--max-combos <n>", "largest grid accepted (default: $PAIRGRID_MAX_COMBOS or 50,000,000)")
    .option(
      "--max-blob-bytes <bytes>",
      "largest fast data (compressed day blobs) one hybrid job may add to Redis; Redis's maxmemory bounds it too (default 0: no cap of its own)",
    )
    .option("--body-limit <bytes>", "largest request body", String(4 * 1024 * 1024))
    .option("--query-memory <size>", QUERY_MEMORY_HELP, QUERY_MEMORY_DEFAULT)
    .option("--query-timeout <duration>", QUERY_TIMEOUT_HELP, QUERY_TIMEOUT_DEFAULT)
    .option("--log-requests", "log every HTTP request (JSON lines on stdout)")
    .option("--insecure-no-auth", INSECURE_NO_AUTH_HELP)
    .action(async (flags: CoordinatorFlags) => {
      await serve(flags);
    });
}

/** The data root: an existing folder, absolute. */
function dataRoot(flag: string | undefined): string {
  const dir = resolve(flag ?? process.env.PAIRGRID_DATA_DIR ?? ".");
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) throw new InputError(`--data-dir ${dir}: not a folder`, "--data-dir");
  return dir;
}

const logLine = (level: string) => (msg: string) =>
  process.stderr.write(`${new Date().toISOString()} ${level} ${msg}\n`);

async function serve(flags: CoordinatorFlags): Promise<void> {
  const port = positiveInt("--port", flags.port, 65535)!;
  const bodyLimit = positiveInt("--body-limit", flags.bodyLimit)!;
  const query = queryLimits(flags);
  const redisUrl = flags.redis ?? process.env.PAIRGRID_REDIS_URL ?? DEFAULT_REDIS_URL;
  if (!/^rediss?:\/\//.test(redisUrl))
    throw new InputError(`--redis ${redisUrl}: expected redis://host:port`, "--redis");
  const token = process.env.PAIRGRID_TOKEN || null;
  checkListen(flags.host, token, flags.insecureNoAuth);
  const dataDir = dataRoot(flags.dataDir);
  const log: CoordinatorLog = { info: logLine("info"), warn: logLine("WARN"), error: logLine("ERROR") };
  // loaded here, not at the top: every other command starts without fastify, BullMQ and ioredis
  const { buildServer, Coordinator } = await import("@pairgrid/coordinator");
  const coordinator = await Coordinator.start({
    redisUrl,
    dbFile: flags.db,
    dataDir,
    maxCombos: positiveInt("--max-combos", flags.maxCombos) ?? maxCombosFromEnv(),
    log,
    query,
    maxBlobBytes: positiveInt("--max-blob-bytes", flags.maxBlobBytes, Number.MAX_SAFE_INTEGER) ?? 0,
  });
  const app = await buildServer({
    jobs: coordinator,
    metrics: coordinator.metrics.registry,
    token,
    bodyLimit,
    logger: flags.logRequests ?? false,
    log,
    results: coordinator.reader,
    runQuery: coordinator.query,
    robustness: coordinator.robustness,
    dashboard: true,
  });
  try {
    await app.listen({ port, host: flags.host });
  } catch (err) {
    await coordinator.close();
    throw new InputError(`--port ${port}: ${(err as Error).message}`, "--port");
  }
  log.info(
    `coordinator on http://${flags.host}:${port} (db ${flags.db}, redis ${redisUrl}, data ${dataDir}${token ? ", token required" : ""})`,
  );
  await new Promise<void>((done) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) process.exit(130);
      stopping = true;
      log.info(`${signal}: closing (ingests under way finish; unfinished jobs resume on the next start)`);
      void app
        .close()
        .then(() => coordinator.close())
        .finally(done);
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
  });
}
