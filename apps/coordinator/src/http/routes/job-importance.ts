// GET /jobs/:id/importance: for each varying parameter, the share of a statistic's variance over
// the ranked rows that its value explains (η²; @pairgrid/resultsdb param-importance.ts), the
// dashboard's "which axes matter" table.
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { importanceBody, importanceQuery } from "../analysis-schemas.js";
import { fromReader } from "../reader-errors.js";
import { errorBody, jobIdParams } from "../schemas.js";
import type { AnalysisRoutesOptions } from "./job-grid.js";

export const jobImportanceRoutes: FastifyPluginAsyncZod<AnalysisRoutesOptions> = async (app, { results }) => {
  app.get(
    "/jobs/:id/importance",
    {
      schema: {
        summary: "Parameter importance: share of a statistic's variance explained by each axis",
        tags: ["analysis"],
        params: jobIdParams,
        querystring: importanceQuery,
        response: { 200: importanceBody, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    (req) =>
      fromReader(req.params.id, () =>
        results.importance(req.params.id, {
          stat: req.query.stat,
          minTrades: req.query.min_trades,
          all: req.query.all,
        }),
      ),
  );
};
