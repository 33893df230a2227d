// The same combination through the slow engine and a hybrid engine, side by side (`pairgrid
// hybrid --compare`): every statistic with its difference, trades matched by entry fill time, the
// exits that moved (time, reason or PnL), and the trades only one run has. Pure data, JSON-ready.
import type { ExitReasonName } from "../rules/enums.js";
import type { ReferenceResult, Trade } from "./trade.js";

export interface StatisticPair {
  slow: number | null;
  hybrid: number | null;
  /** hybrid − slow; null when either is null. */
  diff: number | null;
}

export interface TradeBrief {
  side: 1 | -1;
  entry_ts: number;
  exit_ts: number;
  reason: ExitReasonName;
  pnl_net: number;
}

export interface MovedExit {
  side: 1 | -1;
  entry_ts: number;
  slow: { exit_ts: number; reason: ExitReasonName; pnl_net: number };
  hybrid: { exit_ts: number; reason: ExitReasonName; pnl_net: number };
  /** Hybrid minus slow net PnL of this trade. */
  pnl_diff: number;
}

export interface RunComparison {
  statistics: Record<string, StatisticPair>;
  trades: {
    slow: number;
    hybrid: number;
    /** Trades entering at the same fill time in both runs. */
    matched: number;
    /** Matched trades whose exit time, reason or gross PnL differ, in entry order. */
    moved: MovedExit[];
    slow_only: TradeBrief[];
    hybrid_only: TradeBrief[];
  };
  /** Hybrid total_pnl − slow total_pnl. */
  pnl_difference: number;
}

const brief = (t: Trade): TradeBrief => ({
  side: t.side,
  entry_ts: t.entry_ts,
  exit_ts: t.exit_ts,
  reason: t.reason,
  pnl_net: t.pnl_net,
});

export function compareRuns(slow: ReferenceResult, hybrid: ReferenceResult): RunComparison {
  const statistics: Record<string, StatisticPair> = {};
  for (const name of Object.keys(slow.stats)) {
    const s = slow.stats[name] ?? null;
    const h = hybrid.stats[name] ?? null;
    statistics[name] = { slow: s, hybrid: h, diff: s === null || h === null ? null : h - s };
  }

  // both lists are in entry order (one position at a time): a merge on entry_ts
  const moved: MovedExit[] = [];
  const slowOnly: TradeBrief[] = [];
  const hybridOnly: TradeBrief[] = [];
  let matched = 0;
  const a = slow.trades;
  const b = hybrid.trades;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const ta = i < a.length ? a[i].entry_ts : Infinity;
    const tb = j < b.length ? b[j].entry_ts : Infinity;
    if (ta < tb) slowOnly.push(brief(a[i++]));
    else if (tb < ta) hybridOnly.push(brief(b[j++]));
    else {
      const s = a[i++];
      const h = b[j++];
      matched++;
      if (s.exit_ts !== h.exit_ts || s.reason !== h.reason || s.pnl_gross !== h.pnl_gross) {
        moved.push({
          side: s.side,
          entry_ts: s.entry_ts,
          slow: { exit_ts: s.exit_ts, reason: s.reason, pnl_net: s.pnl_net },
          hybrid: { exit_ts: h.exit_ts, reason: h.reason, pnl_net: h.pnl_net },
          pnl_diff: h.pnl_net - s.pnl_net,
        });
      }
    }
  }
  const total = (r: ReferenceResult) => r.trades.reduce((sum, t) => sum + t.pnl_net, 0);
  return {
    statistics,
    trades: {
      slow: a.length,
      hybrid: b.length,
      matched,
      moved,
      slow_only: slowOnly,
      hybrid_only: hybridOnly,
    },
    pnl_difference: total(hybrid) - total(slow),
  };
}
