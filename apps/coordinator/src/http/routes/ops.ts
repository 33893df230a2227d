// Probes for orchestration and monitoring. Both stay open when a token is set (server.ts exempts
// them): a load balancer or Prometheus scraper should not need the API token. /healthz answers
// 503 while Redis is unreachable: a coordinator that cannot queue work is not healthy.
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Registry } from "prom-client";
import type { JobService } from "../../job-service.js";
import { healthBody } from "../schemas.js";

export interface OpsRoutesOptions {
  jobs: JobService;
  metrics: Registry;
}

export const HEALTH_PATH = "/healthz";
export const METRICS_PATH = "/metrics";

export const opsRoutes: FastifyPluginAsyncZod<OpsRoutesOptions> = async (app, { jobs, metrics }) => {
  app.get(
    HEALTH_PATH,
    {
      schema: {
        summary: "Liveness, with Redis and DuckDB reachability (503 while Redis is unreachable)",
        tags: ["ops"],
        response: { 200: healthBody, 503: healthBody },
      },
    },
    async (_req, reply) => {
      const health = await jobs.health();
      return reply.code(health.ok ? 200 : 503).send(health);
    },
  );

  app.get(
    METRICS_PATH,
    {
      schema: {
        summary: "Prometheus metrics (text exposition format)",
        tags: ["ops"],
        produces: ["text/plain"],
      },
    },
    async (_req, reply) => reply.type(metrics.contentType).send(await metrics.metrics()),
  );
};
