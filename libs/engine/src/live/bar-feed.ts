// What the replay engine consumes: the aligned pair, one bar at a time. The engine only ever sees
// a `BarFeed` (an async iterable), so a file replay, a recorded session or a live market-data
// subscription plug in the same way; today the bars come from the Sierra files through the
// pipeline's loader (same parsing, resampling and inner join as the batch path).
import type { PairBars } from "../loaders/index.js";

/** One slow bar of the pair: start time (UTC epoch ms) and both legs' closes. */
export interface ReplayBar {
  ts: number;
  a: number;
  b: number;
}

export type BarFeed = AsyncIterable<ReplayBar>;

/** Bars `from` … `to − 1` of an aligned pair as a feed, handed out one at a time. */
export async function* pairBarFeed(pair: PairBars, from = 0, to = pair.ts.length): AsyncGenerator<ReplayBar> {
  for (let i = from; i < to; i++) yield { ts: pair.ts[i]!, a: pair.a.close[i]!, b: pair.b.close[i]! };
}
