// GET /jobs/:id/rows: the dashboard's ranked table, one page at a time, sorted by any column and
// filtered by parameter values or statistic bounds, with the total that passes the filters.
// (GET /jobs/:id/results stays the plain top-N of INTERFACE.md.)
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { filterObject, parseJsonQuery, rowsBody, rowsQuery } from "../analysis-schemas.js";
import { fromReader } from "../reader-errors.js";
import { errorBody, jobIdParams } from "../schemas.js";
import type { AnalysisRoutesOptions } from "./job-grid.js";

export const jobRowsRoutes: FastifyPluginAsyncZod<AnalysisRoutesOptions> = async (app, { results }) => {
  app.get(
    "/jobs/:id/rows",
    {
      schema: {
        summary: "Ranked rows with filters and paging",
        tags: ["analysis"],
        params: jobIdParams,
        querystring: rowsQuery,
        response: { 200: rowsBody, 400: errorBody, 404: errorBody },
      },
    },
    (req) => {
      const { by, order, limit, offset, min_trades, filter, all } = req.query;
      const filters = parseJsonQuery(filter, "filter", filterObject, {});
      return fromReader(req.params.id, () =>
        results.rows(req.params.id, {
          by,
          order,
          limit,
          offset,
          minTrades: min_trades,
          filter: filters,
          all,
        }),
      );
    },
  );
};
