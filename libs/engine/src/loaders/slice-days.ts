// Keeping the bars of the trading days in [data.start, data.end] (both inclusive), for the slow
// and the fast pair alike.
import { isoToDayNumber, type SessionCalendar } from "../calendar/index.js";
import { InputError } from "../errors.js";
import type { Bars, PairBars } from "./bars.js";
import type { FastCloses } from "./fast-closes.js";

export function sliceToDays(
  pair: PairBars,
  barMs: number,
  calendar: SessionCalendar,
  start: string | undefined,
  end: string | undefined,
): PairBars {
  if (start === undefined && end === undefined) return pair;
  const [i0, i1] = dayRange(pair.ts, barMs, calendar, start, end);
  return {
    ts: pair.ts.subarray(i0, i1),
    a: sliceBars(pair.a, i0, i1),
    b: sliceBars(pair.b, i0, i1),
  };
}

/** The fast closes of the trading days in [data.start, data.end], as `sliceToDays`. */
export function sliceClosesToDays(
  closes: FastCloses,
  calendar: SessionCalendar,
  start: string | undefined,
  end: string | undefined,
): FastCloses {
  if (start === undefined && end === undefined) return closes;
  const [i0, i1] = dayRange(closes.ts, closes.barMs, calendar, start, end);
  return {
    n: i1 - i0,
    ts: closes.ts.subarray(i0, i1),
    closeA: closes.closeA.subarray(i0, i1),
    closeB: closes.closeB.subarray(i0, i1),
    barMs: closes.barMs,
  };
}

/** [i0, i1): the bars whose trading day (of their close) lies in [start, end]; none is an error. */
function dayRange(
  ts: Float64Array,
  barMs: number,
  calendar: SessionCalendar,
  start: string | undefined,
  end: string | undefined,
): [number, number] {
  const lo = start === undefined ? -Infinity : isoToDayNumber(start);
  const hi = end === undefined ? Infinity : isoToDayNumber(end);
  const n = ts.length;
  let i0 = 0;
  while (i0 < n && calendar.tradingDay(ts[i0]! + barMs) < lo) i0++;
  let i1 = n;
  while (i1 > i0 && calendar.tradingDay(ts[i1 - 1]! + barMs) > hi) i1--;
  if (i1 === i0) {
    throw new InputError(`data.start/end: no bars between ${start ?? "…"} and ${end ?? "…"}`, "data.start");
  }
  return [i0, i1];
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
