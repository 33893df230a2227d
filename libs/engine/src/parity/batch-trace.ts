// The batch side of the parity gate: the reference engine (reference/reference-engine.ts) on the
// decision window — indicators computed over the whole loaded slow series (all the history before
// the window is its warm-up, as in a backtest), sliced to the window; for a hybrid engine also the
// window's fast rows and their calendar — turned into the `SignalTrace` rows the replay writes:
//   slow           one row per slow bar;
//   hybrid_dollar  each fast bar of the window (prices only), then each slow bar's completion;
//   hybrid_zlive   each fast bar of slow bars k ≥ 1 (on z_live), then each slow bar's completion.
// Decisions, sizes and PnL come from the reference's trade list, matched on fill times, and its
// equity at slow closes; the cooldown states, which the trade list does not show, follow from its
// exits and z by §5 step 2 (slow z at slow closes; z_live at fast bars in z-live mode).
import { type BacktestInputs, dayIndexOf } from "../kernels/backtest-inputs.js";
import { type HybridInputs, hybridInputs } from "../kernels/hybrid-inputs.js";
import { NO_EXIT } from "../rules/combo-rules.js";
import { EXIT_REASON_NAMES, FLAT, STATE_NAMES } from "../rules/enums.js";
import { type OpenPosition, readParams, unrealized } from "../rules/reference-rules.js";
import {
  fastBarCursor,
  lastProcessedFastBar,
  type ReferenceEngineName,
  zLiveAt,
} from "../reference/decision-rows.js";
import {
  runHybridDollarReference,
  runHybridZLiveReference,
  runReference,
} from "../reference/reference-engine.js";
import type { ReferenceResult, Trade } from "../reference/trade.js";
import type { SessionCalendar } from "../calendar/session-calendar.js";
import type { FastCloses } from "../loaders/fast-closes.js";
import type { PairBars } from "../loaders/index.js";
import {
  computeIndicators,
  type IndicatorSeries,
  type IndicatorSettings,
} from "../indicators/compute-indicators.js";
import type { Combination } from "../grid-spec/param-defs.js";
import { gatesAllow, type GateThresholds, gateThresholds } from "../live/gate-filter.js";
import { fastRowRange } from "../live/hybrid-feed.js";
import type { HybridEngineName } from "../live/hybrid-replay-engine.js";
import { indicatorPlan } from "../live/incremental-indicators.js";
import {
  type TraceBarFacts,
  decisionName,
  hybridConfigHash,
  inputsHash,
  PRICES_ONLY,
  runConfigHash,
  type SignalTrace,
} from "./signal-trace.js";

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

export interface HybridBatchRun extends BatchRun {
  hybrid: HybridInputs;
}

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

/** The window's hybrid inputs: slow inputs sliced, fast rows of the window's span, their calendar. */
function windowHybridInputs(
  data: ParityData,
  ind: IndicatorSeries,
  fast: FastCloses,
  w: DecisionWindow,
): HybridInputs {
  const slow = windowInputs(data, ind, w);
  const { lo, hi } = fastRowRange(data.pair, fast, data.barMs, w.from, w.to);
  const wf: FastCloses = {
    n: hi - lo,
    ts: fast.ts.subarray(lo, hi),
    closeA: fast.closeA.subarray(lo, hi),
    closeB: fast.closeB.subarray(lo, hi),
    barMs: fast.barMs,
  };
  const cut = (a: Float64Array) => a.subarray(w.from, w.to);
  return hybridInputs(
    slow,
    { alpha: cut(ind.alpha), mu: cut(ind.mu), sigma: cut(ind.sigma) },
    wf,
    data.calendar,
  );
}

/** The slow engine's batch path (ENGINE.md §9). */
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
  const traces = batchTraces("slow", inputs, null, ind, window.from, cfg, result, configHash);
  return { traces, result, inputs };
}

/** A hybrid engine's batch path (ENGINE.md §8–9). */
export function runHybridBatchPath(
  engine: HybridEngineName,
  data: ParityData,
  fast: FastCloses,
  combo: Combination,
  settings: IndicatorSettings,
  cfg: Float64Array,
  window: DecisionWindow,
  hooks: BatchFaultHooks = {},
): HybridBatchRun {
  const plan = indicatorPlan(combo, settings);
  const configHash = hybridConfigHash(plan, cfg, data.calendar.settings, data.barMs, engine, fast.barMs);
  let ind = computeIndicators(data.pair, combo, settings);
  if (hooks.indicators) ind = hooks.indicators(ind);
  const h = windowHybridInputs(data, ind, fast, window);
  const result =
    engine === "hybrid_dollar" ? runHybridDollarReference(h, cfg) : runHybridZLiveReference(h, cfg);
  const traces = batchTraces(engine, h.slow, h, ind, window.from, cfg, result, configHash);
  return { traces, result, inputs: h.slow, hybrid: h };
}

