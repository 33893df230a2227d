// The per-trade bookkeeping of every kernel (bar-scan and event-driven grid kernels, hybrid
// kernels): running §7 statistics in exit order, the daily series, reason counts and (optionally)
// trade records, then the row and folds once the loop is done. One implementation, so every kernel
// writes a row with the same arithmetic, operation for operation: the hybrid dollar kernel with its
// dollar exits off and the event-driven kernel give bit-identical rows to the bar-scan kernel.
// It runs once per trade, never per bar.
import type { KernelScratch } from "./grid-kernel-scratch.js";
import { writeDailyStatistics } from "./grid-kernel-statistics.js";
import * as TR from "./grid-kernel-trade-record.js";
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
} from "./stat-row.js";

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
  ) {
    if (scratch.daily.length < nDays || scratch.dayTrades.length < nDays) {
      throw new Error(`kernel: scratch holds ${scratch.daily.length} days, inputs have ${nDays}`);
    }
    scratch.daily.fill(0, 0, nDays);
    scratch.dayTrades.fill(0, 0, nDays);
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
