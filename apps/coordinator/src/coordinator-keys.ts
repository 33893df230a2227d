// Redis keys only the coordinator uses (the shared ones live in @pairgrid/cluster's queue-names.ts).
import { KEY_PREFIX } from "@pairgrid/cluster";

/** Why a job failed, kept for `GET /jobs/:id` after the coordinator restarts. */
export const errorKey = (jobId: string) => `${KEY_PREFIX}:job:${jobId}:error`;
