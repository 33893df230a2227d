// A hybrid grid's aligned fast closes (loaders/fast-closes.ts) as one compressed blob per trading
// day, so the cluster ships them content-addressed: two jobs over overlapping days share the
// days' blobs, a worker's disk cache keeps them across jobs, and a corrupt one costs a day's
// refetch, not the whole series. The cut is exact (rows are sliced, never recomputed): the
// concatenation of a job's day blobs is its FastCloses bit for bit, forward fill included.
import { promisify } from "node:util";
import { gunzip, gunzipSync, gzip, gzipSync } from "node:zlib";
import { allocFastCloses, type FastCloses, lowerBound } from "../loaders/fast-closes.js";
import { decodePacked, encodePacked } from "./packed-codec.js";
import { packArrays, unpackArrays } from "./shared-arrays.js";

/** Row range [lo, hi) of the fast closes belonging to one trading day. */
export interface FastDayCut {
  lo: number;
  hi: number;
}

/**
 * The fast rows of each trading day of the slow bars: day d's rows start at the first fast row at
 * or after its first slow bar, and run to the next day's start (the last day to the end). Fast
 * rows between sessions go with the day before them; no row is dropped or repeated.
 */
export function fastDayCuts(slowTs: Float64Array, tradingDay: Int32Array, fast: FastCloses): FastDayCut[] {
  const starts: number[] = [];
  for (let k = 0; k < slowTs.length; k++) {
    if (k === 0 || tradingDay[k] !== tradingDay[k - 1])
      starts.push(k === 0 ? 0 : lowerBound(fast.ts, slowTs[k]!));
  }
  if (starts.length === 0) return fast.n > 0 ? [{ lo: 0, hi: fast.n }] : [];
  return starts.map((lo, d) => ({ lo, hi: d + 1 < starts.length ? starts[d + 1]! : fast.n }));
}

/**
 * gzip level 1: fast (≈ 100 MB/s) and it already removes most of the timestamps' redundancy; the
 * closes are float64 with few repeated bytes, which higher levels barely shrink further.
 */
const GZIP_LEVEL = 1;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

function packedDay(fast: FastCloses, cut: FastDayCut): Buffer {
  const packed = packArrays({
    ts: fast.ts.subarray(cut.lo, cut.hi),
    closeA: fast.closeA.subarray(cut.lo, cut.hi),
    closeB: fast.closeB.subarray(cut.lo, cut.hi),
  });
  return encodePacked(packed);
}

/** Rows [lo, hi) of `fast` as a compressed packed blob (ts, closeA, closeB). */
export function encodeFastDay(fast: FastCloses, cut: FastDayCut): Buffer {
  return gzipSync(packedDay(fast, cut), { level: GZIP_LEVEL });
}

/**
 * encodeFastDay off the event loop (libuv's thread pool): a server compressing months of bars
 * keeps answering, and several days compress at once. Same bytes as encodeFastDay.
 */
export function encodeFastDayAsync(fast: FastCloses, cut: FastDayCut): Promise<Buffer> {
  return gzipAsync(packedDay(fast, cut), { level: GZIP_LEVEL });
}

export interface FastDay {
  n: number;
  ts: Float64Array;
  closeA: Float64Array;
  closeB: Float64Array;
}

/** Inverse of encodeFastDay; throws on a blob that is not one (bad gzip, missing columns). */
export function decodeFastDay(blob: Uint8Array): FastDay {
  return fastDayOf(gunzipSync(blob));
}

/** decodeFastDay with the gunzip off the event loop (a worker fetching days meanwhile). */
export async function decodeFastDayAsync(blob: Uint8Array): Promise<FastDay> {
  return fastDayOf(await gunzipAsync(blob));
}

function fastDayOf(raw: Uint8Array): FastDay {
  const packed = decodePacked(raw);
  const { ts, closeA, closeB } = unpackArrays(packed);
  if (!(ts instanceof Float64Array) || !(closeA instanceof Float64Array) || !(closeB instanceof Float64Array))
    throw new Error("fast day blob: expected f64 ts, closeA and closeB");
  return { n: packed.n, ts, closeA, closeB };
}

/**
 * The fast closes of consecutive days, end to end in one SharedArrayBuffer (what every chunk
 * thread of a worker then reads). Checks that time keeps increasing across the days.
 */
export function assembleFastCloses(days: readonly FastDay[], barMs: number): FastCloses {
  const n = days.reduce((s, d) => s + d.n, 0);
  const out = allocFastCloses(n, barMs);
  let at = 0;
  for (const d of days) {
    if (d.n > 0 && at > 0 && !(d.ts[0]! > out.ts[at - 1]!))
      throw new Error(`fast day blobs out of order at row ${at}`);
    out.ts.set(d.ts, at);
    out.closeA.set(d.closeA, at);
    out.closeB.set(d.closeB, at);
    at += d.n;
  }
  return out;
}
