// Cached bars, one binary file per entry:
//   "PGBARS01" | u32 LE JSON length | u32 0 | JSON header | zero pad to 8 | six float64 columns
// The header carries the row count, a CRC-32 of the column bytes and the load report's row
// statistics. Entries are written under a temporary name and renamed, so a crash never leaves
// a half-written entry under the real name; a damaged entry reads as a miss and is rebuilt.
import { mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import * as zlib from "node:zlib";
import { BAR_COLUMNS, type Bars, sharedColumns } from "./bars.js";
import type { Roll, SkipKind, SkippedRow } from "./leg-format.js";

const MAGIC = Buffer.from("PGBARS01", "latin1");
const PREFIX_BYTES = 16;
const MAX_HEADER_BYTES = 64 << 20;
/** Bytes per read of an entry's columns, and reads at once (the thread pool has 4 threads). */
const IO_BYTES = 8 << 20;
const READS_IN_FLIGHT = 3;
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
    const size = (await fh.stat()).size;
    const prefix = Buffer.alloc(PREFIX_BYTES);
    if ((await fh.read(prefix, 0, PREFIX_BYTES, 0)).bytesRead !== PREFIX_BYTES) return null;
    if (!prefix.subarray(0, 8).equals(MAGIC)) return null;
    const jsonLen = prefix.readUInt32LE(8);
    if (jsonLen > MAX_HEADER_BYTES || PREFIX_BYTES + jsonLen > size) return null;
    const json = Buffer.alloc(jsonLen);
    if ((await fh.read(json, 0, jsonLen, PREFIX_BYTES)).bytesRead !== jsonLen) return null;
    const header = JSON.parse(json.toString("utf8")) as EntryHeader;
    const n = header.n;
    if (header.format !== CACHE_FORMAT || header.key !== key || !Number.isInteger(n) || n < 0) return null;
    const dataOffset = alignUp(PREFIX_BYTES + jsonLen);
    if (size !== dataOffset + 48 * n) return null;

    // Straight from the file into the shared memory the bars will live in: no extra copy.
    const cols = sharedColumns(6, n);
    const bytes = n === 0 ? new Uint8Array(0) : new Uint8Array(cols[0].buffer);
    // READS_IN_FLIGHT pieces are read at once by the thread pool while this thread checks the
    // CRC of the piece before them, in order: the copy and the check overlap instead of adding up.
    const check = header.crc32 !== null && crc32 !== undefined;
    let crc = 0;
    let issued = 0;
    const inFlight: { off: number; len: number; done: Promise<boolean> }[] = [];
    const issue = () => {
      const off = issued;
      const len = Math.min(IO_BYTES, bytes.length - off);
      issued += len;
      inFlight.push({ off, len, done: readFully(fh, bytes, off, len, dataOffset + off) });
    };
    while (issued < bytes.length && inFlight.length < READS_IN_FLIGHT) issue();
    let whole = true;
    while (inFlight.length > 0) {
      const piece = inFlight.shift()!;
      // every read is awaited, even after a short one, so none is left running on a closed file
      if (!(await piece.done)) whole = false;
      if (issued < bytes.length && whole) issue();
      if (whole && check) crc = crc32(bytes.subarray(piece.off, piece.off + piece.len), crc);
    }
    if (!whole) return null;
    if (check && crc !== header.crc32) return null;
    const [ts, openCol, high, low, close, volume] = cols;
    for (let i = 1; i < n; i++) if (!(ts[i] > ts[i - 1])) return null;
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

function alignUp(x: number): number {
  return (x + 7) & ~7;
}
