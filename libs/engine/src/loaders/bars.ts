// Column types for bar series. Every column lives in a SharedArrayBuffer so the thread pool can
// hand the same memory to workers without copying (a plain ArrayBuffer would be cloned per worker).

/** One leg: strictly increasing `ts` (bar START, epoch ms UTC); all columns have the same length. */
export interface Bars {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Two legs on one time axis: `a.ts` and `b.ts` are the very array `ts`. */
export interface PairBars {
  ts: Float64Array;
  a: Bars;
  b: Bars;
}

export const BAR_COLUMNS = ["ts", "open", "high", "low", "close", "volume"] as const;
export type BarColumn = (typeof BAR_COLUMNS)[number];

/** `count` float64 columns of length `n`, laid end to end in one SharedArrayBuffer. */
export function sharedColumns(count: number, n: number): Float64Array[] {
  const sab = new SharedArrayBuffer(count * n * 8);
  const out: Float64Array[] = [];
  for (let i = 0; i < count; i++) out.push(new Float64Array(sab, i * n * 8, n));
  return out;
}

/** Empty-valued bars of length `n` in one SharedArrayBuffer. */
export function allocBars(n: number): Bars {
  const [ts, open, high, low, close, volume] = sharedColumns(6, n);
  return { ts, open, high, low, close, volume };
}

/** A float64 column of length `n` in its own SharedArrayBuffer. */
export function sharedF64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(n * 8));
}

/** ES2024's resizable ArrayBuffer (Node 20 has it; the project's TypeScript lib is ES2022). */
interface ResizableArrayBuffer extends ArrayBuffer {
  readonly resizable: boolean;
  resize(byteLength: number): void;
}
const ResizableArrayBufferCtor = ArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => ResizableArrayBuffer;

function resizableOf(col: ArrayBufferView): ResizableArrayBuffer | null {
  const b = col.buffer;
  if (!(b instanceof ArrayBuffer)) return null; // shared memory: never resizable here
  const r = b as ResizableArrayBuffer;
  return r.resizable === true ? r : null;
}

/**
 * A float64 column of length `n` whose memory can be handed back at once (releaseColumn) or cut
 * to fewer rows in place (shrinkColumn), instead of when the garbage collector gets to it: for
 * the per-file pieces of a load, up to gigabytes that are dead as soon as the leg is assembled.
 * Not shared memory: such columns never leave the loader.
 */
export function releasableF64(n: number): Float64Array {
  return new Float64Array(releasableBytes(n * 8));
}

/** `releasableF64` for line numbers. */
export function releasableI32(n: number): Int32Array {
  return new Int32Array(releasableBytes(n * 4));
}

/** V8's largest resizable buffer (4 GiB); a larger column (one file of 500 M+ rows) is plain. */
const MAX_RESIZABLE_BYTES = 2 ** 32;

function releasableBytes(bytes: number): ArrayBuffer {
  return bytes <= MAX_RESIZABLE_BYTES
    ? new ResizableArrayBufferCtor(bytes, { maxByteLength: bytes })
    : new ArrayBuffer(bytes);
}

/**
 * The first `n` rows of a column made by releasableF64, its memory cut to them in place (the
 * tail is returned to the system, nothing is copied). Any other column: a view of its first `n`.
 */
export function shrinkColumn(col: Float64Array, n: number): Float64Array {
  const b = resizableOf(col);
  if (b === null || col.byteOffset !== 0) return col.subarray(0, n);
  b.resize(n * 8);
  return new Float64Array(b, 0, n);
}

/**
 * Returns a releasable column's memory to the system now; every view of it then has length 0.
 * Columns in any other memory are left to the garbage collector.
 */
export function releaseColumn(col: ArrayBufferView): void {
  resizableOf(col)?.resize(0);
}
