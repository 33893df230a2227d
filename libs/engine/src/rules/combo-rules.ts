// What ENGINE.md §5–§6 decide for one combination, written once: its parameters read from the
// config vector, the entry side, the exit tests in §5 priority order, the cooldown, the state after
// an exit, and the sizing, costs and PnL of a position. Every kernel, the replay state machine and
// (through sizing.ts) the readable references call these at their decision points; the kernels keep
// their own loops (which is what makes each fast) and ask these methods what a bar means.
//
// Small monomorphic methods on one class with numeric fields only, returning integers: V8 inlines
// them into the kernels' loops, so a rule costs what its inlined form cost. No method allocates.
import * as C from "./config-vector.js";
import {
  CD_LONG,
  CD_SHORT,
  END_OF_DATA,
  FLAT,
  FLAT_EOD,
  LONG,
  MAX_HOLD,
  SHORT,
  SL_DOLLAR,
  SL_ZSCORE,
  TP_DOLLAR,
  TP_ZSCORE,
} from "./enums.js";
import { hedgeRatio, legSizes, roundTripCosts } from "./sizing.js";

/** An exit test that found no exit (exit reasons are 0 … 6, enums.ts). */
export const NO_EXIT = -1;

/**
 * §6: the gross PnL of a position of side d (+1 long the spread, −1 short) at closes (a, b), its
 * exposures kA = N_a·M_A and kB = ±N_b·M_B (ComboRules.exposureA/B): d·(kA·(a − a_e) − kB·(b − b_e)),
 * grouped exactly so in every engine (the unrealized PnL of the dollar exits and the booked PnL).
 */
export function positionPnl(
  d: number,
  kA: number,
  kB: number,
  a: number,
  b: number,
  entryA: number,
  entryB: number,
): number {
  return d * (kA * (a - entryA) - kB * (b - entryB));
}

/** One combination's §5–§6 parameters (NaN = off; max_hold 0 = off) and the rules that use them. */
export class ComboRules {
  readonly zEntry: number;
  readonly zExit: number;
  /** NaN = no z stop. */
  readonly zStop: number;
  /** Bars (slow-bar indices); 0 = off. */
  readonly maxHold: number;
  readonly dollarTp: number;
  readonly dollarSl: number;
  readonly stopOn: boolean;
  readonly holdOn: boolean;
  /** Either dollar level on: only then does a kernel need the unrealized PnL at every held bar. */
  readonly dollarOn: boolean;
  readonly multA: number;
  readonly multB: number;
  readonly tickA: number;
  readonly tickB: number;
  readonly commission: number;
  readonly slippageTicks: number;
  readonly baseQty: number;
  readonly maxMult: number;
  // the exit levels as the tests compare them, pre-negated: w = d·z ≤ wStop is the z stop, w ≥ wExit
  // the z take-profit, u ≤ uStop the dollar stop. One compare each, which a NaN (off) level fails.
  readonly wStop: number;
  readonly wExit: number;
  readonly uStop: number;

  constructor(cfg: Float64Array, o = 0) {
    this.zEntry = cfg[o + C.CFG_Z_ENTRY]!;
    this.zExit = cfg[o + C.CFG_Z_EXIT]!;
    this.zStop = cfg[o + C.CFG_Z_STOP]!;
    this.maxHold = cfg[o + C.CFG_MAX_HOLD]!;
    this.dollarTp = cfg[o + C.CFG_DOLLAR_TP]!;
    this.dollarSl = cfg[o + C.CFG_DOLLAR_SL]!;
    this.stopOn = !Number.isNaN(this.zStop);
    this.holdOn = this.maxHold > 0;
    this.dollarOn = !Number.isNaN(this.dollarTp) || !Number.isNaN(this.dollarSl);
    this.multA = cfg[o + C.CFG_MULT_A]!;
    this.multB = cfg[o + C.CFG_MULT_B]!;
    this.tickA = cfg[o + C.CFG_TICK_A]!;
    this.tickB = cfg[o + C.CFG_TICK_B]!;
    this.commission = cfg[o + C.CFG_COMMISSION]!;
    this.slippageTicks = cfg[o + C.CFG_SLIPPAGE_TICKS]!;
    this.baseQty = cfg[o + C.CFG_BASE_QTY]!;
    this.maxMult = cfg[o + C.CFG_MAX_MULT]!;
    this.wExit = -this.zExit;
    this.wStop = -this.zStop;
    this.uStop = -this.dollarSl;
  }

  // ---- entry (§5 step 3) ----

