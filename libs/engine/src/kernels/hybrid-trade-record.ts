// Per-trade records of the hybrid kernels: the slow grid kernel's record (grid-kernel-trade-
// record.ts, offsets 0 … 9) followed by the two fill times, which a fast exit or a z-live entry
// moves off the slow closes. HYBRID_TRADE_RECORD_WIDTH numbers per trade, in exit order.
import { EXIT_REASON_NAMES, type ExitReasonName } from "../rules/enums.js";
import * as TR from "./grid-kernel-trade-record.js";

/** Entry fill time, epoch ms UTC. */
export const HTR_ENTRY_TS = TR.TR_ENTRY_TS;
/** Exit fill time, epoch ms UTC (t_j + L_fast for a fast exit). */
export const HTR_EXIT_TS = TR.TR_EXIT_TS;
export const HYBRID_TRADE_RECORD_WIDTH = TR.TIMED_TRADE_RECORD_WIDTH;

export interface HybridKernelTrade {
  entry_i: number;
  exit_i: number;
  entry_ts: number;
  exit_ts: number;
  side: number;
  n_a: number;
  n_b: number;
  reason: ExitReasonName;
  beta_entry: number;
  pnl_gross: number;
  costs: number;
  pnl_net: number;
}

/** The first `count` records of `buf` as objects (tests, reports). */
export function decodeHybridTrades(buf: Float64Array, count: number): HybridKernelTrade[] {
  const out: HybridKernelTrade[] = [];
  for (let t = 0; t < count; t++) {
    const o = t * HYBRID_TRADE_RECORD_WIDTH;
    out.push({
      entry_i: buf[o + TR.TR_ENTRY_I],
      exit_i: buf[o + TR.TR_EXIT_I],
      entry_ts: buf[o + HTR_ENTRY_TS],
      exit_ts: buf[o + HTR_EXIT_TS],
      side: buf[o + TR.TR_SIDE],
      n_a: buf[o + TR.TR_N_A],
      n_b: buf[o + TR.TR_N_B],
      reason: EXIT_REASON_NAMES[buf[o + TR.TR_REASON]],
      beta_entry: buf[o + TR.TR_BETA_ENTRY],
      pnl_gross: buf[o + TR.TR_PNL_GROSS],
      costs: buf[o + TR.TR_COSTS],
      pnl_net: buf[o + TR.TR_PNL_NET],
    });
  }
  return out;
}
