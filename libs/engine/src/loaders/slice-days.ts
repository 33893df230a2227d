// Keeping the bars of the trading days in [data.start, data.end] (both inclusive), for the slow
// and the fast pair alike.
import { isoToDayNumber, type SessionCalendar } from "../calendar/index.js";
import { InputError } from "../errors.js";
import type { Bars, PairBars } from "./bars.js";

export function sliceToDays(
  pair: PairBars,
  barMs: number,
  calendar: SessionCalendar,
  start: string | undefined,
  end: string | undefined,
): PairBars {
  if (start === undefined && end === undefined) return pair;
  const lo = start === undefined ? -Infinity : isoToDayNumber(start);
  const hi = end === undefined ? Infinity : isoToDayNumber(end);
  const n = pair.ts.length;
  let i0 = 0;
  while (i0 < n && calendar.tradingDay(pair.ts[i0]! + barMs) < lo) i0++;
  let i1 = n;
  while (i1 > i0 && calendar.tradingDay(pair.ts[i1 - 1]! + barMs) > hi) i1--;
  if (i1 === i0) {
    throw new InputError(`data.start/end: no bars between ${start ?? "…"} and ${end ?? "…"}`, "data.start");
  }
  return {
    ts: pair.ts.subarray(i0, i1),
    a: sliceBars(pair.a, i0, i1),
    b: sliceBars(pair.b, i0, i1),
  };
}

function sliceBars(bars: Bars, i0: number, i1: number): Bars {
  return {
    ts: bars.ts.subarray(i0, i1),
    open: bars.open.subarray(i0, i1),
    high: bars.high.subarray(i0, i1),
    low: bars.low.subarray(i0, i1),
    close: bars.close.subarray(i0, i1),
    volume: bars.volume.subarray(i0, i1),
  };
}
