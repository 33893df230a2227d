// Where the hybrid kernel's rows come from (ENGINE.md §8): the two row sources of hybrid-kernel.ts.
// The kernel runs the slow grid kernel's state machine over a source's decision rows; a source says
// which slow bar decides at a row, where a row fills, how long max_hold lasts, and finds a position's
// exit with its own tight loop — the loop is what makes each mode fast, so each keeps its own, in a
// function that sees one source only (monomorphic, few live values; one loop body serving both
// sources with a branch per row ran W3 1.2–1.6× slower).
//   - SlowBarDecisions (dollar mode): the rows are the slow bars, z is the slow z; in position each
//     held bar's fast rows are scanned for the dollar levels before the bar's own exits.
//   - ZLiveDecisions (z-live mode): the rows are the processed fast rows (zlive-rows.ts), z is the
//     group's z_live series; a row decides with the last completed slow bar and fills at its fast
//     close; max_hold is elapsed time.
/*
 * The dollar mode's fast scan, at each slow bar j after the entry bar, before the bar's own exits:
 * bar j's fast rows are [fastLo[j], fastHi[j]) (slow-fast-index.ts, built once per data set by a
 * forward-only cursor: one run costs O(n_slow + fast rows scanned)). u is monotone in each leg's
 * price, so from the bar's fast extremes two numbers bound every u_j of the bar EXACTLY; only a bar
 * whose bounds reach a level is scanned row by row: u_j ≤ −dollar_sl → SL_DOLLAR, else
 * u_j ≥ dollar_tp → TP_DOLLAR, filled at t_j + L_fast. Then the position ends at bar j and the FLAT
 * scan resumes AT bar j (§8 re-entry on the same slow bar). With both levels off (NaN) nothing of
 * this runs. CFG_HYBRID_PRUNE = 0 turns the bound off (every held bar is scanned), so tests and W3
 * can compare the two. The entry bar's fast rows are never looked at: the scan starts at entry + 1.
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
 * The exits' tests are the grid kernel's (kernels/grid-kernel.ts), in §5 priority order: dollar
 * SL/TP on u (only when a level is on), then z stop and z take-profit on w = d·z, then the folded
 * MAX_HOLD / END_OF_DATA bound `stop` with eod. They are written out in each loop on purpose: as
 * two small functions returning a reason (dollarExit(u), zOrBoundExit(w, …)) that each loop calls,
 * W3's data ran 1.8× slower unpruned and 1.06× in z-live (node 20, CPU time, same process, alternating).
 */
