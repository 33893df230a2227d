// The spread and z-score of one run, small enough to chart beside the equity curve (same bar
// close times, same budget): a long run is cut into buckets that each keep their lowest and
// highest z, while the bars around every entry and exit are kept exactly, so a trade marker sits
// on the z it was decided on and the crossing of a band before it is visible.
import { MAX_EQUITY_POINTS } from "./equity-downsample.js";

export interface SignalCurve {
  /** Bar close times, epoch ms UTC (the equity curve's x). */
  ts: number[];
  /** z-score of the spread; null before its window is full. */
  z: (number | null)[];
  /** The spread ln A − β ln B − α; null where the hedge is not yet defined. */
  spread: (number | null)[];
  n_bars: number;
  downsampled: boolean;
}

/** Bars kept on each side of an entry or exit bar. */
const AROUND = 2;

const finite = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * `barStartTs[i] + barMs` is bar i's close. `tradeBars` are the decision bars of entries and
 * exits (entry_i, exit_i). At most about `maxPoints` bucket points plus 2·AROUND+1 per trade bar.
 */
export function signalCurve(
  barStartTs: Float64Array,
  barMs: number,
  z: Float64Array,
  spread: Float64Array,
  tradeBars: readonly number[],
  maxPoints = MAX_EQUITY_POINTS,
): SignalCurve {
  const n = z.length;
  let at: number[];
  if (n <= maxPoints) at = Array.from({ length: n }, (_, i) => i);
  else {
    const keep = new Set<number>([0, n - 1]);
    for (const b of tradeBars) {
      for (let i = Math.max(0, b - AROUND); i <= Math.min(n - 1, b + AROUND); i++) keep.add(i);
    }
    const buckets = Math.max(1, Math.floor((maxPoints - 2) / 2));
    for (let k = 0; k < buckets; k++) {
      const lo = Math.floor((k * n) / buckets);
      const hi = Math.floor(((k + 1) * n) / buckets);
      let iMin = -1;
      let iMax = -1;
      for (let i = lo; i < hi; i++) {
        const v = z[i]!;
        if (!Number.isFinite(v)) continue;
        if (iMin < 0 || v < z[iMin]!) iMin = i;
        if (iMax < 0 || v > z[iMax]!) iMax = i;
      }
      if (iMin >= 0) keep.add(iMin).add(iMax);
    }
    at = [...keep].sort((a, b) => a - b);
  }
  return {
    ts: at.map((i) => barStartTs[i]! + barMs),
    z: at.map((i) => finite(z[i]!)),
    spread: at.map((i) => finite(spread[i]!)),
    n_bars: n,
    downsampled: at.length < n,
  };
}
