// What the hybrid replay engine consumes: ONE stream of events in time order, as a live
// deployment receives them — every fast bar of the pair, and each slow bar's completion. A fast
// bar closes at ts + L_fast, a slow bar at ts + L_slow; the last fast bar of a slow bar closes at
// the same instant as the slow bar and comes first (its price is part of that bar). The engine
// only ever sees a `HybridFeed` (an async iterable), so files, a recorded session or a live
// subscription plug in the same way; today the events come from the batch pipeline's own slow
// pair and aligned fast closes (same parsing, join, forward fill).
//
// Each event also carries what the batch reads off the data around it — the feed look-ahead of
// next-bar-schedule.ts, extended to the fast series:
//  - a fast bar's `slowTs`: the start of the aligned slow bar holding it, or null in a gap of the
//    slow join (a slow bar one leg lacks; ENGINE.md §10: never scanned). Live, the bar forming at
//    the fast bar's time is known from the clock; whether the join will drop it is not.
//  - a fast bar's `nextTs`: the next aligned fast row's start (z-live's eod, §10), null at the end;
//  - a fast bar's `lastInSlowBars`: no later fast row of the replay lies inside a slow bar (z-live's
//    "last bar": a live run's scheduled end);
//  - a slow bar's `nextTs`: the next slow bar's start (eod, last bar), as `LookaheadFeed` gives it.
import type { PairBars } from "../loaders/index.js";
import type { FastCloses } from "../loaders/fast-closes.js";
import { lowerBound } from "../loaders/fast-closes.js";

export interface HybridSlowEvent {
  kind: "slow";
  /** Slow bar start (UTC ms); the event happens at its close, ts + L_slow. */
  ts: number;
  a: number;
  b: number;
  nextTs: number | null;
}

export interface HybridFastEvent {
  kind: "fast";
  /** Fast bar start (UTC ms); the event happens at its close, ts + L_fast. */
  ts: number;
  a: number;
  b: number;
  slowTs: number | null;
  nextTs: number | null;
  lastInSlowBars: boolean;
}

export type HybridEvent = HybridSlowEvent | HybridFastEvent;
export type HybridFeed = AsyncIterable<HybridEvent>;

/** The fast rows of `fast` inside [ts[from], ts[to − 1] + barMs): a window's fast series. */
export function fastRowRange(
  pair: PairBars,
  fast: FastCloses,
  barMs: number,
  from: number,
  to: number,
): { lo: number; hi: number } {
  const lo = lowerBound(fast.ts, pair.ts[from]!);
  const hi = lowerBound(fast.ts, pair.ts[to - 1]! + barMs, lo);
  return { lo, hi };
}

/**
 * Slow bars `warmFrom` … `to − 1` of the aligned pair and the fast rows of the decision window's
 * span (slow bars `from` … `to − 1`), merged in time order. Fast rows before the window are not
 * sent: they cannot trade, and the indicators only ever read slow bars.
 */
export async function* hybridEventFeed(
  pair: PairBars,
  barMs: number,
  fast: FastCloses,
  warmFrom: number,
  from: number,
  to: number,
): AsyncGenerator<HybridEvent> {
  const { lo, hi } = fastRowRange(pair, fast, barMs, from, to);
  // the last fast row of the range inside a slow bar (found backwards: the replay's scheduled end)
  let lastIn = -1;
  for (let j = hi - 1, k = to - 1; j >= lo && k >= from;) {
    const t = fast.ts[j]!;
    if (t >= pair.ts[k]! + barMs) j--;
    else if (t < pair.ts[k]!) k--;
    else {
      lastIn = j;
      break;
    }
  }
  let j = lo;
  for (let k = warmFrom; k < to; k++) {
    const start = pair.ts[k]!;
    const end = start + barMs;
    for (; j < hi && fast.ts[j]! < end; j++) {
      const t = fast.ts[j]!;
      yield {
        kind: "fast",
        ts: t,
        a: fast.closeA[j]!,
        b: fast.closeB[j]!,
        slowTs: t >= start ? start : null,
        nextTs: j + 1 < hi ? fast.ts[j + 1]! : null,
        lastInSlowBars: j === lastIn,
      };
    }
    yield {
      kind: "slow",
      ts: start,
      a: pair.a.close[k]!,
      b: pair.b.close[k]!,
      nextTs: k + 1 < to ? pair.ts[k + 1]! : null,
    };
  }
}
