// Zod schemas of the HTTP API: they validate params and query strings, shape the responses, and
// are what /docs shows (converted by fastify-type-provider-zod's jsonSchemaTransform).
import { RANKABLE } from "@pairgrid/engine";
import { JOB_RUNNERS, SHOWN_STATUSES } from "@pairgrid/resultsdb";
import { z } from "zod";
import { allRows } from "./analysis-schemas.js";
import type { JobView, SubmitResult } from "../job-service.js";

export const errorBody = z
  .object({
    error: z.string().describe("machine-readable name, e.g. not_found, bad_spec, bad_request"),
    message: z.string(),
    path: z.string().optional().describe("field at fault, e.g. query.limit or params.z_entry"),
  })
  .describe("Error");

export const jobIdParams = z.object({ id: z.string().min(1).describe("job id") });

export const submitQuery = z.object({
  chunk_size: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe("combinations per chunk (default: chosen from the grid's size)"),
});

/** Any JSON/YAML value: the job service validates the spec itself and names the faulty field. */
export const gridSpecBody = z.unknown().describe("grid spec (INTERFACE.md, 'Grid spec'), as JSON or YAML");

export const submitResult = z.object({
  job_id: z.string(),
  n_combos: z.number().int(),
  n_chunks: z.number().int(),
});

export const jobView = z.object({
  job_id: z.string(),
  name: z.string(),
  status: z
    .enum(SHOWN_STATUSES)
    .describe("stored status, or interrupted: a `pairgrid run` that stopped without marking its job"),
  n_combos: z.number().int(),
  n_chunks: z.number().int(),
  n_done: z.number().int(),
  chunks_done: z.number().int(),
  progress: z.number().describe("fraction of combinations processed, 0..1"),
  rate: z.number().describe("combinations per second over the recent past"),
  eta_s: z.number().nullable().describe("seconds until done at the current rate"),
  created_at: z.string(),
  finished_at: z.string().nullable(),
  error: z.string().nullable().describe("why the job failed, when it did"),
  runner: z.enum(JOB_RUNNERS).nullable().describe("who runs the job: local (`pairgrid run`) or coordinator"),
  host: z.string().nullable().describe("machine of the `pairgrid run` that runs or ran the job"),
  pid: z.number().int().nullable().describe("process id of that run"),
  heartbeat_at: z.string().nullable().describe("when that run last showed it was alive"),
  resume_command: z.string().nullable().describe("for an interrupted job: the command that finishes it"),
  fast: z
    .object({
      rows_scanned: z.number().int(),
      blob_bytes_fetched: z.number().int(),
      by_worker: z.array(
        z.object({
          worker: z.string().describe("host:pid of the worker process"),
          rows_scanned: z.number().int(),
          blob_bytes_fetched: z.number().int(),
        }),
      ),
    })
    .nullable()
    .describe(
      "hybrid job on the cluster: fast rows scanned and fast day blob bytes fetched from Redis, " +
        "in all and per worker; work counters (a chunk redelivered after a kill counts twice). " +
        "Null for a slow job, before the first result, and for jobs a restarted coordinator did not run",
    ),
});

export const resultsQuery = z.object({
  all: allRows,
  by: z.enum(RANKABLE).optional().describe("statistic to rank by (default: the job's rank.by)"),
  limit: z.coerce.number().int().min(1).max(10_000).default(50),
  min_trades: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe("leave out rows with fewer trades (default: the job's rank.min_trades)"),
});

/** Ranked rows: combo_id, one column per parameter, the statistics and dsr (as `pairgrid top`). */
export const resultRows = z.array(z.record(z.string(), z.unknown()));

export const healthBody = z.object({ ok: z.boolean(), redis: z.string(), db: z.string() });

// Responses are serialized through these schemas, which drop keys they do not list; these checks
// fail the build when JobService's types and the schemas drift apart instead of losing fields.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _jobViewInSync: Same<z.output<typeof jobView>, JobView> = true;
const _submitResultInSync: Same<z.output<typeof submitResult>, SubmitResult> = true;
