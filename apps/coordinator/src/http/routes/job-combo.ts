// GET /jobs/:id/combos/:combo: one combination re-run on demand with the reference engine (and
// compared with the hybrid engine where the spec has fast files) on the job's own data files.
// The first page of a job loads its data (seconds for a large file); the reader keeps the last
// two jobs' data, so the next combination is quick.
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { comboBody, comboParams } from "../analysis-schemas.js";
import { fromReader } from "../reader-errors.js";
import { errorBody } from "../schemas.js";
import type { AnalysisRoutesOptions } from "./job-grid.js";

export const jobComboRoutes: FastifyPluginAsyncZod<AnalysisRoutesOptions> = async (app, { results }) => {
  app.get(
    "/jobs/:id/combos/:combo",
    {
      schema: {
        summary: "One combination: statistics, trades, equity and drawdown, exit reasons, slow vs hybrid",
        description:
          "Runs the reference engine on the job's stored spec and data files (what `pairgrid " +
          "backtest --set …` runs). 404: no such job, or a combination the grid does not run; " +
          "409 data_unavailable: a data file of the job is gone or no longer reads. The equity " +
          "curve is downsampled to at most 5000 points (see `equity.downsampled`).",
        tags: ["analysis"],
        params: comboParams,
        response: { 200: comboBody, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    (req) => fromReader(req.params.id, () => results.combo(req.params.id, req.params.combo)),
  );
};
