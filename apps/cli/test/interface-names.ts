// Statistic names written out from INTERFACE.md rather than imported from the code, so a rename in
// the code fails the CLI tests that use them.

/** The §7 statistics of a results row. */
export const ROW_STATISTICS = [
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
  "n_tp_zscore",
  "n_sl_zscore",
  "n_tp_dollar",
  "n_sl_dollar",
  "n_max_hold",
  "n_flat_eod",
  "n_end_of_data",
] as const;

/** What `pairgrid backtest --json` prints: the row plus the reference engine's MTM figures. */
export const BACKTEST_STATISTICS = [...ROW_STATISTICS, "max_dd_mtm", "sharpe_mtm"] as const;
