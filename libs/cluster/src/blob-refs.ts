// Which jobs name each blob, kept in Redis (a set of job ids per blob), so a blob is deleted when
// the last job naming it lets go — whichever coordinator process shipped it, and across restarts.
// A set, not a counter: shipping a job again (a restart, a reconcile) adds nothing twice.
//
// The order that keeps a blob from being deleted under a job that needs it: a job names the blob
// (SADD) BEFORE it checks whether the blob exists and writes it (putBlob); a release removes the
// name and deletes the blob in one script, when no name is left. Either the release ran first (the
// blob is gone and putBlob writes it again) or the new name is seen (the blob stays).
import { blobKey, blobRefsKey } from "./queue-names.js";

/** The Redis commands blob references use (the apps' ioredis client satisfies it). */
export interface BlobRefsRedis {
  sadd(key: string, ...members: string[]): Promise<number>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/** Names `shas` as used by `jobId` (call before putBlob of each). */
export async function addBlobRefs(
  redis: BlobRefsRedis,
  jobId: string,
  shas: Iterable<string>,
): Promise<void> {
  for (const sha of new Set(shas)) await redis.sadd(blobRefsKey(sha), jobId);
}

/**
 * KEYS[1] refs set, KEYS[2] blob head; ARGV[1] job id. Removes the job's name; when none is
 * left, deletes the head (first: a reader then fails cleanly), its parts and the set. Returns 1
 * when the blob was deleted.
 */
const RELEASE = `
redis.call('SREM', KEYS[1], ARGV[1])
if redis.call('SCARD', KEYS[1]) > 0 then return 0 end
local parts = tonumber(redis.call('HGET', KEYS[2], 'parts')) or 0
redis.call('DEL', KEYS[2])
for i = 0, parts - 1 do redis.call('DEL', KEYS[2] .. ':' .. i) end
redis.call('DEL', KEYS[1])
return 1
`;

/** Drops `jobId`'s name from each blob; returns how many blobs no job names any more (deleted). */
export async function releaseBlobRefs(
  redis: BlobRefsRedis,
  jobId: string,
  shas: Iterable<string>,
): Promise<number> {
  let deleted = 0;
  for (const sha of new Set(shas)) {
    deleted += Number(await redis.eval(RELEASE, 2, blobRefsKey(sha), blobKey(sha), jobId));
  }
  return deleted;
}
