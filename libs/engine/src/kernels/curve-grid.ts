// The precomputed-curve TP×SL grid (ENGINE.md §8): one slow run with both dollar exits off, each
// trade's fast unrealized curve (trade-curves.ts), then for every (dollar_tp, dollar_sl) cell the
// first curve point reaching either level sets the exit — SL before TP on the same point, PnL at
// the level — and the other trades keep their slow exits. Trades are not re-run, so a cell is an
// approximation of the exact hybrid dollar engine; this module also says where it can be wrong:
//
//   - at risk: a trade whose exit moved earlier leaves the position flat from its exit bar k to
//     the next slow trade's entry e. The exact engine enters at the first bar of [k, e) where an
//     entry is allowed (z beyond ±z_entry, window, gates, not eod, not the last bar) — the curve
//     grid never does. With no such bar the exact engine re-enters exactly at e, and the cell's
//     trades ARE the exact engine's; with one, they differ. Counted per cell (prefix sums of the
//     per-bar entry signal, O(1) per moved trade).
//   - gap exits: a curve point in a gap of the slow join is one the exact engine never scans.
//   - the per-trade discretization check: curve's last point − slow gross PnL (≠ 0 when the fast
//     data does not close each slow bar at the slow close).
import type { BacktestInputs } from "./backtest-inputs.js";
import { CFG_DOLLAR_SL, CFG_DOLLAR_TP } from "../rules/config-vector.js";
import { ComboRules } from "../rules/combo-rules.js";
import { EXIT_REASON_NAMES, SL_DOLLAR, TP_DOLLAR } from "../rules/enums.js";
import { type KernelScratch, makeKernelScratch } from "./grid-kernel-scratch.js";
import { GateSet } from "../rules/kernel-gates.js";
import { KernelTally } from "../rules/kernel-tally.js";
import { runReference } from "../reference/reference-engine.js";
import { FOLD_WIDTH, N_STATS, statRowToObject } from "../statistics/stat-row.js";
import type { ReferenceResult, Trade } from "../reference/trade.js";
import { dayNumberToIso } from "../calendar/index.js";
import type { FastCloses } from "../loaders/fast-closes.js";
import { buildTradeCurves, firstAtOrAbove, firstAtOrBelow, type TradeCurves } from "./trade-curves.js";

export interface CurveGridCell {
  dollarTp: number | null;
  dollarSl: number | null;
  /** §7 statistics of the cell's trade list (no mark-to-market figures), tallied as the kernels do. */
  stats: Record<string, number | null>;
  /** Trades whose exit the levels moved. */
  moved: number;
  /** Moved trades after whose new exit the exact engine would enter before the next slow trade. */
  atRisk: number;
  /** Moved trades whose new exit is a fast bar outside every slow bar. */
  gapExits: number;
  /**
   * True when the cell provably equals the exact hybrid dollar engine: no trade at risk, no gap
   * exit, and fast data that closes every traded slow bar at its slow close (discretization 0).
   */
  exact: boolean;
  /** The cell's trade list, when asked for (`keepTrades`). */
  trades: Trade[] | null;
}

export interface DiscretizationCheck {
  /** Curve's last point − slow trade's gross PnL, per slow trade (NaN: no fast point). */
  perTrade: Float64Array;
  maxAbsDiff: number;
  /** Trades with |difference| > 1e-9 (or no fast point). */
  nOff: number;
}

export interface CurveGridResult {
  /** The slow run (dollar exits off) whose trades the cells rework. */
  slow: ReferenceResult;
  curves: TradeCurves;
  discretization: DiscretizationCheck;
  /** Row-major: sl varies fastest. */
  cells: CurveGridCell[];
}

export interface CurveGridInputs {
  slow: BacktestInputs;
  fast: FastCloses;
  /** Trading day (day number) of an instant: a curve exit's day is that of its fast close (§10). */
  tradingDayOf: (utcMs: number) => number;
}

