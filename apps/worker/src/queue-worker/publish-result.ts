// A chunk's rows on their way to the coordinator: its bytes in the job's results hash, then one
// result job, whose deterministic id makes a retried chunk's second result a no-op while the first
// is still queued (the coordinator's chunk ledger catches the rest). result-job.ts says why the
// rows are not in the job's data.
import { type ChunkResult, encodeChunkResult } from "@pairgrid/engine";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import {
  CLUSTER_PROTOCOL,
  RESULT_JOB_NAME,
  RESULT_JOB_OPTIONS,
  type ResultJobData,
  resultJobId,
  resultsKey,
} from "@pairgrid/cluster";

export interface ChunkOutcome {
  jobId: string;
  result: ChunkResult;
  /** Combinations in the chunk, valid or not. */
  combos: number;
  /** `host:pid` of this worker. */
  worker: string;
  /** Time on the thread, ms. */
  ms: number;
  /** Fast day blob bytes fetched from Redis for the job not yet reported (0: none). */
  blobBytes?: number;
}

/** Writes the chunk's rows, then adds its result job to RESULT_QUEUE; resolves once Redis has both. */
export async function publishResult(
  redis: Redis,
  queue: Queue<ResultJobData>,
  o: ChunkOutcome,
): Promise<void> {
  const data: ResultJobData = {
    protocol: CLUSTER_PROTOCOL,
    jobId: o.jobId,
    chunkId: o.result.chunkId,
    combos: o.combos,
    rows: o.result.k,
    worker: o.worker,
    ms: o.ms,
    ...(o.result.fastRows ? { fastRows: o.result.fastRows } : {}),
    ...(o.blobBytes ? { blobBytes: o.blobBytes } : {}),
  };
  // first the rows: a result job must never be in Redis without them
  await redis.hset(resultsKey(o.jobId), String(o.result.chunkId), encodeChunkResult(o.result));
  await queue.add(RESULT_JOB_NAME, data, {
    ...RESULT_JOB_OPTIONS,
    jobId: resultJobId(o.jobId, o.result.chunkId),
  });
}