import type { BacktestInputs } from "./backtest-inputs.js";
import {
  CFG_DOLLAR_SL,
  CFG_DOLLAR_TP,
  CFG_HYBRID_PRUNE,
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
import type { FastCloses } from "../loaders/fast-closes.js";
import type { SlowFastIndex } from "./slow-fast-index.js";
import type { ZLiveRows } from "./zlive-rows.js";

/** Dollar mode: decisions on the slow bars; the index gives each bar's fast rows and extremes. */
export interface SlowBarSource {
  kind: "slow_bars";
  index: SlowFastIndex;
}

/** Z-live mode: decisions on the processed fast rows, with the group's z_live series (zLiveSeries). */
export interface ZLiveRowSource {
  kind: "zlive_rows";
  rows: ZLiveRows;
  zLive: Float64Array;
}

export type HybridRowSource = SlowBarSource | ZLiveRowSource;

/** What the hybrid kernel reads: one group's slow inputs, the fast closes and where its rows come from. */
export interface HybridKernelInputs {
  slow: BacktestInputs;
  fast: FastCloses;
  source: HybridRowSource;
}

/** Work counters of the dollar mode (benchmarks): fast rows inside held bars, and those scanned. */
export interface FastScanCount {
  rowsInPosition: number;
  rowsScanned: number;
}

// The classes below declare their fields (`declare`) instead of defining them: ES2022 class fields
// start as undefined, and a field that held undefined before a typed array loses V8's knowledge of
// the array's type, so every row of the loops reading it paid a map check (z-live ran 13 % slower).

/** A combination's exit thresholds (§5), pre-negated so every test is one compare; NaN never passes. */
export class ExitLevels {
  declare readonly negZx: number;
  declare readonly negZs: number;
  declare readonly dollarTp: number;
  declare readonly negDollarSl: number;
  declare readonly dollarOn: boolean;
  /** CFG_HYBRID_PRUNE: the dollar mode skips bars whose bounds reach no level. */
  declare readonly prune: boolean;

  constructor(cfg: Float64Array, o: number) {
    this.negZx = -cfg[o + CFG_Z_EXIT];
    this.negZs = -cfg[o + CFG_Z_STOP];
    this.dollarTp = cfg[o + CFG_DOLLAR_TP];
    this.negDollarSl = -cfg[o + CFG_DOLLAR_SL];
    this.dollarOn = !Number.isNaN(this.dollarTp) || !Number.isNaN(this.negDollarSl);
    this.prune = cfg[o + CFG_HYBRID_PRUNE] !== 0;
  }
}

/** Where a position's exit search writes the exit (one per kernel call). */
export class PositionExit {
  /** The exit row, its reason, and the fast row a dollar level was reached on (else −1). */
  row = 0;
  reason = 0;
  fill = -1;
}

/** A source of decision rows, as the kernel's shared state machine sees it. */
export interface DecisionRows {
  readonly n: number;
  readonly z: Float64Array;
  readonly eod: Uint8Array;
  readonly windowOk: Uint8Array;
  /** The slow bar whose indicators (gates, beta) decide at row p. */
  decidingBar(p: number): number;
  /** The slow bar holding row p: entry_i / exit_i and the exit's day. */
  slowBar(p: number): number;
  /** The fast row whose close row p fills at, or −1 for its slow close. */
  fillRow(p: number): number;
  /** The max_hold bound of a position entered at row p and filled at `entryTs` (max_hold > 0). */
  holdEnd(p: number, entryTs: number, maxHold: number): number;
  /**
   * Finds the exit of the position u = d·(kA·(a − entryA) − kB·(b − entryB)) from row `from` on,
   * `holdEnd` its max_hold bound (n when off), `stop` the last row to test; writes it to `out`.
   */
  findExit(
    d: number,
    kA: number,
    kB: number,
    entryA: number,
    entryB: number,
    from: number,
    holdEnd: number,
    stop: number,
    out: PositionExit,
  ): void;
}

export class SlowBarDecisions implements DecisionRows {
  declare readonly n: number;
  declare readonly z: Float64Array;
  declare readonly eod: Uint8Array;
  declare readonly windowOk: Uint8Array;
  declare private readonly closeA: Float64Array;
  declare private readonly closeB: Float64Array;
  declare private readonly fastA: Float64Array;
  declare private readonly fastB: Float64Array;
  declare private readonly index: SlowFastIndex;
  declare private readonly levels: ExitLevels;
  declare private readonly count: FastScanCount | null;

  constructor(
    hin: HybridKernelInputs,
    index: SlowFastIndex,
    levels: ExitLevels,
    count: FastScanCount | null,
  ) {
    this.levels = levels;
    this.count = count;
    ({ n: this.n, z: this.z, eod: this.eod, windowOk: this.windowOk } = hin.slow);
    this.closeA = hin.slow.closeA;
    this.closeB = hin.slow.closeB;
    this.fastA = hin.fast.closeA;
    this.fastB = hin.fast.closeB;
    this.index = index;
    if (index.fastLo.length !== this.n)
      throw new Error(`hybrid kernel: index has ${index.fastLo.length} slow bars, inputs ${this.n}`);
  }

  decidingBar(p: number): number {
    return p;
  }

  slowBar(p: number): number {
    return p;
  }

  fillRow(): number {
    return -1;
  }

  holdEnd(p: number, _entryTs: number, maxHold: number): number {
    return p + maxHold;
  }

  findExit(
    d: number,
    kA: number,
    kB: number,
    entryA: number,
    entryB: number,
    from: number,
    holdEnd: number,
    stop: number,
    out: PositionExit,
  ): void {
    const { z, eod, closeA, closeB, fastA, fastB, count } = this;
    const { fastLo, fastHi, maxA, minA, maxB, minB } = this.index;
    const { negZx, negZs, dollarTp, negDollarSl, dollarOn, prune } = this.levels;
    // the leg prices that make u largest / smallest over a bar (kA > 0; kB has beta's sign)
    const aHi = d > 0 ? maxA : minA;
    const aLo = d > 0 ? minA : maxA;
    const bHi = d * kB > 0 ? minB : maxB;
    const bLo = d * kB > 0 ? maxB : minB;
    let j = from;
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
    out.row = j;
    out.reason = reason;
    out.fill = f;
  }
}

export class ZLiveDecisions implements DecisionRows {
  declare readonly n: number;
  declare readonly z: Float64Array;
  declare readonly eod: Uint8Array;
  declare readonly windowOk: Uint8Array;
  declare private readonly slowOf: Int32Array;
  declare private readonly fastRow: Int32Array;
  declare private readonly fastTs: Float64Array;
  declare private readonly fastA: Float64Array;
  declare private readonly fastB: Float64Array;
  declare private readonly fastBarMs: number;
  declare private readonly slowBarMs: number;
  declare private readonly levels: ExitLevels;

  constructor(hin: HybridKernelInputs, source: ZLiveRowSource, levels: ExitLevels) {
    this.levels = levels;
    ({
      n: this.n,
      eod: this.eod,
      windowOk: this.windowOk,
      slowOf: this.slowOf,
      fastRow: this.fastRow,
    } = source.rows);
    this.z = source.zLive;
    ({ ts: this.fastTs, closeA: this.fastA, closeB: this.fastB, barMs: this.fastBarMs } = hin.fast);
    this.slowBarMs = hin.slow.barMs;
    if (this.z.length !== this.n)
      throw new Error(`z-live kernel: z_live has ${this.z.length} rows, expected ${this.n}`);
  }

  decidingBar(p: number): number {
    return this.slowOf[p] - 1;
  }

  slowBar(p: number): number {
    return this.slowOf[p];
  }

  fillRow(p: number): number {
    return this.fastRow[p];
  }

  /** The first row whose close is ≥ entry fill + max_hold·L_slow (binary search), else n. */
  holdEnd(p: number, entryTs: number, maxHold: number): number {
    const { fastTs, fastRow, fastBarMs } = this;
    const t = entryTs + maxHold * this.slowBarMs;
    let lo = p + 1;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (fastTs[fastRow[mid]] + fastBarMs < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  findExit(
    d: number,
    kA: number,
    kB: number,
    entryA: number,
    entryB: number,
    from: number,
    holdEnd: number,
    stop: number,
    out: PositionExit,
  ): void {
    const { z, eod, fastRow, fastA, fastB } = this;
    const { negZx, negZs, dollarTp, negDollarSl, dollarOn } = this.levels;
    let q = from;
    let reason: number;
    for (; ; q++) {
      if (dollarOn) {
        const r = fastRow[q];
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
    // every z-live exit fills at the row's fast close
    out.row = q;
    out.reason = reason;
    out.fill = fastRow[q];
  }
}
