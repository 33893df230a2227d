// The per-trade bookkeeping of every kernel (bar-scan and event-driven grid kernels, hybrid
// kernels): running §7 statistics in exit order, the daily series, reason counts and (optionally)
// trade records, then the row and folds once the loop is done. One implementation, so every kernel
// writes a row with the same arithmetic, operation for operation: the hybrid dollar kernel with its
// dollar exits off and the event-driven kernel give bit-identical rows to the bar-scan kernel.
// It runs once per trade, never per bar.
import type { KernelScratch } from "../kernels/grid-kernel-scratch.js";
import { writeDailyStatistics } from "../statistics/grid-kernel-statistics.js";
import * as TR from "../kernels/grid-kernel-trade-record.js";
import {
  S_AVG_BARS_HELD,
  S_AVG_PNL,
  S_EXPOSURE,
  S_GROSS_LOSS,
  S_GROSS_PROFIT,
  S_MAX_DD,
  S_N_LONG,
  S_N_SHORT,
  S_N_TRADES,
  S_N_WINS,
  S_PROFIT_FACTOR,
  S_REASON,
  S_TOTAL_PNL,
  S_WIN_RATE,
} from "../statistics/stat-row.js";

/**
 * Trades whose updates are known in advance (a family's base run, event-family-kernel.ts): net PnL
 * and exit day index per trade, and prefix sums (index k = trades 0 … k − 1) of the integer counts.
 */
export interface TradeRun {
  pnlNet: Float64Array;
  /** pnlNet where it is > 0, else +0; `loss`: where it is < 0, else +0. */
  gain: Float64Array;
  loss: Float64Array;
  day: Int32Array;
  cumWins: Float64Array;
  cumLong: Float64Array;
  cumHeld: Float64Array;
  /** Stride N_REASONS: cumReason[k · N_REASONS + r] = trades before k that exited for reason r. */
  cumReason: Float64Array;
}

/**
 * A TradeRun's sums in exact arithmetic (ExactRun, kernels/event-family-exact.ts): prefix sums of
 * net PnL, gains and losses, and `query(a, b)`, which leaves the max, min and largest fall of
 * prefixPnl over indices a … b in qMax, qMin, qDrop.
 */
export interface ExactSums {
  prefixPnl: Float64Array;
  prefixGain: Float64Array;
  prefixLoss: Float64Array;
  qMax: number;
  qMin: number;
  qDrop: number;
  query(a: number, b: number): void;
}

export const N_REASONS = S_REASON.length;

export class KernelTally {
  nTrades = 0;
  private nLong = 0;
  private nWins = 0;
  private totalPnl = 0;
  private grossProfit = 0;
  private grossLoss = 0;
  private peak = 0;
  private maxDd = 0;
  private barsHeld = 0;
  private readonly capacity: number;

  /**
   * `recordWidth`: TRADE_RECORD_WIDTH writes the grid kernel's record; TIMED_TRADE_RECORD_WIDTH (the
   * default, for the hybrid kernels) adds the entry and exit fill times.
   */
  constructor(
    private readonly scratch: KernelScratch,
    private readonly nDays: number,
    private readonly row: Float64Array,
    private readonly rowOffset: number,
    private readonly trades: Float64Array | null,
    private readonly recordWidth: number = TR.TIMED_TRADE_RECORD_WIDTH,
    /**
     * A daily series to start from instead of zeros (nDays values each): a base run's, for a
     * member in exact arithmetic (event-family-exact.ts), which takes out the base trades it does
     * not make (unrecord) and records its own.
     */
    seed: { daily: Float64Array; dayTrades: Int32Array } | null = null,
  ) {
    if (scratch.daily.length < nDays || scratch.dayTrades.length < nDays) {
      throw new Error(`kernel: scratch holds ${scratch.daily.length} days, inputs have ${nDays}`);
    }
    if (seed === null) {
      scratch.daily.fill(0, 0, nDays);
      scratch.dayTrades.fill(0, 0, nDays);
    } else {
      if (seed.daily.length !== nDays || seed.dayTrades.length !== nDays) {
        throw new Error(`kernel: a seed of ${seed.daily.length} days for inputs of ${nDays}`);
      }
      scratch.daily.set(seed.daily);
      scratch.dayTrades.set(seed.dayTrades);
    }
    for (let r = 0; r < S_REASON.length; r++) row[rowOffset + S_REASON[r]] = 0;
    this.capacity = trades === null ? 0 : Math.floor(trades.length / recordWidth);
  }

