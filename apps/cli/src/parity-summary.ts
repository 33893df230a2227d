// What `pairgrid parity` reports, as data: the JSON summary (`--json`) and the figures the golden
// fixtures pin (decision counts and trace digests). The text table is parity-report.ts.
import {
  dayNumberToIso,
  type HybridParityOutcome,
  type ParityOutcome,
  type SlowPair,
} from "@pairgrid/engine";

export interface ParitySummary {
  spec: string;
  hedge: string;
  /** Engine checked: slow, or a hybrid one (whose rows are fast bars and slow completions). */
  engine: string;
  /** Hybrid: trace rows of each kind compared, and fast rows in the window's span. */
  hybrid_rows?: { fast: number; slow: number; fast_in_window: number };
  window: { first_day: string; last_day: string; from: number; to: number; bars: number };
  warmup: { start: number; bars: number; bit_identical: boolean; reason: string };
  next_bar: string;
  thresholds: Record<string, number>;
  metrics: Record<string, number | string | null>;
  digests: { batch: string; replay: string };
  /** Batch decisions other than NONE, counted by name. */
  decisions: Record<string, number>;
  n_trades: number;
  total_pnl: number | null;
  pass: boolean;
  failures: string[];
  findings: { code: string; kind: string; message: string }[];
}

export function decisionCounts(outcome: ParityOutcome): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of outcome.batch.traces)
    if (t.decision !== "NONE") counts[t.decision] = (counts[t.decision] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function paritySummary(
  specName: string,
  hedge: string,
  sp: SlowPair,
  o: ParityOutcome,
): ParitySummary {
  const { from, to } = o.window;
  const day = (i: number) => dayNumberToIso(sp.calendar.tradingDay(sp.pair.ts[i]! + sp.barMs));
  const { digests, ...metrics } = o.comparison.metrics;
  const hybrid = "engine" in o ? (o as HybridParityOutcome) : null;
  return {
    spec: specName,
    hedge,
    engine: hybrid === null ? "slow" : hybrid.engine,
    ...(hybrid === null ? {} : { hybrid_rows: { ...hybrid.rows, fast_in_window: hybrid.fastRows } }),
    window: { first_day: day(from), last_day: day(to - 1), from, to, bars: to - from },
    warmup: {
      start: o.warmup.start,
      bars: from - o.warmup.start,
      bit_identical: o.warmup.bitIdentical,
      reason: o.warmup.reason,
    },
    next_bar: o.scheduleName,
    thresholds: { ...o.thresholds },
    metrics: { ...metrics },
    digests,
    decisions: decisionCounts(o),
    n_trades: o.batch.result.trades.length,
    total_pnl: o.batch.result.stats.total_pnl ?? null,
    pass: o.comparison.pass,
    failures: o.comparison.failures,
    findings: o.findings.map((f) => ({ ...f })),
  };
}
