// The chunk job: one range of threshold indices of one group of one grid job. Its BullMQ job id is
// deterministic, so enqueueing the same chunk twice (a coordinator restarted mid-enqueue) adds it
// once while the first copy is still in the queue, and the chunk ledger catches the rest.
import { z } from "zod";
import { protocolField } from "./protocol.js";

export const chunkJobSchema = z.strictObject({
  /** CLUSTER_PROTOCOL of the coordinator that wrote it (protocol.ts). */
  protocol: protocolField,
  jobId: z.string().regex(/^[0-9a-f]{8}$/),
  chunk: z.strictObject({
    chunkId: z.number().int().nonnegative(),
    group: z.number().int().nonnegative(),
    t0: z.number().int().nonnegative(),
    t1: z.number().int().nonnegative(),
  }),
});
export type ChunkJobData = z.infer<typeof chunkJobSchema>;

export const CHUNK_JOB_NAME = "chunk";

/** BullMQ custom ids may not contain ':' nor be integers. */
export const chunkJobId = (jobId: string, chunkId: number) => `${jobId}-c${chunkId}`;

/** What a finished chunk job returns (kept small: the rows travel as a result job). */
export interface ChunkJobReturn {
  rows: number;
  /** True when the grid job was cancelled and the chunk was not run. */
  cancelled: boolean;
}

/** Retries for a chunk that throws (a stalled chunk is governed by the worker's maxStalledCount). */
export const CHUNK_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: "exponential", delay: 1000 },
  removeOnComplete: true,
  // kept so the coordinator can report why a job failed; it removes them when it has
  removeOnFail: false,
} as const;
