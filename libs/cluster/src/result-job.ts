// The result job: the news that a chunk's rows wait for the coordinator, which ingests them into
// DuckDB exactly once (chunk ledger). The rows themselves (chunk-result-codec.ts bytes) are a field
// of the job's results hash (queue-names.ts resultsKey), written before the job is added.
/*
 * Why not in the job's data. BullMQ job data is JSON, so binary rows had to travel as base64: a
 * W6 chunk (26,600 rows, 23.6 MB) became a 31.5 MB string that the worker encoded and stringified,
 * Redis copied through BullMQ's scripts, and the coordinator parsed and decoded: about 1 CPU-s per
 * chunk (node 0.62–0.65 s, both ends, + redis 0.35 s), against 0.25 (0.16–0.18 + 0.08) as bytes
 * in a hash field (`node bench/result-transport.mjs`). A cluster on the local run's cores pays it
 * beside the kernels: W6's 64 chunks cost ~48 CPU-s more than bytes do.
 *
 * Exactly once, still. The worker adds the result job only once Redis has confirmed the field: a
 * result job in Redis always has its rows there. The coordinator
 * deletes the field only once the chunk is in the ledger (or its job has ended), so a result job
 * retried after a failed store finds its rows again. A redelivered chunk writes the same bytes to
 * the same field. A result job that finds no rows (Redis lost them but kept the job) is completed
 * unstored: its chunk is then in neither queue nor ledger, and the coordinator's reconcile runs
 * it again (lost-chunks.ts).
 */
import { z } from "zod";
import { protocolField } from "./protocol.js";

export const resultJobSchema = z.strictObject({
  /** CLUSTER_PROTOCOL of the worker that wrote it and its rows (protocol.ts). */
  protocol: protocolField,
  jobId: z.string().regex(/^[0-9a-f]{8}$/),
  chunkId: z.number().int().nonnegative(),
  /** Combinations in the chunk (valid or not), for progress. */
  combos: z.number().int().nonnegative(),
  /** Rows (valid combinations) in the payload. */
  rows: z.number().int().nonnegative(),
  /** Which worker process ran it (`host:pid`), for per-worker throughput. */
  worker: z.string(),
  /** Time the chunk took on its thread, ms. */
  ms: z.number().nonnegative(),
  /** Hybrid chunks: fast rows the kernels read (run-chunk.ts `fastRows`), for per-worker metrics. */
  fastRows: z.number().int().nonnegative().optional(),
  /**
   * Hybrid jobs: bytes of fast day blobs this worker fetched from Redis for the job and not yet
   * reported (its context load's fetch rides on the next result it publishes), for job progress.
   */
  blobBytes: z.number().int().nonnegative().optional(),
});
export type ResultJobData = z.infer<typeof resultJobSchema>;

export const RESULT_JOB_NAME = "result";

export const resultJobId = (jobId: string, chunkId: number) => `${jobId}-r${chunkId}`;

export const RESULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 500 },
  removeOnComplete: true,
  removeOnFail: false,
} as const;
