// GET /jobs/:id/heatmap: one statistic over two varying parameters, the other varying parameters
// fixed (`fix`) or aggregated (`agg`). The names are checked against the job's grid in
// @pairgrid/resultsdb (heatmap-query.ts); here only the query string is parsed.
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { fixObject, heatmapBody, heatmapQuery, parseJsonQuery } from "../analysis-schemas.js";
import { fromReader } from "../reader-errors.js";
import { errorBody, jobIdParams } from "../schemas.js";
import type { AnalysisRoutesOptions } from "./job-grid.js";

export const jobHeatmapRoutes: FastifyPluginAsyncZod<AnalysisRoutesOptions> = async (app, { results }) => {
  app.get(
    "/jobs/:id/heatmap",
    {
      schema: {
        summary: "Heatmap of a statistic over two parameters",
        description:
          "cells[yi][xi] is the statistic of the rows at x.values[xi], y.values[yi], with every " +
          "other varying parameter at its `fix` value or aggregated by `agg` (max, median, mean, " +
          "min). With agg=fixed every other varying parameter must be in `fix` (400 naming the " +
          "missing one, e.g. path query.fix.z_exit).",
        tags: ["analysis"],
        params: jobIdParams,
        querystring: heatmapQuery,
        response: { 200: heatmapBody, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    (req) => {
      const { x, y, stat, agg, min_trades, fix, all } = req.query;
      const fixed = parseJsonQuery(fix, "fix", fixObject, {});
      return fromReader(req.params.id, () =>
        results.heatmap(req.params.id, { x, y, stat, agg, minTrades: min_trades, fix: fixed, all }),
      );
    },
  );
};
