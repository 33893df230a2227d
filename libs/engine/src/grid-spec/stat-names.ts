// Names of the per-combination statistics (ENGINE.md §7, INTERFACE.md), in column order.
export const EXIT_REASON_COUNTS = [
  "n_tp_zscore",
  "n_sl_zscore",
  "n_tp_dollar",
  "n_sl_dollar",
  "n_max_hold",
  "n_flat_eod",
  "n_end_of_data",
] as const;

export const STAT_NAMES = [
  "n_trades",
  "n_long",
  "n_short",
  "n_wins",
  "win_rate",
  "total_pnl",
  "avg_pnl",
  "gross_profit",
  "gross_loss",
  "profit_factor",
  "max_dd",
  "sharpe",
  "sortino",
  "avg_bars_held",
  "exposure",
  "n_days",
  "skew",
  "kurtosis",
  ...EXIT_REASON_COUNTS,
] as const;

/** Statistics a ranking may sort by: the §7 row plus the Deflated Sharpe Ratio. */
export const RANKABLE = [...STAT_NAMES, "dsr"] as const;