const nanOr = (arr: Float64Array | null, i: number) => (arr === null ? Number.NaN : arr[i]);

/** The gate metrics of slow bar k as a trace row shows them, and whether the gates allow an entry. */
function gateFacts(inp: BacktestInputs, k: number, thresholds: GateThresholds) {
  const metrics = {
    corr: nanOr(inp.corr, k),
    hurst: nanOr(inp.hurst, k),
    halfLife: nanOr(inp.halfLife, k),
    adfStat: nanOr(inp.adfStat, k),
    adfPvalue: nanOr(inp.adfPvalue, k),
  };
  return {
    corr: metrics.corr,
    hurst: metrics.hurst,
    half_life: metrics.halfLife,
    adf_stat: metrics.adfStat,
    adf_pvalue: metrics.adfPvalue,
    gates_ok: gatesAllow(metrics, thresholds),
  };
}

/** The reference's open position as a trade describes it (for unrealized PnL at other prices). */
function positionOf(t: Trade): OpenPosition {
  return {
    side: t.side,
    entryI: t.entry_i,
    entryTs: t.entry_ts,
    entryA: t.entry_a,
    entryB: t.entry_b,
    beta: t.beta_entry,
    na: t.n_a,
    nb: t.n_b,
    mfe: 0,
    mae: 0,
  };
}

/**
 * The trace rows of `engine` over the window (slow bars `from` …), from the reference's `result`.
 * `h` holds the fast rows of a hybrid engine; null for the slow engine, whose rows carry no
 * `event` / `close_ts`.
 */