  /** One closed trade; `day` is the day index of its exit, bars held in slow-bar indices. */
  record(
    entryI: number,
    exitI: number,
    d: number,
    na: number,
    nb: number,
    reason: number,
    betaEntry: number,
    entryTs: number,
    exitTs: number,
    pnlGross: number,
    costs: number,
    day: number,
  ): void {
    const pnlNet = pnlGross - costs;
    // the record, when asked for, in a method of its own: kept out of this one, `record` stays
    // small enough for V8 to inline into the kernels' loops
    if (this.nTrades < this.capacity) {
      this.writeRecord(entryI, exitI, d, na, nb, reason, betaEntry, entryTs, exitTs, pnlGross, costs, pnlNet);
    }
    this.nTrades++;
    if (d === 1) this.nLong++;
    if (pnlNet > 0) {
      this.nWins++;
      this.grossProfit += pnlNet;
    } else if (pnlNet < 0) {
      this.grossLoss += pnlNet;
    }
    this.totalPnl += pnlNet;
    if (this.totalPnl > this.peak) this.peak = this.totalPnl;
    if (this.peak - this.totalPnl > this.maxDd) this.maxDd = this.peak - this.totalPnl;
    this.barsHeld += exitI - entryI;
    this.row[this.rowOffset + S_REASON[reason]] += 1;
    this.scratch.daily[day] += pnlNet;
    this.scratch.dayTrades[day] += 1;
  }

  /**
   * Trades k0 … k1 − 1 of `run`, in order: for each, what record() does, operation for operation
   * on the floating sums (they depend on the order); the integer counts (exact in doubles, so in
   * any grouping) are added from the run's prefix sums. Only without trade records.
   */
  recordRun(run: TradeRun, k0: number, k1: number): void {
    if (this.capacity > 0) throw new Error("kernel tally: recordRun does not write trade records");
    if (k1 <= k0) return;
    const { pnlNet, gain, loss, day } = run;
    const { daily, dayTrades } = this.scratch;
    let grossProfit = this.grossProfit;
    let grossLoss = this.grossLoss;
    let totalPnl = this.totalPnl;
    let peak = this.peak;
    let maxDd = this.maxDd;
    // the current day's sum in a register, not re-read from memory each trade: the same additions
    // in the same order
    let dk = day[k0]!;
    let dayPnl = daily[dk]!;
    let dayCount = dayTrades[dk]!;
    for (let k = k0; k < k1; k++) {
      const p = pnlNet[k]!;
      // record() adds p to one of the gross sums when p > 0 or p < 0; adding +0 to the other
      // changes no bit (the sums start at +0 and are never −0)
      grossProfit += gain[k]!;
      grossLoss += loss[k]!;
      totalPnl += p;
      if (totalPnl > peak) peak = totalPnl;
      if (peak - totalPnl > maxDd) maxDd = peak - totalPnl;
      const d = day[k]!;
      if (d !== dk) {
        daily[dk] = dayPnl;
        dayTrades[dk] = dayCount;
        dk = d;
        dayPnl = daily[dk]!;
        dayCount = dayTrades[dk]!;
      }
      dayPnl += p;
      dayCount += 1;
    }
    daily[dk] = dayPnl;
    dayTrades[dk] = dayCount;
    this.grossProfit = grossProfit;
    this.grossLoss = grossLoss;
    this.totalPnl = totalPnl;
    this.peak = peak;
    this.maxDd = maxDd;
    this.addRunCounts(run, k0, k1);
  }

  /** The trade counts of run trades k0 … k1 − 1, from the run's prefix counts (both recordRun forms). */
  private addRunCounts(run: TradeRun, k0: number, k1: number): void {
    this.nTrades += k1 - k0;
    this.nWins += run.cumWins[k1]! - run.cumWins[k0]!;
    this.nLong += run.cumLong[k1]! - run.cumLong[k0]!;
    this.barsHeld += run.cumHeld[k1]! - run.cumHeld[k0]!;
    const c = run.cumReason;
    for (let r = 0; r < N_REASONS; r++) {
      const count = c[k1 * N_REASONS + r]! - c[k0 * N_REASONS + r]!;
      if (count !== 0) this.row[this.rowOffset + S_REASON[r]!] += count;
    }
  }

