// POST /query: one read-only SELECT over the results database, answered as {columns, rows}. The
// sandbox (ResultsDb.sandbox, libs/resultsdb) does the checking and the running; this file maps its
// refusals to status codes:
//   400 bad_query      the SQL is refused (not one SELECT, unknown table, file access…), path `sql`
//   400 query_timeout  the query ran past the time limit and was stopped, path `sql`. Not 408:
//                      clients and proxies may resend a request answered 408, running it again.
//   400 query_memory   the query needed more than the memory cap and was stopped, path `sql`
//   429 query_busy     too many queries already running or waiting
import { exportTable, MAX_EXPORT_ROWS, type QueryAnswer } from "@pairgrid/resultsdb";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { toErrorResponse } from "../error-handler.js";
import { asBadInput, HttpError } from "../errors.js";
import { sendExport } from "../send-export.js";
import { queryAnswer, queryBody, queryExportBody } from "../query-schemas.js";
import { errorBody } from "../schemas.js";

export interface QueryRoutesOptions {
  /** `maxRows`: more than the sandbox's row cap (a download); the time and memory limits stay. */
  runQuery: (sql: string, maxRows?: number) => Promise<QueryAnswer>;
}

/** The request field every 400 of this route names (the sandbox's InputErrors say `sql` too). */
const SQL_FIELD = "sql";

const isNamed = (err: unknown, name: string) => err instanceof Error && err.name === name;

export const queryRoutes: FastifyPluginAsyncZod<QueryRoutesOptions> = async (app, { runQuery }) => {
  app.post(
    "/query",
    {
      schema: {
        summary: "Run one read-only SELECT over the results database",
        description:
          "Sandboxed: no file or network access, no settings, no writes; a row cap (`truncated` " +
          "says when it cut), a time limit (400 `query_timeout`) and a memory cap (400 " +
          "`query_memory`). Tables: jobs, results, " +
          "results_folds, chunks.",
        tags: ["query"],
        body: queryBody,
        response: { 200: queryAnswer, 400: errorBody, 429: errorBody },
      },
      // a malformed body is answered here, so its path is `sql` like the sandbox's refusals
      attachValidation: true,
    },
    async (req) => {
      if (req.validationError) {
        const { body } = toErrorResponse(req.validationError);
        throw new HttpError(400, body.error, body.message, SQL_FIELD);
      }
      try {
        return await runQuery(req.body.sql);
      } catch (err) {
        throw queryError(err);
      }
    },
  );

  app.post(
    "/query/export",
    {
      schema: {
        summary: "Download the result of one read-only SELECT as CSV or Parquet",
        description:
          `The same sandbox and limits as POST /query, with a row cap of ${MAX_EXPORT_ROWS}; the ` +
          "file is written on the server and streamed. Header x-truncated: true when the cap cut.",
        tags: ["query"],
        body: queryExportBody,
        response: { 400: errorBody, 429: errorBody },
      },
      attachValidation: true,
    },
    async (req, reply) => {
      if (req.validationError) {
        const { body } = toErrorResponse(req.validationError);
        throw new HttpError(400, body.error, body.message, body.path ?? SQL_FIELD);
      }
      let answer: QueryAnswer;
      try {
        answer = await runQuery(req.body.sql, MAX_EXPORT_ROWS);
      } catch (err) {
        throw queryError(err);
      }
      const file = await exportTable(answer, req.body.format, "query");
      return sendExport(reply, file, "query", { "x-truncated": String(answer.truncated) });
    },
  );
};

/** The sandbox's refusals as status codes (see the top of this file). */
function queryError(err: unknown): unknown {
  if (isNamed(err, "QueryTimeoutError")) {
    return new HttpError(400, "query_timeout", (err as Error).message, SQL_FIELD);
  }
  if (isNamed(err, "QueryMemoryError")) {
    return new HttpError(400, "query_memory", (err as Error).message, SQL_FIELD);
  }
  if (isNamed(err, "QueryBusyError")) return new HttpError(429, "query_busy", (err as Error).message);
  return asBadInput(err, "bad_query");
}
