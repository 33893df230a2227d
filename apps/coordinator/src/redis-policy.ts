// Two Redis settings the cluster relies on, checked at start with one warning line each when
// they are wrong:
//   - maxmemory-policy noeviction: BullMQ keeps queued chunks and results as ordinary keys, and a
//     Redis that evicts keys under memory pressure can silently drop them;
//   - appendonly yes: a Redis restarted without AOF comes back empty. The coordinator then finds
//     the lost chunks and runs them again (its reconcile), but every chunk under way is redone.
// A Redis that refuses CONFIG (managed services often do) gets one softer line instead.
import type { Redis } from "ioredis";
import type { CoordinatorLog } from "./coordinator-log.js";

export interface RedisSettings {
  /** "unknown" when CONFIG is refused. */
  maxmemoryPolicy: string;
  appendonly: string;
}

export async function checkRedisSettings(redis: Redis, log: CoordinatorLog): Promise<RedisSettings> {
  let settings: RedisSettings;
  try {
    settings = {
      maxmemoryPolicy: await configGet(redis, "maxmemory-policy"),
      appendonly: await configGet(redis, "appendonly"),
    };
  } catch (err) {
    log.warn(
      `cannot read Redis's settings (CONFIG GET: ${String((err as Error).message).split("\n")[0]}); ` +
        "make sure it runs with --appendonly yes and --maxmemory-policy noeviction",
    );
    return { maxmemoryPolicy: "unknown", appendonly: "unknown" };
  }
  if (settings.maxmemoryPolicy !== "noeviction") {
    log.warn(
      `WARNING: Redis maxmemory-policy is '${settings.maxmemoryPolicy}', not 'noeviction': under memory pressure Redis may ` +
        "evict queued chunks or results and jobs would never finish. Run Redis with --maxmemory-policy noeviction.",
    );
  }
  if (settings.appendonly !== "yes") {
    log.warn(
      "WARNING: Redis runs without AOF (appendonly no): if it restarts, queued chunks and results not yet " +
        "stored are lost and every chunk under way runs again. Run Redis with --appendonly yes.",
    );
  }
  return settings;
}

async function configGet(redis: Redis, name: string): Promise<string> {
  const reply = (await redis.config("GET", name)) as string[];
  return reply[1] ?? "unknown";
}
