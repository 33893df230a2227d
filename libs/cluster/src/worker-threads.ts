// How many chunk threads the live workers have, so that the coordinator cuts a job for the
// cluster it has instead of for a fixed guess (coordinator cluster-chunk-size.ts). Each worker
// process records its threads in one Redis hash under its BullMQ worker name (`host:pid`, the name
// its chunk-queue connection carries). Which workers are alive is BullMQ's own list of the chunk
// queue's worker connections (CLIENT LIST), so a worker that died without a word stops counting at
// once; only its field is left behind, and a later worker of the same name overwrites it.
import { KEY_PREFIX } from "./queue-names.js";

/** Hash: BullMQ worker name → chunk threads of the workers running under that name. */
export const WORKER_THREADS_KEY = `${KEY_PREFIX}:worker-threads`;

/** The hash commands used (structural: this library loads no Redis client). */
export interface WorkerThreadsRedis {
  hset(key: string, field: string, value: string): Promise<unknown>;
  hdel(key: string, field: string): Promise<unknown>;
  hgetall(key: string): Promise<Record<string, string>>;
}

/** Threads of this process's workers per name: tests run several workers under one `host:pid`. */
const inProcess = new Map<string, number>();

/** Adds a started worker's threads to its name's count. */
export async function registerWorkerThreads(
  redis: WorkerThreadsRedis,
  name: string,
  threads: number,
): Promise<void> {
  const total = (inProcess.get(name) ?? 0) + threads;
  inProcess.set(name, total);
  await redis.hset(WORKER_THREADS_KEY, name, String(total));
}

/** Takes a closing worker's threads off its name's count (the field goes with the last one). */
export async function unregisterWorkerThreads(
  redis: WorkerThreadsRedis,
  name: string,
  threads: number,
): Promise<void> {
  const total = (inProcess.get(name) ?? 0) - threads;
  if (total > 0) {
    inProcess.set(name, total);
    await redis.hset(WORKER_THREADS_KEY, name, String(total));
  } else {
    inProcess.delete(name);
    await redis.hdel(WORKER_THREADS_KEY, name);
  }
}

/**
 * Chunk threads of the workers connected to the chunk queue now (BullMQ's `getWorkers`, whose
 * `rawname` is `<prefix>:<queue>:w:<worker name>`); 0 when none is connected or none says.
 */
export async function liveWorkerThreads(
  chunkQueue: { getWorkers(): Promise<Record<string, unknown>[]> },
  redis: WorkerThreadsRedis,
): Promise<number> {
  const live = new Set<string>();
  for (const client of await chunkQueue.getWorkers()) {
    const raw = typeof client.rawname === "string" ? client.rawname : "";
    const at = raw.indexOf(":w:");
    if (at >= 0) live.add(raw.slice(at + 3));
  }
  if (live.size === 0) return 0;
  const fields = await redis.hgetall(WORKER_THREADS_KEY);
  let threads = 0;
  for (const name of live) {
    const t = Number(fields[name]);
    if (Number.isSafeInteger(t) && t > 0) threads += t;
  }
  return threads;
}
