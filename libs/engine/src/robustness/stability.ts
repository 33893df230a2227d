// Stability of each cell of the grid: how much its statistic drops in its grid neighbourhood, so a
// lone spike (one good cell among poor ones, the typical product of overfitting) shows as one.
//
//   stability = median(neighbours' statistic) − own statistic
//
// ≈ 0 on a plateau (the neighbours do about as well), strongly negative on a lone spike, in the
// statistic's own units ("its neighbours' Sharpe is 1.2 lower"). The median rather than the min:
// a cell at the edge of a good plateau has one poor neighbour, and the min would call it a spike;
// the median needs most neighbours to fall away. A difference rather than a ratio: ratios break
// down when the own statistic is near 0 or negative, which a Sharpe or PnL often is.
//
// A neighbour whose statistic is null counts as `nullAs` (default 0): a Sharpe is null only for a
// flat daily series, i.e. no trades, which earns 0. Skipping such neighbours instead would hide a
// spike surrounded by cells that never trade. A cell whose own statistic is null, or that has no
// neighbour in the rows, has a null stability.
import type { GridNeighbours } from "./grid-neighbours.js";

export interface StabilityScores {
  stability: Float64Array;
  neighbourMedian: Float64Array;
  nNeighbours: Int32Array;
}

/** Median of the first n values of `buf` (sorts them in place). */
function medianOf(buf: Float64Array, n: number): number {
  const part = buf.subarray(0, n).sort();
  const mid = n >>> 1;
  return n % 2 === 1 ? part[mid]! : (part[mid - 1]! + part[mid]!) / 2;
}

export function stabilityScores(nb: GridNeighbours, values: Float64Array, nullAs = 0): StabilityScores {
  const nRows = values.length;
  if (nb.start.length !== nRows + 1) {
    throw new RangeError(`neighbours are for ${nb.start.length - 1} rows, values for ${nRows}`);
  }
  const stability = new Float64Array(nRows);
  const neighbourMedian = new Float64Array(nRows);
  const nNeighbours = new Int32Array(nRows);
  const buf = new Float64Array(2 * nb.axes.length);
  for (let r = 0; r < nRows; r++) {
    const s0 = nb.start[r]!;
    const n = nb.start[r + 1]! - s0;
    nNeighbours[r] = n;
    for (let i = 0; i < n; i++) {
      const v = values[nb.list[s0 + i]!]!;
      buf[i] = Number.isNaN(v) ? nullAs : v;
    }
    const median = n > 0 ? medianOf(buf, n) : Number.NaN;
    neighbourMedian[r] = median;
    // NaN own value or no neighbour → NaN (null) stability
    stability[r] = median - values[r]!;
  }
  return { stability, neighbourMedian, nNeighbours };
}
