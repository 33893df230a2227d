// Finer bars → coarser bars on an epoch-aligned grid.
import { InputError } from "../errors.js";
import { allocBars, type Bars } from "./bars.js";

/**
 * OHLCV aggregation of `bars` (bar length `fromMs`) into bars of `toMs`: bucket
 * `floor(ts / toMs) * toMs`, open first, high max, low min, close last, volume sum. `toMs`
 * must be a whole multiple of `fromMs`, so no fine bar straddles two coarse ones. Two passes
 * (count, then fill) so the result is allocated once, exactly, in shared memory.
 */
export function resampleBars(bars: Bars, fromMs: number, toMs: number): Bars {
  if (!(fromMs > 0 && toMs >= fromMs && toMs % fromMs === 0)) {
    throw new InputError(`cannot resample ${fromMs} ms bars to ${toMs} ms: need a whole multiple`);
  }
  const { ts, open, high, low, close, volume } = bars;
  const n = ts.length;
  let count = 0;
  let prev = Number.NaN;
  for (let i = 0; i < n; i++) {
    const b = Math.floor(ts[i] / toMs) * toMs;
    if (b !== prev) {
      count++;
      prev = b;
    }
  }
  const out = allocBars(count);
  let k = -1;
  prev = Number.NaN;
  for (let i = 0; i < n; i++) {
    const b = Math.floor(ts[i] / toMs) * toMs;
    if (b !== prev) {
      k++;
      prev = b;
      out.ts[k] = b;
      out.open[k] = open[i];
      out.high[k] = high[i];
      out.low[k] = low[i];
      out.close[k] = close[i];
      out.volume[k] = volume[i];
    } else {
      if (high[i] > out.high[k]) out.high[k] = high[i];
      if (low[i] < out.low[k]) out.low[k] = low[i];
      out.close[k] = close[i];
      out.volume[k] += volume[i];
    }
  }
  return out;
}
