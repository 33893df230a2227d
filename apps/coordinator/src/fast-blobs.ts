// A hybrid job's fast closes cut into compressed per-day blobs (engine chunks/fast-day-blobs.ts),
// made once at submission: their exact size is what the job needs in Redis, checked against
// Redis's free memory and the coordinator's cap before the job exists (a 400 naming the size).
import {
  encodeFastDayAsync,
  type FastCloses,
  fastDayCuts,
  InputError,
  type SlowPair,
} from "@pairgrid/engine";
import { blobKey, sha256Hex } from "@pairgrid/cluster";
import type { Redis } from "ioredis";

export interface FastBlob {
  sha: string;
  rows: number;
  buf: Buffer;
}

export interface FastBlobs {
  barMs: number;
  rows: number;
  days: FastBlob[];
}

/** Compressed off the event loop, several days at once (the HTTP server keeps answering). */
export async function fastBlobsOf(sp: SlowPair, fast: FastCloses): Promise<FastBlobs> {
  const days = await Promise.all(
    fastDayCuts(sp.pair.ts, sp.tradingDay, fast).map(async (cut) => {
      const buf = await encodeFastDayAsync(fast, cut);
      return { sha: sha256Hex(buf), rows: cut.hi - cut.lo, buf };
    }),
  );
  return { barMs: fast.barMs, rows: fast.n, days };
}

const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/**
 * Refuses (InputError on `data`) fast data whose blobs not yet in Redis would not fit: more than
 * `maxBlobBytes` (the coordinator's cap; 0 = none) or more than Redis's room under `maxmemory`
 * (when set). Blobs already stored (another job over the same days) cost nothing more.
 */
export async function checkFastSize(redis: Redis, blobs: FastBlobs, maxBlobBytes: number): Promise<void> {
  let needed = 0;
  for (const d of blobs.days) if ((await redis.exists(blobKey(d.sha))) === 0) needed += d.buf.length;
  const total = blobs.days.reduce((s, d) => s + d.buf.length, 0);
  if (maxBlobBytes > 0 && needed > maxBlobBytes) {
    throw new InputError(
      `data: the fast data needs ${mb(needed)} in Redis (${blobs.days.length} days, ${mb(total)} in all), ` +
        `over the coordinator's --max-blob-bytes of ${mb(maxBlobBytes)}`,
      "data",
    );
  }
  const room = await redisRoom(redis);
  if (room !== null && needed > room.free) {
    throw new InputError(
      `data: the fast data needs ${mb(needed)} in Redis (${blobs.days.length} days), ` +
        `Redis has ${mb(room.free)} free under its maxmemory of ${mb(room.max)}`,
      "data",
    );
  }
}

/** Redis's maxmemory and what is left under it, or null when unlimited (or INFO is refused). */
async function redisRoom(redis: Redis): Promise<{ max: number; free: number } | null> {
  let info: string;
  try {
    info = await redis.info("memory");
  } catch {
    return null;
  }
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, "m").exec(info)?.[1] ?? NaN);
  const max = field("maxmemory");
  const used = field("used_memory");
  if (!(max > 0) || !Number.isFinite(used)) return null;
  return { max, free: Math.max(0, max - used) };
}
