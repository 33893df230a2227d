// The bar-scan grid kernel: one combination of the slow engine (ENGINE.md §5–7) as a flat loop over
// typed arrays, called millions of times per grid with the same BacktestInputs. It must give exactly
// the trades of the reference engine (reference-engine.ts) and its statistics within 1e-9. The
// event-driven kernel (event-kernel.ts) is faster where it applies; this one runs every combination,
// dollar exits included, and is what the event kernel is checked against.
/*
 * Loop structure. The state machine of §5 is not stored as a variable that every bar switches on;
 * each state is a stretch of the bar index with its own tight loop, and a transition is the jump
 * from one loop to the next at the bar where it happens:
 *
 *   FLAT      scan i forward while z[i] is strictly inside (−ze, ze). That is the common case and
 *             costs one or two compares per bar: a NaN z fails both `z ≤ −ze` and `z ≥ ze`, so
 *             undefined z never stops the scan. At a bar beyond ±ze, the rarer entry conditions
 *             (window_ok, not eod, gates) are checked; if they fail the scan goes on at i + 1.
 *             The scan stops before the last bar, where no entry is allowed.
 *   LONG /    from the bar after the entry, each bar tests in §5 priority order: dollar SL/TP
 *   SHORT     (only when a dollar level is on), then the z stop and z take-profit on w = d·z
 *             (d = +1 long, −1 short; one compare each, since `w ≤ −zs` ⟺ LONG `z ≤ −zs`, SHORT
 *             `z ≥ zs`, and `w ≥ −zx` ⟺ LONG `z ≥ −zx`, SHORT `z ≤ zx`; a NaN z or a NaN (off)
 *             z_stop fails them). MAX_HOLD and END_OF_DATA are folded into one bound `stop`
 *             (the first bar where i − entry ≥ max_hold, or the last bar), tested with eod[i];
 *             only when that bound or eod hits is the exact reason worked out.
 *   CD_LONG / after SL_ZSCORE or MAX_HOLD: scan from the exit bar itself (step 2 runs on the same
 *   CD_SHORT  bar as step 1) until w ≥ −zx; NaN z keeps the cooldown.
 *
 * After an exit to FLAT, or a cooldown release, the FLAT scan resumes at that same bar, which is
 * §5's same-bar re-entry (step 3 after steps 1–2); eod / last-bar exits cannot re-enter because
 * the entry conditions exclude those bars. Per-trade bookkeeping (sizes, PnL, costs, and the
 * running statistics and daily series of kernel-tally.ts, shared with every other kernel) runs only
 * at entries and exits; the daily-series statistics and folds are computed once after the loop. MFE/MAE and the mark-to-market figures are not part of
 * the §7 row and are left to the reference engine, so no bar in position pays for them.
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
import { TRADE_RECORD_WIDTH } from "./grid-kernel-trade-record.js";
import { GateSet } from "../rules/kernel-gates.js";
import { KernelTally } from "../rules/kernel-tally.js";
import { hedgeRatio, legSizes, roundTripCosts } from "../rules/sizing.js";

export { type KernelScratch, makeKernelScratch } from "./grid-kernel-scratch.js";

/**
 * Backtests the combination at `cfg[cfgOffset …]` on `inp`. Writes the §7 row (N_STATS values, NaN
 * = null) at `row[rowOffset …]` and nFolds·FOLD_WIDTH fold numbers at `folds[foldOffset …]`. When
 * `trades` is given, the first ⌊trades.length / TRADE_RECORD_WIDTH⌋ trades are written there
 * (grid-kernel-trade-record.ts). Returns the number of trades (all of them, written or not).
 */
