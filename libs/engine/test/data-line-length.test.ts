// Lines are capped at MAX_LINE_BYTES: a longer one is a DataFileError at its line, found without
// reading the rest of the file or holding the line, and the cache's content hash stops there too.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { hashFile } from "../src/loaders/file-hash.js";
import { loadLeg } from "../src/loaders/index.js";
import { MAX_LINE_BYTES, readLines } from "../src/loaders/line-reader.js";
import {
  rejectsAt,
  SIERRA_HEADER,
  sierraOpts,
  sierraRow,
  tempDir,
  writeData,
} from "./fixtures/data/helpers.js";

const dir = tempDir();
const row = (i: number) => sierraRow("2024/1/2", `09:${String(30 + i).padStart(2, "0")}:00`, 4750 + i);

/** Header, 3 good rows, a line of `long` bytes of 'x' (line 5), then `after` good rows. */
function withLongLine(name: string, long: number, after = 2): string {
  const rows = [SIERRA_HEADER, row(0), row(1), row(2), "x".repeat(long)];
  for (let i = 0; i < after; i++) rows.push(row(3 + i));
  return writeData(dir, name, `${rows.join("\n")}\n`);
}

test("readLines: a line of MAX_LINE_BYTES passes, one byte more fails at its line, whatever the chunk size", async () => {
  for (const chunkBytes of [61, 4096, MAX_LINE_BYTES + 3, 1 << 20]) {
    const ok = withLongLine("at-limit.txt", MAX_LINE_BYTES);
    const lengths: number[] = [];
    await readLines(ok, (_b, s, e) => lengths.push(e - s), { chunkBytes });
    assert.deepEqual(lengths.length, 7);
    assert.equal(lengths[4], MAX_LINE_BYTES);
    const bad = withLongLine("over-limit.txt", MAX_LINE_BYTES + 1);
    await rejectsAt(
      readLines(bad, () => undefined, { chunkBytes }),
      bad,
      5,
      /^line longer than 65536 bytes \(\d+ bytes( read without a newline)?\): not a bar file, or a damaged one$/,
    );
  }
});

test("readLines stops at the limit: the rest of a huge line is never read", async () => {
  // 64 MiB without a newline, read in 1 MiB chunks: the error comes after the first chunk
  const f = join(dir, "no-newline.txt");
  const fd = openSync(f, "w");
  const block = Buffer.alloc(1 << 20, 0x31);
  for (let i = 0; i < 64; i++) writeSync(fd, block);
  closeSync(fd);
  let chunks = 0;
  await rejectsAt(
    readLines(f, () => undefined, { chunkBytes: 1 << 20, onFirstChunk: () => chunks++ }),
    f,
    1,
    /^line longer than 65536 bytes \(1048576 bytes read without a newline\)/,
  );
  assert.equal(chunks, 1);
});

test("hashFile gives up at an over-long line and hashes files whose lines all fit", async () => {
  const ok = withLongLine("hash-ok.txt", MAX_LINE_BYTES);
  assert.equal(await hashFile(ok), createHash("sha256").update(readFileSync(ok)).digest("hex"));
  assert.equal(await hashFile(withLongLine("hash-long.txt", MAX_LINE_BYTES + 1)), null);
  // a last line without a newline counts too
  const tail = writeData(dir, "hash-tail.txt", `${SIERRA_HEADER}\n${"y".repeat(MAX_LINE_BYTES + 1)}`);
  assert.equal(await hashFile(tail), null);
  const fits = writeData(dir, "hash-tail-ok.txt", `${SIERRA_HEADER}\n${"y".repeat(MAX_LINE_BYTES)}`);
  assert.equal(typeof (await hashFile(fits)), "string");
});

test("hashFile: null exactly when some line is longer than the limit, for any chunk size", async () => {
  const near = fc.integer({ min: MAX_LINE_BYTES - 2, max: MAX_LINE_BYTES + 2 });
  const length = fc.oneof(
    fc.integer({ min: 0, max: 200 }),
    near,
    fc.integer({ min: 0, max: 3 * MAX_LINE_BYTES }),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.array(length, { minLength: 1, maxLength: 8 }),
      fc.boolean(),
      fc.integer({ min: 1000, max: 3 * MAX_LINE_BYTES }),
      async (lengths, finalNewline, chunkBytes) => {
        const text = lengths.map((n) => "z".repeat(n)).join("\n") + (finalNewline ? "\n" : "");
        const f = writeData(dir, "hash-prop.txt", text);
        const want =
          Math.max(...lengths) > MAX_LINE_BYTES ? null : createHash("sha256").update(text).digest("hex");
        assert.equal(await hashFile(f, chunkBytes), want);
      },
    ),
    { numRuns: 150 },
  );
});

test("loadLeg: an over-long line is file:line with or without the cache, and nothing is cached", async () => {
  const f = withLongLine("leg-long.csv", 3 * MAX_LINE_BYTES);
  const reason = /^line longer than 65536 bytes/;
  await rejectsAt(loadLeg(f, sierraOpts()), f, 5, reason);
  const cache = tempDir();
  await rejectsAt(loadLeg(f, sierraOpts({ cacheDir: cache })), f, 5, reason);
  // lenient mode cannot skip a line it cannot hold
  await rejectsAt(loadLeg(f, sierraOpts({ cacheDir: cache, lenient: true })), f, 5, reason);
  assert.ok(!existsSync(join(cache, "bars")), "no cache entry");
});
