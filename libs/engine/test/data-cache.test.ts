// The columnar cache: hits are bit-identical, keyed by content and settings, and damaged
// entries are rebuilt. Every test uses its own temp cache folder.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { type Bars, defaultCacheDir, loadLeg } from "../src/loaders/index.js";
import { loadLegColumns } from "../src/loaders/load-leg.js";
import { recallHash, rememberHash } from "../src/loaders/stat-memo.js";
import { SIERRA_HEADER, sierraOpts, tempDir, writeData } from "./fixtures/data/helpers.js";

const dir = tempDir();

function sierraText(n: number, px0 = 4750): string {
  const rows = [SIERRA_HEADER];
  for (let i = 0; i < n; i++) {
    const t = 9 * 60 + 30 + i;
    const time = `${String(Math.floor(t / 60) % 24).padStart(2, "0")}:${String(t % 60).padStart(2, "0")}:00`;
    const px = px0 + ((i * 7) % 13) * 0.25;
    rows.push(`2024/1/2, ${time}, ${px}, ${px + 0.5}, ${px - 0.25}, ${px + 0.25}, ${i % 5}, 1, 1, 1`);
  }
  return `${rows.join("\n")}\n`;
}

function bytesOf(bars: Bars): Buffer[] {
  return Object.values(bars).map((c: Float64Array) => Buffer.from(c.buffer, c.byteOffset, c.byteLength));
}

function entries(cache: string): string[] {
  return readdirSync(join(cache, "bars")).map((f) => join(cache, "bars", f));
}

test("second load comes from the cache, bit-identical, in shared memory", async () => {
  const cache = tempDir();
  const f = writeData(dir, "a.csv", sierraText(400));
  const opts = sierraOpts({ cacheDir: cache, targetBarMs: 300_000, dropZeroVolume: true });
  const first = await loadLeg(f, opts);
  assert.equal(first.report.fromCache, false);
  const second = await loadLeg(f, opts);
  assert.equal(second.report.fromCache, true);
  assert.deepEqual(bytesOf(second.bars), bytesOf(first.bars));
  const { ms: _a, fromCache: _b, ...r1 } = first.report;
  const { ms: _c, fromCache: _d, ...r2 } = second.report;
  assert.deepEqual(r2, r1);
  assert.equal(r2.zeroVolumeDropped, 80);
  assert.match(r2.sha256 ?? "", /^[0-9a-f]{64}$/);
  for (const col of Object.values(second.bars)) assert.ok(col.buffer instanceof SharedArrayBuffer);
  // the same content under another name hits the same entry
  const copy = writeData(dir, "a-copy.csv", readFileSync(f));
  assert.equal((await loadLeg(copy, opts)).report.fromCache, true);
  assert.equal(entries(cache).length, 1);
});

test("changed content or changed settings miss the cache", async () => {
  const cache = tempDir();
  const f = writeData(dir, "b.csv", sierraText(50));
  const opts = sierraOpts({ cacheDir: cache });
  const a = await loadLeg(f, opts);
  assert.equal((await loadLeg(f, opts)).report.fromCache, true);
  writeFileSync(f, sierraText(50, 5000));
  const b = await loadLeg(f, opts);
  assert.equal(b.report.fromCache, false);
  assert.equal(b.bars.open[0], 5000);
  assert.notEqual(a.report.sha256, b.report.sha256);
  const c = await loadLeg(f, { ...opts, targetBarMs: 120_000 });
  assert.equal(c.report.fromCache, false);
  assert.equal(c.bars.ts.length, 25);
  assert.equal((await loadLeg(f, { ...opts, targetBarMs: 120_000 })).report.fromCache, true);
});

