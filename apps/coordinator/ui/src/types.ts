// Shapes of the API answers the pages read (apps/coordinator/src/http/schemas.ts and the dashboard
// routes). Only the fields the pages use are listed.
/** `interrupted`: a `pairgrid run` that stopped without marking its job (killed, crashed). */
export type JobStatus = "running" | "done" | "cancelled" | "failed" | "interrupted";

export interface JobView {
  job_id: string;
  name: string;
  status: JobStatus;
  n_combos: number;
  n_chunks: number;
  n_done: number;
  chunks_done: number;
  progress: number;
  rate: number;
  eta_s: number | null;
  created_at: string;
  finished_at: string | null;
  error: string | null;
  /** For an interrupted job, the `pairgrid run … --resume` command that finishes it. */
  resume_command: string | null;
}

export type ParamValue = number | null;

export interface GridInfo {
  job_id: string;
  /** The axes with more than one value. */
  params: { name: string; values: ParamValue[] }[];
  /** Single-valued parameters. */
  fixed: Record<string, unknown>;
  stats: string[];
  n_rows: number;
  /** "synthetic data (model market, seed 7)" when the job ran on `pairgrid data synth` output. */
  data_origin: string | null;
}

export type Agg = "max" | "median" | "mean" | "min" | "fixed";

export interface Heatmap {
  x: { name: string; values: ParamValue[] };
  y: { name: string; values: ParamValue[] };
  stat: string;
  agg: Agg;
  cells: (number | null)[][];
  counts: number[][];
  /** Largest value (smallest for max_dd); combo_id null when the cell is a median or a mean. */
  best: { combo_id: number | null; x: ParamValue; y: ParamValue; value: number } | null;
  /** The combination shown (fixed) or reaching the max / min; null otherwise. */
  combo_ids: (number | null)[][];
}

export type Row = Record<string, unknown>;

export interface RowsPage {
  total: number;
  rows: Row[];
}

export interface ComboDetail {
  combo_id: number;
  params: Record<string, ParamValue>;
  /** The row as the job stored it (null if absent). */
  stored: Row | null;
  /** The reference engine's statistics for this combination, run on demand. */
  stats: Row;
  trades: Row[];
  /** Drawdown is the (positive) fall from the running peak; long runs come downsampled. */
  equity: { ts: number[]; equity: number[]; drawdown: number[]; n_bars: number; downsampled: boolean };
  reasons: Record<string, number>;
  hybrid: HybridSection | null;
}

export interface TradeBrief {
  side: 1 | -1;
  entry_ts: number;
  exit_ts: number;
  reason: string;
  pnl_net: number;
}

export interface MovedExit {
  side: 1 | -1;
  entry_ts: number;
  slow: { exit_ts: number; reason: string; pnl_net: number };
  hybrid: { exit_ts: number; reason: string; pnl_net: number };
  pnl_diff: number;
}

/** Slow vs hybrid run of the same combination (`pairgrid hybrid --compare`). */
export interface HybridSection {
  engine: "hybrid_dollar" | "hybrid_zlive";
  stats: Record<string, number | null>;
  statistics: Record<string, { slow: number | null; hybrid: number | null; diff: number | null }>;
  trades_compared: {
    slow: number;
    hybrid: number;
    matched: number;
    moved: number;
    slow_only: number;
    hybrid_only: number;
  };
  pnl_difference: number;
  moved: MovedExit[];
  slow_only: TradeBrief[];
  hybrid_only: TradeBrief[];
  fast_rows: number;
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  truncated: boolean;
  elapsed_ms: number;
}

export type ParamValues = Record<string, ParamValue>;

export interface WalkForwardStepRow {
  train_from: number;
  train_to: number;
  test_fold: number;
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
  mode: "anchored" | "rolling";
  steps: WalkForwardStepRow[];
  stitched: { sharpe: number | null; pnl: number; n_days: number; n_trades: number };
  in_sample_best: {
    combo_id: number | null;
    params: ParamValues | null;
    sharpe: number | null;
    pnl: number | null;
    oos_period_sharpe: number | null;
    oos_period_pnl: number | null;
  };
}

/** GET /jobs/:id/robustness (libs/resultsdb robustness-report.ts). */
export interface RobustnessReport {
  job_id: string;
  by: string;
  n_combos: number;
  n_folds: number;
  params: string[];
  pbo: null | {
    groups: number;
    n_splits: number;
    n_splits_total: number;
    sampled: boolean;
    pbo: number | null;
    logits: number[];
    /** counts[k]: λ in (edges[k], edges[k+1]]; the left half (λ ≤ 0) is PBO. */
    logit_histogram: { edges: number[]; counts: number[] };
    degradation: {
      is: number[];
      oos: (number | null)[];
      slope: number | null;
      intercept: number | null;
      prob_oos_loss: number | null;
    };
  };
  walk_forward: null | { window: number; anchored: WalkForwardReport; rolling: WalkForwardReport };
  top: {
    rank: number;
    combo_id: number;
    params: ParamValues;
    sharpe: number | null;
    dsr: number | null;
    stability: number | null;
    n_neighbours: number;
    total_pnl: number | null;
    n_trades: number | null;
  }[];
}
