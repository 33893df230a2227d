// Cached bars, one binary file per entry:
//   "PGBARS01" | u32 LE JSON length | u32 0 | JSON header | zero pad to 8 | float64 columns
// The header carries the row count, which columns the entry holds (all six, or a subset such
// as ts and close when that is all the load that wrote it kept: a third of the bytes, which on
// years of 1-second bars is a GB less to write per leg), a CRC-32 of the column bytes and the
// load report's row statistics. A load that wants a column the entry lacks misses, parses and
// writes an entry with all it needs. Entries are written under a temporary name and renamed, so
// a crash never leaves a half-written entry under the real name; a damaged entry reads as a miss
// and is rebuilt.
// An entry whose CRC has been checked carries a stamp in its mtime (entry-stamp.ts): a reload
// of a stamped entry checks its size and header, not the CRC and time order of every row,
// which on gigabytes of columns cost more than reading them. The stamp trusts the file system:
// a byte flipped on disk without a write keeps it, so PAIRGRID_VERIFY_CACHE=1 (`pairgrid data
// check --verify-cache`) checks every entry's CRC again and rebuilds one that fails.
import { mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import * as zlib from "node:zlib";
import { BAR_COLUMNS, type BarColumn, type Bars, sharedColumns } from "./bars.js";
import { hasStamp, setStamp } from "./entry-stamp.js";
import type { Roll, SkipKind, SkippedRow } from "./leg-format.js";

const MAGIC = Buffer.from("PGBARS01", "latin1");
const PREFIX_BYTES = 16;
const MAX_HEADER_BYTES = 64 << 20;
/** Bytes per write of an entry's columns. */
const IO_BYTES = 8 << 20;
/** Bytes per read of an entry's columns, and reads at once (readInPieces). */
const READ_BYTES = 64 << 20;
const READS_IN_FLIGHT = 2;
/** Bytes read at first: the prefix and, nearly always, the whole JSON header. */
const HEAD_BYTES = 64 << 10;
export const CACHE_FORMAT = 3;
/** Format 2 entries (every column, no list of them) are still read. */
const FORMAT_ALL_COLUMNS = 2;

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
  /** The columns held, in BAR_COLUMNS order (format 3; format 2 holds all six). */
  columns?: BarColumn[];
  crc32: number | null;
  stats: CachedStats;
}

/** PAIRGRID_VERIFY_CACHE=1: ignore stamps, check every entry read against its CRC. */
export function verifyingCache(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.PAIRGRID_VERIFY_CACHE === "1";
}

// zlib.crc32 arrived in Node 20.15; without it entries are still checked for size and order.
const crc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

function entryPath(cacheDir: string, key: string): string {
  return join(cacheDir, "bars", `${key}.bars`);
}

function columnBytes(col: Float64Array): Uint8Array {
  return new Uint8Array(col.buffer, col.byteOffset, col.byteLength);
}