test("a truncated or corrupted entry is ignored and rebuilt", async () => {
  const cache = tempDir();
  const f = writeData(dir, "c.csv", sierraText(200));
  const opts = sierraOpts({ cacheDir: cache });
  const good = await loadLeg(f, opts);
  const [entry] = entries(cache);

  truncateSync(entry, statSync(entry).size - 8);
  const afterTruncate = await loadLeg(f, opts);
  assert.equal(afterTruncate.report.fromCache, false);
  assert.deepEqual(bytesOf(afterTruncate.bars), bytesOf(good.bars));
  assert.equal((await loadLeg(f, opts)).report.fromCache, true);

  const bytes = readFileSync(entry);
  bytes.writeDoubleLE(4751.125, bytes.length - 8 * 200 * 3); // low[0]: same size, other value
  writeFileSync(entry, bytes);
  const afterFlip = await loadLeg(f, opts);
  assert.equal(afterFlip.report.fromCache, false);
  assert.deepEqual(bytesOf(afterFlip.bars), bytesOf(good.bars));

  writeFileSync(entry, Buffer.from("PGBARS01 not really"));
  assert.equal((await loadLeg(f, opts)).report.fromCache, false);
  assert.equal((await loadLeg(f, opts)).report.fromCache, true);
});

test("a checked entry is stamped; an unstamped one is checked in full once, then stamped", async () => {
  const cache = tempDir();
  const f = writeData(dir, "stamp.csv", sierraText(120));
  const opts = sierraOpts({ cacheDir: cache });
  const good = await loadLeg(f, opts);
  const [entry] = entries(cache);
  // the stamp is an mtime no write of today gives (2000–2008): written entries carry it
  const stampMs = statSync(entry).mtimeMs;
  assert.ok(stampMs < Date.UTC(2010, 0, 1), `entry mtime ${new Date(stampMs).toISOString()}`);
  // an entry copied without its times (or touched) is checked byte by byte, hits, and is stamped again
  const now = new Date();
  utimesSync(entry, now, now);
  const hit = await loadLeg(f, opts);
  assert.equal(hit.report.fromCache, true);
  assert.deepEqual(bytesOf(hit.bars), bytesOf(good.bars));
  assert.equal(statSync(entry).mtimeMs, stampMs);
  // a damaged entry that lost its stamp (any write does) is refused and rebuilt, stamped
  const bytes = readFileSync(entry);
  bytes.writeDoubleLE(4751.125, bytes.length - 8 * 120 * 2); // close[0]: same size, other value
  writeFileSync(entry, bytes);
  const rebuilt = await loadLeg(f, opts);
  assert.equal(rebuilt.report.fromCache, false);
  assert.deepEqual(bytesOf(rebuilt.bars), bytesOf(good.bars));
  assert.equal(statSync(entry).mtimeMs, stampMs);
  assert.equal((await loadLeg(f, opts)).report.fromCache, true);
});

test("PAIRGRID_VERIFY_CACHE=1 catches a byte flipped on disk that kept the stamp, and rebuilds", async (t) => {
  const cache = tempDir();
  const f = writeData(dir, "verify.csv", sierraText(120));
  const opts = sierraOpts({ cacheDir: cache });
  const good = await loadLeg(f, opts);
  const [entry] = entries(cache);
  const st = statSync(entry);
  // damage below the file system's notice: same size, and the stamp (mtime) put back
  const bytes = readFileSync(entry);
  bytes.writeDoubleLE(4751.125, bytes.length - 8 * 120 * 2); // close[0]
  writeFileSync(entry, bytes);
  utimesSync(entry, st.atime, st.mtime);
  // the stamp is trusted by default (the documented trade: no CRC pass over gigabytes)...
  const trusted = await loadLeg(f, opts);
  assert.equal(trusted.report.fromCache, true);
  assert.equal(trusted.bars.close[0], 4751.125);
  // ...and checked when asked: the entry fails its CRC, is rebuilt from the files, and stamped
  process.env.PAIRGRID_VERIFY_CACHE = "1";
  t.after(() => delete process.env.PAIRGRID_VERIFY_CACHE);
  const verified = await loadLeg(f, opts);
  assert.equal(verified.report.fromCache, false);
  assert.deepEqual(bytesOf(verified.bars), bytesOf(good.bars));
  // a sound entry passes the check and hits
  const again = await loadLeg(f, opts);
  assert.equal(again.report.fromCache, true);
  assert.deepEqual(bytesOf(again.bars), bytesOf(good.bars));
});

