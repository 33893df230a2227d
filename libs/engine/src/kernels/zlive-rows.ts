// The fast rows z-live mode decides on (ENGINE.md §8, §10), laid out once per data set so that
// the z-live kernel is the slow kernel's loop over a longer series: the processed fast rows are
// those inside a slow bar k ≥ 1 (bar 0 has no completed bar before it; gap rows are never
// processed), each with its slow bar, its close time, the calendar at that close, and log prices.
// Per indicator group, `zLiveSeries` then fills z_live for every processed row from bar k−1.
import type { FastCloses } from "../loaders/fast-closes.js";
import type { SlowFastIndex } from "./slow-fast-index.js";

export interface ZLiveRows {
  n: number;
  /** Slow bar k holding the row (k ≥ 1); indicators, gates and beta come from k − 1. */
  slowOf: Int32Array;
  /** Fast row index in the aligned fast series (its time, closes; fill time = ts + L_fast). */
  fastRow: Int32Array;
  logA: Float64Array;
  logB: Float64Array;
  /** Calendar at the fast close (eod's next bar = next aligned fast row). */
  eod: Uint8Array;
  windowOk: Uint8Array;
}

const shared = {
  i32: (n: number) => new Int32Array(new SharedArrayBuffer(n * 4)),
  f64: (n: number) => new Float64Array(new SharedArrayBuffer(n * 8)),
  u8: (n: number) => new Uint8Array(new SharedArrayBuffer(n)),
};

export function zLiveRows(
  index: SlowFastIndex,
  fast: FastCloses,
  fastEod: Uint8Array,
  fastWindowOk: Uint8Array,
): ZLiveRows {
  const nSlow = index.fastLo.length;
  let n = 0;
  for (let k = 1; k < nSlow; k++) n += index.fastHi[k] - index.fastLo[k];
  const rows: ZLiveRows = {
    n,
    slowOf: shared.i32(n),
    fastRow: shared.i32(n),
    logA: shared.f64(n),
    logB: shared.f64(n),
    eod: shared.u8(n),
    windowOk: shared.u8(n),
  };
  let p = 0;
  for (let k = 1; k < nSlow; k++) {
    for (let j = index.fastLo[k]; j < index.fastHi[k]; j++, p++) {
      rows.slowOf[p] = k;
      rows.fastRow[p] = j;
      rows.logA[p] = Math.log(fast.closeA[j]);
      rows.logB[p] = Math.log(fast.closeB[j]);
      rows.eod[p] = fastEod[j];
      rows.windowOk[p] = fastWindowOk[j];
    }
  }
  return rows;
}

/**
 * z_live of every processed row: (ln a − beta_{k−1}·ln b − alpha_{k−1} − mu_{k−1}) / sigma_{k−1},
 * NaN where an input is NaN or sigma is not > 0 — the same expression, in the same order, as the
 * readable engine's, so both see the same doubles.
 */
export function zLiveSeries(
  rows: ZLiveRows,
  beta: Float64Array,
  alpha: Float64Array,
  mu: Float64Array,
  sigma: Float64Array,
  out = new Float64Array(rows.n),
): Float64Array {
  const { slowOf, logA, logB } = rows;
  for (let p = 0; p < rows.n; p++) {
    const prev = slowOf[p] - 1;
    const s = sigma[prev];
    out[p] = s > 0 ? (logA[p] - beta[prev] * logB[p] - alpha[prev] - mu[prev]) / s : Number.NaN;
  }
  return out;
}
