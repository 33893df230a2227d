// Cached bars, one binary file per entry:
//   "PGBARS01" | u32 LE JSON length | u32 0 | JSON header | zero pad to 8 | six float64 columns
// The header carries the row count, a CRC-32 of the column bytes and the load report's row
// statistics. Entries are written under a temporary name and renamed, so a crash never leaves
// a half-written entry under the real name; a damaged entry reads as a miss and is rebuilt.
// An entry whose CRC has been checked carries a stamp in its mtime (entry-stamp.ts): a reload
// of a stamped entry checks its size and header, not the CRC and time order of every row,
// which on gigabytes of columns cost more than reading them.
import { mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import * as zlib from "node:zlib";
import { BAR_COLUMNS, type Bars, sharedColumns } from "./bars.js";
import { hasStamp, setStamp } from "./entry-stamp.js";
import type { Roll, SkipKind, SkippedRow } from "./leg-format.js";

const MAGIC = Buffer.from("PGBARS01", "latin1");
const PREFIX_BYTES = 16;
const MAX_HEADER_BYTES = 64 << 20;
/** Bytes per write of an entry's columns. */
const IO_BYTES = 8 << 20;
/**
 * Bytes per read of an entry's columns, and reads at once: a few large reads straight into the
 * columns (the thread pool's threads share the copy and the first touch of the new memory).
 */
const READ_BYTES = 64 << 20;
const READS_IN_FLIGHT = 2;
/** Bytes read at first: the prefix and, nearly always, the whole JSON header. */
const HEAD_BYTES = 64 << 10;
export const CACHE_FORMAT = 2;

/** The part of a LoadReport that describes the parse, kept with the bars. */
export interface CachedStats {
  rowsRead: number;
  skipped: number;
  skippedByKind: Partial<Record<SkipKind, number>>;
  skippedSamples: SkippedRow[];
  rolls: Roll[];
  zeroVolumeDropped: number;
  files: number;
  fileBarMs: number;
  headersRepeated: number;
  duplicatesMerged: number;
}

interface EntryHeader {
  format: number;
  key: string;
  n: number;
  crc32: number | null;
  stats: CachedStats;
}

// zlib.crc32 arrived in Node 20.15; without it entries are still checked for size and order.
const crc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

function entryPath(cacheDir: string, key: string): string {
  return join(cacheDir, "bars", `${key}.bars`);
}

function columnBytes(col: Float64Array): Uint8Array {
  return new Uint8Array(col.buffer, col.byteOffset, col.byteLength);
}

export async function writeCacheEntry(
  cacheDir: string,
  key: string,
  bars: Bars,
  stats: CachedStats,
): Promise<void> {
  const cols = BAR_COLUMNS.map((c) => bars[c]);
  // a reload of a stamped entry trusts its order: bars out of order are never cached
  if (!isIncreasing(bars.ts)) throw new Error("cache entry: bar times are not increasing");
  let crc: number | null = null;
  if (crc32) {
    crc = 0;
    for (const col of cols) crc = crc32(columnBytes(col), crc);
  }
  const header: EntryHeader = { format: CACHE_FORMAT, key, n: bars.ts.length, crc32: crc, stats };
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const dataOffset = alignUp(PREFIX_BYTES + json.length);
  const head = Buffer.alloc(dataOffset);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(json.length, 8);
  json.copy(head, PREFIX_BYTES);

  const path = entryPath(cacheDir, key);
  await mkdir(join(cacheDir, "bars"), { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fh = await open(tmp, "w");
  try {
    await writeAll(fh, head);
    for (const col of cols) await writeAll(fh, columnBytes(col));
    // the CRC was computed from the very bytes written: the entry counts as checked
    if (crc !== null) await setStamp(fh, crc);
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  await rename(tmp, path);
}

/** The cached bars and stats for `key`, or null when absent or damaged in any way. */
export async function readCacheEntry(
  cacheDir: string,
  key: string,
): Promise<{ bars: Bars; stats: CachedStats } | null> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(entryPath(cacheDir, key), "r");
  } catch {
    return null;
  }
  try {
    const st = await fh.stat();
    const size = st.size;
    const head = Buffer.allocUnsafe(Math.min(HEAD_BYTES, size));
    if (!(await readFully(fh, head, 0, head.length, 0))) return null;
    if (head.length < PREFIX_BYTES || !head.subarray(0, 8).equals(MAGIC)) return null;
    const jsonLen = head.readUInt32LE(8);
    if (jsonLen > MAX_HEADER_BYTES || PREFIX_BYTES + jsonLen > size) return null;
    let json = head.subarray(PREFIX_BYTES, PREFIX_BYTES + jsonLen);
    if (json.length < jsonLen) {
      json = Buffer.allocUnsafe(jsonLen);
      if (!(await readFully(fh, json, 0, jsonLen, PREFIX_BYTES))) return null;
    }
    const header = JSON.parse(json.toString("utf8")) as EntryHeader;
    const n = header.n;
    if (header.format !== CACHE_FORMAT || header.key !== key || !Number.isInteger(n) || n < 0) return null;
    const dataOffset = alignUp(PREFIX_BYTES + jsonLen);
    if (size !== dataOffset + 48 * n) return null;

    // Straight from the file into the shared memory the bars will live in: no extra copy, and
    // no pass over the bytes in JavaScript unless the entry's CRC must be checked.
    const cols = sharedColumns(6, n);
    const bytes = n === 0 ? new Uint8Array(0) : new Uint8Array(cols[0].buffer);
    let issued = 0;
    let whole = true;
    const reader = async () => {
      while (whole && issued < bytes.length) {
        const off = issued;
        const len = Math.min(READ_BYTES, bytes.length - off);
        issued += len;
        if (!(await readFully(fh, bytes, off, len, dataOffset + off))) whole = false;
      }
    };
    // every read is awaited, even after a short one, so none is left running on a closed file
    await Promise.all(Array.from({ length: READS_IN_FLIGHT }, reader));
    if (!whole) return null;
    const [ts, openCol, high, low, close, volume] = cols;
    // A stamped entry holds the bytes written, which were in time order (writeCacheEntry checks).
    if (header.crc32 === null || crc32 === undefined || !hasStamp(st, header.crc32)) {
      if (!isIncreasing(ts)) return null;
      // not stamped (copied without its times, written by an older version, touched): check
      // every byte once, then stamp it so that later loads need not
      if (header.crc32 !== null && crc32 !== undefined) {
        if (crc32(bytes) !== header.crc32) return null;
        await setStamp(fh, header.crc32).catch(() => undefined); // a read-only cache stays unstamped
      }
    }
    return { bars: { ts, open: openCol, high, low, close, volume }, stats: header.stats };
  } catch {
    return null;
  } finally {
    await fh.close();
  }
}

/** Reads exactly `len` bytes at `pos` into `bytes` at `off`; false if the file ends before. */
async function readFully(
  fh: Awaited<ReturnType<typeof open>>,
  bytes: Uint8Array,
  off: number,
  len: number,
  pos: number,
): Promise<boolean> {
  for (let done = 0; done < len;) {
    const { bytesRead } = await fh.read(bytes, off + done, len - done, pos + done);
    if (bytesRead === 0) return false;
    done += bytesRead;
  }
  return true;
}

async function writeAll(fh: Awaited<ReturnType<typeof open>>, bytes: Uint8Array): Promise<void> {
  for (let off = 0; off < bytes.length;) {
    const { bytesWritten } = await fh.write(bytes, off, Math.min(IO_BYTES, bytes.length - off));
    off += bytesWritten;
  }
}

function isIncreasing(ts: Float64Array): boolean {
  for (let i = 1; i < ts.length; i++) if (!(ts[i]! > ts[i - 1]!)) return false;
  return true;
}

function alignUp(x: number): number {
  return (x + 7) & ~7;
}
