// Redis connections and queue timings shared by the coordinator and the workers.
import { Redis } from "ioredis";

export { DEFAULT_REDIS_URL } from "../redis-url.js";

/**
 * A connection that waits out a Redis restart instead of failing: BullMQ workers require
 * `maxRetriesPerRequest: null`, and the coordinator wants the same (a restarted Redis with AOF is
 * part of normal operation, issue 5). Reconnects back off to at most 2 s.
 */
export function connectRedis(url: string, name: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: name,
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });
}

/**
 * Lock timing of chunk jobs. A worker that dies holding a chunk loses its lock after
 * `lockDuration`; the stalled check (every `stalledInterval`) then hands the chunk to another
 * worker. Defaults are BullMQ's; PAIRGRID_LOCK_MS shortens them (tests kill workers on purpose).
 */
export function lockSettings(): { lockDuration: number; stalledInterval: number } {
  const ms = Number(process.env.PAIRGRID_LOCK_MS);
  if (Number.isFinite(ms) && ms >= 500) return { lockDuration: ms, stalledInterval: Math.max(250, ms / 2) };
  return { lockDuration: 30_000, stalledInterval: 30_000 };
}

/** A chunk survives this many crashed workers before it is failed (issue 5 asks ≥ 2). */
export const MAX_STALLED_COUNT = 3;