  /** Takes a base trade's net PnL out of the seeded daily series (exact arithmetic only). */
  unrecord(day: number, pnlNet: number): void {
    this.scratch.daily[day] -= pnlNet;
    this.scratch.dayTrades[day] -= 1;
  }

  /**
   * recordRun(run, k0, k1) for a run whose sums are exact (ExactRun.build succeeded, and every
   * value this tally adds is on its grid): the same values from prefix sums and range summaries
   * instead of trade by trade, and the daily series left as seeded (it already holds these
   * trades). The header of event-family-exact.ts says why the bits are the same.
   */
  recordRunExact(run: TradeRun, exact: ExactSums, k0: number, k1: number): void {
    if (this.capacity > 0) throw new Error("kernel tally: recordRunExact does not write trade records");
    if (k1 <= k0) return;
    const P = exact.prefixPnl;
    const total = this.totalPnl;
    const base = total - P[k0]!;
    exact.query(k0 + 1, k1);
    // the largest fall over the stretch: from the peak before it to its lowest total, or within it
    const low = base + exact.qMin;
    if (this.peak - low > this.maxDd) this.maxDd = this.peak - low;
    if (exact.qDrop > this.maxDd) this.maxDd = exact.qDrop;
    const high = base + exact.qMax;
    if (high > this.peak) this.peak = high;
    this.totalPnl = total + (P[k1]! - P[k0]!);
    this.grossProfit += exact.prefixGain[k1]! - exact.prefixGain[k0]!;
    this.grossLoss += exact.prefixLoss[k1]! - exact.prefixLoss[k0]!;
    this.addRunCounts(run, k0, k1);
  }

  private writeRecord(
    entryI: number,
    exitI: number,
    d: number,
    na: number,
    nb: number,
    reason: number,
    betaEntry: number,
    entryTs: number,
    exitTs: number,
    pnlGross: number,
    costs: number,
    pnlNet: number,
  ): void {
    const o = this.nTrades * this.recordWidth;
    const t = this.trades!;
    t[o + TR.TR_ENTRY_I] = entryI;
    t[o + TR.TR_EXIT_I] = exitI;
    t[o + TR.TR_SIDE] = d;
    t[o + TR.TR_N_A] = na;
    t[o + TR.TR_N_B] = nb;
    t[o + TR.TR_REASON] = reason;
    t[o + TR.TR_BETA_ENTRY] = betaEntry;
    t[o + TR.TR_PNL_GROSS] = pnlGross;
    t[o + TR.TR_COSTS] = costs;
    t[o + TR.TR_PNL_NET] = pnlNet;
    if (this.recordWidth > TR.TRADE_RECORD_WIDTH) {
      t[o + TR.TR_ENTRY_TS] = entryTs;
      t[o + TR.TR_EXIT_TS] = exitTs;
    }
  }

  /** Writes the §7 row (n = slow bars, for exposure) and the folds; returns the trade count. */
  finish(n: number, folds: Float64Array, foldOffset: number, nFolds: number): number {
    const { row, rowOffset: o, nTrades } = this;
    row[o + S_N_TRADES] = nTrades;
    row[o + S_N_LONG] = this.nLong;
    row[o + S_N_SHORT] = nTrades - this.nLong;
    row[o + S_N_WINS] = this.nWins;
    row[o + S_WIN_RATE] = nTrades > 0 ? this.nWins / nTrades : 0;
    row[o + S_TOTAL_PNL] = this.totalPnl;
    row[o + S_AVG_PNL] = nTrades > 0 ? this.totalPnl / nTrades : 0;
    row[o + S_GROSS_PROFIT] = this.grossProfit;
    row[o + S_GROSS_LOSS] = this.grossLoss;
    row[o + S_PROFIT_FACTOR] =
      this.grossLoss !== 0 ? this.grossProfit / Math.abs(this.grossLoss) : Number.NaN;
    row[o + S_MAX_DD] = this.maxDd;
    row[o + S_AVG_BARS_HELD] = nTrades > 0 ? this.barsHeld / nTrades : 0;
    row[o + S_EXPOSURE] = n > 0 ? this.barsHeld / n : 0;
    writeDailyStatistics(this.scratch, this.nDays, row, o, folds, foldOffset, nFolds);
    return nTrades;
  }
}
