// Builds the coordinator's fastify instance: parsers, auth, error shape, docs and routes, in the
// order they must be registered. The caller listens (or injects, in tests).
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { Registry } from "prom-client";
import type { JobService } from "../job-service.js";
import type { ResultsReader } from "../results-reader.js";
import { bearerAuthHook } from "./auth.js";
import { registerDocs } from "./docs.js";
import { exportRoutes } from "./routes/exports.js";
import { jobImportanceRoutes } from "./routes/job-importance.js";
import { installErrorHandling, type ServerLog, toErrorResponse } from "./error-handler.js";
import { readOnlyHook } from "./read-only.js";
import { DASHBOARD_ROUTES, dashboardRoutes } from "./routes/dashboard.js";
import { jobComboRoutes } from "./routes/job-combo.js";
import { jobEventsRoutes } from "./routes/job-events.js";
import { jobGridRoutes } from "./routes/job-grid.js";
import { jobHeatmapRoutes } from "./routes/job-heatmap.js";
import { jobRowsRoutes } from "./routes/job-rows.js";
import { jobRoutes } from "./routes/jobs.js";
import { HEALTH_PATH, METRICS_PATH, opsRoutes } from "./routes/ops.js";
import { queryRoutes, type QueryRoutesOptions } from "./routes/query.js";
import { robustnessRoutes, type RobustnessRoutesOptions } from "./routes/robustness.js";
import { registerBodyParsers } from "./body-parsers.js";

export interface ServerOptions {
  jobs: JobService;
  /** Served at GET /metrics. */
  metrics: Registry;
  /**
   * Bearer token; when set, required on every route except /healthz, /metrics and the dashboard's
   * page and scripts. GET /jobs/:id/events also takes it as `?access_token=` (EventSource).
   */
  token?: string | null;
  /** Largest request body in bytes (default 4 MiB); a larger one is answered 413. */
  bodyLimit?: number;
  /** fastify's `logger` option (true, or pino options); default false. */
  logger?: boolean | object;
  /** One line per refused body or spec (warn) and per failed request (error), whatever `logger` is. */
  log?: ServerLog;
  /** Least time between two SSE progress events, ms (default 250); tests shorten it. */
  sseMinIntervalMs?: number;
  /** Time between SSE keepalive comments, ms (default 15 000). */
  sseKeepaliveMs?: number;
  /** Serves the analysis routes (grid, heatmap, rows, combos) when given. */
  results?: ResultsReader;
  /** Serves POST /query (one sandboxed read-only SELECT) when given. */
  runQuery?: QueryRoutesOptions["runQuery"];
  /** Serves GET /jobs/:id/robustness when given. */
  robustness?: RobustnessRoutesOptions["robustness"];
  /** Serves the dashboard (GET /, /ui/*, /vendor/*) when true. */
  dashboard?: boolean;
  /** POST /jobs and POST /jobs/:id/cancel answer 405 read_only (`pairgrid serve`). */
  readOnly?: boolean;
}

export const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

/** The SSE route (routes/job-events.ts): EventSource cannot send a header, so a query token is accepted. */
const JOB_EVENTS_ROUTE = "/jobs/:id/events";

/** The server, not yet listening; plugins load on `ready()`, `listen()` or the first `inject()`. */
export function buildServer(opts: ServerOptions): FastifyInstance {
  const bodyLimit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const app = Fastify({
    logger: (opts.logger ?? false) as FastifyServerOptions["logger"],
    bodyLimit,
    // errors raised before routing (a malformed %-escape in the URL) skip setErrorHandler
    frameworkErrors: (err, _req, reply) => {
      const { status, body } = toErrorResponse(err);
      void (reply as FastifyReply).code(status).send(body);
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Error handling and auth go on the root before any plugin, so every route and the 404
  // handler inherit them.
  installErrorHandling(app, opts.log);
  registerBodyParsers(app, bodyLimit);
  if (opts.token) {
    const open = new Set([HEALTH_PATH, METRICS_PATH, ...(opts.dashboard ? DASHBOARD_ROUTES : [])]);
    app.addHook("onRequest", bearerAuthHook(opts.token, { open, queryToken: new Set([JOB_EVENTS_ROUTE]) }));
  }
  if (opts.readOnly) app.addHook("onRequest", readOnlyHook);

  registerDocs(app);
  void app.register(opsRoutes, { jobs: opts.jobs, metrics: opts.metrics });
  void app.register(jobRoutes, { jobs: opts.jobs, results: opts.results });
  void app.register(jobEventsRoutes, {
    jobs: opts.jobs,
    minIntervalMs: opts.sseMinIntervalMs,
    keepaliveMs: opts.sseKeepaliveMs,
  });
  if (opts.results) {
    for (const routes of [
      jobGridRoutes,
      jobHeatmapRoutes,
      jobRowsRoutes,
      jobComboRoutes,
      exportRoutes,
      jobImportanceRoutes,
    ]) {
      void app.register(routes, { results: opts.results });
    }
  }
  if (opts.robustness) void app.register(robustnessRoutes, { robustness: opts.robustness });
  if (opts.runQuery) void app.register(queryRoutes, { runQuery: opts.runQuery });
  if (opts.dashboard) void app.register(dashboardRoutes);
  return app;
}
