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
