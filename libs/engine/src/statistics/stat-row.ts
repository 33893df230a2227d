// Layout of one combination's statistics row (ENGINE.md §7) as a Float64Array, in STAT_NAMES
// order. Null statistics are NaN in the row and `null` in JSON/DuckDB.
import { STAT_NAMES } from "../grid-spec/stat-names.js";

export const N_STATS = STAT_NAMES.length;
export const STAT_INDEX: Readonly<Record<(typeof STAT_NAMES)[number], number>> = Object.fromEntries(
  STAT_NAMES.map((n, i) => [n, i]),
) as Record<(typeof STAT_NAMES)[number], number>;

export const S_N_TRADES = STAT_INDEX.n_trades;
export const S_N_LONG = STAT_INDEX.n_long;
export const S_N_SHORT = STAT_INDEX.n_short;
export const S_N_WINS = STAT_INDEX.n_wins;
export const S_WIN_RATE = STAT_INDEX.win_rate;
export const S_TOTAL_PNL = STAT_INDEX.total_pnl;
export const S_AVG_PNL = STAT_INDEX.avg_pnl;
export const S_GROSS_PROFIT = STAT_INDEX.gross_profit;
export const S_GROSS_LOSS = STAT_INDEX.gross_loss;
export const S_PROFIT_FACTOR = STAT_INDEX.profit_factor;
export const S_MAX_DD = STAT_INDEX.max_dd;
export const S_SHARPE = STAT_INDEX.sharpe;
export const S_SORTINO = STAT_INDEX.sortino;
export const S_AVG_BARS_HELD = STAT_INDEX.avg_bars_held;
export const S_EXPOSURE = STAT_INDEX.exposure;
export const S_N_DAYS = STAT_INDEX.n_days;
export const S_SKEW = STAT_INDEX.skew;
export const S_KURTOSIS = STAT_INDEX.kurtosis;
/** Row offset of each exit reason's count, indexed by reason (enums.ts order). */
export const S_REASON: readonly number[] = [
  STAT_INDEX.n_sl_dollar,
  STAT_INDEX.n_tp_dollar,
  STAT_INDEX.n_sl_zscore,
  STAT_INDEX.n_tp_zscore,
  STAT_INDEX.n_max_hold,
  STAT_INDEX.n_flat_eod,
  STAT_INDEX.n_end_of_data,
];

/** Per-fold statistics (§7): 4 numbers per fold. */
export const FOLD_N_TRADES = 0;
export const FOLD_PNL = 1;
export const FOLD_PNL_SQ = 2;
export const FOLD_N_DAYS = 3;
export const FOLD_WIDTH = 4;

/** Row as an object with nulls, for JSON. */
export function statRowToObject(row: Float64Array, offset = 0): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  STAT_NAMES.forEach((name, k) => {
    const v = row[offset + k]!;
    out[name] = Number.isNaN(v) ? null : v;
  });
  return out;
}
