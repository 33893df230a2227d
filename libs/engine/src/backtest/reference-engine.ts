// The reference engine: one combination, bar by bar, written to be read against ENGINE.md §5–7
// rather than to be fast. It is the oracle every fast path (grid kernel, event-driven kernel,
// hybrid with dollar exits off, live replay) is tested against, so it stays obvious: named
// variables, one step of the spec per block, statistics from the finished trade list.
import { dayNumberToIso } from "../calendar/index.js";
import type { BacktestInputs } from "./backtest-inputs.js";
import * as C from "./config-vector.js";
import { foldStart, sharpeOf, skewKurtosisOf, sortinoOf } from "./daily-statistics.js";
import {
  CD_LONG,
  CD_SHORT,
  END_OF_DATA,
  EXIT_REASON_NAMES,
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
import type { FoldStats, ReferenceResult, Trade } from "./trade.js";

/** The config vector as named fields; NaN means "off". */
interface Params {
  zEntry: number;
  zExit: number;
  zStop: number;
  maxHold: number;
  dollarTp: number;
  dollarSl: number;
  minCorr: number;
  maxHurst: number;
  hlMin: number;
  hlMax: number;
  adfMaxStat: number;
  adfMaxPvalue: number;
  minGates: number;
  multA: number;
  multB: number;
  tickA: number;
  tickB: number;
  commission: number;
  slippageTicks: number;
  baseQty: number;
  maxMult: number;
}

function readParams(cfg: Float64Array): Params {
  return {
    zEntry: cfg[C.CFG_Z_ENTRY]!,
    zExit: cfg[C.CFG_Z_EXIT]!,
    zStop: cfg[C.CFG_Z_STOP]!,
    maxHold: cfg[C.CFG_MAX_HOLD]!,
    dollarTp: cfg[C.CFG_DOLLAR_TP]!,
    dollarSl: cfg[C.CFG_DOLLAR_SL]!,
    minCorr: cfg[C.CFG_MIN_CORR]!,
    maxHurst: cfg[C.CFG_MAX_HURST]!,
    hlMin: cfg[C.CFG_HL_MIN]!,
    hlMax: cfg[C.CFG_HL_MAX]!,
    adfMaxStat: cfg[C.CFG_ADF_MAX_STAT]!,
    adfMaxPvalue: cfg[C.CFG_ADF_MAX_PVALUE]!,
    minGates: cfg[C.CFG_MIN_GATES]!,
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

const on = (threshold: number) => !Number.isNaN(threshold);

function metric(arr: Float64Array | null, name: string, i: number): number {
  if (arr === null) throw new Error(`gate ${name} is on but its metric was not computed`);
  return arr[i]!;
}

/** §4 gate filter / confidence filter at bar i. A NaN metric fails its gate. */
function gatesAllow(inp: BacktestInputs, p: Params, i: number): boolean {
  const results: boolean[] = [];
  if (on(p.minCorr)) results.push(metric(inp.corr, "corr", i) >= p.minCorr);
  if (on(p.maxHurst)) results.push(metric(inp.hurst, "hurst", i) <= p.maxHurst);
  if (on(p.hlMin) || on(p.hlMax)) {
    const hl = metric(inp.halfLife, "half_life", i);
    const aboveMin = !on(p.hlMin) || hl >= p.hlMin;
    const belowMax = !on(p.hlMax) || hl <= p.hlMax;
    results.push(!Number.isNaN(hl) && aboveMin && belowMax);
  }
  if (on(p.adfMaxStat)) results.push(metric(inp.adfStat, "adf_stat", i) <= p.adfMaxStat);
  if (on(p.adfMaxPvalue)) results.push(metric(inp.adfPvalue, "adf_pvalue", i) <= p.adfMaxPvalue);
  const passed = results.filter(Boolean).length;
  if (p.minGates < 0) return passed === results.length;
  return passed >= p.minGates;
}

interface OpenPosition {
  side: 1 | -1;
  entryI: number;
  entryA: number;
  entryB: number;
  beta: number;
  na: number;
  nb: number;
  mfe: number;
  mae: number;
}

/** §6: u = d·(N_a·M_A·(a − a_entry) − sb·N_b·M_B·(b − b_entry)), sb = sign(beta) with 0 → +1. */
function unrealized(pos: OpenPosition, p: Params, a: number, b: number): number {
  const sb = pos.beta < 0 ? -1 : 1;
  return pos.side * (pos.na * p.multA * (a - pos.entryA) - sb * pos.nb * p.multB * (b - pos.entryB));
}

/** §5 step 1: the first exit that applies at bar i, in priority order, or null. */
function exitReason(inp: BacktestInputs, p: Params, pos: OpenPosition, i: number, u: number): number | null {
  const z = inp.z[i]!;
  const zKnown = !Number.isNaN(z);
  if (on(p.dollarSl) && u <= -p.dollarSl) return SL_DOLLAR;
  if (on(p.dollarTp) && u >= p.dollarTp) return TP_DOLLAR;
  if (zKnown && on(p.zStop)) {
    if (pos.side === 1 && z <= -p.zStop) return SL_ZSCORE;
    if (pos.side === -1 && z >= p.zStop) return SL_ZSCORE;
  }
  if (zKnown) {
    if (pos.side === 1 && z >= -p.zExit) return TP_ZSCORE;
    if (pos.side === -1 && z <= p.zExit) return TP_ZSCORE;
  }
  if (p.maxHold > 0 && i - pos.entryI >= p.maxHold) return MAX_HOLD;
  if (inp.eod[i] === 1) return FLAT_EOD;
  if (i === inp.n - 1) return END_OF_DATA;
  return null;
}

export function runReference(inp: BacktestInputs, cfg: Float64Array, nFolds = 16): ReferenceResult {
  const p = readParams(cfg);
  const n = inp.n;
  const trades: Trade[] = [];
  const equity = new Float64Array(n);
  const sizes = [0, 0];
  let state = FLAT;
  let pos: OpenPosition | null = null;
  let realized = 0;

  for (let i = 0; i < n; i++) {
    const a = inp.closeA[i]!;
    const b = inp.closeB[i]!;
    const z = inp.z[i]!;

    // 1. exits, first hit wins; the exit fills at bar i's close
    if (pos !== null) {
      const u = unrealized(pos, p, a, b);
      pos.mfe = Math.max(pos.mfe, u);
      pos.mae = Math.min(pos.mae, u);
      const reason = exitReason(inp, p, pos, i, u);
      if (reason !== null) {
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
        trades.push({
          side: pos.side,
          entry_i: pos.entryI,
          exit_i: i,
          entry_ts: inp.ts[pos.entryI]! + inp.barMs,
          exit_ts: inp.ts[i]! + inp.barMs,
          entry_a: pos.entryA,
          entry_b: pos.entryB,
          exit_a: a,
          exit_b: b,
          beta_entry: pos.beta,
          n_a: pos.na,
          n_b: pos.nb,
          pnl_gross: u,
          costs,
          pnl_net: u - costs,
          reason: EXIT_REASON_NAMES[reason]!,
          bars_held: i - pos.entryI,
          mfe: pos.mfe,
          mae: pos.mae,
          exit_day: dayNumberToIso(inp.tradingDay[i]!),
        });
        realized += u - costs;
        const cooldown = reason === SL_ZSCORE || reason === MAX_HOLD;
        if (cooldown) state = pos.side === 1 ? CD_LONG : CD_SHORT;
        else state = FLAT;
        pos = null;
      }
    }

    // 2. a cooldown ends when the spread is back inside the exit band (NaN z keeps it)
    if (state === CD_LONG && z >= -p.zExit) state = FLAT;
    if (state === CD_SHORT && z <= p.zExit) state = FLAT;

    // 3. entry, only from FLAT (possibly reached at this very bar)
    const last = i === n - 1;
    const mayEnter =
      state === FLAT &&
      !Number.isNaN(z) &&
      inp.windowOk[i] === 1 &&
      inp.eod[i] === 0 &&
      !last &&
      gatesAllow(inp, p, i);
    if (mayEnter && (z <= -p.zEntry || z >= p.zEntry)) {
      const side = z <= -p.zEntry ? 1 : -1;
      const beta = inp.beta[i]!;
      legSizes(hedgeRatio(a, b, p.multA, p.multB, beta), p.baseQty, p.maxMult, sizes);
      pos = {
        side,
        entryI: i,
        entryA: a,
        entryB: b,
        beta,
        na: sizes[0]!,
        nb: sizes[1]!,
        mfe: -Infinity,
        mae: Infinity,
      };
      state = side === 1 ? LONG : SHORT;
    }

    // mark to market: realized net plus open gross unrealized at this close
    equity[i] = realized + (pos !== null ? unrealized(pos, p, a, b) : 0);
  }

  const daily = dailySeries(inp, trades);
  return {
    trades,
    equity,
    daily,
    stats: statistics(inp, trades, equity, daily),
    folds: foldStats(inp, trades, daily, nFolds),
  };
}

/** One value per trading day present: net PnL of the trades exiting that day, in exit order. */
function dailySeries(inp: BacktestInputs, trades: Trade[]): Float64Array {
  const daily = new Float64Array(inp.nDays);
  for (const t of trades) daily[inp.dayIndex[t.exit_i]!]! += t.pnl_net;
  return daily;
}

/** Largest peak-to-trough fall of a path starting from 0. */
function maxDrawdown(path: Iterable<number>): number {
  let peak = 0;
  let worst = 0;
  for (const v of path) {
    peak = Math.max(peak, v);
    worst = Math.max(worst, peak - v);
  }
  return worst;
}

function cumulative(values: number[]): number[] {
  let sum = 0;
  return values.map((v) => (sum += v));
}

const nullIfNaN = (v: number) => (Number.isNaN(v) ? null : v);

function statistics(
  inp: BacktestInputs,
  trades: Trade[],
  equity: Float64Array,
  daily: Float64Array,
): Record<string, number | null> {
  const nTrades = trades.length;
  const net = trades.map((t) => t.pnl_net);
  const total = net.reduce((s, v) => s + v, 0);
  const grossProfit = net.filter((v) => v > 0).reduce((s, v) => s + v, 0);
  const grossLoss = net.filter((v) => v < 0).reduce((s, v) => s + v, 0);
  const barsHeld = trades.reduce((s, t) => s + t.bars_held, 0);
  const nWins = net.filter((v) => v > 0).length;
  const moments = [Number.NaN, Number.NaN];
  skewKurtosisOf(daily, moments);
  const count = (reason: string) => trades.filter((t) => t.reason === reason).length;

  // end-of-day MTM equity, then its daily changes (the first day from 0)
  const eodEquity = new Float64Array(inp.nDays);
  for (let i = 0; i < inp.n; i++) eodEquity[inp.dayIndex[i]!] = equity[i]!;
  const eodChanges = eodEquity.map((v, d) => (d === 0 ? v : v - eodEquity[d - 1]!));

  return {
    n_trades: nTrades,
    n_long: trades.filter((t) => t.side === 1).length,
    n_short: trades.filter((t) => t.side === -1).length,
    n_wins: nWins,
    win_rate: nTrades > 0 ? nWins / nTrades : 0,
    total_pnl: total,
    avg_pnl: nTrades > 0 ? total / nTrades : 0,
    gross_profit: grossProfit,
    gross_loss: grossLoss,
    profit_factor: grossLoss !== 0 ? grossProfit / Math.abs(grossLoss) : null,
    max_dd: maxDrawdown(cumulative(net)),
    sharpe: nullIfNaN(sharpeOf(daily)),
    sortino: nullIfNaN(sortinoOf(daily)),
    avg_bars_held: nTrades > 0 ? barsHeld / nTrades : 0,
    exposure: barsHeld / inp.n,
    n_days: inp.nDays,
    skew: nullIfNaN(moments[0]!),
    kurtosis: nullIfNaN(moments[1]!),
    n_tp_zscore: count("TP_ZSCORE"),
    n_sl_zscore: count("SL_ZSCORE"),
    n_tp_dollar: count("TP_DOLLAR"),
    n_sl_dollar: count("SL_DOLLAR"),
    n_max_hold: count("MAX_HOLD"),
    n_flat_eod: count("FLAT_EOD"),
    n_end_of_data: count("END_OF_DATA"),
    max_dd_mtm: maxDrawdown(equity),
    sharpe_mtm: nullIfNaN(sharpeOf(eodChanges)),
  };
}

/** §7 folds: consecutive day ranges; a trade belongs to the fold of its exit day. */
function foldStats(inp: BacktestInputs, trades: Trade[], daily: Float64Array, nFolds: number): FoldStats[] {
  const folds: FoldStats[] = [];
  for (let f = 0; f < nFolds; f++) {
    const d0 = foldStart(f, nFolds, inp.nDays);
    const d1 = foldStart(f + 1, nFolds, inp.nDays);
    let pnl = 0;
    let pnlSq = 0;
    for (let d = d0; d < d1; d++) {
      pnl += daily[d]!;
      pnlSq += daily[d]! * daily[d]!;
    }
    const nTrades = trades.filter((t) => {
      const d = inp.dayIndex[t.exit_i]!;
      return d >= d0 && d < d1;
    }).length;
    folds.push({ n_trades: nTrades, pnl, pnl_sq: pnlSq, n_days: d1 - d0 });
  }
  return folds;
}