test("a hit for some columns reads only those, stamped or not", async () => {
  const cache = tempDir();
  const f = writeData(dir, "closes.csv", sierraText(90));
  const opts = sierraOpts({ cacheDir: cache });
  const full = await loadLeg(f, opts);
  const n = full.bars.ts.length;
  const [entry] = entries(cache);
  const stampMs = statSync(entry).mtimeMs;
  for (const touch of [false, true]) {
    if (touch) utimesSync(entry, new Date(), new Date()); // unstamped: read whole, CRC checked
    const some = await loadLegColumns(f, opts, ["ts", "close"]);
    assert.equal(some.report.fromCache, true);
    assert.deepEqual(Object.keys(some.bars).sort(), ["close", "ts"]);
    assert.deepEqual(
      bytesOf(some.bars as Bars),
      bytesOf({ ts: full.bars.ts, close: full.bars.close } as Bars),
    );
    // the two columns are all the memory the hit holds
    assert.equal(some.bars.close.buffer.byteLength, 2 * 8 * n);
    assert.ok(some.bars.ts.buffer instanceof SharedArrayBuffer);
    assert.equal(statSync(entry).mtimeMs, stampMs);
  }
});

test("a load that keeps ts and close caches just those; a load of every column misses it and caches all", async () => {
  const cache = tempDir();
  const f = writeData(dir, "two-columns.csv", sierraText(150));
  const opts = sierraOpts({ cacheDir: cache });
  const some = await loadLegColumns(f, opts, ["ts", "close"]);
  assert.equal(some.report.fromCache, false);
  assert.deepEqual(Object.keys(some.bars).sort(), ["close", "ts"]);
  const n = some.bars.ts.length;
  // the parse assembled the two columns only: all the memory they hold, all the entry holds
  assert.equal(some.bars.close.buffer.byteLength, 2 * 8 * n);
  const [entry] = entries(cache);
  const head = readFileSync(entry);
  const header = JSON.parse(head.subarray(16, 16 + head.readUInt32LE(8)).toString("utf8"));
  assert.deepEqual(header.columns, ["ts", "close"]);
  assert.equal(statSync(entry).size % 8, 0);
  assert.ok(statSync(entry).size < 16 + head.readUInt32LE(8) + 8 + 2 * 8 * n);
  const again = await loadLegColumns(f, opts, ["ts", "close"]);
  assert.equal(again.report.fromCache, true);
  assert.deepEqual(bytesOf(again.bars as Bars), bytesOf(some.bars as Bars));

  // every column: a miss, parsed and cached whole; the same ts and close as the two-column load
  const full = await loadLeg(f, opts);
  assert.equal(full.report.fromCache, false);
  assert.deepEqual(bytesOf({ ts: full.bars.ts, close: full.bars.close } as Bars), bytesOf(some.bars as Bars));
  assert.equal(entries(cache).length, 1);
  assert.equal((await loadLeg(f, opts)).report.fromCache, true);
  const fromFull = await loadLegColumns(f, opts, ["ts", "close"]);
  assert.equal(fromFull.report.fromCache, true);
  assert.deepEqual(bytesOf(fromFull.bars as Bars), bytesOf(some.bars as Bars));
});

