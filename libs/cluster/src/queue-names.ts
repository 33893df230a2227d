// The names both sides of the cluster agree on: queues, Redis keys, the cancel channel. Declared
// once here and imported by the coordinator (producer) and the worker (consumer), so the two
// cannot drift apart (STYLE.md: one declaration per job type).

/** Chunk jobs: coordinator → workers. */
export const CHUNK_QUEUE = "pairgrid-chunks";
/** Chunk results: workers → coordinator (the only DuckDB writer). */
export const RESULT_QUEUE = "pairgrid-results";
/** BullMQ key prefix and the prefix of pairgrid's own keys. */
export const KEY_PREFIX = "pairgrid";

/** JSON manifest of a grid job: what a worker needs to run its chunks (job-manifest.ts). */
export const manifestKey = (jobId: string) => `${KEY_PREFIX}:job:${jobId}:manifest`;
/**
 * Hash of a job's chunk results waiting for the coordinator: field = chunk id, value = the
 * encodeChunkResult bytes (result-job.ts says why they are not in the result job's data).
 */
export const resultsKey = (jobId: string) => `${KEY_PREFIX}:job:${jobId}:results`;
/** Set (value "1") when a job is cancelled; workers check it before running a chunk. */
export const cancelledKey = (jobId: string) => `${KEY_PREFIX}:job:${jobId}:cancelled`;
/** Pub/sub channel carrying the id of a job just cancelled, so running chunks stop soon. */
export const CANCEL_CHANNEL = `${KEY_PREFIX}:cancel`;
/**
 * Pub/sub channel carrying the id of a job whose every chunk is stored: workers release its
 * threads and arrays at once instead of holding them until a later job evicts them.
 */
export const FINISHED_CHANNEL = `${KEY_PREFIX}:finished`;
/** A content-addressed binary blob (sha256 hex of its bytes): its part count and size. */
export const blobKey = (sha256: string) => `${KEY_PREFIX}:blob:${sha256}`;
/** Part i of a blob (parts keep each Redis command small). */
export const blobPartKey = (sha256: string, part: number) => `${KEY_PREFIX}:blob:${sha256}:${part}`;
/** The ids of the jobs whose manifest names a blob (blob-refs.ts): deleted with the last one. */
export const blobRefsKey = (sha256: string) => `${KEY_PREFIX}:blobrefs:${sha256}`;
