// What a worker needs to run any chunk of a grid job, written by the coordinator before the first
// chunk is enqueued: the validated spec, the base arrays (closes and calendar) and one hedge blob
// per hedge setting, all as content-addressed blobs (blob-store.ts). Workers need no data files.
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
});
export type JobManifest = z.infer<typeof jobManifestSchema>;
