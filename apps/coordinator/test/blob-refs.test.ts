// Blob references across jobs (libs/cluster blob-refs.ts) on a real redis-server: a blob named by
// two jobs survives the first one's release and goes, parts and all, with the second's; naming a
// blob twice for one job counts once; a job that names the blob again after a release that
// deleted it gets it written again by putBlob (the order shipping follows).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import {
  addBlobRefs,
  blobKey,
  blobPartKey,
  blobRefsKey,
  getBlob,
  putBlob,
  releaseBlobRefs,
  sha256Hex,
} from "@pairgrid/cluster";
import { TestRedis } from "@pairgrid/cluster/testing";
import { connectRedis } from "../src/connect-redis.js";

test("a blob stays while any job names it and goes with the last, parts included", async () => {
  const server = await TestRedis.start();
  const redis = connectRedis(server.url, "test");
  try {
    // 40 MiB: three parts of 16 MiB
    const blob = randomBytes(40 * 1024 * 1024);
    const sha = sha256Hex(blob);
    await addBlobRefs(redis, "0000000a", [sha, sha]);
    await addBlobRefs(redis, "0000000b", [sha]);
    await putBlob(redis, blob);
    assert.equal(await redis.hget(blobKey(sha), "parts"), "3");
    assert.equal(await redis.scard(blobRefsKey(sha)), 2);

    assert.equal(await releaseBlobRefs(redis, "0000000a", [sha]), 0);
    assert.ok((await getBlob(redis, sha)).equals(blob), "still whole for job b");
    // a second release of the same job changes nothing
    assert.equal(await releaseBlobRefs(redis, "0000000a", [sha]), 0);

    assert.equal(await releaseBlobRefs(redis, "0000000b", [sha]), 1);
    for (const key of [
      blobKey(sha),
      blobPartKey(sha, 0),
      blobPartKey(sha, 1),
      blobPartKey(sha, 2),
      blobRefsKey(sha),
    ])
      assert.equal(await redis.exists(key), 0, key);

    // shipped again by a new job: named first, then written
    await addBlobRefs(redis, "0000000c", [sha]);
    await putBlob(redis, blob);
    assert.ok((await getBlob(redis, sha)).equals(blob));
  } finally {
    redis.disconnect();
    await server.stop();
  }
});
