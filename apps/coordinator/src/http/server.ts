// Builds the coordinator's fastify instance: parsers, auth, error shape, docs and routes, in the
// order they must be registered. The caller listens (or injects, in tests).
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { Registry } from "prom-client";
import type { JobService } from "../job-service.js";
import { bearerAuthHook } from "./auth.js";
import { registerDocs } from "./docs.js";
import { installErrorHandling, toErrorResponse } from "./error-handler.js";
import { jobEventsRoutes } from "./routes/job-events.js";
import { jobRoutes } from "./routes/jobs.js";
import { HEALTH_PATH, METRICS_PATH, opsRoutes } from "./routes/ops.js";
import { registerYamlParser } from "./yaml-body.js";

export interface ServerOptions {
  jobs: JobService;
  /** Served at GET /metrics. */
  metrics: Registry;
  /** Bearer token; when set, required on every route except /healthz and /metrics. */
  token?: string | null;
  /** Largest request body in bytes (default 4 MiB); a larger one is answered 413. */
  bodyLimit?: number;
  /** fastify's `logger` option (true, or pino options); default false. */
  logger?: boolean | object;
  /** Least time between two SSE progress events, ms (default 250); tests shorten it. */
  sseMinIntervalMs?: number;
  /** Time between SSE keepalive comments, ms (default 15 000). */
  sseKeepaliveMs?: number;
}

export const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

/** The server, not yet listening; plugins load on `ready()`, `listen()` or the first `inject()`. */
export function buildServer(opts: ServerOptions): FastifyInstance {
  const app = Fastify({
    logger: (opts.logger ?? false) as FastifyServerOptions["logger"],
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
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
  installErrorHandling(app);
  registerYamlParser(app);
  if (opts.token) app.addHook("onRequest", bearerAuthHook(opts.token, new Set([HEALTH_PATH, METRICS_PATH])));

  registerDocs(app);
  void app.register(opsRoutes, { jobs: opts.jobs, metrics: opts.metrics });
  void app.register(jobRoutes, { jobs: opts.jobs });
  void app.register(jobEventsRoutes, {
    jobs: opts.jobs,
    minIntervalMs: opts.sseMinIntervalMs,
    keepaliveMs: opts.sseKeepaliveMs,
  });
  return app;
}
