// `pairgrid worker --blob-cache-gb`: the bound of the disk cache of fast day blobs, default 4 GiB;
// a bad value is an InputError naming the flag (exit 2), before anything connects.
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "@pairgrid/engine";
import { workerSettings } from "../src/worker-flags.js";

const GiB = 1024 ** 3;

test("--blob-cache-gb: default 4 GiB, fractions allowed, bad values refused naming the flag", () => {
  assert.equal(workerSettings({ threads: "1" }, {}).diskBlobCacheBytes, 4 * GiB);
  assert.equal(workerSettings({ threads: "1", blobCacheGb: "0.5" }, {}).diskBlobCacheBytes, GiB / 2);
  assert.equal(workerSettings({ threads: "1", blobCacheGb: "64" }, {}).diskBlobCacheBytes, 64 * GiB);
  for (const bad of ["abc", "0", "-1", "1e3", ""]) {
    assert.throws(
      () => workerSettings({ threads: "1", blobCacheGb: bad }, {}),
      (err: Error) => err instanceof InputError && err.message.startsWith(`--blob-cache-gb ${bad}:`),
      bad,
    );
  }
});