function batchTraces(
  engine: ReferenceEngineName,
  inp: BacktestInputs,
  h: HybridInputs | null,
  ind: IndicatorSeries,
  from: number,
  cfg: Float64Array,
  result: ReferenceResult,
  configHash: string,
): SignalTrace[] {
  const p = readParams(cfg);
  const zlive = engine === "hybrid_zlive";
  const dollarOn = p.rules.dollarOn;
  const thresholds = gateThresholds(cfg);
  // fill times are unique per side: one position at a time, an entry after the exit it follows
  const entryAt = new Map<number, Trade>();
  const exitAt = new Map<number, Trade>();
  for (const t of result.trades) {
    entryAt.set(t.entry_ts, t);
    exitAt.set(t.exit_ts, t);
  }
  const traces: SignalTrace[] = [];
  let state = FLAT;
  let open: Trade | null = null;
  let realized = 0;

  // the trace's states follow the trades by the same rules the engines used (ComboRules)
  const rules = p.rules;
  const closeTrade = (t: Trade) => {
    realized += t.pnl_net;
    open = null;
    state = rules.stateAfterExit(EXIT_REASON_NAMES.indexOf(t.reason), t.side);
  };
  const endCooldown = (z: number) => {
    const d = rules.cooldownSide(state);
    if (d !== 0 && rules.releases(d * z)) state = FLAT;
  };
  const openTrade = (t: Trade) => {
    open = t;
    state = rules.positionState(t.side);
  };
  const u = (t: Trade | null, a: number, b: number) => (t === null ? 0 : unrealized(positionOf(t), p, a, b));
  /** A dollar-mode exit the fast scan took at this fast bar (the level reached at its close). */
  const fastDollarExit = (t: Trade, k: number, closeTs: number, a: number, b: number) => {
    if (!dollarOn || t.exit_i !== k || t.exit_ts !== closeTs) return false;
    const reason = rules.dollarExit(u(t, a, b));
    if (reason === NO_EXIT) return false;
    return t.reason === EXIT_REASON_NAMES[reason] && t.pnl_gross === rules.dollarLevel(reason);
  };
  const push = (
    event: "slow" | "fast",
    ts: number,
    closeTs: number,
    i: number,
    a: number,
    b: number,
    facts: TraceBarFacts,
    exit: Trade | null,
    entry: Trade | null,
    equity: number,
  ) => {
    const pos = open as Trade | null;
    traces.push({
      path: "batch",
      ts,
      i,
      inputs_hash: inputsHash(ts, a, b),
      a,
      b,
      ...facts,
      state: STATE_NAMES[state],
      decision: decisionName(exit?.reason ?? null, entry === null ? 0 : entry.side),
      position: pos === null ? 0 : pos.side,
      beta_entry: pos === null ? Number.NaN : pos.beta_entry,
      n_a: pos === null ? 0 : pos.n_a,
      n_b: pos === null ? 0 : pos.n_b,
      trade_pnl: exit === null ? Number.NaN : exit.pnl_net,
      realized,
      equity,
      config_hash: configHash,
      // the slow engine's rows are bars, not events of a merged stream
      ...(h === null ? {} : { event, close_ts: closeTs }),
    });
  };

  const fastBarsOf = h === null ? null : fastBarCursor(h);
  const lastJ = h === null ? -1 : lastProcessedFastBar(h);
  for (let k = 0; k < inp.n; k++) {
    const barStart = inp.ts[k];
    const barEnd = barStart + inp.barMs;

    // the fast bars of slow bar k (z-live: none at bar 0, which has no completed bar before it)
    if (h !== null && fastBarsOf !== null) {
      const fast = h.fast;
      const { first, end } = fastBarsOf(k);
      for (let j = first; (!zlive || k > 0) && j < end; j++) {
        const a = fast.closeA[j];
        const b = fast.closeB[j];
        const closeTs = fast.ts[j] + fast.barMs;
        let exit: Trade | null = null;
        let entry: Trade | null = null;
        if (!zlive) {
          const o = open as Trade | null;
          if (o !== null && fastDollarExit(o, k, closeTs, a, b)) {
            exit = o;
            closeTrade(o);
          }
          push(
            "fast",
            fast.ts[j],
            closeTs,
            from + k,
            a,
            b,
            PRICES_ONLY,
            exit,
            null,
            realized + u(open, a, b),
          );
          continue;
        }
        const prev = k - 1;
        const z = zLiveAt(h, prev, a, b);
        const x = exitAt.get(closeTs) ?? null;
        if (x !== null && x === open) {
          exit = x;
          closeTrade(x);
        }
        endCooldown(z);
        const e = entryAt.get(closeTs) ?? null;
        if (e !== null) {
          entry = e;
          openTrade(e);
        }
        const beta = inp.beta[prev];
        const alpha = h.alpha[prev];
        const facts: TraceBarFacts = {
          beta,
          alpha,
          spread: Math.log(a) - beta * Math.log(b) - alpha,
          mu: h.mu[prev],
          sigma: h.sigma[prev],
          z,
          // gates of the last completed slow bar, calendar of the fast bar's close
          ...gateFacts(inp, prev, thresholds),
          window_ok: h.fastWindowOk[j] === 1,
          eod: h.fastEod[j] === 1,
          last: j === lastJ,
        };
        push("fast", fast.ts[j], closeTs, from + k, a, b, facts, exit, entry, realized + u(open, a, b));
      }
    }

    // the slow bar's completion: its close decides, except in z-live mode (fast bars decide there)
    const g = from + k;
    const a = inp.closeA[k];
    const b = inp.closeB[k];
    const closeTs = barEnd;
    const z = inp.z[k];
    let exit: Trade | null = null;
    let entry: Trade | null = null;
    if (!zlive) {
      const o = open as Trade | null;
      if (o !== null && o.exit_i === k && o.exit_ts === closeTs) {
        exit = o;
        closeTrade(o);
      }
      endCooldown(z);
      const e = entryAt.get(closeTs) ?? null;
      if (e !== null && e.entry_i === k) {
        entry = e;
        openTrade(e);
      }
    }
    const facts: TraceBarFacts = {
      beta: ind.beta[g],
      alpha: ind.alpha[g],
      spread: ind.spread[g],
      mu: ind.mu[g],
      sigma: ind.sigma[g],
      z,
      ...gateFacts(inp, k, thresholds),
      window_ok: inp.windowOk[k] === 1,
      eod: inp.eod[k] === 1,
      last: k === inp.n - 1,
    };
    push("slow", barStart, closeTs, g, a, b, facts, exit, entry, result.equity[k]);
  }
  return traces;
}
