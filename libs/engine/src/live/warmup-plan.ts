// How many bars a replay must see before its first decision. "Enough for the windows to fill"
// (ols_window + zscore_window bars) makes z defined, but not equal to the batch's: the libs/stats
// accumulators keep compensated running sums that are rebuilt from their window on a schedule tied
// to the global bar index (every 4 windows, anchoring.ts), and only after such a rebuild does a
// replay started mid-series hold exactly the batch's state. This module finds the latest start
// from which every indicator is bit-identical to the batch by the first decision bar, so the
// parity gate can demand |Δz| = 0 there rather than hope for ~1e-15.
//
// The chain: OLS state equal from its first scheduled rebuild after its window filled; spreads
// equal from then on; each spread-based accumulator (z, Hurst per lag, half-life, ADF) equal from
// its first scheduled rebuild after its window holds only equal spreads; the return correlation
// depends on prices alone. Kalman has no window: its state is the whole history, so only a replay
// from bar 0 matches it exactly.
import { rebuildPeriod } from "@pairgrid/stats";
import type { IndicatorPlan } from "./incremental-indicators.js";

export interface WarmupPlan {
  /** First bar the replay is fed. */
  start: number;
  /** Whether the replay's indicators equal the batch's bit for bit from the first decision bar. */
  bitIdentical: boolean;
  /** One line for reports: why this start. */
  reason: string;
}

/** First global index ≥ x at which an accumulator of `window` rebuilds on schedule. */
function scheduledRebuild(x: number, window: number): number {
  const period = rebuildPeriod(window);
  return Math.ceil((x + 1) / period) * period - 1;
}

/**
 * First bar from which a replay whose first bar is `start` holds exactly the batch's indicator
 * state (0 when it starts at bar 0; +∞ for a Kalman hedge started later).
 */
export function convergenceBar(start: number, plan: IndicatorPlan): number {
  if (start === 0) return 0;
  if (plan.hedge === "kalman") return Number.POSITIVE_INFINITY;
  const spreadsEqual = scheduledRebuild(start + plan.olsWindow - 1, plan.olsWindow);
  // an accumulator over `span` bars of spread-derived values, each needing `lead` earlier spreads
  const afterSpreads = (window: number, lead: number) =>
    scheduledRebuild(spreadsEqual + lead + window - 1, window);
  let bar = afterSpreads(plan.zWindow, 0);
  if (plan.hurstWindow !== null) {
    for (const lag of plan.hurstLags) bar = Math.max(bar, afterSpreads(plan.hurstWindow, lag));
  }
  // half-life and ADF regress on pairs (s_{t−1}, s_t)
  if (plan.hlWindow !== null) bar = Math.max(bar, afterSpreads(plan.hlWindow, 1));
  if (plan.adfWindow !== null) bar = Math.max(bar, afterSpreads(plan.adfWindow, 1));
  if (plan.corrWindow !== null) {
    // returns need the previous price: the replay's first return is at start + 1
    bar = Math.max(bar, scheduledRebuild(start + plan.corrWindow, plan.corrWindow));
  }
  return bar;
}

/** The latest start whose indicators are bit-identical by `firstDecision` (bar 0 when none is). */
export function planWarmup(firstDecision: number, plan: IndicatorPlan): WarmupPlan {
  if (firstDecision === 0)
    return { start: 0, bitIdentical: true, reason: "the window starts at the first bar" };
  if (plan.hedge === "kalman") {
    return {
      start: 0,
      bitIdentical: true,
      reason: "Kalman state depends on the whole history: replay from bar 0",
    };
  }
  // convergenceBar is non-decreasing in start: binary search for the last start that converges in time
  let lo = 0;
  let hi = firstDecision;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (convergenceBar(mid, plan) <= firstDecision) lo = mid;
    else hi = mid - 1;
  }
  const reason =
    lo === 0
      ? "not enough history for a shorter warm-up: replay from bar 0"
      : "the shortest warm-up that is bit-identical by the first decision";
  return { start: lo, bitIdentical: true, reason };
}

/** A warm-up of `bars` bars chosen by the user: bit-identity only if the plan says so. */
export function fixedWarmup(firstDecision: number, bars: number, plan: IndicatorPlan): WarmupPlan {
  const start = Math.max(0, firstDecision - bars);
  const bitIdentical = convergenceBar(start, plan) <= firstDecision;
  const reason = `fixed warm-up of ${bars} bars${bitIdentical ? "" : ", shorter than the bit-identical plan"}`;
  return { start, bitIdentical, reason };
}
