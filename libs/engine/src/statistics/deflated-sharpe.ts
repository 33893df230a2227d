// Deflated Sharpe Ratio (Bailey & López de Prado, 2014; ENGINE.md §7 and §10 "Statistics"):
// the probability that a row's true Sharpe beats the best Sharpe expected from N unskilled
// trials, given the row's track length, skewness and kurtosis. It needs every row of a job, so it
// is computed once they are all in, never inside a chunk.
import { normalCdf, normalQuantile } from "@pairgrid/stats";

/** Euler–Mascheroni constant, to the digits §7 pins. */
export const EULER_GAMMA = 0.5772156649;
const SQRT_252 = Math.sqrt(252);

export interface DsrInputRow {
  /** Annualized daily Sharpe (§7); null when undefined. */
  sharpe: number | null;
  n_days: number;
  skew: number | null;
  kurtosis: number | null;
}

/**
 * sr0 = √V·((1−γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))): the expected maximum per-day Sharpe of N
 * trials whose Sharpes have variance V. Φ⁻¹(1 − q) is taken as −Φ⁻¹(q), which is the same number
 * without the rounding of 1 − q (it matters once N reaches the millions).
 */
export function expectedMaxSharpe(nTrials: number, variance: number): number {
  if (variance === 0) return 0;
  const q1 = -normalQuantile(1 / nTrials);
  const q2 = -normalQuantile(1 / (nTrials * Math.E));
  return Math.sqrt(variance) * ((1 - EULER_GAMMA) * q1 + EULER_GAMMA * q2);
}

/** DSR of one row from its per-day Sharpe `sr`; NaN when the root's argument is ≤ 0 or undefined. */
export function deflatedSharpeOfRow(
  sr: number,
  nDays: number,
  skew: number,
  kurtosis: number,
  sr0: number,
): number {
  const root = 1 - skew * sr + ((kurtosis - 1) / 4) * sr * sr;
  // `!(root > 0)` also catches NaN (skew or kurtosis null while the Sharpe is not)
  if (Number.isNaN(sr) || !(root > 0)) return Number.NaN;
  return normalCdf(((sr - sr0) * Math.sqrt(nDays - 1)) / Math.sqrt(root));
}

/**
 * Column form for large jobs (the DuckDB ingest): NaN is null in and out. N is the number of rows
 * (every valid combination of the job has one); `out` receives one DSR per row.
 */
export function deflatedSharpeColumns(
  sharpe: Float64Array,
  nDays: Float64Array | Int32Array,
  skew: Float64Array,
  kurtosis: Float64Array,
  out: Float64Array,
): Float64Array {
  const n = sharpe.length;
  const sr0 = dsrBenchmark(sharpe, n);
  if (Number.isNaN(sr0)) {
    out.fill(Number.NaN, 0, n);
    return out;
  }
  for (let i = 0; i < n; i++) {
    out[i] = deflatedSharpeOfRow(sharpe[i]! / SQRT_252, nDays[i]!, skew[i]!, kurtosis[i]!, sr0);
  }
  return out;
}

/**
 * sr0 of a job (expectedMaxSharpe over N = `nRows` trials) from its annualized Sharpes in
 * combo_id order (NaN = null, skipped; the order fixes the rounding of the sums); NaN with fewer
 * than 2 rows or 2 Sharpes, when no row has a DSR. The one figure of DSR that needs every row: a
 * job too large to hold whole computes it from this column alone, then each row's DSR on its own.
 */
export function dsrBenchmark(sharpe: Float64Array, nRows: number): number {
  // variance (ddof 1) of the per-day Sharpe over rows that have one, two-pass for accuracy
  let count = 0;
  let sum = 0;
  for (let i = 0; i < sharpe.length; i++) {
    const s = sharpe[i]!;
    if (!Number.isNaN(s)) {
      count++;
      sum += s / SQRT_252;
    }
  }
  if (nRows < 2 || count < 2) return Number.NaN;
  const mean = sum / count;
  let ss = 0;
  for (let i = 0; i < sharpe.length; i++) {
    const s = sharpe[i]!;
    if (!Number.isNaN(s)) ss += (s / SQRT_252 - mean) ** 2;
  }
  return expectedMaxSharpe(nRows, ss / (count - 1));
}

/** DSR of every row of a job, null where undefined (§10). */
export function deflatedSharpe(rows: readonly DsrInputRow[]): (number | null)[] {
  const n = rows.length;
  const col = (pick: (r: DsrInputRow) => number | null) =>
    Float64Array.from(rows, (r) => pick(r) ?? Number.NaN);
  const out = deflatedSharpeColumns(
    col((r) => r.sharpe),
    col((r) => r.n_days),
    col((r) => r.skew),
    col((r) => r.kurtosis),
    new Float64Array(n),
  );
  return Array.from(out, (v) => (Number.isNaN(v) ? null : v));
}
