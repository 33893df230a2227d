// Redis connection options and queue timings shared by the coordinator and the workers. The
// connection itself is opened by each app (its connect-redis.ts): this library loads no Redis client.

export { DEFAULT_REDIS_URL } from "./redis-url.js";

/**
 * Options of a connection that waits out a Redis restart instead of failing: BullMQ workers require
 * `maxRetriesPerRequest: null`, and the coordinator wants the same (a restarted Redis with AOF is
 * part of normal operation, issue 5). Reconnects back off to at most 2 s. Shaped as the Redis client's
 * RedisOptions.
 */
export function redisOptions(name: string) {
  return {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: name,
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
}

/** Lock of a chunk job (ms): BullMQ renews it every 5–10 s (a quarter to half of it) while it runs. */
export const LOCK_DURATION_MS = 20_000;
/** How often a worker looks for chunks whose lock expired (ms). */
export const STALLED_INTERVAL_MS = 10_000;

/**
 * Lock timing of chunk jobs. A worker that dies holding a chunk loses its lock at most
 * `lockDuration` after its last renewal; the stalled check then needs one pass to mark the chunk
 * and one more to see the lock gone and hand the chunk to another worker: a killed worker's chunk
 * is queued again within lockDuration + stalledInterval = 30 s (BullMQ's defaults, 30 s and 30 s,
 * took up to a minute). The lock must outlast a renewal gap plus the longest stretch the worker's
 * event loop is busy, or a live chunk is taken as stalled: chunks run on threads, but a group's
 * arrays are computed on the main thread — ≈ 2.5 s per group on 331 k bars with every gate, and
 * the loop was seen blocked up to 4.6 s with 2 threads on a busy 2-core machine (chunks of 25 s
 * kept their locks). 20 s leaves ≥ 10 s of slack.
 * PAIRGRID_LOCK_MS shortens both (tests kill workers on purpose).
 */
export function lockSettings(): { lockDuration: number; stalledInterval: number } {
  const ms = Number(process.env.PAIRGRID_LOCK_MS);
  if (Number.isFinite(ms) && ms >= 500) return { lockDuration: ms, stalledInterval: Math.max(250, ms / 2) };
  return { lockDuration: LOCK_DURATION_MS, stalledInterval: STALLED_INTERVAL_MS };
}

/** A chunk survives this many crashed workers before it is failed (issue 5 asks ≥ 2). */
export const MAX_STALLED_COUNT = 3;
