// Redis keys only the coordinator uses (the shared ones live in @pairgrid/worker's queue-names.ts).
import { KEY_PREFIX } from "@pairgrid/worker";

/** Why a job failed, kept for `GET /jobs/:id` after the coordinator restarts. */
export const errorKey = (jobId: string) => `${KEY_PREFIX}:job:${jobId}:error`;
