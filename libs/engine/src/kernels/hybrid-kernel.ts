// The hybrid kernel: one combination of a hybrid engine (ENGINE.md §8) as a flat loop over typed
// arrays, for grids. Both modes are the slow grid kernel's state machine (kernels/grid-kernel.ts:
// FLAT scan on z, a position stretch, a cooldown stretch) over a series of decision rows; they
// differ only in where those rows come from, the inputs' `source` (hybrid-decision-rows.ts):
//   - `slow_bars` (dollar mode): the slow bars, with each held bar's fast rows scanned for the
//     dollar levels;
//   - `zlive_rows` (z-live mode): the processed fast rows and their z_live.
// It must give exactly the trades of the readable engines (reference/reference-engine.ts over
// reference/decision-rows.ts's hybrid sources), and in dollar mode with both dollar exits off exactly the slow grid
// kernel's trades and row.
/*
 * This function is the part both modes share: the FLAT scan and the entry conditions (window_ok,
 * eod, gates of the deciding slow bar), the entry (sizing from the fill prices, the max_hold
 * bound), the exit's PnL and its bookkeeping, and the cooldown. The position stretch, each mode's
 * hot loop, is the source's `findExit`. Per row nothing is called but in the source's own loop;
 * the source's other methods run once per entry candidate or trade.
 *
 * Dollar exits (§10): reached on a fast row, the PnL is the level; reached at a slow close (dollar
 * mode), the actual PnL. MFE/MAE are not part of the §7 row; the readable engines report them.
 */
import { SL_DOLLAR, TP_DOLLAR } from "../rules/enums.js";
import { ComboRules, positionPnl } from "../rules/combo-rules.js";
import { GateSet } from "../rules/kernel-gates.js";
import { HYBRID_TRADE_RECORD_WIDTH } from "./hybrid-trade-record.js";
import type { KernelCall } from "./kernel-call.js";
import {
  type DecisionRows,
  ExitLevels,
  type FastScanCount,
  type HybridKernelInputs,
  PositionExit,
  SlowBarDecisions,
  ZLiveDecisions,
} from "./hybrid-decision-rows.js";

export type {
  FastScanCount,
  HybridKernelInputs,
  HybridRowSource,
  SlowBarSource,
  ZLiveRowSource,
} from "./hybrid-decision-rows.js";

/**
 * Backtests the combination `call` points at (kernel-call.ts); same outputs as runGridKernel (§7
 * row, folds), with HYBRID_TRADE_RECORD_WIDTH numbers per trade in `call.trades` when given.
 * `count` (dollar mode) adds the fast rows held and scanned. Returns the trade count.
 */
export function runHybridKernel(
  call: KernelCall<HybridKernelInputs>,
  count: FastScanCount | null = null,
): number {
  const hin = call.inp;
  const inp = hin.slow;
  const { closeA, closeB, beta, dayIndex, ts, barMs } = inp;
  const { ts: fastTs, closeA: fastA, closeB: fastB, barMs: fastBarMs } = hin.fast;
  const cfg = call.cfg;
  const cfgOffset = call.cfgOffset;
  const levels = new ExitLevels(cfg, cfgOffset);
  const src = hin.source;
  const rows: DecisionRows =
    src.kind === "zlive_rows"
      ? new ZLiveDecisions(hin, src, levels)
      : new SlowBarDecisions(hin, src.index, levels, count);
  const { z, eod, windowOk } = rows;
  const nRows = rows.n;

  // the rules of §5–§6 (rules/combo-rules.ts); the hot scans below test their levels inline, each
  // test naming the ComboRules method it is (as methods in these loops they measured slower)
  const rules = new ComboRules(cfg, cfgOffset);
  const ze = rules.zEntry;
  const negZe = -ze;
  const wExit = rules.wExit;
  const maxHold = rules.maxHold;
  const holdOn = rules.holdOn;
  const gates = new GateSet(inp, cfg, cfgOffset);
  const sizes = call.scratch.sizes;
  const tally = call.tally(HYBRID_TRADE_RECORD_WIDTH);
  const exit = new PositionExit();

  const last = nRows - 1;
  let p = 0;
  while (p < last) {
    // FLAT: the hot scan, as in the grid kernel; NaN never stops it (rules.entrySide(z) === 0)
    let zp = z[p];
    while (!(zp <= negZe || zp >= ze)) {
      if (++p >= last) break;
      zp = z[p];
    }
    if (p >= last) break;
    // rules.entryAllowed (p < last holds here)
    if (windowOk[p] === 0 || eod[p] !== 0 || !gates.pass(rows.decidingBar(p))) {
      p++;
      continue;
    }

    // entry at the row's close, sized with the deciding bar's beta
    const d = rules.entrySide(zp);
    const entryP = p;
    const entryBar = rows.slowBar(p);
    const entryFill = rows.fillRow(p);
    const entryA = entryFill >= 0 ? fastA[entryFill] : closeA[entryBar];
    const entryB = entryFill >= 0 ? fastB[entryFill] : closeB[entryBar];
    const entryTs = entryFill >= 0 ? fastTs[entryFill] + fastBarMs : ts[entryBar] + barMs;
    const betaEntry = beta[rows.decidingBar(p)];
    rules.enter(entryA, entryB, betaEntry, sizes);
    const na = sizes[0];
    const nb = sizes[1];
    const kA = rules.exposureA(na);
    const kB = rules.exposureB(nb, betaEntry);
    const holdEnd = holdOn ? rows.holdEnd(entryP, entryTs, maxHold) : nRows;
    const stop = holdEnd < last ? holdEnd : last;

    // LONG / SHORT: the source's own loop finds the exit row q, its reason and fill
    rows.findExit(d, kA, kB, entryA, entryB, entryP + 1, holdEnd, stop, exit);
    const q = exit.row;
    const reason = exit.reason;
    const fill = exit.fill;

    // exit: a dollar level reached on a fast row books the level, any other exit the PnL at its
    // fill (a fast close, or the slow close)
    const exitBar = rows.slowBar(q);
    const pnlGross =
      fill >= 0 && (reason === SL_DOLLAR || reason === TP_DOLLAR)
        ? rules.dollarLevel(reason)
        : fill >= 0
          ? positionPnl(d, kA, kB, fastA[fill], fastB[fill], entryA, entryB)
          : positionPnl(d, kA, kB, closeA[exitBar], closeB[exitBar], entryA, entryB);
    const exitTs = fill >= 0 ? fastTs[fill] + fastBarMs : ts[exitBar] + barMs;
    tally.record(
      entryBar,
      exitBar,
      d,
      na,
      nb,
      reason,
      betaEntry,
      entryTs,
      exitTs,
      pnlGross,
      rules.costs(na, nb),
      dayIndex[exitBar],
    );

    // CD_LONG / CD_SHORT from the exit row itself; then FLAT again at row p (a dollar-mode fast
    // exit re-enters on its own slow bar from here)
    p = q;
    if (rules.cooldownAfter(reason)) {
      // the cooldown scan: rules.releases(d · z) inline
      while (p < last && !(d * z[p] >= wExit)) p++;
    }
  }
  return call.finish(tally);
}
