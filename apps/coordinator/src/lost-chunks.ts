// Chunks a running job can no longer get back by itself: in neither the ledger nor Redis. Every
// chunk of a launched job is at each moment in at least one of three places — its chunk job
// (waiting, active, delayed for a retry, or failed), its result job (published, not yet ingested)
// or the ledger — because a worker adds the result before its chunk job completes (and is
// removed), and the coordinator stores the rows before the result job completes. A chunk in none
// of them was lost with Redis (restarted without AOF, or a flushed database) and must run again.
import type { Chunk } from "@pairgrid/engine";
import { chunkJobId, resultJobId } from "@pairgrid/cluster";
import type { EnqueueOptions } from "./chunk-enqueue.js";

const BATCH = 500;

/** What enqueueChunks takes, but for `stopped`; `done` must be read AFTER Redis answered (below). */
export type LostChunksQuery = Omit<EnqueueOptions, "stopped">;

/** The chunks found in none of the three places (one pipelined EXISTS pair per chunk). */
export async function lostChunks(q: LostChunksQuery): Promise<Chunk[]> {
  const lost: Chunk[] = [];
  const todo = q.chunks.filter((c) => !q.done.has(c.chunkId));
  for (let i = 0; i < todo.length; i += BATCH) {
    const batch = todo.slice(i, i + BATCH);
    const pipe = q.redis.pipeline();
    for (const c of batch) {
      pipe.exists(q.chunkQueue.toKey(chunkJobId(q.jobId, c.chunkId)));
      pipe.exists(q.resultQueue.toKey(resultJobId(q.jobId, c.chunkId)));
    }
    const replies = (await pipe.exec()) ?? [];
    // an unanswered EXISTS is not a "no": a Redis that dropped mid-pipeline loses nothing here
    const failed = replies.find(([err]) => err !== null);
    if (failed || replies.length !== 2 * batch.length) throw failed?.[0] ?? new Error("pipeline cut short");
    batch.forEach((c, k) => {
      const inRedis = replies[2 * k]?.[1] === 1 || replies[2 * k + 1]?.[1] === 1;
      // the ledger is looked at again now: a result ingested (and its job removed) while the
      // EXISTS were in flight is in `done` by the time its result job is gone
      if (!inRedis && !q.done.has(c.chunkId)) lost.push(c);
    });
  }
  return lost;
}
