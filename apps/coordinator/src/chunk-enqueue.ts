// Enqueueing a job's chunks in batches (addBulk) with deterministic job ids: enqueueing again
// after a restart adds nothing for chunks still queued, and the ledger skips chunks already
// stored. A chunk whose result is already waiting to be ingested is not enqueued again.
import type { Chunk } from "@pairgrid/engine";
import {
  CHUNK_JOB_NAME,
  CLUSTER_PROTOCOL,
  CHUNK_JOB_OPTIONS,
  type ChunkJobData,
  chunkJobId,
  resultJobId,
} from "@pairgrid/cluster";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";

const BATCH = 500;

export interface EnqueueOptions {
  redis: Redis;
  chunkQueue: Queue;
  resultQueue: Queue;
  jobId: string;
  chunks: readonly Chunk[];
  /** Chunk ids in the ledger. */
  done: ReadonlySet<number>;
  /** Checked between batches: a cancelled job stops enqueueing. */
  stopped: () => boolean;
}

/** Returns the number of chunk jobs handed to BullMQ (duplicates of queued ones included). */
export async function enqueueChunks(o: EnqueueOptions): Promise<number> {
  const todo = o.chunks.filter((c) => !o.done.has(c.chunkId));
  let added = 0;
  for (let i = 0; i < todo.length; i += BATCH) {
    if (o.stopped()) break;
    const batch = todo.slice(i, i + BATCH);
    const pipe = o.redis.pipeline();
    for (const c of batch) pipe.exists(o.resultQueue.toKey(resultJobId(o.jobId, c.chunkId)));
    const pending = ((await pipe.exec()) ?? []).map(([, n]) => n === 1);
    const jobs = batch
      .filter((_, k) => !pending[k])
      .map((chunk) => ({
        name: CHUNK_JOB_NAME,
        data: { protocol: CLUSTER_PROTOCOL, jobId: o.jobId, chunk } satisfies ChunkJobData,
        opts: { ...CHUNK_JOB_OPTIONS, jobId: chunkJobId(o.jobId, chunk.chunkId) },
      }));
    if (jobs.length > 0) await o.chunkQueue.addBulk(jobs);
    added += jobs.length;
  }
  return added;
}

/** Removes a job's queued chunks (running ones are locked and stay; workers stop them). */
export async function removeQueuedChunks(
  chunkQueue: Queue,
  jobId: string,
  chunks: readonly Chunk[],
): Promise<void> {
  for (let i = 0; i < chunks.length; i += BATCH) {
    const ids = chunks.slice(i, i + BATCH).map((c) => chunkJobId(jobId, c.chunkId));
    await Promise.all(ids.map((id) => chunkQueue.remove(id).catch(() => 0)));
  }
}
