// The §4–6 rules every readable engine shares (the slow reference engine, the readable hybrid
// engines): the config vector as named fields, the gate filter, the unrealized PnL of an open
// position, and the closing of a trade. Written for a reader, on the rules every kernel and the
// replay ask (ComboRules, GateRule), so that a rule changes in one place.
import { dayNumberToIso } from "../calendar/index.js";
import type { BacktestInputs } from "../kernels/backtest-inputs.js";
import { ComboRules, positionPnl } from "./combo-rules.js";
import { EXIT_REASON_NAMES } from "./enums.js";
import { GateRule } from "./kernel-gates.js";
import type { Trade } from "../reference/trade.js";

/**
 * One combination's rules as the readable engines hold them: its §5–§6 rules and its gate rule,
 * read once from the config vector (NaN = off), which the functions below and the engines' loops ask.
 */
export interface Params {
  rules: ComboRules;
  gates: GateRule;
}

export function readParams(cfg: Float64Array): Params {
  return { rules: new ComboRules(cfg, 0), gates: new GateRule(cfg, 0) };
}

/** Slow bar i's value of a gate's metric; NaN when the gate is off (GateRule ignores it then). */
function metric(arr: Float64Array | null, gateOn: boolean, name: string, i: number): number {
  if (!gateOn) return Number.NaN;
  if (arr === null) throw new Error(`gate ${name} is on but its metric was not computed`);
  return arr[i];
}

/** §4 gate filter / confidence filter with the metrics of slow bar i. A NaN metric fails its gate. */
export function gatesAllow(inp: BacktestInputs, p: Params, i: number): boolean {
  const g = p.gates;
  return g.allows(
    metric(inp.corr, g.corrOn, "corr", i),
    metric(inp.hurst, g.hurstOn, "hurst", i),
    metric(inp.halfLife, g.hlOn, "half_life", i),
    metric(inp.adfStat, g.adfStatOn, "adf_stat", i),
    metric(inp.adfPvalue, g.adfPvalueOn, "adf_pvalue", i),
  );
}

export interface OpenPosition {
  side: 1 | -1;
  /** Slow bar of the entry (the bar holding the fast bar, for a fast entry). */
  entryI: number;
  /** Entry fill time, epoch ms UTC. */
  entryTs: number;
  entryA: number;
  entryB: number;
  beta: number;
  na: number;
  nb: number;
  mfe: number;
  mae: number;
}

/** §6: u = d·(N_a·M_A·(a − a_entry) − sb·N_b·M_B·(b − b_entry)), sb = sign(beta) with 0 → +1. */
export function unrealized(pos: OpenPosition, p: Params, a: number, b: number): number {
  const kA = p.rules.exposureA(pos.na);
  const kB = p.rules.exposureB(pos.nb, pos.beta);
  return positionPnl(pos.side, kA, kB, a, b, pos.entryA, pos.entryB);
}

/** Where and how a position closes; `pnlGross` is the level for a fast dollar exit (§10). */
export interface Exit {
  reason: number;
  exitI: number;
  exitTs: number;
  a: number;
  b: number;
  pnlGross: number;
}

export function closedTrade(inp: BacktestInputs, p: Params, pos: OpenPosition, x: Exit): Trade {
  const costs = p.rules.costs(pos.na, pos.nb);
  return {
    side: pos.side,
    entry_i: pos.entryI,
    exit_i: x.exitI,
    entry_ts: pos.entryTs,
    exit_ts: x.exitTs,
    entry_a: pos.entryA,
    entry_b: pos.entryB,
    exit_a: x.a,
    exit_b: x.b,
    beta_entry: pos.beta,
    n_a: pos.na,
    n_b: pos.nb,
    pnl_gross: x.pnlGross,
    costs,
    pnl_net: x.pnlGross - costs,
    reason: EXIT_REASON_NAMES[x.reason],
    bars_held: x.exitI - pos.entryI,
    mfe: pos.mfe,
    mae: pos.mae,
    exit_day: dayNumberToIso(inp.tradingDay[x.exitI]),
  };
}
