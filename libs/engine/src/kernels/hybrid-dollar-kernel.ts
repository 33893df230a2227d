// The hybrid dollar kernel: one combination of the dollar-mode hybrid engine (ENGINE.md §8) as a
// flat loop over typed arrays, for grids. It must give exactly the trades of the readable engine
// (hybrid-dollar-reference.ts), and with both dollar exits off exactly the slow grid kernel's
// trades and row (the loop below IS the grid kernel's, plus the fast scan).
/*
 * Loop structure (see kernels/grid-kernel.ts for the FLAT / LONG-SHORT / cooldown stretches).
 * The only addition is inside a position, at each slow bar j after the entry bar, before the
 * bar's own exits:
 *
 *   fast scan  bar j's fast rows are [fastLo[j], fastHi[j]) (slow-fast-index.ts, built once per
 *              data set by a forward-only cursor: one run costs O(n_slow + fast rows scanned)).
 *              u is monotone in each leg's price, so from the bar's fast extremes two numbers bound
 *              every u_j of the bar EXACTLY; only a bar whose bounds reach a level is scanned row
 *              by row: u_j ≤ −dollar_sl → SL_DOLLAR, else u_j ≥ dollar_tp → TP_DOLLAR, filled at
 *              t_j + L_fast with pnl_gross at the level. Then the position ends at bar j and the
 *              FLAT scan resumes AT bar j (§8 re-entry on the same slow bar). With both levels off
 *              (NaN) nothing of this runs. CFG_HYBRID_PRUNE = 0 turns the bound off (every held
 *              bar is scanned), so tests and W3 can compare the two.
 *
 * Why the bound is exact in floating point: uLo/uHi are the very expression of u_j with the
 * extremes put in, grouped the same way. Each step is monotone after rounding (round-to-nearest
 * is monotone): x − e in x; k·y in y, rising for k > 0 and falling for k < 0 (kA = N_a·M_A > 0,
 * kB carries beta's sign); P − Q rising in P, falling in Q; d·v exact for d = ±1. So u_j is
 * non-decreasing in a for d > 0 (non-increasing for d < 0), and in b non-increasing when
 * d·kB > 0 (non-decreasing otherwise): the picks aHi/bHi below give uLo ≤ u_j ≤ uHi for every row,
 * and a row exactly at a level makes its bound reach the level too (≤ / ≥ on both sides).
 * NaN closes: the extremes skip them and such rows never trigger; a leg that is NaN on every row
 * of the bar leaves its extremes at −∞ (max) / +∞ (min), the wrong way round, so that leg's term
 * sends uHi to −∞ and uLo to +∞ (two such legs lean the same way: never ∞ − ∞) and the bar is
 * skipped, as its scan would find nothing (every u_j is NaN). A NaN kB (NaN beta at entry) makes
 * every u_j and both bounds NaN alike. Otherwise kA, kB ≠ 0 (N_a, N_b ≥ 1) and prices are finite
 * (the loaders reject others), so nothing else can make a bound NaN.
 *
 * The entry bar's fast rows are never looked at: the position loop starts at entry + 1. MFE/MAE
 * are not part of the §7 row; the readable engine reports them.
 */
