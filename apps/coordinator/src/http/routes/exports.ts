// Downloads of what the dashboard shows: the ranked rows with the table's current filters, and a
// combination's trades or its equity at every bar, as CSV or Parquet (POST /query/export, for a
// SQL result, is in query.ts with the sandbox's other route). Written to a temporary file by
// @pairgrid/resultsdb (table-export.ts) and streamed.
import { exportTable } from "@pairgrid/resultsdb";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { comboParams, filterObject, parseJsonQuery, rowsQuery } from "../analysis-schemas.js";
import { exportFormat } from "../query-schemas.js";
import { fromReader } from "../reader-errors.js";
import { errorBody, jobIdParams } from "../schemas.js";
import { sendExport } from "../send-export.js";
import type { AnalysisRoutesOptions } from "./job-grid.js";

const rowsExportQuery = rowsQuery.omit({ limit: true, offset: true }).extend({ format: exportFormat });
const comboExportQuery = z.object({
  table: z
    .enum(["trades", "equity"])
    .describe("trades (as `pairgrid backtest --trades`) or equity at every bar"),
  format: exportFormat,
});

export const exportRoutes: FastifyPluginAsyncZod<AnalysisRoutesOptions> = async (app, { results }) => {
  app.get(
    "/jobs/:id/rows/export",
    {
      schema: {
        summary: "Download the ranked rows (the filters of GET /jobs/:id/rows) as CSV or Parquet",
        tags: ["analysis"],
        params: jobIdParams,
        querystring: rowsExportQuery,
        response: { 400: errorBody, 404: errorBody },
      },
    },
    async (req, reply) => {
      const { by, order, min_trades, filter, format, all } = req.query;
      const filters = parseJsonQuery(filter, "filter", filterObject, {});
      const id = req.params.id;
      const file = await fromReader(id, () =>
        results.rowsExport(id, { by, order, minTrades: min_trades, filter: filters, all }, format),
      );
      return sendExport(reply, file, `${id}-rows`);
    },
  );

  app.get(
    "/jobs/:id/combos/:combo/export",
    {
      schema: {
        summary: "Download a combination's trades or equity curve as CSV or Parquet",
        tags: ["analysis"],
        params: comboParams,
        querystring: comboExportQuery,
        response: { 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const { id, combo } = req.params;
      const { table, format } = req.query;
      const t = await fromReader(id, () => results.comboExport(id, combo, table));
      return sendExport(reply, await exportTable(t, format, table), `${id}-combo-${combo}-${table}`);
    },
  );
};