test("an entry of the previous format (every column, no list of them) is still read", async () => {
  const cache = tempDir();
  const f = writeData(dir, "format2.csv", sierraText(80));
  const opts = sierraOpts({ cacheDir: cache });
  const good = await loadLeg(f, opts);
  const [entry] = entries(cache);
  const bytes = readFileSync(entry);
  const jsonLen = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.subarray(16, 16 + jsonLen).toString("utf8"));
  // format 2's header: the same but for the format and the columns list
  const old = Buffer.from(JSON.stringify({ ...header, format: 2, columns: undefined }), "utf8");
  const prefix = Buffer.alloc(16);
  bytes.copy(prefix, 0, 0, 8);
  prefix.writeUInt32LE(old.length, 8);
  const pad = Buffer.alloc((8 - ((16 + old.length) % 8)) % 8);
  const data = bytes.subarray((16 + jsonLen + 7) & ~7);
  writeFileSync(entry, Buffer.concat([prefix, old, pad, data]));
  const hit = await loadLeg(f, opts);
  assert.equal(hit.report.fromCache, true);
  assert.deepEqual(bytesOf(hit.bars), bytesOf(good.bars));
});

test("lenient skips and their samples are kept with the cached bars", async () => {
  const cache = tempDir();
  const text = sierraText(20).replace("09:35:00, ", "09:3x:00, ");
  const f = writeData(dir, "d.csv", text);
  const opts = sierraOpts({ cacheDir: cache, lenient: true });
  const a = await loadLeg(f, opts);
  const b = await loadLeg(f, opts);
  assert.equal(b.report.fromCache, true);
  assert.equal(b.report.skipped, 1);
  assert.deepEqual(b.report.skippedSamples, a.report.skippedSamples);
  assert.equal(b.report.skippedSamples[0].line, 7);
});

test("stat memo: an unchanged file skips re-hashing, any stat change forces it", async () => {
  const cache = tempDir();
  const f = writeData(dir, "e.csv", sierraText(10));
  const old = new Date(Date.now() - 60_000);
  utimesSync(f, old, old);
  const st = statSync(f);
  await rememberHash(cache, f, st, "abc", Date.now());
  assert.equal(await recallHash(cache, f, statSync(f)), "abc");
  writeFileSync(f, sierraText(11));
  assert.equal(await recallHash(cache, f, statSync(f)), null);
  // a file modified moments before hashing is not memoized (coarse mtime could hide a rewrite)
  const fresh = writeData(dir, "fresh.csv", "x");
  await rememberHash(cache, fresh, statSync(fresh), "def", Date.now());
  assert.equal(await recallHash(cache, fresh, statSync(fresh)), null);
  // loadLeg memoizes the hash of a file last modified well before the load
  const g = writeData(dir, "g.csv", sierraText(10));
  utimesSync(g, old, old);
  const opts = sierraOpts({ cacheDir: cache });
  const first = await loadLeg(g, opts);
  const memo = JSON.parse(readFileSync(join(cache, "file-hashes.json"), "utf8"));
  assert.equal(memo[g].sha256, first.report.sha256);
});

test("defaultCacheDir: PAIRGRID_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache", () => {
  const saved = { p: process.env.PAIRGRID_CACHE_DIR, x: process.env.XDG_CACHE_HOME };
  try {
    process.env.PAIRGRID_CACHE_DIR = "/tmp/own";
    process.env.XDG_CACHE_HOME = "/tmp/xdg";
    assert.equal(defaultCacheDir(), "/tmp/own");
    delete process.env.PAIRGRID_CACHE_DIR;
    assert.equal(defaultCacheDir(), "/tmp/xdg/pairgrid");
    process.env.XDG_CACHE_HOME = "relative/ignored";
    assert.match(defaultCacheDir(), /\/\.cache\/pairgrid$/);
    delete process.env.XDG_CACHE_HOME;
    assert.match(defaultCacheDir(), /\/\.cache\/pairgrid$/);
  } finally {
    for (const [k, v] of [
      ["PAIRGRID_CACHE_DIR", saved.p],
      ["XDG_CACHE_HOME", saved.x],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
