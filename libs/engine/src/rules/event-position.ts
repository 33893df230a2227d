// What every event-driven kernel (event-kernel, event-batch-kernel, event-family-kernel) does at a
// position's entry and exit, written once so they all do it with the same arithmetic: the
// combination's sizing and cost parameters read from its config vector, the leg sizes at entry,
// the exposures the PnL multiplies, the round-trip costs, and the exit bar and reason.
import {
  CFG_BASE_QTY,
  CFG_COMMISSION,
  CFG_MAX_MULT,
  CFG_MULT_A,
  CFG_MULT_B,
  CFG_SLIPPAGE_TICKS,
  CFG_TICK_A,
  CFG_TICK_B,
} from "./config-vector.js";
import { END_OF_DATA, FLAT_EOD, MAX_HOLD, SL_ZSCORE, TP_ZSCORE } from "./enums.js";
import { hedgeRatio, legSizes, roundTripCosts } from "./sizing.js";

/** A combination's sizing and cost parameters (ENGINE.md §6), read once per combination. */
export class ComboSizing {
  readonly multA: number;
  readonly multB: number;
  private readonly tickA: number;
  private readonly tickB: number;
  private readonly commission: number;
  private readonly slippageTicks: number;
  private readonly baseQty: number;
  private readonly maxMult: number;

  constructor(cfg: Float64Array, o: number) {
    this.multA = cfg[o + CFG_MULT_A]!;
    this.multB = cfg[o + CFG_MULT_B]!;
    this.tickA = cfg[o + CFG_TICK_A]!;
    this.tickB = cfg[o + CFG_TICK_B]!;
    this.commission = cfg[o + CFG_COMMISSION]!;
    this.slippageTicks = cfg[o + CFG_SLIPPAGE_TICKS]!;
    this.baseQty = cfg[o + CFG_BASE_QTY]!;
    this.maxMult = cfg[o + CFG_MAX_MULT]!;
  }

  /** Leg sizes of a position entered at these closes and hedge beta: N_a to out[0], N_b to out[1]. */
  enter(entryA: number, entryB: number, betaEntry: number, out: Float64Array): void {
    legSizes(hedgeRatio(entryA, entryB, this.multA, this.multB, betaEntry), this.baseQty, this.maxMult, out);
  }

  /** Leg A's PnL per point: N_a · M_A. */
  exposureA(na: number): number {
    return na * this.multA;
  }

  /** Leg B's PnL per point, signed by the entry beta: ±N_b · M_B. */
  exposureB(nb: number, betaEntry: number): number {
    return (betaEntry < 0 ? -1 : 1) * nb * this.multB;
  }

  /** Round-trip costs of a position of these leg sizes. */
  costs(na: number, nb: number): number {
    return roundTripCosts(
      na,
      nb,
      this.commission,
      this.slippageTicks,
      this.tickA,
      this.multA,
      this.tickB,
      this.multB,
    );
  }
}

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
