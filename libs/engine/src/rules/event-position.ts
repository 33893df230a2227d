// The exit of a position as the event-driven kernels (event-kernel, event-batch-kernel,
// event-family-kernel) find it: from the bars where each exit event comes next, the first one in
// §5 priority order, packed with its reason into one number. The rest of §5–§6 is combo-rules.ts.
import { END_OF_DATA, FLAT_EOD, MAX_HOLD, SL_ZSCORE, TP_ZSCORE } from "./enums.js";

/** Reasons fit in 3 bits: exitCode packs bar · 8 + reason into one number. */
export const REASON_BITS = 8;

/**
 * The exit of a position whose hold bound, stop bar, take-profit bar and next eod bar are given
 * (n where one is off or never comes): bar · 8 + reason, ties in §5 priority order (SL_ZSCORE,
 * TP_ZSCORE, MAX_HOLD, FLAT_EOD, END_OF_DATA), capped at the last bar.
 */
export function exitCode(
  holdEnd: number,
  sl: number,
  tp: number,
  e: number,
  last: number,
  eod: Uint8Array,
): number {
  let j = holdEnd < last ? holdEnd : last;
  if (e < j) j = e;
  if (sl <= j && sl <= tp) return sl * REASON_BITS + SL_ZSCORE;
  if (tp <= j) return tp * REASON_BITS + TP_ZSCORE;
  return j * REASON_BITS + (j >= holdEnd ? MAX_HOLD : eod[j] !== 0 ? FLAT_EOD : END_OF_DATA);
}

/** The exit bar of an exitCode. */
export function exitBarOf(code: number): number {
  return Math.floor(code / REASON_BITS);
}

/** The exit reason of an exitCode whose bar is j (exitBarOf(code)). */
export function exitReasonOf(code: number, j: number): number {
  return code - j * REASON_BITS;
}
