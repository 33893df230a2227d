// Per-trade records the grid kernel can write for tests and debugging: TRADE_RECORD_WIDTH numbers
// per trade, in exit order, at these offsets. The grid itself passes no buffer (statistics only).

export const TR_ENTRY_I = 0;
export const TR_EXIT_I = 1;
/** +1 long the spread, −1 short. */
export const TR_SIDE = 2;
export const TR_N_A = 3;
export const TR_N_B = 4;
/** Exit reason (enums.ts value). */
export const TR_REASON = 5;
export const TR_BETA_ENTRY = 6;
export const TR_PNL_GROSS = 7;
export const TR_COSTS = 8;
export const TR_PNL_NET = 9;
export const TRADE_RECORD_WIDTH = 10;

/** Fill times, in the timed record the hybrid kernels write (epoch ms UTC). */
export const TR_ENTRY_TS = TRADE_RECORD_WIDTH;
export const TR_EXIT_TS = TRADE_RECORD_WIDTH + 1;
export const TIMED_TRADE_RECORD_WIDTH = TRADE_RECORD_WIDTH + 2;
