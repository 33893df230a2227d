// The result job: a chunk's rows going back to the coordinator, binary (chunk-result-codec.ts) and
// base64-encoded inside the job data, so the rows and the news that the chunk is done travel in
// one atomic Redis write. The coordinator ingests it into DuckDB exactly once (chunk ledger).
import { z } from "zod";

export const resultJobSchema = z.strictObject({
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
  /** encodeChunkResult bytes, base64. */
  payload: z.string(),
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
