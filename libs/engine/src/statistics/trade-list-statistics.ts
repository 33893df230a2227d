// §7 statistics of a finished trade list, computed exactly as the slow reference engine computes
// them (same sums in the same order, the same daily-statistics functions), so a hybrid run whose
// trades equal the slow run's gives bit-identical statistics. The readable hybrid engines and the
// precomputed-curve grid both end here.
import type { BacktestInputs } from "../kernels/backtest-inputs.js";
import { foldStart, sharpeOf, skewKurtosisOf, sortinoOf } from "./daily-statistics.js";
import type { FoldStats, ReferenceResult, Trade } from "../reference/trade.js";

/** Day index (0 … nDays − 1) of the trading day a trade exits on. */
export type ExitDayIndex = (t: Trade) => number;

const byExitBar =
  (inp: BacktestInputs): ExitDayIndex =>
  (t) =>
    inp.dayIndex[t.exit_i];

/** One value per trading day present: net PnL of the trades exiting that day, in exit order. */
export function dailySeries(
  inp: BacktestInputs,
  trades: readonly Trade[],
  dayOf = byExitBar(inp),
): Float64Array {
  const daily = new Float64Array(inp.nDays);
  for (const t of trades) daily[dayOf(t)] += t.pnl_net;
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

/** The §7 row (no mark-to-market figures) of a trade list, null where undefined. */
export function tradeListStatistics(
  inp: BacktestInputs,
  trades: readonly Trade[],
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
    skew: nullIfNaN(moments[0]),
    kurtosis: nullIfNaN(moments[1]),
    n_tp_zscore: count("TP_ZSCORE"),
    n_sl_zscore: count("SL_ZSCORE"),
    n_tp_dollar: count("TP_DOLLAR"),
    n_sl_dollar: count("SL_DOLLAR"),
    n_max_hold: count("MAX_HOLD"),
    n_flat_eod: count("FLAT_EOD"),
    n_end_of_data: count("END_OF_DATA"),
  };
}

/** `max_dd_mtm` and `sharpe_mtm` of an equity curve marked at every slow close. */
export function markToMarketStatistics(
  inp: BacktestInputs,
  equity: Float64Array,
): { max_dd_mtm: number; sharpe_mtm: number | null } {
  // end-of-day MTM equity, then its daily changes (the first day from 0)
  const eodEquity = new Float64Array(inp.nDays);
  for (let i = 0; i < inp.n; i++) eodEquity[inp.dayIndex[i]] = equity[i];
  const eodChanges = eodEquity.map((v, d) => (d === 0 ? v : v - eodEquity[d - 1]));
  return { max_dd_mtm: maxDrawdown(equity), sharpe_mtm: nullIfNaN(sharpeOf(eodChanges)) };
}

/** §7 folds: consecutive day ranges; a trade belongs to the fold of its exit day. */
export function foldStatistics(
  inp: BacktestInputs,
  trades: readonly Trade[],
  daily: Float64Array,
  nFolds: number,
  dayOf = byExitBar(inp),
): FoldStats[] {
  const folds: FoldStats[] = [];
  for (let f = 0; f < nFolds; f++) {
    const d0 = foldStart(f, nFolds, inp.nDays);
    const d1 = foldStart(f + 1, nFolds, inp.nDays);
    let pnl = 0;
    let pnlSq = 0;
    for (let d = d0; d < d1; d++) {
      pnl += daily[d];
      pnlSq += daily[d] * daily[d];
    }
    const nTrades = trades.filter((t) => {
      const d = dayOf(t);
      return d >= d0 && d < d1;
    }).length;
    folds.push({ n_trades: nTrades, pnl, pnl_sq: pnlSq, n_days: d1 - d0 });
  }
  return folds;
}

/** The whole result of a readable engine run: trades, equity, daily series, statistics, folds. */
export function tradeListResult(
  inp: BacktestInputs,
  trades: Trade[],
  equity: Float64Array,
  nFolds: number,
): ReferenceResult {
  const daily = dailySeries(inp, trades);
  return {
    trades,
    equity,
    daily,
    stats: { ...tradeListStatistics(inp, trades, daily), ...markToMarketStatistics(inp, equity) },
    folds: foldStatistics(inp, trades, daily, nFolds),
  };
}