export function runGridKernel(
  inp: BacktestInputs,
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
  const n = inp.n;
  const tally = new KernelTally(scratch, inp.nDays, row, rowOffset, trades, TRADE_RECORD_WIDTH);
  const z = inp.z;
  const closeA = inp.closeA;
  const closeB = inp.closeB;
  const beta = inp.beta;
  const eod = inp.eod;
  const windowOk = inp.windowOk;
  const dayIndex = inp.dayIndex;

  // thresholds, pre-negated so every test below is a single compare; NaN (off) never passes
  const ze = cfg[cfgOffset + CFG_Z_ENTRY]!;
  const negZe = -ze;
  const negZx = -cfg[cfgOffset + CFG_Z_EXIT]!;
  const negZs = -cfg[cfgOffset + CFG_Z_STOP]!;
  const maxHold = cfg[cfgOffset + CFG_MAX_HOLD]!;
  const holdOn = maxHold > 0;
  const dollarTp = cfg[cfgOffset + CFG_DOLLAR_TP]!;
  const negDollarSl = -cfg[cfgOffset + CFG_DOLLAR_SL]!;
  const dollarOn = !Number.isNaN(dollarTp) || !Number.isNaN(negDollarSl);
  // gates: an entry needs at least `gates.required` passes (all enabled ones unless min_gates ≥ 0)
  const gates = new GateSet(inp, cfg, cfgOffset);
  const gated = gates.required > 0;

  const multA = cfg[cfgOffset + CFG_MULT_A]!;
  const multB = cfg[cfgOffset + CFG_MULT_B]!;
  const tickA = cfg[cfgOffset + CFG_TICK_A]!;
  const tickB = cfg[cfgOffset + CFG_TICK_B]!;
  const commission = cfg[cfgOffset + CFG_COMMISSION]!;
  const slippageTicks = cfg[cfgOffset + CFG_SLIPPAGE_TICKS]!;
  const baseQty = cfg[cfgOffset + CFG_BASE_QTY]!;
  const maxMult = cfg[cfgOffset + CFG_MAX_MULT]!;
  const sizes = scratch.sizes;

  const last = n - 1;
  let i = 0;
  while (i < last) {
    // FLAT: the hot scan. A tight inner loop of its own — as an `if … continue` of this outer loop,
    // with all the trade code in its body, V8 made it about 1.8× slower on W1.
    let zi = z[i]!;
    while (!(zi <= negZe || zi >= ze)) {
      if (++i >= last) break;
      zi = z[i]!;
    }
    if (i >= last) break;
    if (windowOk[i] === 0 || eod[i] !== 0 || (gated && !gates.pass(i))) {
      i++;
      continue;
    }

    // entry at bar i's close
    const d = zi <= negZe ? 1 : -1;
    const entryI = i;
    const entryA = closeA[i]!;
    const entryB = closeB[i]!;
    const betaEntry = beta[i]!;
    legSizes(hedgeRatio(entryA, entryB, multA, multB, betaEntry), baseQty, maxMult, sizes);
    const na = sizes[0]!;
    const nb = sizes[1]!;
    // u = d·(kA·(a − a_e) − kB·(b − b_e)), grouped exactly as §6 writes it
    const kA = na * multA;
    const kB = (betaEntry < 0 ? -1 : 1) * nb * multB;
    const holdEnd = holdOn ? entryI + maxHold : n;
    const stop = holdEnd < last ? holdEnd : last;

    // LONG / SHORT: find the exit bar j and its reason
    let j = entryI + 1;
    let reason: number;
    for (; ; j++) {
      if (dollarOn) {
        const u = d * (kA * (closeA[j]! - entryA) - kB * (closeB[j]! - entryB));
        if (u <= negDollarSl) {
          reason = SL_DOLLAR;
          break;
        }
        if (u >= dollarTp) {
          reason = TP_DOLLAR;
          break;
        }
      }
      const w = d * z[j]!;
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

    // exit at bar j's close (fill times are not part of this record: 0, 0)
    const pnlGross = d * (kA * (closeA[j]! - entryA) - kB * (closeB[j]! - entryB));
    const costs = roundTripCosts(na, nb, commission, slippageTicks, tickA, multA, tickB, multB);
    tally.record(entryI, j, d, na, nb, reason, betaEntry, 0, 0, pnlGross, costs, dayIndex[j]!);

    // CD_LONG / CD_SHORT, from the exit bar itself; then FLAT again at bar i
    i = j;
    if (reason === SL_ZSCORE || reason === MAX_HOLD) {
      while (i < last && !(d * z[i]! >= negZx)) i++;
    }
  }
  return tally.finish(n, folds, foldOffset, nFolds);
}
