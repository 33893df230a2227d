// `pairgrid worker` flags, checked before anything connects (bad values exit 2 naming the flag).
import { availableParallelism } from "node:os";
import { InputError, type KernelChoice } from "@pairgrid/engine";
import { DEFAULT_REDIS_URL } from "@pairgrid/cluster";
import { z } from "zod";
import { kernelChoice } from "./run-flags.js";

export interface WorkerFlagsInput {
  redis?: string;
  threads?: string;
  metricsPort?: string;
  kernel?: string;
  blobCacheGb?: string;
}

export interface WorkerSettings {
  redisUrl: string;
  threads: number;
  /** 0: no metrics server. */
  metricsPort: number;
  kernel: KernelChoice;
  /** Bound of the disk cache of fast day blobs, bytes. */
  diskBlobCacheBytes: number;
}

const redisUrl = z
  .string()
  .refine((v) => URL.canParse(v) && ["redis:", "rediss:"].includes(new URL(v).protocol), {
    message: "expected a redis:// or rediss:// URL",
  });
const intIn = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { message: `expected an integer from ${min} to ${max}` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `expected an integer from ${min} to ${max}` });

const GiB = 1024 ** 3;
/** Default bound of the worker's disk cache of fast day blobs (GiB). */
export const DEFAULT_BLOB_CACHE_GB = 4;
const gigabytes = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, { message: "expected a size in GiB, like 4 or 0.5" })
  .transform(Number)
  .refine((n) => n > 0 && n <= 1e6, { message: "expected a size in GiB above 0" });

/** The value of `flag` through `schema`, or InputError naming the flag and the value. */
function parseFlag<T>(flag: string, schema: z.ZodType<T, string>, value: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new InputError(`${flag} ${value}: ${r.error.issues[0]?.message ?? "invalid"}`, flag);
  return r.data;
}

export function workerSettings(
  flags: WorkerFlagsInput,
  env: NodeJS.ProcessEnv = process.env,
): WorkerSettings {
  const url = flags.redis ?? env.PAIRGRID_REDIS_URL ?? DEFAULT_REDIS_URL;
  // a bad PAIRGRID_REDIS_URL is reported under its own name, not as a flag the user did not pass
  const urlSource =
    flags.redis === undefined && env.PAIRGRID_REDIS_URL !== undefined ? "PAIRGRID_REDIS_URL" : "--redis";
  return {
    redisUrl: parseFlag(urlSource, redisUrl, url),
    threads:
      flags.threads === undefined
        ? availableParallelism()
        : parseFlag("--threads", intIn(1, 1024), flags.threads),
    metricsPort:
      flags.metricsPort === undefined ? 0 : parseFlag("--metrics-port", intIn(0, 65535), flags.metricsPort),
    kernel: kernelChoice(flags.kernel),
    diskBlobCacheBytes:
      flags.blobCacheGb === undefined
        ? DEFAULT_BLOB_CACHE_GB * GiB
        : Math.round(parseFlag("--blob-cache-gb", gigabytes, flags.blobCacheGb) * GiB),
  };
}
