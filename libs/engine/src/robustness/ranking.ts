// Choosing and ranking rows by one statistic. Conventions shared by every robustness figure, and
// the same as `pairgrid top`: larger is better, a null (NaN) is never preferred to a number
// (NULLS LAST), and ties go to the lowest row index, which is the lowest combo_id.

/** Index of the largest value (NaN skipped, ties → lowest index); −1 when every value is NaN. */
export function bestRow(values: Float64Array): number {
  let best = -1;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // strict `>`: an equal value later on never displaces the earlier (lower) index
    if (v > bestValue || (best < 0 && v === bestValue)) {
      best = i;
      bestValue = v;
    }
  }
  return best;
}

/**
 * Rank of values[row] among all values, 1 = worst … N = best, ties sharing the mean of their ranks
 * (mid-rank); NaN ranks below every number. CSCV (pbo.ts) turns it into ω̄ = rank / (N + 1).
 */
export function midRank(values: Float64Array, row: number): number {
  const x = values[row]!;
  let below = 0;
  let equal = 0;
  if (Number.isNaN(x)) {
    for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i]!)) equal++;
  } else {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isNaN(v) || v < x) below++;
      else if (v === x) equal++;
    }
  }
  return below + (equal + 1) / 2;
}

/**
 * Up to `limit` row indices, best first: largest value first (smallest with `ascending`), NaN
 * after every number, ties by lower index. A bounded insertion keeps this O(n·log limit) for the
 * usual case without sorting millions of rows to show twenty.
 */
export function rankRows(values: Float64Array, limit: number, ascending = false): Int32Array {
  const k = Math.max(0, Math.min(limit, values.length));
  const top = new Int32Array(k);
  const topValue = new Float64Array(k);
  let count = 0;
  // `better(v, w)`: v strictly ahead of w (an equal value never is: it has the higher index)
  const better = ascending ? (v: number, w: number) => v < w : (v: number, w: number) => v > w;
  for (let i = 0; i < values.length && k > 0; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (count === k && !better(v, topValue[k - 1]!)) continue;
    // first position whose value v beats: binary search over the sorted prefix
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (better(v, topValue[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    const last = Math.min(count, k - 1);
    top.copyWithin(lo + 1, lo, last);
    topValue.copyWithin(lo + 1, lo, last);
    top[lo] = i;
    topValue[lo] = v;
    if (count < k) count++;
  }
  for (let i = 0; i < values.length && count < k; i++) if (Number.isNaN(values[i]!)) top[count++] = i;
  return top;
}