/** Writes the columns `bars` has (ts and any others) as the entry for `key`. */
export async function writeCacheEntry(
  cacheDir: string,
  key: string,
  bars: SomeBars<BarColumn>,
  stats: CachedStats,
): Promise<void> {
  const ts = bars.ts;
  if (ts === undefined) throw new Error("cache entry: bars without ts");
  const names = BAR_COLUMNS.filter((c) => bars[c] !== undefined);
  const cols = names.map((c) => bars[c]!);
  if (cols.some((c) => c.length !== ts.length)) throw new Error("cache entry: columns differ in length");
  // a reload of a stamped entry trusts its order: bars out of order are never cached
  if (!isIncreasing(ts)) throw new Error("cache entry: bar times are not increasing");
  let crc: number | null = null;
  if (crc32) {
    crc = 0;
    for (const col of cols) crc = crc32(columnBytes(col), crc);
  }
  const header: EntryHeader = {
    format: CACHE_FORMAT,
    key,
    n: ts.length,
    columns: names,
    crc32: crc,
    stats,
  };
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

/** Bars with only the columns a caller asked for (the hybrid engines read ts and close). */
export type SomeBars<C extends BarColumn> = Pick<Bars, C>;

/** The columns an entry's header says it holds; null if the list is not a valid one. */
function storedColumns(header: EntryHeader): readonly BarColumn[] | null {
  if (header.format === FORMAT_ALL_COLUMNS) return BAR_COLUMNS;
  const cols = header.columns;
  if (header.format !== CACHE_FORMAT || !Array.isArray(cols) || cols[0] !== "ts") return null;
  // a subset of BAR_COLUMNS in its order, each once
  let at = -1;
  for (const c of cols) {
    const k = BAR_COLUMNS.indexOf(c);
    if (k <= at) return null;
    at = k;
  }
  return cols;
}

/** The cached bars and stats for `key`, or null when absent or damaged in any way. */
export async function readCacheEntry(
  cacheDir: string,
  key: string,
): Promise<{ bars: Bars; stats: CachedStats } | null> {
  return readEntry(cacheDir, key, BAR_COLUMNS);
}

/**
 * `readCacheEntry` for some columns only: of a stamped entry just those columns are read (a
 * third of the bytes and of the memory for ts and close); an unstamped one is read whole, to
 * check its CRC, and the columns are then copied out so the rest can go.
 */
export async function readCacheColumns<C extends BarColumn>(
  cacheDir: string,
  key: string,
  columns: readonly C[],
): Promise<{ bars: SomeBars<C>; stats: CachedStats } | null> {
  return readEntry(cacheDir, key, columns);
}

async function readEntry<C extends BarColumn>(
  cacheDir: string,
  key: string,
  wanted: readonly C[],
): Promise<{ bars: SomeBars<C>; stats: CachedStats } | null> {
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
    const stored = storedColumns(header);
    if (stored === null || header.key !== key || !Number.isInteger(n) || n < 0) return null;
    // an entry written by a load that kept fewer columns: a miss for this one
    if (wanted.some((c) => !stored.includes(c))) return null;
    const dataOffset = alignUp(PREFIX_BYTES + jsonLen);
    if (size !== dataOffset + 8 * stored.length * n) return null;

    const checked =
      header.crc32 !== null && crc32 !== undefined && hasStamp(st, header.crc32) && !verifyingCache();
    if (checked && wanted.length < stored.length) {
      // only the wanted columns, each straight into its place (one region per column)
      const some = sharedColumns(wanted.length, n);
      for (let k = 0; k < wanted.length; k++) {
        const at = dataOffset + stored.indexOf(wanted[k]!) * 8 * n;
        const dest = new Uint8Array(some[k]!.buffer, some[k]!.byteOffset, 8 * n);
        if (!(await readInPieces(fh, dest, at))) return null;
      }
      return { bars: pickColumns(wanted, some), stats: header.stats };
    }

    // Straight from the file into the shared memory the bars will live in: no extra copy, and
    // no pass over the bytes in JavaScript unless the entry's CRC must be checked.
    const cols = sharedColumns(stored.length, n);
    const bytes = n === 0 ? new Uint8Array(0) : new Uint8Array(cols[0]!.buffer);
    if (!(await readInPieces(fh, bytes, dataOffset))) return null;
    const ts = cols[0]!;
    // A stamped entry holds the bytes written, which were in time order (writeCacheEntry checks).
    if (!checked) {
      if (!isIncreasing(ts)) return null;
      // not stamped (copied without its times, written by an older version, touched): check
      // every byte once, then stamp it so that later loads need not
      if (header.crc32 !== null && crc32 !== undefined) {
        if (crc32(bytes) !== header.crc32) return null;
        await setStamp(fh, header.crc32).catch(() => undefined); // a read-only cache stays unstamped
      }
    }
    if (wanted.length === BAR_COLUMNS.length) {
      // a literal, so that these bars have the same shape as parsed ones (monomorphic kernels)
      const [, open, high, low, close, volume] = cols;
      return { bars: { ts, open, high, low, close, volume } as SomeBars<C>, stats: header.stats };
    }
    if (wanted.length === stored.length) {
      return {
        bars: pickColumns(
          wanted,
          wanted.map((c) => cols[stored.indexOf(c)]!),
        ),
        stats: header.stats,
      };
    }
    // an unstamped entry read whole for its CRC: the wanted columns are copied out of it
    const some = sharedColumns(wanted.length, n);
    wanted.forEach((c, k) => some[k]!.set(cols[stored.indexOf(c)]!));
    return { bars: pickColumns(wanted, some), stats: header.stats };
  } catch {
    return null;
  } finally {
    await fh.close();
  }
}

/** `columns[k]` as the field `wanted[k]` of a bars object. */
function pickColumns<C extends BarColumn>(wanted: readonly C[], columns: Float64Array[]): SomeBars<C> {
  const bars = {} as Record<C, Float64Array>;
  wanted.forEach((c, k) => (bars[c] = columns[k]!));
  return bars;
}

/**
 * Fills `bytes` from the file at `pos` in a few large reads, READS_IN_FLIGHT at once (the thread
 * pool's threads share the copy and the first touch of the new memory); false if the file ends
 * before. Every read is awaited, even after a short one, so none is left running on a closed file.
 */
async function readInPieces(
  fh: Awaited<ReturnType<typeof open>>,
  bytes: Uint8Array,
  pos: number,
): Promise<boolean> {
  let issued = 0;
  let whole = true;
  const reader = async () => {
    while (whole && issued < bytes.length) {
      const off = issued;
      const len = Math.min(READ_BYTES, bytes.length - off);
      issued += len;
      if (!(await readFully(fh, bytes, off, len, pos + off))) whole = false;
    }
  };
  await Promise.all(Array.from({ length: READS_IN_FLIGHT }, reader));
  return whole;
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
