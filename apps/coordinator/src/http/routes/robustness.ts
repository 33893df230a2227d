// GET /jobs/:id/robustness: PBO (CSCV), walk-forward selection and the top rows with Sharpe, DSR
// and grid stability for one job. The report is built in @pairgrid/resultsdb
// (robustness-report.ts), the same one `pairgrid robustness --json` prints; here the query string
// is parsed and the answer shaped (null → 404, a bad option → 400 on its query field).
import type { RobustnessQuery, RobustnessReport } from "@pairgrid/resultsdb";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { asBadInput, notFound } from "../errors.js";
import { robustnessQuery, robustnessReport } from "../robustness-schemas.js";
import { errorBody, jobIdParams } from "../schemas.js";

export type { RobustnessQuery, RobustnessReport } from "@pairgrid/resultsdb";

export interface RobustnessRoutesOptions {
  /** The report of a job, or null when there is no such job. */
  robustness: (jobId: string, q: RobustnessQuery) => Promise<RobustnessReport | null>;
}

export const robustnessRoutes: FastifyPluginAsyncZod<RobustnessRoutesOptions> = async (
  app,
  { robustness },
) => {
  app.get(
    "/jobs/:id/robustness",
    {
      schema: {
        summary: "Overfitting checks of a job: PBO (CSCV), walk-forward, DSR and grid stability",
        description:
          "From the job's fold statistics (ENGINE.md §7). A bad `splits` or `window` for the job's " +
          "number of folds is a 400 naming the field (query.splits, query.window).",
        tags: ["analysis"],
        params: jobIdParams,
        querystring: robustnessQuery,
        response: { 200: robustnessReport, 400: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      let report: RobustnessReport | null;
      try {
        report = await robustness(req.params.id, req.query);
      } catch (err) {
        throw asBadInput(err, "bad_request", (p) => `query.${p}`);
      }
      if (!report) throw notFound(`no job '${req.params.id}'`);
      return report;
    },
  );
};
