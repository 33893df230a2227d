// What a worker needs to run any chunk of a grid job, written by the coordinator before the first
// chunk is enqueued: the validated spec, the base arrays (closes and calendar) and one hedge blob
// per hedge setting, all as content-addressed blobs (blob-store.ts), and for a hybrid grid its fast
// closes as one compressed blob per trading day (engine chunks/fast-day-blobs.ts), which a worker
// keeps in its disk cache across jobs. Workers need no data files.
import { z } from "zod";

export const jobManifestSchema = z.strictObject({
  jobId: z.string(),
  /** The validated grid spec (GridSpec as JSON). */
  spec: z.record(z.string(), z.unknown()),
  /** sha256 of the encodePacked base arrays (BASE_ARRAYS of run-chunk.ts). */
  base: z.string(),
  barMs: z.number().positive(),
  nDays: z.number().int().nonnegative(),
  /** hedgeKey(spec, c) → sha256 of the encodePacked {beta, spread}. */
  hedges: z.record(z.string(), z.string()),
  /** Hybrid grids only: the fast closes, one blob per trading day in time order. */
  fast: z
    .strictObject({
      barMs: z.number().positive(),
      /** Rows of all days together (the assembled series' length). */
      rows: z.number().int().nonnegative(),
      days: z.array(
        z.strictObject({
          /** sha256 of the compressed blob (what Redis and the worker's disk cache hold). */
          sha: z.string(),
          rows: z.number().int().nonnegative(),
          bytes: z.number().int().nonnegative(),
        }),
      ),
    })
    .optional(),
});
export type JobManifest = z.infer<typeof jobManifestSchema>;
