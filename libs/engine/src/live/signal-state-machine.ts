// The §5 signal state machine as a one-bar step: the replay calls `step` once per bar with what is
// known at that bar's close, and gets the decision back. Its loop is written apart from the
// reference engine's on purpose (the parity gate checks the two bar by bar); what each step decides
// — entry side and conditions, the exit tests in §5 order, cooldown, the state after an exit,
// sizing, costs and PnL — is asked of ComboRules (rules/combo-rules.ts), as every kernel does.
import { ComboRules, NO_EXIT, positionPnl } from "../rules/combo-rules.js";
import { EXIT_REASON_NAMES, type ExitReasonName, FLAT, SL_DOLLAR, TP_DOLLAR } from "../rules/enums.js";

/** Thresholds, exits and sizing of one combination (NaN = off, max_hold 0 = off): its rules. */
export type SignalParams = ComboRules;

export function signalParams(cfg: Float64Array): SignalParams {
  return new ComboRules(cfg, 0);
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

export class SignalStateMachine {
  private state = FLAT;
  private pos: OpenPosition | null = null;
  private realized = 0;
  private readonly sizes = new Float64Array(2);

  constructor(private readonly rules: ComboRules) {}

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
      const reason = this.rules.dollarExit(this.unrealized(pos, a, b));
      if (reason !== NO_EXIT) exit = this.close(pos, i, reason, this.rules.dollarLevel(reason));
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

  /** §6: the open position's gross PnL at closes (a, b) (positionPnl). */
  private unrealized(pos: OpenPosition, a: number, b: number): number {
    const r = this.rules;
    return positionPnl(
      pos.side,
      r.exposureA(pos.na),
      r.exposureB(pos.nb, pos.beta),
      a,
      b,
      pos.entryA,
      pos.entryB,
    );
  }

  /** Step 1: the first exit that applies, in priority order; fills at the bar's close. */
  private exitIfDue(pos: OpenPosition, f: BarFacts): ClosedTrade | null {
    const u = this.unrealized(pos, f.a, f.b);
    const holdDue = f.maxHoldDue ?? (this.rules.holdOn && f.i - pos.entryI >= this.rules.maxHold);
    const reason = this.rules.exitReason(u, pos.side * f.z, holdDue, f.eod, f.last);
    if (reason === NO_EXIT) return null;
    const levelFill = f.levelFills === true && (reason === SL_DOLLAR || reason === TP_DOLLAR);
    return this.close(pos, f.i, reason, levelFill ? this.rules.dollarLevel(reason) : u);
  }

  /** Closes `pos` at bar `i` with gross PnL `pnlGross`: costs, realized PnL, the state after. */
  private close(pos: OpenPosition, i: number, reason: number, pnlGross: number): ClosedTrade {
    const costs = this.rules.costs(pos.na, pos.nb);
    this.realized += pnlGross - costs;
    this.state = this.rules.stateAfterExit(reason, pos.side);
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

  /** Step 2: a cooldown ends when z is back inside the exit band (w = d·z); NaN z keeps it. */
  private endCooldown(z: number): void {
    const d = this.rules.cooldownSide(this.state);
    if (d !== 0 && this.rules.releases(d * z)) this.state = FLAT;
  }

  /** Step 3: entry from FLAT only, filled at the bar's close with beta_i's sizes. */
  private enterIfSignalled(f: BarFacts): 1 | -1 | 0 {
    const rules = this.rules;
    if (this.state !== FLAT || Number.isNaN(f.z)) return 0;
    if (!rules.entryAllowed(f.windowOk, f.eod, f.last, f.gatesOk)) return 0;
    const side = rules.entrySide(f.z) as 1 | -1 | 0;
    if (side === 0) return 0;
    rules.enter(f.a, f.b, f.beta, this.sizes);
    this.pos = {
      side,
      entryI: f.i,
      entryA: f.a,
      entryB: f.b,
      beta: f.beta,
      na: this.sizes[0]!,
      nb: this.sizes[1]!,
    };
    this.state = rules.positionState(side);
    return side;
  }
}