import type { BacktestInputs } from "./backtest-inputs.js";
import {
  CFG_BASE_QTY,
  CFG_COMMISSION,
  CFG_DOLLAR_SL,
  CFG_DOLLAR_TP,
  CFG_HYBRID_PRUNE,
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
import type { SlowFastIndex } from "./slow-fast-index.js";

/** What the dollar kernel reads: the slow inputs of one indicator group, the fast data and its index. */
export interface DollarKernelInputs {
  slow: BacktestInputs;
  fast: FastCloses;
  index: SlowFastIndex;
}

/** Work counters (benchmarks): fast rows inside held bars, and those actually scanned. */
export interface FastScanCount {
  rowsInPosition: number;
  rowsScanned: number;
}

/**
 * Backtests the combination at `cfg[cfgOffset …]`; same outputs as runGridKernel (§7 row, folds),
 * with HYBRID_TRADE_RECORD_WIDTH numbers per trade in `trades` when given. Returns the trade count.
 */
export function runHybridDollarKernel(
  hin: DollarKernelInputs,
  cfg: Float64Array,
  cfgOffset: number,
  row: Float64Array,
  rowOffset: number,
  folds: Float64Array,
  foldOffset: number,
  nFolds: number,
  scratch: KernelScratch,
  trades: Float64Array | null,
  count: FastScanCount | null = null,
): number {
  const inp = hin.slow;
  const n = inp.n;
  const { z, closeA, closeB, beta, eod, windowOk, dayIndex, ts, barMs } = inp;
  const { fastLo, fastHi, maxA, minA, maxB, minB } = hin.index;
  const fastTs = hin.fast.ts;
  const fastA = hin.fast.closeA;
  const fastB = hin.fast.closeB;
  const fastBarMs = hin.fast.barMs;
  if (fastLo.length !== n)
    throw new Error(`hybrid kernel: index has ${fastLo.length} slow bars, inputs ${n}`);

  // thresholds, pre-negated so every test below is a single compare; NaN (off) never passes
  const ze = cfg[cfgOffset + CFG_Z_ENTRY];
  const negZe = -ze;
  const negZx = -cfg[cfgOffset + CFG_Z_EXIT];
  const negZs = -cfg[cfgOffset + CFG_Z_STOP];
  const maxHold = cfg[cfgOffset + CFG_MAX_HOLD];
  const holdOn = maxHold > 0;
  const dollarTp = cfg[cfgOffset + CFG_DOLLAR_TP];
  const negDollarSl = -cfg[cfgOffset + CFG_DOLLAR_SL];
  const dollarOn = !Number.isNaN(dollarTp) || !Number.isNaN(negDollarSl);
  const prune = cfg[cfgOffset + CFG_HYBRID_PRUNE] !== 0;
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

  const last = n - 1;
  let i = 0;
  while (i < last) {
    // FLAT: the hot scan, as in the grid kernel
    let zi = z[i];
    while (!(zi <= negZe || zi >= ze)) {
      if (++i >= last) break;
      zi = z[i];
    }
    if (i >= last) break;
    if (windowOk[i] === 0 || eod[i] !== 0 || !gates.pass(i)) {
      i++;
      continue;
    }

    // entry at bar i's close
    const d = zi <= negZe ? 1 : -1;
    const entryI = i;
    const entryA = closeA[i];
    const entryB = closeB[i];
    const betaEntry = beta[i];
    legSizes(hedgeRatio(entryA, entryB, multA, multB, betaEntry), baseQty, maxMult, sizes);
    const na = sizes[0];
    const nb = sizes[1];
    // u = d·(kA·(a − a_e) − kB·(b − b_e)), grouped exactly as §6 writes it
    const kA = na * multA;
    const kB = (betaEntry < 0 ? -1 : 1) * nb * multB;
    // the leg prices that make u largest / smallest over a bar (kA > 0; kB has beta's sign)
    const aHi = d > 0 ? maxA : minA;
    const aLo = d > 0 ? minA : maxA;
    const bHi = d * kB > 0 ? minB : maxB;
    const bLo = d * kB > 0 ? maxB : minB;
    const holdEnd = holdOn ? entryI + maxHold : n;
    const stop = holdEnd < last ? holdEnd : last;

    // LONG / SHORT: find the exit bar j, its reason, and the fast row f of a fast exit (else −1)
    let j = entryI + 1;
    let f = -1;
    let reason: number;
    for (; ; j++) {
      if (dollarOn) {
        const lo = fastLo[j];
        const hi = fastHi[j];
        if (lo < hi) {
          if (count !== null) count.rowsInPosition += hi - lo;
          // the bounds, grouped exactly as u below (see the top comment for why this is exact)
          if (
            !prune ||
            d * (kA * (aLo[j] - entryA) - kB * (bLo[j] - entryB)) <= negDollarSl ||
            d * (kA * (aHi[j] - entryA) - kB * (bHi[j] - entryB)) >= dollarTp
          ) {
            let r = lo;
            reason = -1;
            for (; r < hi; r++) {
              const u = d * (kA * (fastA[r] - entryA) - kB * (fastB[r] - entryB));
              if (u <= negDollarSl) {
                reason = SL_DOLLAR;
                break;
              }
              if (u >= dollarTp) {
                reason = TP_DOLLAR;
                break;
              }
            }
            if (count !== null) count.rowsScanned += r < hi ? r - lo + 1 : hi - lo;
            if (reason !== -1) {
              f = r;
              break;
            }
          }
        }
        // a level reached at the slow close itself fills there at the actual PnL (§10)
        const u = d * (kA * (closeA[j] - entryA) - kB * (closeB[j] - entryB));
        if (u <= negDollarSl) {
          reason = SL_DOLLAR;
          break;
        }
        if (u >= dollarTp) {
          reason = TP_DOLLAR;
          break;
        }
      }
      const w = d * z[j];
      if (w <= negZs) {
        reason = SL_ZSCORE;
        break;
      }
      if (w >= negZx) {
        reason = TP_ZSCORE;
        break;
      }
      if (j >= stop || eod[j] !== 0) {
        reason = j >= holdEnd ? MAX_HOLD : eod[j] !== 0 ? FLAT_EOD : END_OF_DATA;
        break;
      }
    }

    // exit: at fast row f at its level, or at bar j's close
    const pnlGross =
      f >= 0
        ? reason === SL_DOLLAR
          ? negDollarSl
          : dollarTp
        : d * (kA * (closeA[j] - entryA) - kB * (closeB[j] - entryB));
    const exitTs = f >= 0 ? fastTs[f] + fastBarMs : ts[j] + barMs;
    const costs = roundTripCosts(na, nb, commission, slippageTicks, tickA, multA, tickB, multB);
    tally.record(
      entryI,
      j,
      d,
      na,
      nb,
      reason,
      betaEntry,
      ts[entryI] + barMs,
      exitTs,
      pnlGross,
      costs,
      dayIndex[j],
    );

    // CD_LONG / CD_SHORT, from the exit bar itself; then FLAT again at bar i (a fast exit re-enters
    // on its own slow bar from here)
    i = j;
    if (reason === SL_ZSCORE || reason === MAX_HOLD) {
      while (i < last && !(d * z[i] >= negZx)) i++;
    }
  }
  return tally.finish(n, folds, foldOffset, nFolds);
}
