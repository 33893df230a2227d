// The worker's disk cache of fast day blobs against a real redis-server: a blob is fetched once and
// then read from disk (a second cache over the same folder — a second job, a restarted worker —
// fetches nothing); a blob Redis returns corrupt is fetched once more, then refused naming it; a
// file damaged on disk is fetched again; the folder stays under its byte bound, least recently
// used first out; a caller's own tally counts its reads alone. And a hybrid job's load fails for good, naming the blob, on a tampered day.
import assert from "node:assert/strict";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { randomBytes } from "node:crypto";
import {
  encodeFastDay,
  encodePacked,
  fastDayCuts,
  loadFastCloses,
  loadSlowPair,
  packGridData,
  validateSpec,
  writeSynthFiles,
} from "@pairgrid/engine";
import { blobPartKey, type JobManifest, putBlob, sha256Hex } from "@pairgrid/cluster";
import { TestRedis } from "@pairgrid/cluster/testing";
import { UnrecoverableError } from "bullmq";
import { connectRedis, CorruptBlobError, DiskBlobCache } from "../src/index.js";
import { loadFastData } from "../src/queue-worker/fast-data.js";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "pairgrid-diskblobs-"));
  dirs.push(d);
  return d;
};

async function withRedis(fn: (redis: ReturnType<typeof connectRedis>) => Promise<void>): Promise<void> {
  const server = await TestRedis.start();
  const redis = connectRedis(server.url, "test");
  try {
    await fn(redis);
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

test("fetched once, then read from disk: a second cache over the folder fetches nothing", async () => {
  await withRedis(async (redis) => {
    const dir = tempDir();
    const blob = randomBytes(50_000);
    const sha = await putBlob(redis, blob);
    const first = new DiskBlobCache(redis, dir);
    assert.ok((await first.get(sha)).equals(blob));
    assert.deepEqual(first.counts, { hits: 0, misses: 1, bytesFetched: blob.length });
    assert.ok((await first.get(sha)).equals(blob));
    assert.deepEqual(first.counts, { hits: 1, misses: 1, bytesFetched: blob.length });
    let fetched = 0;
    const second = new DiskBlobCache(redis, dir, undefined, (n) => (fetched += n));
    assert.ok((await second.get(sha)).equals(blob));
    assert.deepEqual(second.counts, { hits: 1, misses: 0, bytesFetched: 0 });
    assert.equal(fetched, 0);
  });
});

test("a caller's tally counts its own reads only, while another caller shares the cache", async () => {
  await withRedis(async (redis) => {
    const cache = new DiskBlobCache(redis, tempDir());
    const a = randomBytes(30_000);
    const b = randomBytes(20_000);
    const [shaA, shaB] = [await putBlob(redis, a), await putBlob(redis, b)];
    const mine = { hits: 0, misses: 0, bytesFetched: 0 };
    const theirs = { hits: 0, misses: 0, bytesFetched: 0 };
    // interleaved as two jobs' loads are: each tally sees its own fetch and hit, not the other's
    await Promise.all([cache.get(shaA, mine), cache.get(shaB, theirs)]);
    await Promise.all([cache.get(shaA, mine), cache.get(shaB)]);
    assert.deepEqual(mine, { hits: 1, misses: 1, bytesFetched: a.length });
    assert.deepEqual(theirs, { hits: 0, misses: 1, bytesFetched: b.length });
    assert.deepEqual(cache.counts, { hits: 2, misses: 2, bytesFetched: a.length + b.length });
  });
});

test("a blob tampered in Redis is fetched once more, then refused naming it; nothing is kept on disk", async () => {
  await withRedis(async (redis) => {
    const dir = tempDir();
    const blob = randomBytes(10_000);
    const sha = await putBlob(redis, blob);
    const tampered = Buffer.from(blob);
    tampered[1234]! ^= 0x01;
    await redis.set(blobPartKey(sha, 0), tampered);
    const cache = new DiskBlobCache(redis, dir);
    await assert.rejects(
      cache.get(sha),
      (err: Error) =>
        err instanceof CorruptBlobError && err.message.includes(sha) && /twice/.test(err.message),
    );
    assert.equal(cache.counts.bytesFetched, 0, "a corrupt copy is not counted as fetched data");
    assert.equal(existsSync(join(dir, sha)), false);
  });
});

test("a file damaged on disk is dropped and fetched again", async () => {
  await withRedis(async (redis) => {
    const dir = tempDir();
    const blob = randomBytes(10_000);
    const sha = await putBlob(redis, blob);
    writeFileSync(join(dir, sha), Buffer.from("not the blob"));
    const cache = new DiskBlobCache(redis, dir);
    assert.ok((await cache.get(sha)).equals(blob));
    assert.deepEqual(cache.counts, { hits: 0, misses: 1, bytesFetched: blob.length });
    assert.ok(readFileSync(join(dir, sha)).equals(blob), "the file is repaired");
  });
});

test("the folder stays under its bound: least recently used files go first", async () => {
  await withRedis(async (redis) => {
    const dir = tempDir();
    const blobs = [0, 1, 2].map(() => randomBytes(40_000));
    const shas: string[] = [];
    for (const b of blobs) shas.push(await putBlob(redis, b));
    const cache = new DiskBlobCache(redis, dir, 100_000);
    await cache.get(shas[0]!);
    await cache.get(shas[1]!);
    // blob 0 used after blob 1 (mtimes set apart: a file system's clock may be coarse)
    utimesSync(join(dir, shas[1]!), new Date(1_000_000), new Date(1_000_000));
    await cache.get(shas[0]!);
    await cache.get(shas[2]!);
    const left = readdirSync(dir).sort();
    assert.deepEqual(left, [shas[0]!, shas[2]!].sort());
  });
});

test("a hybrid job's load fails for good on a tampered day blob, naming the blob and the job", async () => {
  const dir = tempDir();
  writeSynthFiles(join(dir, "data"), { days: 2, seed: 3, bar_minutes: 5, fast_seconds: 1 });
  const spec = validateSpec(
    {
      name: "tamper",
      data: {
        a: { symbol: "NQ", slow: "data/NQ.csv", fast: "data/NQ_fast.csv", multiplier: 20, tick_size: 0.25 },
        b: { symbol: "YM", slow: "data/YM.csv", fast: "data/YM_fast.csv", multiplier: 5, tick_size: 1 },
        bar_minutes: 5,
        fast_seconds: 1,
        cache: false,
      },
      session: { tz: "America/New_York", day_roll: "18:00", flat_time: "16:55" },
      costs: { commission: 2.25, slippage_ticks: 0.5 },
      engine: "hybrid_dollar",
      params: { ols_window: 120, zscore_window: 40, z_entry: 1.5, z_exit: 0 },
    },
    dir,
  );
  const sp = await loadSlowPair(spec);
  const { fast } = await loadFastCloses(spec, sp);
  const gd = packGridData(sp);
  await withRedis(async (redis) => {
    const days = [];
    for (const cut of fastDayCuts(sp.pair.ts, sp.tradingDay, fast)) {
      const buf = encodeFastDay(fast, cut);
      days.push({ sha: await putBlob(redis, buf), rows: cut.hi - cut.lo, bytes: buf.length });
    }
    const manifest: JobManifest = {
      jobId: "0000feed",
      spec: spec as unknown as Record<string, unknown>,
      base: sha256Hex(encodePacked(gd.base)),
      barMs: gd.barMs,
      nDays: gd.nDays,
      hedges: {},
      fast: { barMs: fast.barMs, rows: fast.n, days },
    };
    // intact: the worker's series is the loaded one
    const ok = await loadFastData("0000feed", spec, manifest, gd.base, new DiskBlobCache(redis, tempDir()));
    assert.equal(ok!.data.fast.n, fast.n);
    assert.deepEqual(ok!.data.fast.closeB, fast.closeB);
    // day 2 tampered in Redis: the load fails for good (BullMQ does not retry), naming the blob
    const bad = days[1]!.sha;
    const part = (await redis.getBuffer(blobPartKey(bad, 0)))!;
    part[part.length - 1]! ^= 0xff;
    await redis.set(blobPartKey(bad, 0), part);
    await assert.rejects(
      loadFastData("0000feed", spec, manifest, gd.base, new DiskBlobCache(redis, tempDir())),
      (err: Error) =>
        err instanceof UnrecoverableError && err.message.includes("0000feed") && err.message.includes(bad),
    );
  });
});
