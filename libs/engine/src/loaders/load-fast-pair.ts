// Fast bars of both legs (hybrid engines): load, union-align with forward fill (ENGINE.md §1),
// and keep the trading days in [data.start, data.end], as the slow pair does.
import { alignFast } from "./align.js";
import { type PairBars } from "./bars.js";
import { type LoadReport } from "./leg-format.js";
import { loadLeg } from "./load-leg.js";
import { SessionCalendar } from "../calendar/index.js";
import { InputError } from "../errors.js";
import type { GridSpec } from "../grid-spec/grid-spec-schema.js";
import { legLoadOptions } from "./leg-load-options.js";
import { sliceToDays } from "./slice-days.js";

export interface FastPair {
  pair: PairBars;
  barMs: number;
  reports: { a: LoadReport; b: LoadReport };
}

export async function loadFastPair(spec: GridSpec): Promise<FastPair> {
  const { a: legA, b: legB } = spec.data;
  if (!legA.fast || !legB.fast) {
    throw new InputError("data.a.fast/data.b.fast: fast files are not set in this spec", "data.a.fast");
  }
  const opts = legLoadOptions(spec, "fast");
  // one leg at a time: fast files are large, and parsing both at once doubles peak memory
  const a = await loadLeg(legA.fast, opts);
  const b = await loadLeg(legB.fast, opts);
  const barMs = opts.targetBarMs;
  const calendar = new SessionCalendar(spec.session);
  const pair = sliceToDays(alignFast(a.bars, b.bars), barMs, calendar, spec.data.start, spec.data.end);
  return { pair, barMs, reports: { a: a.report, b: b.report } };
}
