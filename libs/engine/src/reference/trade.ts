// One round trip as the reference engine reports it (INTERFACE.md "Trade lists").
import type { ExitReasonName } from "../rules/enums.js";

export interface Trade {
  /** 1 long the spread, −1 short. */
  side: 1 | -1;
  entry_i: number;
  exit_i: number;
  /** Fill times (bar close), epoch ms UTC. */
  entry_ts: number;
  exit_ts: number;
  entry_a: number;
  entry_b: number;
  exit_a: number;
  exit_b: number;
  beta_entry: number;
  n_a: number;
  n_b: number;
  pnl_gross: number;
  costs: number;
  pnl_net: number;
  reason: ExitReasonName;
  bars_held: number;
  mfe: number;
  mae: number;
  /** Trading day of the exit, YYYY-MM-DD. */
  exit_day: string;
}

export interface FoldStats {
  n_trades: number;
  pnl: number;
  pnl_sq: number;
  n_days: number;
}

export interface ReferenceResult {
  trades: Trade[];
  /** Mark-to-market equity at each slow bar's close: realized net + open gross unrealized. */
  equity: Float64Array;
  /** Daily series: net PnL of trades exiting each trading day present in the data. */
  daily: Float64Array;
  /** §7 statistics plus `max_dd_mtm` and `sharpe_mtm`; null where undefined. */
  stats: Record<string, number | null>;
  folds: FoldStats[];
}
