// The hybrid z-live kernel: one combination of the z-live hybrid engine (ENGINE.md §8) as a flat
// loop, for grids. It must give exactly the trades of the readable engine
// (hybrid-zlive-reference.ts).
/*
 * The §5 state machine runs on every processed fast row (zlive-rows.ts), so this is the slow grid
 * kernel's loop (FLAT scan on z, then a position stretch, then a cooldown stretch) over the rows
 * p = 0 … N−1 instead of slow bars, on the group's z_live series. What changes with the row:
 *   - gates and beta_entry come from the last completed slow bar, slowOf[p] − 1;
 *   - window_ok and eod are the fast close's; "last bar" is the last processed row;
 *   - max_hold is elapsed time: the first row whose close is ≥ entry fill + max_hold·L_slow,
 *     found by binary search at the entry and folded with the last row into one bound, as the grid
 *     kernel folds MAX_HOLD and END_OF_DATA;
 *   - a dollar exit books its level; entries and exits fill at the fast close;
 *   - entry_i / exit_i, bars held and the exit day are those of the slow bars holding the rows.
 */
import type { BacktestInputs } from "./backtest-inputs.js";
import {
  CFG_BASE_QTY,
  CFG_COMMISSION,
  CFG_DOLLAR_SL,
  CFG_DOLLAR_TP,
  CFG_MAX_HOLD,
  CFG_MAX_MULT,
  CFG_MULT_A,
  CFG_MULT_B,
  CFG_SLIPPAGE_TICKS,
  CFG_TICK_A,
  CFG_TICK_B,
  CFG_Z_ENTRY,
  CFG_Z_EXIT,
  CFG_Z_STOP,
} from "../rules/config-vector.js";
import {
  END_OF_DATA,
  FLAT_EOD,
  MAX_HOLD,
  SL_DOLLAR,
  SL_ZSCORE,
  TP_DOLLAR,
  TP_ZSCORE,
} from "../rules/enums.js";
import type { KernelScratch } from "./grid-kernel-scratch.js";
import { GateSet } from "../rules/kernel-gates.js";
import { KernelTally } from "../rules/kernel-tally.js";
import { hedgeRatio, legSizes, roundTripCosts } from "../rules/sizing.js";
import type { FastCloses } from "../loaders/fast-closes.js";
import type { ZLiveRows } from "./zlive-rows.js";

/** What the z-live kernel reads: one group's slow inputs and z_live series, the fast data and rows. */
export interface ZLiveKernelInputs {
  slow: BacktestInputs;
  fast: FastCloses;
  rows: ZLiveRows;
  /** z_live of each processed row (zLiveSeries), for this group's indicators. */
  zLive: Float64Array;
}

