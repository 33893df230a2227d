// The batch side of the parity gate: the reference engine (reference-engine.ts) on the decision
// window, with indicators computed over the whole loaded series (all the history before the window
// is its warm-up, as in a backtest), turned into one `SignalTrace` per bar. Decisions, sizes and
// PnL come from the reference's trade list and equity curve; the cooldown states, which the trade
// list does not show, follow from its exits and the batch's z by §5 step 2.
import type { BacktestInputs } from "../kernels/backtest-inputs.js";
import { dayIndexOf } from "../kernels/backtest-inputs.js";
import * as C from "../rules/config-vector.js";
import { CD_LONG, CD_SHORT, FLAT, LONG, SHORT, STATE_NAMES } from "../rules/enums.js";
import { runReference } from "../reference/reference-engine.js";
import type { ReferenceResult, Trade } from "../reference/trade.js";
import type { SessionCalendar } from "../calendar/session-calendar.js";
import type { PairBars } from "../loaders/index.js";
import {
  computeIndicators,
  type IndicatorSeries,
  type IndicatorSettings,
} from "../indicators/compute-indicators.js";
import type { Combination } from "../grid-spec/param-defs.js";
import { gatesAllow, gateThresholds } from "../live/gate-filter.js";
import { indicatorPlan } from "../live/incremental-indicators.js";
import { decisionName, inputsHash, runConfigHash, type SignalTrace } from "./signal-trace.js";

/** The aligned slow pair both paths run on (a `SlowPair` from the pipeline is one). */
export interface ParityData {
  pair: PairBars;
  barMs: number;
  calendar: SessionCalendar;
}

/** Bars `from` … `to − 1` of the aligned series: the bars that may trade. */
export interface DecisionWindow {
  from: number;
  to: number;
}

/**
 * Deliberate bugs for the fault-injection tests of the parity gate: never set outside tests.
 */
export interface BatchFaultHooks {
  /** Rewrites the batch's indicator series before the reference engine reads them. */
  indicators?: (ind: IndicatorSeries) => IndicatorSeries;
}

export interface BatchRun {
  traces: SignalTrace[];
  result: ReferenceResult;
  inputs: BacktestInputs;
}

const nanOr = (arr: Float64Array | null, i: number) => (arr === null ? Number.NaN : arr[i]!);

/** The reference engine's inputs for the window, indicators sliced from the whole-series ones. */
export function windowInputs(data: ParityData, ind: IndicatorSeries, w: DecisionWindow): BacktestInputs {
  const cut = (arr: Float64Array | null) => (arr === null ? null : arr.subarray(w.from, w.to));
  const ts = data.pair.ts.subarray(w.from, w.to);
  // the calendar of the window alone: its last bar has no next bar, as in a backtest of those days
  const cal = data.calendar.build(ts, data.barMs);
  const { dayIndex, nDays } = dayIndexOf(cal.tradingDay);
  return {
    n: w.to - w.from,
    ts,
    barMs: data.barMs,
    closeA: data.pair.a.close.subarray(w.from, w.to),
    closeB: data.pair.b.close.subarray(w.from, w.to),
    beta: ind.beta.subarray(w.from, w.to),
    z: ind.z.subarray(w.from, w.to),
    corr: cut(ind.corr),
    hurst: cut(ind.hurst),
    halfLife: cut(ind.halfLife),
    adfStat: cut(ind.adfStat),
    adfPvalue: cut(ind.adfPvalue),
    eod: cal.eod,
    windowOk: cal.windowOk,
    tradingDay: cal.tradingDay,
    dayIndex,
    nDays,
  };
}

export function runBatchPath(
  data: ParityData,
  combo: Combination,
  settings: IndicatorSettings,
  cfg: Float64Array,
  window: DecisionWindow,
  hooks: BatchFaultHooks = {},
): BatchRun {
  const configHash = runConfigHash(indicatorPlan(combo, settings), cfg, data.calendar.settings, data.barMs);
  let ind = computeIndicators(data.pair, combo, settings);
  if (hooks.indicators) ind = hooks.indicators(ind);
  const inputs = windowInputs(data, ind, window);
  const result = runReference(inputs, cfg, 1);
  return { traces: batchTraces(inputs, ind, window.from, cfg, result, configHash), result, inputs };
}

function batchTraces(
  inp: BacktestInputs,
  ind: IndicatorSeries,
  from: number,
  cfg: Float64Array,
  result: ReferenceResult,
  configHash: string,
): SignalTrace[] {
  const entryAt = new Map<number, Trade>();
  const exitAt = new Map<number, Trade>();
  for (const t of result.trades) {
    entryAt.set(t.entry_i, t);
    exitAt.set(t.exit_i, t);
  }
  const thresholds = gateThresholds(cfg);
  const zExit = cfg[C.CFG_Z_EXIT]!;
  const traces: SignalTrace[] = [];
  let state = FLAT;
  let open: Trade | null = null;
  let realized = 0;
  for (let k = 0; k < inp.n; k++) {
    const g = from + k;
    const z = inp.z[k]!;
    const exit = exitAt.get(k) ?? null;
    const entry = entryAt.get(k) ?? null;
    if (exit !== null) {
      realized += exit.pnl_net;
      open = null;
      const cooldown = exit.reason === "SL_ZSCORE" || exit.reason === "MAX_HOLD";
      state = cooldown ? (exit.side === 1 ? CD_LONG : CD_SHORT) : FLAT;
    }
    if (state === CD_LONG && z >= -zExit) state = FLAT;
    else if (state === CD_SHORT && z <= zExit) state = FLAT;
    if (entry !== null) {
      open = entry;
      state = entry.side === 1 ? LONG : SHORT;
    }
    const a = inp.closeA[k]!;
    const b = inp.closeB[k]!;
    const metrics = {
      corr: nanOr(inp.corr, k),
      hurst: nanOr(inp.hurst, k),
      halfLife: nanOr(inp.halfLife, k),
      adfStat: nanOr(inp.adfStat, k),
      adfPvalue: nanOr(inp.adfPvalue, k),
    };
    traces.push({
      path: "batch",
      ts: inp.ts[k]!,
      i: g,
      inputs_hash: inputsHash(inp.ts[k]!, a, b),
      a,
      b,
      beta: ind.beta[g]!,
      alpha: ind.alpha[g]!,
      spread: ind.spread[g]!,
      mu: ind.mu[g]!,
      sigma: ind.sigma[g]!,
      z,
      corr: metrics.corr,
      hurst: metrics.hurst,
      half_life: metrics.halfLife,
      adf_stat: metrics.adfStat,
      adf_pvalue: metrics.adfPvalue,
      gates_ok: gatesAllow(metrics, thresholds),
      window_ok: inp.windowOk[k] === 1,
      eod: inp.eod[k] === 1,
      last: k === inp.n - 1,
      state: STATE_NAMES[state]!,
      decision: decisionName(exit?.reason ?? null, entry === null ? 0 : entry.side),
      position: open === null ? 0 : open.side,
      beta_entry: open === null ? Number.NaN : open.beta_entry,
      n_a: open === null ? 0 : open.n_a,
      n_b: open === null ? 0 : open.n_b,
      trade_pnl: exit === null ? Number.NaN : exit.pnl_net,
      realized,
      equity: result.equity[k]!,
      config_hash: configHash,
    });
  }
  return traces;
}
