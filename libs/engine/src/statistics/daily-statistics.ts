// Statistics of a daily PnL series (ENGINE.md §7): Sharpe, Sortino, population skew and kurtosis.
// NaN stands for null.

export const SQRT_252 = Math.sqrt(252);

function mean(d: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += d[i]!;
  return s / n;
}

/** mean / std(ddof = 1) · √252; NaN with fewer than 2 days or zero deviation. */
export function sharpeOf(d: Float64Array, n = d.length): number {
  if (n < 2) return Number.NaN;
  const m = mean(d, n);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (d[i]! - m) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  return sd > 0 ? (m / sd) * SQRT_252 : Number.NaN;
}

/** mean / sqrt(mean(min(d, 0)²)) · √252; NaN with fewer than 2 days or no losing day. */
export function sortinoOf(d: Float64Array, n = d.length): number {
  if (n < 2) return Number.NaN;
  const m = mean(d, n);
  let down = 0;
  for (let i = 0; i < n; i++) {
    const v = d[i]!;
    if (v < 0) down += v * v;
  }
  const dd = Math.sqrt(down / n);
  return dd > 0 ? (m / dd) * SQRT_252 : Number.NaN;
}

/** Population skewness and kurtosis (not excess) into out[0], out[1]; NaN when variance is 0. */
export function skewKurtosisOf(d: Float64Array, out: Float64Array | number[], n = d.length): void {
  if (n < 1) {
    out[0] = Number.NaN;
    out[1] = Number.NaN;
    return;
  }
  const m = mean(d, n);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const e = d[i]! - m;
    const e2 = e * e;
    m2 += e2;
    m3 += e2 * e;
    m4 += e2 * e2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  if (!(m2 > 0)) {
    out[0] = Number.NaN;
    out[1] = Number.NaN;
    return;
  }
  out[0] = m3 / m2 ** 1.5;
  out[1] = m4 / (m2 * m2);
}

/** Fold f of F over D days holds days ⌊f·D/F⌋ … ⌊(f+1)·D/F⌋ − 1 (§7). */
export function foldStart(f: number, folds: number, nDays: number): number {
  return Math.floor((f * nDays) / folds);
}
