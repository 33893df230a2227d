// BullMQ keeps queued chunks and results as ordinary keys: a Redis that evicts keys under memory
// pressure (any maxmemory-policy but noeviction) can silently drop them, and a job would then
// never finish. The coordinator says so loudly at start.
import type { Redis } from "ioredis";
import type { CoordinatorLog } from "./coordinator.js";

export async function checkEvictionPolicy(redis: Redis, log: CoordinatorLog): Promise<string> {
  let policy = "unknown";
  try {
    const reply = (await redis.config("GET", "maxmemory-policy")) as string[];
    policy = reply[1] ?? "unknown";
  } catch (err) {
    log.warn(
      `cannot read Redis maxmemory-policy (${String((err as Error).message)}); make sure it is noeviction`,
    );
    return policy;
  }
  if (policy !== "noeviction") {
    log.warn(
      `WARNING: Redis maxmemory-policy is '${policy}', not 'noeviction': under memory pressure Redis may ` +
        "evict queued chunks or results and jobs would never finish. Run Redis with --maxmemory-policy noeviction.",
    );
  }
  return policy;
}
