// Job routes that answer with one JSON body: submit, list, show, results, cancel. All the work is in
// JobService; this file maps its answers to status codes (null → 404, InputError → 400).
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { JobService } from "../../job-service.js";
import { asBadInput, isInputError, notFound } from "../errors.js";
import { readerError } from "../reader-errors.js";
import {
  errorBody,
  gridSpecBody,
  jobIdParams,
  jobView,
  resultRows,
  resultsQuery,
  submitQuery,
  submitResult,
} from "../schemas.js";
import { YAML_MEDIA_TYPES } from "../body-parsers.js";
import type { ResultsReader } from "../../results-reader.js";

export interface JobRoutesOptions {
  jobs: JobService;
  /** Resolves a ranking's defaults from the job's spec (ranking.ts); without it, sharpe and 0. */
  results?: Pick<ResultsReader, "ranking">;
}

const noSuchJob = (id: string) => notFound(`no job '${id}'`);

export const jobRoutes: FastifyPluginAsyncZod<JobRoutesOptions> = async (app, { jobs, results }) => {
  app.post(
    "/jobs",
    {
      schema: {
        summary: "Submit a grid",
        description: `Body: a grid spec as JSON, or as YAML with Content-Type ${YAML_MEDIA_TYPES.join(" / ")}.`,
        tags: ["jobs"],
        consumes: ["application/json", ...YAML_MEDIA_TYPES],
        querystring: submitQuery,
        body: gridSpecBody,
        response: { 201: submitResult, 400: errorBody, 413: errorBody, 415: errorBody },
      },
    },
    async (req, reply) => {
      try {
        const created = await jobs.submit(req.body, { chunkSize: req.query.chunk_size });
        return reply.code(201).send(created);
      } catch (err) {
        throw asBadInput(err, "bad_spec");
      }
    },
  );

  app.get(
    "/jobs",
    { schema: { summary: "List jobs", tags: ["jobs"], response: { 200: jobView.array() } } },
    () => jobs.list(),
  );

  app.get(
    "/jobs/:id",
    {
      schema: {
        summary: "One job: status, done/total, rate, ETA",
        tags: ["jobs"],
        params: jobIdParams,
        response: { 200: jobView, 404: errorBody },
      },
    },
    async (req) => {
      const view = await jobs.get(req.params.id);
      if (!view) throw noSuchJob(req.params.id);
      return view;
    },
  );

  app.get(
    "/jobs/:id/results",
    {
      schema: {
        summary: "Ranked results of a job",
        tags: ["jobs"],
        params: jobIdParams,
        querystring: resultsQuery,
        response: { 200: resultRows, 400: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      const { by, limit, min_trades, all } = req.query;
      let rows: Awaited<ReturnType<JobService["results"]>>;
      try {
        // the job's own rank.by / rank.min_trades unless the query names others (ranking.ts)
        const rank = results
          ? await results.ranking(req.params.id, { by, minTrades: min_trades })
          : { by: by ?? "sharpe", minTrades: min_trades ?? 0 };
        if (!rank) throw noSuchJob(req.params.id);
        rows = await jobs.results(req.params.id, {
          by: rank.by,
          limit,
          minTrades: rank.minTrades,
          ...(all ? { all } : {}),
        });
      } catch (err) {
        // the service names its options after the query fields (`by`, `limit`, `min_trades`); a
        // stored spec the ranking cannot read is the reader's 409, as on the analysis routes
        if (isInputError(err)) throw asBadInput(err, "bad_request", (p) => `query.${p}`);
        throw readerError(err);
      }
      if (!rows) throw noSuchJob(req.params.id);
      return rows;
    },
  );

  app.post(
    "/jobs/:id/cancel",
    {
      schema: {
        summary: "Cancel a job (no-op on a finished one)",
        tags: ["jobs"],
        params: jobIdParams,
        response: { 200: jobView, 404: errorBody },
      },
    },
    async (req) => {
      const view = await jobs.cancel(req.params.id);
      if (!view) throw noSuchJob(req.params.id);
      return view;
    },
  );
};
