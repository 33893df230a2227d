// Integer states and exit reasons (ENGINE.md §5), shared by every engine so trade lists compare.

export const FLAT = 0;
export const LONG = 1;
export const SHORT = 2;
export const CD_LONG = 3;
export const CD_SHORT = 4;
export const STATE_NAMES = ["FLAT", "LONG", "SHORT", "CD_LONG", "CD_SHORT"] as const;

/** Exit reasons, in priority order (§5 step 1). Values index EXIT_REASON_NAMES. */
export const SL_DOLLAR = 0;
export const TP_DOLLAR = 1;
export const SL_ZSCORE = 2;
export const TP_ZSCORE = 3;
export const MAX_HOLD = 4;
export const FLAT_EOD = 5;
export const END_OF_DATA = 6;
export const EXIT_REASON_NAMES = [
  "SL_DOLLAR",
  "TP_DOLLAR",
  "SL_ZSCORE",
  "TP_ZSCORE",
  "MAX_HOLD",
  "FLAT_EOD",
  "END_OF_DATA",
] as const;
export type ExitReasonName = (typeof EXIT_REASON_NAMES)[number];

/** The §7 count column of each reason (`n_sl_dollar` …), indexed by reason. */
export const REASON_COUNT_COLUMN = [
  "n_sl_dollar",
  "n_tp_dollar",
  "n_sl_zscore",
  "n_tp_zscore",
  "n_max_hold",
  "n_flat_eod",
  "n_end_of_data",
] as const;
