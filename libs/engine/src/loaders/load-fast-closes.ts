// Loading the fast bars of a hybrid run: both legs' fast files through the content-addressed
// columnar cache (loaders/load-leg.ts), each checked for coverage of the slow bars, then aligned
// (union, forward fill) into closes over the slow span only (fast-closes.ts).
import type { LoadReport } from "./leg-format.js";
import { loadLegColumns } from "./load-leg.js";
import { InputError } from "../errors.js";
import { legLoadOptions } from "./leg-load-options.js";
import type { SlowPair } from "./load-slow-pair.js";
import type { GridSpec } from "../grid-spec/grid-spec-schema.js";
import { alignFastCloses, type FastCloses } from "./fast-closes.js";
import { checkFastCoverage, type LegCoverage } from "./fast-coverage.js";

export interface FastLoad {
  fast: FastCloses;
  reports: { a: LoadReport; b: LoadReport };
  coverage: { a: LegCoverage; b: LegCoverage };
}

/** Fast bar length (ms) of a spec, refused unless set and dividing the slow bar length. */
export function fastBarMsOf(spec: GridSpec): number {
  const fs = spec.data.fast_seconds;
  if (fs === undefined)
    throw new InputError("data.fast_seconds: required by the hybrid engines", "data.fast_seconds");
  if ((spec.data.bar_minutes * 60) % fs !== 0) {
    throw new InputError("data.fast_seconds: must divide the slow bar length", "data.fast_seconds");
  }
  return fs * 1000;
}

const CLOSES = ["ts", "close"] as const;

export async function loadFastCloses(spec: GridSpec, slow: SlowPair): Promise<FastLoad> {
  const barMs = fastBarMsOf(spec);
  for (const leg of ["a", "b"] as const) {
    if (spec.data[leg].fast === undefined) {
      throw new InputError(`data.${leg}.fast: required by the hybrid engines`, `data.${leg}.fast`);
    }
  }
  const opts = legLoadOptions(spec, "fast");
  const ts = slow.pair.ts;
  const check = (leg: "a" | "b", fastTs: Float64Array) =>
    checkFastCoverage(leg, fastTs, ts, slow.barMs, slow.tradingDay);
  // checked one leg at a time, so a short file fails before the other (large) one is read
  // ts and close only: the closes are all the hybrid engines keep (a cache hit reads no more)
  const a = await loadLegColumns(spec.data.a.fast!, opts, CLOSES);
  const covA = check("a", a.bars.ts);
  const b = await loadLegColumns(spec.data.b.fast!, opts, CLOSES);
  const covB = check("b", b.bars.ts);
  const from = ts[0];
  const to = ts[ts.length - 1] + slow.barMs;
  const fast = alignFastCloses(a.bars, b.bars, barMs, from, to);
  return { fast, reports: { a: a.report, b: b.report }, coverage: { a: covA, b: covB } };
}
