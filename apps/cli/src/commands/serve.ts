// `pairgrid serve`: the dashboard and the coordinator's read-only routes over a local results
// file, no Redis. The file is opened read-only, which in DuckDB takes the file's lock: while it
// is served, a `pairgrid run` (or coordinator) on the same file cannot open it (it exits 2 naming
// the lock), and serve cannot start on a file such a process is writing. Stop serve, run, serve.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "@pairgrid/engine";
import { ResultsDb } from "@pairgrid/resultsdb";
import { checkListen, INSECURE_NO_AUTH_HELP } from "../listen-guard.js";
import type { Command } from "commander";
import {
  QUERY_MEMORY_DEFAULT,
  QUERY_MEMORY_HELP,
  QUERY_TIMEOUT_DEFAULT,
  QUERY_TIMEOUT_HELP,
  queryLimits,
} from "../query-flags.js";

interface ServeFlags {
  db: string;
  port: string;
  host: string;
  queryMemory: string;
  queryTimeout: string;
  logRequests?: boolean;
  insecureNoAuth?: boolean;
}

/** 0 asks the system for a free port (the URL printed says which). */
function portFlag(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n > 65535) {
    throw new InputError(`--port: expected 0…65535, got '${text}'`, "--port");
  }
  return n;
}

const logLine = (msg: string) => process.stderr.write(`${new Date().toISOString()} info ${msg}\n`);

/** `pairgrid serve [--db FILE] [--port P] [--host H] [--log-requests] [--insecure-no-auth]` */
export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("dashboard and read-only HTTP API over a local results file (no Redis)")
    .option("--db <file.duckdb>", "results file (opened read-only)", "pairgrid.duckdb")
    .option("--port <p>", "HTTP port (0: any free port)", "8080")
    .option("--host <addr>", "address to listen on", "127.0.0.1")
    .option("--query-memory <size>", QUERY_MEMORY_HELP, QUERY_MEMORY_DEFAULT)
    .option("--query-timeout <duration>", QUERY_TIMEOUT_HELP, QUERY_TIMEOUT_DEFAULT)
    .option("--log-requests", "log every HTTP request (JSON lines on stdout)")
    .option("--insecure-no-auth", INSECURE_NO_AUTH_HELP)
    .addHelpText(
      "after",
      "\nThe file stays locked while it is served: stop serve before a `pairgrid run` writes to it.\n" +
        "Set PAIRGRID_TOKEN to require a bearer token (the page takes it once as ?token=…).",
    )
    .action(async (flags: ServeFlags) => {
      await serve(flags);
    });
}

async function serve(flags: ServeFlags): Promise<void> {
  const port = portFlag(flags.port);
  const query = queryLimits(flags);
  checkListen(flags.host, process.env.PAIRGRID_TOKEN || null, flags.insecureNoAuth);
  const file = resolve(flags.db);
  if (!existsSync(file)) throw new InputError(`--db ${flags.db}: no such file`, "--db");
  // an InputError naming the file when another process holds its write lock
  const db = await ResultsDb.open(file, { readOnly: true });
  const token = process.env.PAIRGRID_TOKEN || null;
  // loaded here, not at the top: every other command starts without fastify
  const { buildReadOnlyServer } = await import("@pairgrid/coordinator");
  const app = buildReadOnlyServer({ db, token, logger: flags.logRequests ?? false, query });
  let address: string;
  try {
    address = await app.listen({ port, host: flags.host });
  } catch (err) {
    await db.close();
    throw new InputError(`--port ${port}: ${(err as Error).message}`, "--port");
  }
  process.stdout.write(
    `pairgrid serve: ${address}/ (${flags.db}, read-only${token ? ", token required" : ""})\n`,
  );
  await new Promise<void>((done) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) process.exit(130);
      stopping = true;
      logLine(`${signal}: closing`);
      void app
        .close()
        .then(() => db.close())
        .finally(done);
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
  });
}
