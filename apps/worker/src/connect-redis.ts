// The worker's Redis connections: ioredis with the cluster's options (@pairgrid/cluster declares
// them but loads no Redis client).
import { redisOptions } from "@pairgrid/cluster";
import { Redis } from "ioredis";

/** A connection that waits out a Redis restart instead of failing (see redisOptions). */
export function connectRedis(url: string, name: string): Redis {
  return new Redis(url, redisOptions(name));
}
