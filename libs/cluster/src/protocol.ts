// The version of what the coordinator and its workers say to each other through Redis: the chunk
// job, the job manifest and blobs it names (written by the same coordinator, so the chunk job's
// version covers them), the result job and the row bytes in the job's results hash. Every chunk and
// result job carries it, and each end checks it before anything else in the job: a cluster that
// mixes pairgrid versions fails its grid job at the first chunk with one line naming both versions,
// instead of whatever the first field that changed would say (or, before versions, a loop: a result
// the coordinator could not read left its chunk to be found lost and run again, by the same worker).
//
// Raise it whenever a change means an older or newer peer would misread a job or its rows.
//   1  rows as base64 in the result job's data (`payload`); jobs had no version field
//   2  rows as bytes in the results hash beside the result job (result-job.ts); version field
import { z } from "zod";

export const CLUSTER_PROTOCOL = 2;

export const protocolField = z.literal(CLUSTER_PROTOCOL);

/**
 * Null when `data` (a chunk or result job's data) speaks this build's protocol, else the one-line
 * reason to fail it with: `what` is the job's kind, `reader` what this process is.
 */
export function protocolMismatch(data: unknown, what: "chunk" | "result", reader: string): string | null {
  const got =
    typeof data === "object" && data !== null ? (data as { protocol?: unknown }).protocol : undefined;
  if (got === CLUSTER_PROTOCOL) return null;
  const theirs = got === undefined ? "1 (no version field)" : JSON.stringify(got);
  return (
    `a ${what} job of cluster protocol ${theirs}, but this ${reader} speaks protocol ${CLUSTER_PROTOCOL}: ` +
    "run the coordinator and every worker from the same pairgrid version"
  );
}