/** Per-bar entry signal of §5 step 3 (a FLAT engine would enter here), as prefix counts. */
function entrySignalPrefix(inp: BacktestInputs, cfg: Float64Array): Int32Array {
  const rules = new ComboRules(cfg, 0);
  const gates = new GateSet(inp, cfg, 0);
  const prefix = new Int32Array(inp.n + 1);
  for (let i = 0; i < inp.n; i++) {
    const signal =
      rules.entrySide(inp.z[i]) !== 0 &&
      rules.entryAllowed(inp.windowOk[i] !== 0, inp.eod[i] !== 0, i >= inp.n - 1, gates.pass(i));
    prefix[i + 1] = prefix[i] + (signal ? 1 : 0);
  }
  return prefix;
}

/** Last slow bar starting at or before `t`. */
function slowBarAtOrBefore(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function discretizationOf(curves: TradeCurves): DiscretizationCheck {
  let maxAbsDiff = 0;
  let nOff = 0;
  for (const d of curves.lastPointDiff) {
    if (!(Math.abs(d) <= 1e-9)) nOff++;
    if (Math.abs(d) > maxAbsDiff) maxAbsDiff = Math.abs(d);
  }
  return { perTrade: curves.lastPointDiff, maxAbsDiff, nOff };
}

/**
 * One slow run of the curve grid and what every (tp, sl) cell of it reads: the slow trades (both
 * dollar exits off), their fast curves, and — for the CLI's at-risk count — the entry signals.
 * `pairgrid hybrid --curve-grid` (runCurveGrid) and the hybrid_curve grid engine's chunks
 * (chunks/run-curve-chunk.ts) build it the same way, so their cells are the same numbers.
 */
export interface CurveRun {
  inp: BacktestInputs;
  fast: FastCloses;
  slow: ReferenceResult;
  curves: TradeCurves;
  /** Entry-signal prefix counts (entrySignalPrefix), or null when no cell counts trades at risk. */
  signals: Int32Array | null;
  /** Exit bar, trading day and day index of a fast row, worked out once whichever cell exits there. */
  placeOf: (j: number) => { exitI: number; day: number; dayIndex: number; gap: boolean };
}

/**
 * The slow run of `cfg` with both dollar exits off, and its trades' curves. `fastDay(j)` is the
 * trading day of fast row j's close (§10: a curve exit's day is that of its fast close).
 */
export function prepareCurveRun(
  inp: BacktestInputs,
  fast: FastCloses,
  fastDay: (j: number) => number,
  cfg: Float64Array,
  withSignals: boolean,
): CurveRun {
  const slowCfg = Float64Array.from(cfg);
  slowCfg[CFG_DOLLAR_TP] = Number.NaN;
  slowCfg[CFG_DOLLAR_SL] = Number.NaN;
  const slow = runReference(inp, slowCfg);
  const rules = new ComboRules(cfg, 0);
  const curves = buildTradeCurves(slow.trades, fast, rules.multA, rules.multB);
  const signals = withSignals ? entrySignalPrefix(inp, slowCfg) : null;
  const dayIndexOfDay = new Map<number, number>();
  for (let i = 0; i < inp.n; i++) dayIndexOfDay.set(inp.tradingDay[i], inp.dayIndex[i]);
  const exitPlace = new Map<number, { exitI: number; day: number; dayIndex: number; gap: boolean }>();
  const placeOf = (j: number) => {
    let place = exitPlace.get(j);
    if (place === undefined) {
      const exitI = slowBarAtOrBefore(inp.ts, fast.ts[j]);
      const day = fastDay(j);
      const gap = exitI < 0 || !(fast.ts[j] < inp.ts[exitI] + inp.barMs);
      place = { exitI, day, dayIndex: dayIndexOfDay.get(day) ?? inp.dayIndex[Math.max(0, exitI)], gap };
      exitPlace.set(j, place);
    }
    return place;
  };
  return { inp, fast, slow, curves, signals, placeOf };
}

/** What a cell's levels did to the slow trades (CurveGridCell's counts). */
export interface CurveCellCounts {
  moved: number;
  atRisk: number;
  gapExits: number;
}

/**
 * Tallies cell (tp, sl) of `run` (null = that exit off) as the kernels tally a combination: its §7
 * row at `rowOffset` of `row`, its nFolds folds at `foldOffset` of `folds`. Returns the counts;
 * pushes the cell's trades on `cellTrades` when given.
 */
export function tallyCurveCell(
  run: CurveRun,
  tp: number | null,
  sl: number | null,
  scratch: KernelScratch,
  row: Float64Array,
  rowOffset: number,
  folds: Float64Array,
  foldOffset: number,
  nFolds: number,
  cellTrades: Trade[] | null = null,
): CurveCellCounts {
  const { inp, fast, curves, signals } = run;
  const trades = run.slow.trades;
  const tally = new KernelTally(scratch, inp.nDays, row, rowOffset, null);
  let moved = 0;
  let atRisk = 0;
  let gapExits = 0;
  for (let k = 0; k < trades.length; k++) {
    const t = trades[k];
    const o = curves.offset[k];
    const len = curves.length[k];
    const pTp = tp === null ? len : firstAtOrAbove(curves.runMax, o, len, tp);
    const pSl = sl === null ? len : firstAtOrBelow(curves.runMin, o, len, -sl);
    if (pTp === len && pSl === len) {
      tally.record(
        t.entry_i,
        t.exit_i,
        t.side,
        t.n_a,
        t.n_b,
        EXIT_REASON_NAMES.indexOf(t.reason),
        t.beta_entry,
        t.entry_ts,
        t.exit_ts,
        t.pnl_gross,
        t.costs,
        inp.dayIndex[t.exit_i],
      );
      cellTrades?.push(t);
      continue;
    }
    const stop = pSl <= pTp; // SL before TP on the same point
    const j = curves.start[k] + (stop ? pSl : pTp);
    const place = run.placeOf(j);
    const pnlGross = stop ? -sl! : tp!;
    const exitTs = fast.ts[j] + fast.barMs;
    moved++;
    if (place.gap) gapExits++;
    if (signals !== null) {
      const nextEntry = k + 1 < trades.length ? trades[k + 1].entry_i : inp.n;
      const from = Math.max(0, place.exitI);
      if (nextEntry > from && signals[nextEntry] - signals[from] > 0) atRisk++;
    }
    const reason = stop ? SL_DOLLAR : TP_DOLLAR;
    tally.record(
      t.entry_i,
      place.exitI,
      t.side,
      t.n_a,
      t.n_b,
      reason,
      t.beta_entry,
      t.entry_ts,
      exitTs,
      pnlGross,
      t.costs,
      place.dayIndex,
    );
    cellTrades?.push({
      ...t,
      exit_i: place.exitI,
      exit_ts: exitTs,
      exit_a: fast.closeA[j],
      exit_b: fast.closeB[j],
      pnl_gross: pnlGross,
      pnl_net: pnlGross - t.costs,
      reason: EXIT_REASON_NAMES[reason],
      bars_held: place.exitI - t.entry_i,
      exit_day: dayNumberToIso(place.day),
    });
  }
  tally.finish(inp.n, folds, foldOffset, nFolds);
  return { moved, atRisk, gapExits };
}

/**
 * Runs the grid of `tps` × `sls` (null = that exit off) for the combination `cfg` (its own dollar
 * levels are ignored: the slow run has both off).
 */
export function runCurveGrid(
  g: CurveGridInputs,
  cfg: Float64Array,
  tps: readonly (number | null)[],
  sls: readonly (number | null)[],
  keepTrades = false,
): CurveGridResult {
  const run = prepareCurveRun(g.slow, g.fast, (j) => g.tradingDayOf(g.fast.ts[j] + g.fast.barMs), cfg, true);
  const discretization = discretizationOf(run.curves);
  const scratch = makeKernelScratch(g.slow.nDays);
  const row = new Float64Array(N_STATS);
  const folds = new Float64Array(FOLD_WIDTH);
  const cells: CurveGridCell[] = [];
  for (const tp of tps) {
    for (const sl of sls) {
      // the §7 row is tallied as the kernels tally it: no trade objects unless asked for
      const cellTrades: Trade[] | null = keepTrades ? [] : null;
      const { moved, atRisk, gapExits } = tallyCurveCell(
        run,
        tp,
        sl,
        scratch,
        row,
        0,
        folds,
        0,
        1,
        cellTrades,
      );
      cells.push({
        dollarTp: tp,
        dollarSl: sl,
        stats: statRowToObject(row),
        moved,
        atRisk,
        gapExits,
        exact: atRisk === 0 && gapExits === 0 && discretization.nOff === 0,
        trades: cellTrades,
      });
    }
  }
  return { slow: run.slow, curves: run.curves, discretization, cells };
}
