// Fast bars as the hybrid engines read them: the union-aligned, forward-filled closes of both legs
// (ENGINE.md §1), restricted to the slow run's span. Only `ts` and the two closes are kept — the
// kernels use close prices only — in ONE SharedArrayBuffer, so months of 1-second bars cost 24
// bytes a row and every thread of a grid run reads the same memory.
import type { Bars } from "./bars.js";

export interface FastCloses {
  n: number;
  /** Fast bar start times, epoch ms UTC, strictly increasing. A fast bar closes at ts + barMs. */
  ts: Float64Array;
  closeA: Float64Array;
  closeB: Float64Array;
  barMs: number;
}

/** Three float64 columns of length n, end to end in one SharedArrayBuffer. */
export function allocFastCloses(n: number, barMs: number): FastCloses {
  const sab = new SharedArrayBuffer(3 * n * 8);
  return {
    n,
    ts: new Float64Array(sab, 0, n),
    closeA: new Float64Array(sab, n * 8, n),
    closeB: new Float64Array(sab, 2 * n * 8, n),
    barMs,
  };
}

/** First index of `ts` with a value ≥ `t` (`ts` increasing). */
export function lowerBound(ts: Float64Array, t: number, lo = 0, hi = ts.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The rows of `alignFast(a, b)` whose time lies in [from, to), closes only. Same rule as alignFast:
 * the union of both legs' times from the first time at which both have a bar, a leg without a bar
 * at a row carrying its last close forward (possibly from before `from`). Two passes (count, then
 * fill) so the result is allocated once at its exact size.
 */
export function alignFastCloses(
  a: Pick<Bars, "ts" | "close">,
  b: Pick<Bars, "ts" | "close">,
  barMs: number,
  from: number,
  to: number,
): FastCloses {
  const ta = a.ts;
  const tb = b.ts;
  const na = ta.length;
  const nb = tb.length;
  if (na === 0 || nb === 0) return allocFastCloses(0, barMs);
  const start = Math.max(ta[0], tb[0], from);
  // the last bar of each leg before `start` supplies the forward fill of the first rows
  let i = lowerBound(ta, start);
  let j = lowerBound(tb, start);
  const i0 = i;
  const j0 = j;

  let n = 0;
  for (let ii = i, jj = j; ; n++) {
    const t = Math.min(ii < na ? ta[ii] : Infinity, jj < nb ? tb[jj] : Infinity);
    if (!(t < to)) break;
    if (ii < na && ta[ii] === t) ii++;
    if (jj < nb && tb[jj] === t) jj++;
  }

  const out = allocFastCloses(n, barMs);
  let lastA = i0 > 0 ? a.close[i0 - 1] : Number.NaN;
  let lastB = j0 > 0 ? b.close[j0 - 1] : Number.NaN;
  for (let k = 0; k < n; k++) {
    const t = Math.min(i < na ? ta[i] : Infinity, j < nb ? tb[j] : Infinity);
    out.ts[k] = t;
    if (i < na && ta[i] === t) lastA = a.close[i++];
    if (j < nb && tb[j] === t) lastB = b.close[j++];
    out.closeA[k] = lastA;
    out.closeB[k] = lastB;
  }
  return out;
}