  /** The side z signals: +1 long (z ≤ −z_entry), −1 short (z ≥ z_entry), 0 none (NaN z: none). */
  entrySide(z: number): number {
    return z <= -this.zEntry ? 1 : z >= this.zEntry ? -1 : 0;
  }

  /**
   * Whether a bar whose z signals a side may enter: its windows are full, it is not an eod bar nor
   * the last bar, and the gates (§4) allow it.
   */
  entryAllowed(windowOk: boolean, eod: boolean, last: boolean, gatesOk: boolean): boolean {
    return windowOk && !eod && !last && gatesOk;
  }

  // ---- exit (§5 step 1), in priority order ----

  /** Dollar levels on the unrealized PnL u: SL_DOLLAR, TP_DOLLAR or NO_EXIT (SL first). */
  dollarExit(u: number): number {
    return u <= this.uStop ? SL_DOLLAR : u >= this.dollarTp ? TP_DOLLAR : NO_EXIT;
  }

  /**
   * z stop and z take-profit on w = d·z (`w ≤ −zs` is LONG `z ≤ −zs`, SHORT `z ≥ zs`; `w ≥ −zx` is
   * LONG `z ≥ −zx`, SHORT `z ≤ zx`): SL_ZSCORE, TP_ZSCORE or NO_EXIT. A NaN z fails both.
   */
  zScoreExit(w: number): number {
    return w <= this.wStop ? SL_ZSCORE : w >= this.wExit ? TP_ZSCORE : NO_EXIT;
  }

  /** The first bar index at which max_hold is due for a position entered at entryI (n: never). */
  holdEnd(entryI: number, n: number): number {
    return this.holdOn ? entryI + this.maxHold : n;
  }

  /** The time exits, after the z tests: MAX_HOLD, FLAT_EOD, END_OF_DATA or NO_EXIT. */
  timeExit(holdDue: boolean, eod: boolean, last: boolean): number {
    return holdDue ? MAX_HOLD : eod ? FLAT_EOD : last ? END_OF_DATA : NO_EXIT;
  }

  /** Every exit test of one bar in §5 order: u the unrealized PnL, w = d·z. */
  exitReason(u: number, w: number, holdDue: boolean, eod: boolean, last: boolean): number {
    if (this.dollarOn) {
      const dollar = this.dollarExit(u);
      if (dollar !== NO_EXIT) return dollar;
    }
    const z = this.zScoreExit(w);
    if (z !== NO_EXIT) return z;
    return this.timeExit(holdDue, eod, last);
  }

  /**
   * What a dollar exit (SL_DOLLAR / TP_DOLLAR) reached on a fast bar books as gross PnL: its level
   * (§10), −dollar_sl or dollar_tp. One reached at a slow close books the actual PnL instead.
   */
  dollarLevel(reason: number): number {
    return reason === SL_DOLLAR ? this.uStop : this.dollarTp;
  }

  // ---- cooldown (§5 step 2) and states ----

  /** A z stop or a time stop waits for the spread to come back before trading again. */
  cooldownAfter(reason: number): boolean {
    return reason === SL_ZSCORE || reason === MAX_HOLD;
  }

  /** Whether a cooldown after a position of side d ends at z (w = d·z back inside the exit band). */
  releases(w: number): boolean {
    return w >= this.wExit;
  }

  /** The state after a position of side d exits for `reason`: CD_LONG / CD_SHORT or FLAT. */
  stateAfterExit(reason: number, d: number): number {
    return this.cooldownAfter(reason) ? (d === 1 ? CD_LONG : CD_SHORT) : FLAT;
  }

  /** The side of the position a cooldown state follows: +1 CD_LONG, −1 CD_SHORT, 0 other states. */
  cooldownSide(state: number): number {
    return state === CD_LONG ? 1 : state === CD_SHORT ? -1 : 0;
  }

  /** The state of an open position of side d. */
  positionState(d: number): number {
    return d === 1 ? LONG : SHORT;
  }

  // ---- sizing, costs and PnL (§6) ----

  /** Leg sizes of a position entered at these closes and hedge beta: N_a to out[0], N_b to out[1]. */
  enter(entryA: number, entryB: number, betaEntry: number, out: Float64Array): void {
    legSizes(hedgeRatio(entryA, entryB, this.multA, this.multB, betaEntry), this.baseQty, this.maxMult, out);
  }

  /** Leg A's PnL per point: N_a · M_A. */
  exposureA(na: number): number {
    return na * this.multA;
  }

  /** Leg B's PnL per point, signed by the entry beta (0 → +1): ±N_b · M_B. */
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
