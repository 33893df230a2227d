// OpenAPI document and UI at /docs (JSON at /docs/json). The UI's scripts and styles come from
// @fastify/swagger-ui's own folder in node_modules, so /docs works on a machine with no internet.
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { jsonSchemaTransform } from "fastify-type-provider-zod";

export const DOCS_PREFIX = "/docs";

/**
 * Call on the root instance, before the routes are registered: @fastify/swagger collects routes
 * through an onRoute hook, which must exist (on the root, not in a child context) when they are added.
 */
export function registerDocs(app: FastifyInstance): void {
  void app.register(fastifySwagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "pairgrid coordinator",
        description: "Submit parameter grids, follow their progress, read ranked results.",
        version: "0.1.0",
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      },
    },
    transform: jsonSchemaTransform,
  });
  void app.register(fastifySwaggerUi, { routePrefix: DOCS_PREFIX });
}
