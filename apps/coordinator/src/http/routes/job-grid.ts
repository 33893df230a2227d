// GET /jobs/:id/grid: the job's varying parameters and their values, its single-valued ones and
// the statistic columns; what the dashboard fills its heatmap selectors with.
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { ResultsReader } from "../../results-reader.js";
import { gridView } from "../analysis-schemas.js";
import { fromReader } from "../reader-errors.js";
import { errorBody, jobIdParams } from "../schemas.js";

export interface AnalysisRoutesOptions {
  results: ResultsReader;
}

export const jobGridRoutes: FastifyPluginAsyncZod<AnalysisRoutesOptions> = async (app, { results }) => {
  app.get(
    "/jobs/:id/grid",
    {
      schema: {
        summary: "A job's grid: varying parameters with their values, fixed ones, statistic columns",
        tags: ["analysis"],
        params: jobIdParams,
        response: { 200: gridView, 404: errorBody, 409: errorBody },
      },
    },
    (req) => fromReader(req.params.id, () => results.grid(req.params.id)),
  );
};
