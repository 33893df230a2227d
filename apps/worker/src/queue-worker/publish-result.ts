// A chunk's rows on their way to the coordinator: one result job, whose deterministic id makes a
// retried chunk's second result a no-op while the first is still queued (the coordinator's chunk
// ledger catches the rest).
import { type ChunkResult, encodeChunkResult } from "@pairgrid/engine";
import type { Queue } from "bullmq";
import { RESULT_JOB_NAME, RESULT_JOB_OPTIONS, type ResultJobData, resultJobId } from "@pairgrid/cluster";

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

/** Adds the chunk's result job to RESULT_QUEUE; resolves once Redis has it. */
export async function publishResult(queue: Queue<ResultJobData>, o: ChunkOutcome): Promise<void> {
  const data: ResultJobData = {
    jobId: o.jobId,
    chunkId: o.result.chunkId,
    combos: o.combos,
    rows: o.result.k,
    worker: o.worker,
    ms: o.ms,
    ...(o.result.fastRows ? { fastRows: o.result.fastRows } : {}),
    ...(o.blobBytes ? { blobBytes: o.blobBytes } : {}),
    payload: encodeChunkResult(o.result).toString("base64"),
  };
  await queue.add(RESULT_JOB_NAME, data, {
    ...RESULT_JOB_OPTIONS,
    jobId: resultJobId(o.jobId, o.result.chunkId),
  });
}
