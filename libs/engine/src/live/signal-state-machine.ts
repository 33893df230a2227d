// The §5 signal state machine as a one-bar step: the replay calls `step` once per bar with what is
// known at that bar's close, and gets the decision back. It is written apart from the reference
// engine's loop on purpose: a third implementation of §5–6, which the parity gate checks against
// the reference bar by bar. Sizing and costs are the shared §6 functions (sizing.ts), whose order
// of operations is part of the contract.
import * as C from "../rules/config-vector.js";
import {
  CD_LONG,
  CD_SHORT,
  END_OF_DATA,
  EXIT_REASON_NAMES,
  type ExitReasonName,
  FLAT,
  FLAT_EOD,
  LONG,
  MAX_HOLD,
  SHORT,
  SL_DOLLAR,
  SL_ZSCORE,
  TP_DOLLAR,
  TP_ZSCORE,
} from "../rules/enums.js";
import { hedgeRatio, legSizes, roundTripCosts } from "../rules/sizing.js";

/** Thresholds, exits and sizing of one combination; NaN = off (max_hold 0 = off). */
export interface SignalParams {
  zEntry: number;
  zExit: number;
  zStop: number;
  maxHold: number;
  dollarTp: number;
  dollarSl: number;
  multA: number;
  multB: number;
  tickA: number;
  tickB: number;
  commission: number;
  slippageTicks: number;
  baseQty: number;
  maxMult: number;
}

export function signalParams(cfg: Float64Array): SignalParams {
  return {
    zEntry: cfg[C.CFG_Z_ENTRY]!,
    zExit: cfg[C.CFG_Z_EXIT]!,
    zStop: cfg[C.CFG_Z_STOP]!,
    maxHold: cfg[C.CFG_MAX_HOLD]!,
    dollarTp: cfg[C.CFG_DOLLAR_TP]!,
    dollarSl: cfg[C.CFG_DOLLAR_SL]!,
    multA: cfg[C.CFG_MULT_A]!,
    multB: cfg[C.CFG_MULT_B]!,
    tickA: cfg[C.CFG_TICK_A]!,
    tickB: cfg[C.CFG_TICK_B]!,
    commission: cfg[C.CFG_COMMISSION]!,
    slippageTicks: cfg[C.CFG_SLIPPAGE_TICKS]!,
    baseQty: cfg[C.CFG_BASE_QTY]!,
    maxMult: cfg[C.CFG_MAX_MULT]!,
  };
}

/** What is known about bar i at its close. */
export interface BarFacts {
  /** Bar index in the aligned series (max_hold counts indices: a night is one bar, §10). */
  i: number;
  a: number;
  b: number;
  z: number;
  /** The hedge ratio an entry at this bar records and sizes with (§5 step 3: beta_i). */
  beta: number;
  eod: boolean;
  windowOk: boolean;
  last: boolean;
  gatesOk: boolean;
  /**
   * Hybrid z-live (§8): whether max_hold is reached, judged by the caller on elapsed time; absent,
   * max_hold counts bar indices (`i − entry_i ≥ max_hold`).
   */
  maxHoldDue?: boolean;
  /** Fast resolution (§10, both hybrid modes): a dollar exit books exactly its level, not u. */
  levelFills?: boolean;
}

export interface OpenPosition {
  side: 1 | -1;
  entryI: number;
  entryA: number;
  entryB: number;
  beta: number;
  na: number;
  nb: number;
}

export interface ClosedTrade {
  side: 1 | -1;
  entryI: number;
  exitI: number;
  reason: ExitReasonName;
  beta: number;
  na: number;
  nb: number;
  pnlGross: number;
  costs: number;
  pnlNet: number;
}

/** The decision of one bar and the state it leaves. */
export interface StepResult {
  /** The trade closed at this bar (step 1), if any. */
  exit: ClosedTrade | null;
  /** Side entered at this bar (step 3), 0 for none. */
  entry: 1 | -1 | 0;
  /** State after the bar (enums.ts). */
  state: number;
  position: Readonly<OpenPosition> | null;
  /** Cumulative net PnL of closed trades. */
  realized: number;
  /** Mark to market: realized net plus the open position's gross unrealized PnL at this close. */
  equity: number;
}

const on = (v: number) => !Number.isNaN(v);

export class SignalStateMachine {
  private state = FLAT;
  private pos: OpenPosition | null = null;
  private realized = 0;
  private readonly sizes = new Float64Array(2);

  constructor(private readonly p: SignalParams) {}

  step(f: BarFacts): StepResult {
    const exit = this.pos !== null ? this.exitIfDue(this.pos, f) : null;
    this.endCooldown(f.z);
    const entry = this.enterIfSignalled(f);
    const open = this.pos;
    return {
      exit,
      entry,
      state: this.state,
      position: open,
      realized: this.realized,
      equity: this.realized + (open !== null ? this.unrealized(open, f.a, f.b) : 0),
    };
  }

  /** Whether a position is open. */
  get inPosition(): boolean {
    return this.pos !== null;
  }

  get position(): Readonly<OpenPosition> | null {
    return this.pos;
  }

  /** State now (enums.ts). */
  get stateNow(): number {
    return this.state;
  }

  /** Cumulative net PnL of closed trades. */
  get realizedNow(): number {
    return this.realized;
  }

