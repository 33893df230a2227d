// The server of `pairgrid serve`: the coordinator's pages and read-only routes over one results
// file, without Redis or a queue. Same buildServer, with a JobService that only reads (jobs as the
// file holds them), the same analysis reader, and POST /jobs, POST /jobs/:id/cancel answered 405.
import { buildRobustnessReport, type ResultsDb, type SandboxOptions } from "@pairgrid/resultsdb";
import type { FastifyInstance } from "fastify";
import { Registry } from "prom-client";
import { buildServer } from "./http/server.js";
import { lazyQuery } from "./lazy-query.js";
import { ReadOnlyJobs } from "./read-only-jobs.js";
import { ResultsDbReader } from "./results-reader.js";

export interface ReadOnlyServerOptions {
  /** Opened read-only by the caller, who closes it after the server. */
  db: ResultsDb;
  token?: string | null;
  logger?: boolean | object;
  /** POST /query's limits (memory cap, time limit); unset ones take the sandbox's defaults. */
  query?: SandboxOptions;
}

export function buildReadOnlyServer(o: ReadOnlyServerOptions): FastifyInstance {
  return buildServer({
    jobs: new ReadOnlyJobs(o.db),
    metrics: new Registry(),
    token: o.token,
    logger: o.logger,
    results: new ResultsDbReader(o.db),
    runQuery: lazyQuery(o.db, o.query),
    robustness: (jobId, q) => buildRobustnessReport(o.db, jobId, q),
    dashboard: true,
    readOnly: true,
  });
}
