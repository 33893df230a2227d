// The mark-to-market equity curve of one run, small enough to chart: a year of 5-minute bars is
// ~70k points and 331k bars is too many for a browser to draw smoothly, so a long curve is cut
// into buckets and each keeps its lowest and highest equity and its deepest drawdown. The peaks,
// the troughs and the largest drawdown (max_dd_mtm) survive exactly; what goes is the wiggle in
// between, which a chart that wide could not show anyway.

/** Default upper bound on the points sent. */
export const MAX_EQUITY_POINTS = 5000;

export interface EquityCurve {
  /** Bar close times, epoch ms UTC (when the engine marks to market). */
  ts: number[];
  equity: number[];
  /** Fall from the running peak, positive dollars; the peak starts at 0, as for max_dd_mtm. */
  drawdown: number[];
  /** Bars in the run; ts.length is smaller when the curve was downsampled. */
  n_bars: number;
  downsampled: boolean;
}

/**
 * `barStartTs[i] + barMs` is bar i's close. At most `maxPoints` points: every bar when that
 * fits, else the first and last bars and, per bucket, up to three points (equity min and max,
 * drawdown max) in time order.
 */
export function equityCurve(
  barStartTs: Float64Array,
  barMs: number,
  equity: Float64Array,
  maxPoints = MAX_EQUITY_POINTS,
): EquityCurve {
  const n = equity.length;
  const drawdown = new Float64Array(n);
  let peak = 0;
  for (let i = 0; i < n; i++) {
    peak = Math.max(peak, equity[i]!);
    drawdown[i] = peak - equity[i]!;
  }
  const keep = n <= maxPoints ? null : keptIndices(equity, drawdown, Math.max(3, maxPoints));
  const at = keep ?? Array.from({ length: n }, (_, i) => i);
  return {
    ts: at.map((i) => barStartTs[i]! + barMs),
    equity: at.map((i) => equity[i]!),
    drawdown: at.map((i) => drawdown[i]!),
    n_bars: n,
    downsampled: keep !== null,
  };
}

function keptIndices(equity: Float64Array, drawdown: Float64Array, maxPoints: number): number[] {
  const n = equity.length;
  const buckets = Math.floor((maxPoints - 2) / 3);
  const inner = n - 2; // bars 1 … n − 2; the ends are always kept
  const out = [0];
  for (let b = 0; b < buckets; b++) {
    const lo = 1 + Math.floor((b * inner) / buckets);
    const hi = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (hi <= lo) continue;
    let iMin = lo;
    let iMax = lo;
    let iDd = lo;
    for (let i = lo + 1; i < hi; i++) {
      if (equity[i]! < equity[iMin]!) iMin = i;
      if (equity[i]! > equity[iMax]!) iMax = i;
      if (drawdown[i]! > drawdown[iDd]!) iDd = i;
    }
    // in time order, each index once
    for (const i of [...new Set([iMin, iMax, iDd])].sort((p, q) => p - q)) out.push(i);
  }
  out.push(n - 1);
  return out;
}
