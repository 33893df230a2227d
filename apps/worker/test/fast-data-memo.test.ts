// The worker's memory of the fast side it assembled last, against a real redis-server: a second
// job over the same day blobs gets the same arrays without reading a blob (even with every blob
// gone from Redis and disk); a job of the other hybrid engine over the same days reuses the closes
// and builds its own index and z-live rows (equal to a fresh load's); a manifest naming other days
// is not served from memory (fetched, and a tampered blob still fails it); no memo, no reuse.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  encodeFastDay,
  encodePacked,
  fastDayCuts,
  type GridSpec,
  loadFastCloses,
  loadSlowPair,
  packGridData,
  validateSpec,
  writeSynthFiles,
} from "@pairgrid/engine";
import { blobPartKey, type JobManifest, putBlob, sha256Hex } from "@pairgrid/cluster";
import { TestRedis } from "@pairgrid/cluster/testing";
import { UnrecoverableError } from "bullmq";
import { connectRedis, DiskBlobCache } from "../src/index.js";
import { loadFastData } from "../src/queue-worker/fast-data.js";
import { FastDataMemo } from "../src/queue-worker/fast-data-memo.js";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "pairgrid-fastmemo-"));
  dirs.push(d);
  return d;
};

function specOf(dir: string, engine: "hybrid_dollar" | "hybrid_zlive", seed: number): GridSpec {
  writeSynthFiles(join(dir, `data${seed}`), { days: 2, seed, bar_minutes: 5, fast_seconds: 1 });
  const leg = (symbol: string, multiplier: number, tick_size: number) => ({
    symbol,
    slow: `data${seed}/${symbol}.csv`,
    fast: `data${seed}/${symbol}_fast.csv`,
    multiplier,
    tick_size,
  });
  return validateSpec(
    {
      name: "memo",
      data: { a: leg("NQ", 20, 0.25), b: leg("YM", 5, 1), bar_minutes: 5, fast_seconds: 1, cache: false },
      session: { tz: "America/New_York", day_roll: "18:00", flat_time: "16:55" },
      costs: { commission: 2.25, slippage_ticks: 0.5 },
      engine,
      params: { ols_window: 120, zscore_window: 40, z_entry: 1.5, z_exit: 0 },
    },
    dir,
  );
}

/** The spec's fast days put in Redis, and the manifest naming them (as the coordinator ships). */
async function shipped(redis: ReturnType<typeof connectRedis>, spec: GridSpec) {
  const sp = await loadSlowPair(spec);
  const { fast } = await loadFastCloses(spec, sp);
  const gd = packGridData(sp);
  const days = [];
  for (const cut of fastDayCuts(sp.pair.ts, sp.tradingDay, fast)) {
    const buf = encodeFastDay(fast, cut);
    days.push({ sha: await putBlob(redis, buf), rows: cut.hi - cut.lo, bytes: buf.length });
  }
  const manifest: JobManifest = {
    jobId: "0000beef",
    spec: spec as unknown as Record<string, unknown>,
    base: sha256Hex(encodePacked(gd.base)),
    barMs: gd.barMs,
    nDays: gd.nDays,
    hedges: {},
    fast: { barMs: fast.barMs, rows: fast.n, days },
  };
  return { manifest, base: gd.base, fast };
}

test("a second job over the same days reads no blob; the other engine reuses the closes; other days are loaded", async () => {
  const dir = tempDir();
  const server = await TestRedis.start();
  const redis = connectRedis(server.url, "test");
  try {
    const dollar = specOf(dir, "hybrid_dollar", 3);
    const s = await shipped(redis, dollar);
    const memo = new FastDataMemo();
    const cache = new DiskBlobCache(redis, tempDir());
    const first = (await loadFastData("j1", dollar, s.manifest, s.base, cache, memo))!;
    assert.equal(first.fromMemory, false);
    assert.equal(first.fetchedDays, s.manifest.fast!.days.length);

    // every blob gone from Redis and from a fresh disk cache: only the memory can serve the job
    await redis.flushall();
    const empty = new DiskBlobCache(redis, tempDir());
    const again = (await loadFastData("j2", dollar, s.manifest, s.base, empty, memo))!;
    assert.equal(again.fromMemory, true);
    assert.equal(again.data, first.data);
    assert.deepEqual(empty.counts, { hits: 0, misses: 0, bytesFetched: 0 });

    // z-live over the same days: the same closes, its own index and rows, equal to a fresh load's
    const zlive = { ...dollar, engine: "hybrid_zlive" } as GridSpec;
    const z = (await loadFastData("j3", zlive, s.manifest, s.base, empty, memo))!;
    assert.equal(z.fromMemory, true);
    assert.equal(z.data.fast, first.data.fast);
    assert.equal(z.data.engine, "hybrid_zlive");
    assert.notEqual(z.data.rows, null);
    await redis.flushall();
    const fresh = (await loadFastData("j4", zlive, (await shipped(redis, zlive)).manifest, s.base, cache))!;
    assert.equal(fresh.fromMemory, false);
    assert.deepEqual(z.data.index, fresh.data.index);
    assert.deepEqual(z.data.rows, fresh.data.rows);
    // the dollar grid is still kept beside it
    assert.equal((await loadFastData("j5", dollar, s.manifest, s.base, empty, memo))!.data, first.data);

    // other days (another data set), one of them tampered in Redis: not served from memory, refused
    const other = specOf(dir, "hybrid_dollar", 4);
    const o = await shipped(redis, other);
    const bad = o.manifest.fast!.days[0]!.sha;
    const part = (await redis.getBuffer(blobPartKey(bad, 0)))!;
    part[part.length - 1]! ^= 0xff;
    await redis.set(blobPartKey(bad, 0), part);
    await assert.rejects(
      loadFastData("j6", other, o.manifest, o.base, new DiskBlobCache(redis, tempDir()), memo),
      (err: Error) => err instanceof UnrecoverableError && err.message.includes(bad),
    );
  } finally {
    redis.disconnect();
    await server.stop();
  }
});

test("without a memo every load reads the blobs", async () => {
  const dir = tempDir();
  const server = await TestRedis.start();
  const redis = connectRedis(server.url, "test");
  try {
    const spec = specOf(dir, "hybrid_dollar", 5);
    const s = await shipped(redis, spec);
    const cache = new DiskBlobCache(redis, tempDir());
    await loadFastData("j1", spec, s.manifest, s.base, cache);
    const again = (await loadFastData("j2", spec, s.manifest, s.base, cache))!;
    assert.equal(again.fromMemory, false);
    assert.equal(cache.counts.hits, s.manifest.fast!.days.length);
  } finally {
    redis.disconnect();
    await server.stop();
  }
});
