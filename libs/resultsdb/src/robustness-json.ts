// The robustness report's JSON (`pairgrid robustness --json`, GET /jobs/:id/robustness, the
// dashboard): its types, and the conversions from the engine's results (typed arrays, NaN) to
// plain JSON (null for a null statistic). Shared by the in-memory report (robustness-report.ts)
// and the streamed one (robustness-streamed.ts).
import type {
  FoldMatrix,
  FoldStatistic,
  PboResult,
  WalkForwardMode,
  WalkForwardResult,
} from "@pairgrid/engine";

export interface RobustnessQuery {
  /** Statistic to select and rank by: sharpe (default) or total_pnl (FOLD_STATISTICS). */
  by?: string;
  /** CSCV groups S (even, 2 … min(F, 32)); default the largest even number ≤ min(F, 16). */
  splits?: number;
  /** Walk-forward window (rolling training folds, first test fold); default ⌊F/4⌋, at least 1. */
  window?: number;
  /** Top rows to list (default 20). */
  limit?: number;
}

/** Varying parameters of a combination by name (null = feature off). */
export type ParamValues = Record<string, number | null>;

export interface PboReport {
  /** S: groups the folds are cut into. */
  groups: number;
  n_splits: number;
  n_splits_total: number;
  /** True when a seeded sample of the C(S, S/2) splits was evaluated. */
  sampled: boolean;
  /** Share of splits whose IS winner ranks at or below the OOS median; null with < 2 combinations. */
  pbo: number | null;
  logits: number[];
  /** λ histogram: counts[k] holds λ in (edges[k], edges[k+1]]; left half = PBO. */
  logit_histogram: { edges: number[]; counts: number[] };
  /** IS winner's statistic and its OOS statistic, one pair per split (for a scatter plot). */
  degradation: {
    is: number[];
    oos: (number | null)[];
    slope: number | null;
    intercept: number | null;
    prob_oos_loss: number | null;
  };
}

export interface WalkForwardStepRow {
  train_from: number;
  train_to: number;
  test_fold: number;
  /** Chosen combination; null when none had a defined statistic on the training folds. */
  combo_id: number | null;
  params: ParamValues | null;
  is_sharpe: number | null;
  is_pnl: number | null;
  oos_sharpe: number | null;
  oos_pnl: number | null;
  oos_n_trades: number;
  oos_n_days: number;
}

export interface WalkForwardReport {
  mode: WalkForwardMode;
  steps: WalkForwardStepRow[];
  /** The chosen combinations' test folds end to end. */
  stitched: { sharpe: number | null; pnl: number; n_days: number; n_trades: number };
  /** Best over all folds, and what it did over the same test folds. */
  in_sample_best: {
    combo_id: number | null;
    params: ParamValues | null;
    sharpe: number | null;
    pnl: number | null;
    oos_period_sharpe: number | null;
    oos_period_pnl: number | null;
    /** Its PnL in each step's test fold (steps order): the hindsight curve the stitched one is drawn against. */
    test_fold_pnl: number[];
  };
}

export interface RankedRow {
  rank: number;
  combo_id: number;
  params: ParamValues;
  sharpe: number | null;
  dsr: number | null;
  /** Median of the grid neighbours' statistic − own (≈ 0 plateau, ≪ 0 lone spike); engine stability.ts. */
  stability: number | null;
  n_neighbours: number;
  total_pnl: number | null;
  n_trades: number | null;
  /** Other rows of the job with identical statistics (same_as this row): "+N identical". */
  n_identical: number;
}

export interface RobustnessReport {
  job_id: string;
  by: FoldStatistic;
  /** Combinations with a result row. */
  n_combos: number;
  /** Distinct results, a group of twins (same_as) once: what PBO and walk-forward rank. */
  n_distinct: number;
  n_folds: number;
  /** Parameters that vary over the rows: the keys of every `params` object. */
  params: string[];
  /** null with fewer than 2 folds or 2 combinations. */
  pbo: PboReport | null;
  /** null with fewer than 2 folds. */
  walk_forward: { window: number; anchored: WalkForwardReport; rolling: WalkForwardReport } | null;
  top: RankedRow[];
}

const orNull = (v: number) => (Number.isFinite(v) ? v : null);
const list = (a: ArrayLike<number>) => Array.from(a, (v) => orNull(v));

export function pboReport(r: PboResult): PboReport {
  return {
    groups: r.groups,
    n_splits: r.nSplits,
    n_splits_total: r.nSplitsTotal,
    sampled: r.sampled,
    pbo: orNull(r.pbo),
    logits: Array.from(r.logits),
    logit_histogram: { edges: Array.from(r.histogram.edges), counts: Array.from(r.histogram.counts) },
    degradation: {
      is: Array.from(r.isBest),
      oos: list(r.oosOfBest),
      slope: orNull(r.degradation.slope),
      intercept: orNull(r.degradation.intercept),
      prob_oos_loss: orNull(r.degradation.probOosLoss),
    },
  };
}

/** The rows a walk-forward result's row numbers refer to: the job's (FoldStats) or a streamed selection's. */
export interface WalkForwardRows {
  comboIds: ArrayLike<number>;
  folds: FoldMatrix;
}

export function walkReport(
  r: WalkForwardResult,
  fs: WalkForwardRows,
  paramsOf: (row: number) => ParamValues,
): WalkForwardReport {
  const best = r.inSampleBest;
  return {
    mode: r.mode,
    steps: r.steps.map((s) => ({
      train_from: s.trainFrom,
      train_to: s.trainTo,
      test_fold: s.testFold,
      combo_id: s.row >= 0 ? fs.comboIds[s.row]! : null,
      params: s.row >= 0 ? paramsOf(s.row) : null,
      is_sharpe: orNull(s.isSharpe),
      is_pnl: orNull(s.isPnl),
      oos_sharpe: orNull(s.oosSharpe),
      oos_pnl: orNull(s.oosPnl),
      oos_n_trades: s.oosNTrades,
      oos_n_days: s.oosNDays,
    })),
    stitched: {
      sharpe: orNull(r.stitched.sharpe),
      pnl: r.stitched.pnl,
      n_days: r.stitched.nDays,
      n_trades: r.stitched.nTrades,
    },
    in_sample_best: {
      combo_id: best.row >= 0 ? fs.comboIds[best.row]! : null,
      params: best.row >= 0 ? paramsOf(best.row) : null,
      sharpe: orNull(best.sharpe),
      pnl: orNull(best.pnl),
      oos_period_sharpe: orNull(best.oosPeriodSharpe),
      oos_period_pnl: orNull(best.oosPeriodPnl),
      test_fold_pnl:
        best.row >= 0 ? r.steps.map((st) => fs.folds.pnl[best.row * fs.folds.nFolds + st.testFold]!) : [],
    },
  };
}
