// Slow bars of both legs: load, inner-join (ENGINE.md §1), keep the trading days in
// [data.start, data.end], and compute the session calendar on what is kept.

import { SessionCalendar } from "../calendar/index.js";
import { alignSlow } from "./align.js";
import { type PairBars } from "./bars.js";
import { type LoadReport } from "./leg-format.js";
import { loadLeg } from "./load-leg.js";
import { InputError } from "../errors.js";
import type { GridSpec } from "../grid-spec/grid-spec-schema.js";
import { legLoadOptions } from "./leg-load-options.js";
import { sliceToDays } from "./slice-days.js";

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