  /** Mark to market at prices (a, b): realized net plus the open position's gross unrealized PnL. */
  markToMarket(a: number, b: number): number {
    return this.realized + (this.pos !== null ? this.unrealized(this.pos, a, b) : 0);
  }

  /**
   * Hybrid dollar mode (§8), one fast bar inside slow bar `i`: only the dollar levels are tested,
   * SL first, and an exit books exactly the level; no cooldown step, no entry (those run at the
   * slow close).
   */
  dollarLevels(i: number, a: number, b: number): StepResult {
    let exit: ClosedTrade | null = null;
    const pos = this.pos;
    if (pos !== null) {
      const p = this.p;
      const u = this.unrealized(pos, a, b);
      const reason =
        on(p.dollarSl) && u <= -p.dollarSl ? SL_DOLLAR : on(p.dollarTp) && u >= p.dollarTp ? TP_DOLLAR : null;
      if (reason !== null) exit = this.close(pos, i, reason, reason === SL_DOLLAR ? -p.dollarSl : p.dollarTp);
    }
    return {
      exit,
      entry: 0,
      state: this.state,
      position: this.pos,
      realized: this.realized,
      equity: this.markToMarket(a, b),
    };
  }

  /** §6: u = d·(N_a·M_A·(a − a_entry) − sb·N_b·M_B·(b − b_entry)), sb = sign(beta_entry), 0 → +1. */
  private unrealized(pos: OpenPosition, a: number, b: number): number {
    const p = this.p;
    const sb = pos.beta < 0 ? -1 : 1;
    return pos.side * (pos.na * p.multA * (a - pos.entryA) - sb * pos.nb * p.multB * (b - pos.entryB));
  }

  /** Step 1: the first exit that applies, in priority order; fills at the bar's close. */
  private exitIfDue(pos: OpenPosition, f: BarFacts): ClosedTrade | null {
    const u = this.unrealized(pos, f.a, f.b);
    const reason = this.exitReason(pos, f, u);
    if (reason === null) return null;
    const p = this.p;
    let pnlGross = u;
    if (f.levelFills === true && reason === SL_DOLLAR) pnlGross = -p.dollarSl;
    if (f.levelFills === true && reason === TP_DOLLAR) pnlGross = p.dollarTp;
    return this.close(pos, f.i, reason, pnlGross);
  }

  /** Closes `pos` at bar `i` with gross PnL `pnlGross`: costs, realized PnL, the state after. */
  private close(pos: OpenPosition, i: number, reason: number, pnlGross: number): ClosedTrade {
    const p = this.p;
    const costs = roundTripCosts(
      pos.na,
      pos.nb,
      p.commission,
      p.slippageTicks,
      p.tickA,
      p.multA,
      p.tickB,
      p.multB,
    );
    this.realized += pnlGross - costs;
    // a z stop or a time stop waits for the spread to come back before trading again
    const cooldown = reason === SL_ZSCORE || reason === MAX_HOLD;
    this.state = cooldown ? (pos.side === 1 ? CD_LONG : CD_SHORT) : FLAT;
    this.pos = null;
    return {
      side: pos.side,
      entryI: pos.entryI,
      exitI: i,
      reason: EXIT_REASON_NAMES[reason]!,
      beta: pos.beta,
      na: pos.na,
      nb: pos.nb,
      pnlGross,
      costs,
      pnlNet: pnlGross - costs,
    };
  }

  private exitReason(pos: OpenPosition, f: BarFacts, u: number): number | null {
    const p = this.p;
    if (on(p.dollarSl) && u <= -p.dollarSl) return SL_DOLLAR;
    if (on(p.dollarTp) && u >= p.dollarTp) return TP_DOLLAR;
    const z = f.z;
    if (!Number.isNaN(z)) {
      const long = pos.side === 1;
      if (on(p.zStop) && (long ? z <= -p.zStop : z >= p.zStop)) return SL_ZSCORE;
      if (long ? z >= -p.zExit : z <= p.zExit) return TP_ZSCORE;
    }
    if (f.maxHoldDue ?? (p.maxHold > 0 && f.i - pos.entryI >= p.maxHold)) return MAX_HOLD;
    if (f.eod) return FLAT_EOD;
    if (f.last) return END_OF_DATA;
    return null;
  }

  /** Step 2: a cooldown ends when z is back inside the exit band; NaN z keeps it. */
  private endCooldown(z: number): void {
    if (this.state === CD_LONG && z >= -this.p.zExit) this.state = FLAT;
    else if (this.state === CD_SHORT && z <= this.p.zExit) this.state = FLAT;
  }

  /** Step 3: entry from FLAT only, filled at the bar's close with beta_i's sizes. */
  private enterIfSignalled(f: BarFacts): 1 | -1 | 0 {
    const p = this.p;
    if (this.state !== FLAT || Number.isNaN(f.z)) return 0;
    if (!f.windowOk || f.eod || f.last || !f.gatesOk) return 0;
    const side = f.z <= -p.zEntry ? 1 : f.z >= p.zEntry ? -1 : 0;
    if (side === 0) return 0;
    legSizes(hedgeRatio(f.a, f.b, p.multA, p.multB, f.beta), p.baseQty, p.maxMult, this.sizes);
    this.pos = {
      side,
      entryI: f.i,
      entryA: f.a,
      entryB: f.b,
      beta: f.beta,
      na: this.sizes[0]!,
      nb: this.sizes[1]!,
    };
    this.state = side === 1 ? LONG : SHORT;
    return side;
  }
}
