// Putting two legs on one time axis (ENGINE.md §1): inner join for slow bars, forward-filled
// union for fast bars. The result lives in one SharedArrayBuffer; both legs share `ts`.
import { type Bars, type PairBars, sharedColumns } from "./bars.js";

function allocPair(n: number): PairBars {
  const [ts, ao, ah, al, ac, av, bo, bh, bl, bc, bv] = sharedColumns(11, n);
  return {
    ts,
    a: { ts, open: ao, high: ah, low: al, close: ac, volume: av },
    b: { ts, open: bo, high: bh, low: bl, close: bc, volume: bv },
  };
}

function copyBar(from: Bars, i: number, to: Bars, k: number): void {
  to.open[k] = from.open[i];
  to.high[k] = from.high[i];
  to.low[k] = from.low[i];
  to.close[k] = from.close[i];
  to.volume[k] = from.volume[i];
}

/** A bar that did not trade: every price at the last close, no volume. */
function fillBar(from: Bars, i: number, to: Bars, k: number): void {
  const c = from.close[i];
  to.open[k] = c;
  to.high[k] = c;
  to.low[k] = c;
  to.close[k] = c;
  to.volume[k] = 0;
}

/** Inner join on `ts`: only times where both legs have a bar. */
export function alignSlow(a: Bars, b: Bars): PairBars {
  const ta = a.ts;
  const tb = b.ts;
  let n = 0;
  for (let i = 0, j = 0; i < ta.length && j < tb.length;) {
    if (ta[i] < tb[j]) i++;
    else if (ta[i] > tb[j]) j++;
    else {
      n++;
      i++;
      j++;
    }
  }
  const out = allocPair(n);
  for (let i = 0, j = 0, k = 0; k < n;) {
    if (ta[i] < tb[j]) i++;
    else if (ta[i] > tb[j]) j++;
    else {
      out.ts[k] = ta[i];
      copyBar(a, i, out.a, k);
      copyBar(b, j, out.b, k);
      k++;
      i++;
      j++;
    }
  }
  return out;
}

/** First index of `ts` with a value ≥ `t` (`ts` increasing). */
function lowerBound(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Union of both legs' times from the first time at which both have a bar; at a time where a
 * leg has no bar it is forward-filled from its last bar (o = h = l = c = last close, volume 0).
 */
export function alignFast(a: Bars, b: Bars): PairBars {
  const ta = a.ts;
  const tb = b.ts;
  const na = ta.length;
  const nb = tb.length;
  if (na === 0 || nb === 0) return allocPair(0);
  const t0 = Math.max(ta[0], tb[0]);
  const i0 = lowerBound(ta, t0);
  const j0 = lowerBound(tb, t0);

  let n = 0;
  for (let i = i0, j = j0; i < na || j < nb; n++) {
    const t = Math.min(i < na ? ta[i] : Infinity, j < nb ? tb[j] : Infinity);
    if (i < na && ta[i] === t) i++;
    if (j < nb && tb[j] === t) j++;
  }

  const out = allocPair(n);
  // The last bar of each leg at or before the current time; at t0 one leg has a bar exactly
  // and the other has one at or before it, so both are set from the first row on.
  let la = i0 - 1;
  let lb = j0 - 1;
  for (let i = i0, j = j0, k = 0; k < n; k++) {
    const t = Math.min(i < na ? ta[i] : Infinity, j < nb ? tb[j] : Infinity);
    out.ts[k] = t;
    if (i < na && ta[i] === t) {
      la = i++;
      copyBar(a, la, out.a, k);
    } else fillBar(a, la, out.a, k);
    if (j < nb && tb[j] === t) {
      lb = j++;
      copyBar(b, lb, out.b, k);
    } else fillBar(b, lb, out.b, k);
  }
  return out;
}
