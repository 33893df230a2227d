// Slow bars of both legs: load, inner-join (ENGINE.md §1), keep the trading days in
// [data.start, data.end], and compute the session calendar on what is kept.

import { isoToDayNumber, SessionCalendar } from "../calendar/index.js";
import { alignSlow } from "./align.js";
import { type Bars, type PairBars } from "./bars.js";
import { type LoadReport } from "./leg-format.js";
import { loadLeg } from "./load-leg.js";
import { InputError } from "../errors.js";
import type { GridSpec } from "../grid-spec/grid-spec-schema.js";
import { legLoadOptions } from "./leg-load-options.js";

export interface SlowPair {
  pair: PairBars;
  barMs: number;
  calendar: SessionCalendar;
  tradingDay: Int32Array;
  eod: Uint8Array;
  windowOk: Uint8Array;
  reports: { a: LoadReport; b: LoadReport };
}

export async function loadSlowPair(spec: GridSpec): Promise<SlowPair> {
  const opts = legLoadOptions(spec, "slow");
  const [a, b] = await Promise.all([loadLeg(spec.data.a.slow, opts), loadLeg(spec.data.b.slow, opts)]);
  const calendar = new SessionCalendar(spec.session);
  const barMs = opts.targetBarMs;
  let pair = alignSlow(a.bars, b.bars);
  if (pair.ts.length === 0) {
    throw new InputError(
      `data: the legs ${spec.data.a.symbol} and ${spec.data.b.symbol} share no bar timestamps`,
      "data",
    );
  }
  pair = sliceToDays(pair, barMs, calendar, spec.data.start, spec.data.end);
  const cal = calendar.build(pair.ts, barMs);
  return { pair, barMs, calendar, ...cal, reports: { a: a.report, b: b.report } };
}

function sliceToDays(
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