/** First row q in [from, to) whose fast close is ≥ `t` (closes increase with q), else `to`. */
function firstRowClosingAtOrAfter(
  fastTs: Float64Array,
  fastRow: Int32Array,
  fastBarMs: number,
  t: number,
  from: number,
  to: number,
): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (fastTs[fastRow[mid]] + fastBarMs < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Same outputs as runHybridDollarKernel; returns the trade count. */
export function runHybridZLiveKernel(
  hin: ZLiveKernelInputs,
  cfg: Float64Array,
  cfgOffset: number,
  row: Float64Array,
  rowOffset: number,
  folds: Float64Array,
  foldOffset: number,
  nFolds: number,
  scratch: KernelScratch,
  trades: Float64Array | null,
): number {
  const inp = hin.slow;
  const { beta, dayIndex } = inp;
  const { slowOf, fastRow, eod, windowOk } = hin.rows;
  const z = hin.zLive;
  const nRows = hin.rows.n;
  const fastTs = hin.fast.ts;
  const fastA = hin.fast.closeA;
  const fastB = hin.fast.closeB;
  const fastBarMs = hin.fast.barMs;
  if (z.length !== nRows) throw new Error(`z-live kernel: z_live has ${z.length} rows, expected ${nRows}`);

  const ze = cfg[cfgOffset + CFG_Z_ENTRY];
  const negZe = -ze;
  const negZx = -cfg[cfgOffset + CFG_Z_EXIT];
  const negZs = -cfg[cfgOffset + CFG_Z_STOP];
  const maxHold = cfg[cfgOffset + CFG_MAX_HOLD];
  const holdOn = maxHold > 0;
  const holdMs = maxHold * inp.barMs;
  const dollarTp = cfg[cfgOffset + CFG_DOLLAR_TP];
  const negDollarSl = -cfg[cfgOffset + CFG_DOLLAR_SL];
  const dollarOn = !Number.isNaN(dollarTp) || !Number.isNaN(negDollarSl);
  const gates = new GateSet(inp, cfg, cfgOffset);

  const multA = cfg[cfgOffset + CFG_MULT_A];
  const multB = cfg[cfgOffset + CFG_MULT_B];
  const tickA = cfg[cfgOffset + CFG_TICK_A];
  const tickB = cfg[cfgOffset + CFG_TICK_B];
  const commission = cfg[cfgOffset + CFG_COMMISSION];
  const slippageTicks = cfg[cfgOffset + CFG_SLIPPAGE_TICKS];
  const baseQty = cfg[cfgOffset + CFG_BASE_QTY];
  const maxMult = cfg[cfgOffset + CFG_MAX_MULT];
  const sizes = scratch.sizes;
  const tally = new KernelTally(scratch, inp.nDays, row, rowOffset, trades);

  const last = nRows - 1;
  let p = 0;
  while (p < last) {
    // FLAT: scan z_live while strictly inside (−ze, ze); NaN never stops the scan
    let zp = z[p];
    while (!(zp <= negZe || zp >= ze)) {
      if (++p >= last) break;
      zp = z[p];
    }
    if (p >= last) break;
    if (windowOk[p] === 0 || eod[p] !== 0 || !gates.pass(slowOf[p] - 1)) {
      p++;
      continue;
    }

    // entry at this fast close, sized with the last completed slow bar's beta
    const d = zp <= negZe ? 1 : -1;
    const entryP = p;
    const entryRow = fastRow[p];
    const entryA = fastA[entryRow];
    const entryB = fastB[entryRow];
    const entryTs = fastTs[entryRow] + fastBarMs;
    const betaEntry = beta[slowOf[p] - 1];
    legSizes(hedgeRatio(entryA, entryB, multA, multB, betaEntry), baseQty, maxMult, sizes);
    const na = sizes[0];
    const nb = sizes[1];
    const kA = na * multA;
    const kB = (betaEntry < 0 ? -1 : 1) * nb * multB;
    const holdEnd = holdOn
      ? firstRowClosingAtOrAfter(fastTs, fastRow, fastBarMs, entryTs + holdMs, entryP + 1, nRows)
      : nRows;
    const stop = holdEnd < last ? holdEnd : last;

    // LONG / SHORT: find the exit row q and its reason
    let q = entryP + 1;
    let reason: number;
    let u = 0;
    for (; ; q++) {
      if (dollarOn) {
        const r = fastRow[q];
        u = d * (kA * (fastA[r] - entryA) - kB * (fastB[r] - entryB));
        if (u <= negDollarSl) {
          reason = SL_DOLLAR;
          break;
        }
        if (u >= dollarTp) {
          reason = TP_DOLLAR;
          break;
        }
      }
      const w = d * z[q];
      if (w <= negZs) {
        reason = SL_ZSCORE;
        break;
      }
      if (w >= negZx) {
        reason = TP_ZSCORE;
        break;
      }
      if (q >= stop || eod[q] !== 0) {
        reason = q >= holdEnd ? MAX_HOLD : eod[q] !== 0 ? FLAT_EOD : END_OF_DATA;
        break;
      }
    }

    // exit at row q's fast close; a dollar exit books its level (§10)
    const exitRow = fastRow[q];
    let pnlGross: number;
    if (reason === SL_DOLLAR) pnlGross = negDollarSl;
    else if (reason === TP_DOLLAR) pnlGross = dollarTp;
    else pnlGross = dollarOn ? u : d * (kA * (fastA[exitRow] - entryA) - kB * (fastB[exitRow] - entryB));
    const costs = roundTripCosts(na, nb, commission, slippageTicks, tickA, multA, tickB, multB);
    const exitI = slowOf[q];
    const exitTs = fastTs[exitRow] + fastBarMs;
    tally.record(
      slowOf[entryP],
      exitI,
      d,
      na,
      nb,
      reason,
      betaEntry,
      entryTs,
      exitTs,
      pnlGross,
      costs,
      dayIndex[exitI],
    );

    // CD_LONG / CD_SHORT from the exit row itself; then FLAT again at row p
    p = q;
    if (reason === SL_ZSCORE || reason === MAX_HOLD) {
      while (p < last && !(d * z[p] >= negZx)) p++;
    }
  }
  return tally.finish(inp.n, folds, foldOffset, nFolds);
}
