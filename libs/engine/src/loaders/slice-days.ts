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
  const [i0, i1] = dayRange(pair.ts, barMs, calendar, start, end);
  return {
    ts: pair.ts.subarray(i0, i1),
    a: sliceBars(pair.a, i0, i1),
    b: sliceBars(pair.b, i0, i1),
  };
}

/**
 * [from, to): the times of the bars of the trading days in [start, end], over both legs of a
 * fast pair, for alignFastCloses: its rows in this window are exactly the rows sliceToDays keeps
 * of the whole alignment (a row's time is one leg's bar time, and a bar's trading day rises with
 * its time), so only the days asked for are aligned. Each leg's bounds by binary search.
 */
export function dayWindow(
  legs: readonly Float64Array[],
  barMs: number,
  calendar: SessionCalendar,
  start: string | undefined,
  end: string | undefined,
): [number, number] {
  if (start === undefined && end === undefined) return [-Infinity, Infinity];
  const lo = start === undefined ? -Infinity : isoToDayNumber(start);
  const hi = end === undefined ? Infinity : isoToDayNumber(end);
  const dayOf = (ts: Float64Array, i: number) => calendar.tradingDay(ts[i]! + barMs);
  let from = Infinity;
  let to = -Infinity;
  for (const ts of legs) {
    const i0 = firstIndex(ts.length, (i) => dayOf(ts, i) >= lo);
    const i1 = firstIndex(ts.length, (i) => dayOf(ts, i) > hi);
    if (i0 >= i1) continue;
    from = Math.min(from, ts[i0]!);
    to = Math.max(to, ts[i1 - 1]! + 1); // exclusive: just past the last bar kept
  }
  if (!(from < to)) throw noBars(start, end);
  return [from, to];
}

/** The first i in [0, n) with `at(i)` true (false before it, true from it on), else n. */
function firstIndex(n: number, at: (i: number) => boolean): number {
  let a = 0;
  let b = n;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (at(mid)) b = mid;
    else a = mid + 1;
  }
  return a;
}

export const noBars = (start: string | undefined, end: string | undefined) =>
  new InputError(`data.start/end: no bars between ${start ?? "…"} and ${end ?? "…"}`, "data.start");

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
  if (i1 === i0) throw noBars(start, end);
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
