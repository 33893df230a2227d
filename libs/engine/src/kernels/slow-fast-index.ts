// Which fast bars belong to which slow bar (ENGINE.md §8): while processing slow bar k the engine
// scans the fast bars with ts_k ≤ t_j < ts_k + L_slow, i.e. whose closes fall inside bar k. Built
// once per data set by one forward-only cursor over both series; a kernel then reads bar k's fast
// bars as the row range [fastLo[k], fastHi[k]) and never searches. Fast rows between two slow
// bars (gaps of the slow join, or before the first / after the last slow bar) belong to no range
// and are never scanned (§10).
//
// Each bar also keeps the extremes of both legs' fast closes: the unrealized PnL of a position is
// monotone in each leg's price, so from them a kernel bounds every u_j of a bar without looking at
// the bar's fast rows, and scans only the bars where a dollar level can actually be reached.
import type { FastCloses } from "../loaders/fast-closes.js";

export interface SlowFastIndex {
  /** First fast row inside slow bar k. */
  fastLo: Int32Array;
  /** One past the last fast row inside slow bar k (= fastLo[k] when the bar holds none). */
  fastHi: Int32Array;
  /** Extremes of the fast closes inside bar k (meaningless when it holds none). */
  maxA: Float64Array;
  minA: Float64Array;
  maxB: Float64Array;
  minB: Float64Array;
}

// shared memory: grid threads read the index of the main thread without a copy
const sharedI32 = (n: number) => new Int32Array(new SharedArrayBuffer(n * 4));
const sharedF64 = (n: number) => new Float64Array(new SharedArrayBuffer(n * 8));

export function slowFastIndex(slowTs: Float64Array, slowBarMs: number, fast: FastCloses): SlowFastIndex {
  const n = slowTs.length;
  const { ts, closeA, closeB } = fast;
  const nf = fast.n;
  const idx: SlowFastIndex = {
    fastLo: sharedI32(n),
    fastHi: sharedI32(n),
    maxA: sharedF64(n),
    minA: sharedF64(n),
    maxB: sharedF64(n),
    minB: sharedF64(n),
  };
  let j = 0;
  for (let k = 0; k < n; k++) {
    const start = slowTs[k];
    const end = start + slowBarMs;
    while (j < nf && ts[j] < start) j++;
    idx.fastLo[k] = j;
    let maxA = -Infinity;
    let minA = Infinity;
    let maxB = -Infinity;
    let minB = Infinity;
    for (; j < nf && ts[j] < end; j++) {
      const a = closeA[j];
      const b = closeB[j];
      if (a > maxA) maxA = a;
      if (a < minA) minA = a;
      if (b > maxB) maxB = b;
      if (b < minB) minB = b;
    }
    idx.fastHi[k] = j;
    idx.maxA[k] = maxA;
    idx.minA[k] = minA;
    idx.maxB[k] = maxB;
    idx.minB[k] = minB;
  }
  return idx;
}
