// The hot loop of streamed CSCV (pbo-streamed.ts), row by row instead of split by split.
//
// splitStatistics walks the whole block once per complementary pair (≈ 50 at 25 M rows): a 2048-row
// block of three fold arrays is ≈ 0.8 MB, more than a core's L2, so every pair re-reads it from L3
// and writes two N-long statistic arrays that the caller then scans again. Here the row is the
// outer loop: its 3·F fold cells are read once into L1 and every pair is evaluated from there,
// and the per-split reduction (pass 1: running argmax; pass 2: below/equal counts) is folded into
// the same loop, so nothing is written per row.
//
// Half sums from block tables: the folds are cut into blocks of SUM_BLOCK (4) and, per row, every
// subset of every block gets its sums once (16 per block, each one addition from a smaller one);
// a half is then 0 + its F / 4 block subsets in order, 4 table reads per sum instead of 8 folds.
//
// Exactness: every statistic is computed with the same operations, in the same order, as
// splitStatistics — the row's totals as 0 + folds ascending (rowTotals), half A as blocks summed
// 0 + ascending then 0 + the blocks in order (the table of a subset is its smaller subset plus its
// highest fold: the same additions), half B as totals − A with the variance floor relative to the
// total Σx², both through sharpeFromSums — so each value is bit-identical to the one cscvPbo
// compares. The argmax and the counts use RunningBest's and RankCounter's rules (NaN never wins,
// ties to the lower id; NaN ranks below every number), so the winners and ranks are the same too.
//
// Most comparisons are settled without the Sharpe itself (3 divisions and a square root per
// half): with n, Σx and ss = Σx² − Σx·mean as sharpeFromSums computes them, sign(a)·a² is
// Σx·|Σx|·(n−1)·252 / (n²·ss), so a against a threshold x is L = Σx·|Σx|·(n−1)·252 against
// R = x·|x|·n²·ss. Both sides carry a relative rounding error of a few 1e-16, so when L and R
// differ by more than MARGIN (1e-9) of their size the order of a and x is certain; otherwise, and
// for every row that could win, the Sharpe is computed exactly and compared as before. Whether a
// half's Sharpe is null is decided by the same test as sharpeFromSums's, on the same numbers.
// Pass 2 adds those certain outcomes to its counts as 0 or 1, without a branch: whether a row is
// below a winner out of sample is close to a coin toss, so a branch there is mispredicted about
// half the time (30 → 21 ns per row and half in a micro-benchmark on W7-like noise rows).
//
// By Sharpe, both passes first run a block through the WebAssembly screens (cscv-simd.ts): two
// rows at a time in SIMD lanes, they settle the certain cases above and list the rest, which the
// methods here decide as their own loops do (bestScreened, countScreened). The loops stay, for
// total_pnl and for PAIRGRID_ROBUSTNESS_SIMD=0.
import { type FoldMatrix } from "./fold-matrix.js";
import { type FoldStatistic, sharpeFromSums, SUM_BLOCK, VARIANCE_FLOOR } from "./fold-statistic.js";
import { HalfBound, lowestBest } from "./split-bound.js";
import { CscvScreens } from "./cscv-simd.js";
import { robustnessSimdEnabled } from "./wasm-screens.js";

/** Relative gap between L and R above which their order is certain (see above). */
const MARGIN = 1e-9;

/** Per split half h: the IS winner so far with IS = A (OOS = B) and the one with IS = B (OOS = A). */
export interface SplitWinners {
  /** Combo id of the winner; −1 while no row had a number. */
  idA: Float64Array;
  valueA: Float64Array;
  /** The winner's statistic on the other half (its OOS value). */
  otherA: Float64Array;
  idB: Float64Array;
  valueB: Float64Array;
  otherB: Float64Array;
}

export function makeSplitWinners(nHalves: number): SplitWinners {
  const ids = () => new Float64Array(nHalves).fill(-1);
  const values = () => new Float64Array(nHalves).fill(Number.NEGATIVE_INFINITY);
  const nans = () => new Float64Array(nHalves).fill(Number.NaN);
  return {
    idA: ids(),
    valueA: values(),
    otherA: nans(),
    idB: ids(),
    valueB: values(),
    otherB: nans(),
  };
}

/**
 * Winners of two partial streams combined (e.g. two workers' shares of the rows): the same rule as
 * offering every row to one stream, because "larger, then lower id" is a total order.
 */
export function mergeSplitWinners(into: SplitWinners, from: SplitWinners): void {
  for (const side of ["A", "B"] as const) {
    const id = into[`id${side}`];
    const value = into[`value${side}`];
    const other = into[`other${side}`];
    for (let h = 0; h < id.length; h++) {
      const fid = from[`id${side}`][h]!;
      if (fid < 0) continue;
      const fv = from[`value${side}`][h]!;
      const cur = id[h]!;
      if (cur < 0 || fv > value[h]! || (fv === value[h]! && fid < cur)) {
        id[h] = fid;
        value[h] = fv;
        other[h] = from[`other${side}`][h]!;
      }
    }
  }
}

/**
 * Mid-rank counts of each split's winner on its OOS half: `belowA[h]` / `equalA[h]` count the rows
 * whose B statistic is below / equal to the A-winner's OOS value, `belowB` / `equalB` the rows
 * whose A statistic compares so with the B-winner's.
 */
export interface SplitCounts {
  belowA: Float64Array;
  equalA: Float64Array;
  belowB: Float64Array;
  equalB: Float64Array;
}

export function makeSplitCounts(nHalves: number): SplitCounts {
  return {
    belowA: new Float64Array(nHalves),
    equalA: new Float64Array(nHalves),
    belowB: new Float64Array(nHalves),
    equalB: new Float64Array(nHalves),
  };
}

export function addSplitCounts(into: SplitCounts, from: SplitCounts): void {
  for (const k of ["belowA", "equalA", "belowB", "equalB"] as const) {
    for (let h = 0; h < into[k].length; h++) into[k][h]! += from[k][h]!;
  }
}

/** Subsets of a block: its table's length. */
const BLOCK_SUBSETS = 1 << SUM_BLOCK;

/** The halves' per-row evaluation: pass 1 (best) and pass 2 (count) over blocks of rows. */
export class SplitKernel {
  readonly nHalves: number;
  private readonly nBlocks: number;
  /** Half h, block b: b·BLOCK_SUBSETS + the half's folds in block b as bits (its table slot). */
  private readonly slots: Int32Array;
  /** The current row's subset sums of every block (days, Σx, Σx²), filled by fillTables. */
  private readonly tn: Float64Array;
  private readonly ts: Float64Array;
  private readonly tq: Float64Array;
  /** The current row's totals (rowSums). */
  private nT = 0;
  private sT = 0;
  private qT = 0;
  /** A half's sums (halfSums). */
  private hn = 0;
  private hs = 0;
  private hq = 0;
  private readonly sharpe: boolean;
  /**
   * Per half: the winners' OOS values x as x·|x|, for pass 2's certain comparisons (in pass 1 the
   * screen's starting bests: scratch space, set again at each block).
   */
  private readonly xxA: Float64Array;
  private readonly xxB: Float64Array;
  private readonly bound: HalfBound;
  /** Rows pass 1 skipped because they could not win any split (split-bound.ts). */
  skipped = 0;
  /** The WebAssembly screens of both passes by Sharpe, or null (cscv-simd.ts). */
  private readonly screens: CscvScreens | null;

  /** Whether blocks go through the WebAssembly screens. */
  get screened(): boolean {
    return this.screens !== null;
  }

  constructor(
    readonly nFolds: number,
    foldMasks: readonly Uint8Array[],
    by: FoldStatistic,
    /** Screen blocks with WebAssembly (cscv-simd.ts); false: the JavaScript loops alone. */
    simd = robustnessSimdEnabled(),
  ) {
    this.nHalves = foldMasks.length;
    this.sharpe = by === "sharpe";
    this.xxA = new Float64Array(this.nHalves);
    this.xxB = new Float64Array(this.nHalves);
    this.nBlocks = Math.ceil(nFolds / SUM_BLOCK);
    this.slots = new Int32Array(this.nHalves * this.nBlocks);
    this.tn = new Float64Array(this.nBlocks * BLOCK_SUBSETS);
    this.ts = new Float64Array(this.nBlocks * BLOCK_SUBSETS);
    this.tq = new Float64Array(this.nBlocks * BLOCK_SUBSETS);
    // a half and its complement both compete: sizes |A| and F − |A|
    let kMin = nFolds;
    let kMax = 0;
    foldMasks.forEach((mask, h) => {
      let k = 0;
      for (let b = 0; b < this.nBlocks; b++) {
        let bits = 0;
        for (let j = 0; j < SUM_BLOCK && b * SUM_BLOCK + j < nFolds; j++) {
          if (mask[b * SUM_BLOCK + j] === 1) {
            bits |= 1 << j;
            k++;
          }
        }
        this.slots[h * this.nBlocks + b] = b * BLOCK_SUBSETS + bits;
      }
      kMin = Math.min(kMin, k, nFolds - k);
      kMax = Math.max(kMax, k, nFolds - k);
    });
    this.bound = new HalfBound(nFolds, kMin, kMax, by);
    this.screens =
      this.sharpe && simd ? new CscvScreens(nFolds, this.nBlocks, this.slots, this.nHalves) : null;
  }

  /**
   * The row at `base`: its totals (0 + folds ascending, as rowTotals) into nT, sT, qT, and every
   * block's subset sums into the tables. The sums of a subset are those of the subset without its
   * highest fold, plus that fold: 0 + its folds ascending, as splitStatistics adds a block. `all`
   * false sums only Σx, total and table (total_pnl needs no more).
   */
  private rowSums(m: FoldMatrix, base: number, all: boolean): void {
    const F = this.nFolds;
    const { tn, ts, tq } = this;
    const { nDays, pnl, pnlSq } = m;
    let nT = 0;
    let sT = 0;
    let qT = 0;
    if (all) {
      for (let f = base; f < base + F; f++) {
        nT += nDays[f]!;
        sT += pnl[f]!;
        qT += pnlSq[f]!;
      }
    } else for (let f = base; f < base + F; f++) sT += pnl[f]!;
    this.nT = nT;
    this.sT = sT;
    this.qT = qT;
    for (let b = 0, o = 0; b < this.nBlocks; b++, o += BLOCK_SUBSETS) {
      const first = b * SUM_BLOCK;
      const end = 1 << Math.min(SUM_BLOCK, F - first);
      tn[o] = 0;
      ts[o] = 0;
      tq[o] = 0;
      for (let bits = 1; bits < end; bits++) {
        const top = 31 - Math.clz32(bits);
        const from = o + (bits ^ (1 << top));
        const i = base + first + top;
        ts[o + bits] = ts[from]! + pnl[i]!;
        if (all) {
          tn[o + bits] = tn[from]! + nDays[i]!;
          tq[o + bits] = tq[from]! + pnlSq[i]!;
        }
      }
    }
  }

  /** Pass 1: every row of the block offered to every split's running argmax (both sides). */
  best(m: FoldMatrix, ids: Float64Array, w: SplitWinners): void {
    if (!this.sharpe) {
      this.bestTotal(m, ids, w);
      return;
    }
    if (this.screens !== null) {
      this.bestScreened(m, ids, w);
      return;
    }
    const F = this.nFolds;
    const H = this.nHalves;
    const { idA, valueA, idB, valueB } = w;
    // rows that cannot reach the lowest best of any split are skipped (split-bound.ts)
    const floor = lowestBest(idA, valueA, idB, valueB);
    const prune = floor > Number.NEGATIVE_INFINITY;
    for (let r = 0, base = 0; r < m.nRows; r++, base += F) {
      if (prune && this.bound.bound(m, base) < floor) {
        this.skipped++;
        continue;
      }
      this.rowSums(m, base, true);
      const id = ids[r]!;
      for (let h = 0; h < H; h++) this.offerHalf(h, id, w);
    }
  }

  /**
   * Pass 1 through the WebAssembly screen (cscv-simd.ts): it lists the rows and halves that may
   * beat a split's best as it stood at the block's start, and each is offered here as above.
   */
  private bestScreened(m: FoldMatrix, ids: Float64Array, w: SplitWinners): void {
    const screens = this.screens!;
    const F = this.nFolds;
    const H = this.nHalves;
    const rows = screens.load(m.nRows, m.nDays, m.pnl, m.pnlSq);
    // a split without a best yet takes any number: −∞ lets every non-null half through
    const { idA, valueA, idB, valueB } = w;
    const { xxA: startA, xxB: startB } = this; // pass 2's fields, free in pass 1
    for (let h = 0; h < H; h++) {
      startA[h] = idA[h]! < 0 ? Number.NEGATIVE_INFINITY : valueA[h]!;
      startB[h] = idB[h]! < 0 ? Number.NEGATIVE_INFINITY : valueB[h]!;
    }
    screens.setValues(startA, startB);
    const floor = lowestBest(idA, valueA, idB, valueB);
    for (let r0 = 0; r0 < rows; r0 += screens.rowsPerCall) {
      const r1 = Math.min(rows, r0 + screens.rowsPerCall);
      const n = screens.best(r0, r1, floor, this.bound.kMin);
      const listed = screens.entries(n);
      let row = -1;
      for (let e = 0; e < n; e++) {
        const rh = listed[e]! >> 2;
        const rr = Math.floor(rh / H);
        const r = r0 + rr;
        if (r >= m.nRows) continue; // the padding row (never listed: it has no number)
        if (r !== row) {
          row = r;
          this.rowSums(m, r * F, true);
        }
        this.offerHalf(rh - rr * H, ids[r]!, w);
      }
    }
    this.skipped += screens.takeSkipped();
  }

  /**
   * Half h's sums of the current row (days, Σx, Σx²) into hn, hs, hq: its blocks' table entries
   * added in order (0 + the first is the first itself). countSharpe writes the same lines out: a
   * method returning through fields ran its loop 8 % slower.
   */
  private halfSums(h: number): void {
    const B = this.nBlocks;
    const j0 = h * B;
    const { slots, tn, ts, tq } = this;
    if (B === 4) {
      const o0 = slots[j0]!,
        o1 = slots[j0 + 1]!,
        o2 = slots[j0 + 2]!,
        o3 = slots[j0 + 3]!;
      this.hn = tn[o0]! + tn[o1]! + tn[o2]! + tn[o3]!;
      this.hs = ts[o0]! + ts[o1]! + ts[o2]! + ts[o3]!;
      this.hq = tq[o0]! + tq[o1]! + tq[o2]! + tq[o3]!;
      return;
    }
    let n = 0;
    let s = 0;
    let q = 0;
    for (let j = j0; j < j0 + B; j++) {
      const o = slots[j]!;
      n += tn[o]!;
      s += ts[o]!;
      q += tq[o]!;
    }
    this.hn = n;
    this.hs = s;
    this.hq = q;
  }

  /** The current row's half h (IS = A, then IS = B) offered to split h's running bests. */
  private offerHalf(h: number, id: number, w: SplitWinners): void {
    const { nT, sT, qT } = this;
    const { idA, valueA, otherA, idB, valueB, otherB } = w;
    this.halfSums(h);
    const { hn: n, hs: s, hq: q } = this;
    const nB = nT - n;
    const sB = sT - s;
    const qB = qT - q;
    // null (NaN) never wins: sharpeFromSums's two tests, on its own numbers
    const ssA = n >= 2 ? q - s * (s / n) : Number.NaN;
    const ssB = nB >= 2 ? qB - sB * (sB / nB) : Number.NaN;
    const okA = ssA > q * VARIANCE_FLOOR;
    const okB = ssB > qT * VARIANCE_FLOOR;
    const ca = idA[h]!;
    const cb = idB[h]!;
    const candA = okA && (ca < 0 || !surelyBelow(n, s, ssA, valueA[h]!));
    const candB = okB && (cb < 0 || !surelyBelow(nB, sB, ssB, valueB[h]!));
    if (!candA && !candB) return;
    const a = sharpeFromSums(n, s, q);
    const b = sharpeFromSums(nB, sB, qB, qT);
    // RunningBest.offer inlined: the first number, then larger, then equal with a lower id
    if (candA && (ca < 0 ? a === a : a > valueA[h]! || (a === valueA[h]! && id < ca))) {
      idA[h] = id;
      valueA[h] = a;
      otherA[h] = b;
    }
    if (candB && (cb < 0 ? b === b : b > valueB[h]! || (b === valueB[h]! && id < cb))) {
      idB[h] = id;
      valueB[h] = b;
      otherB[h] = a;
    }
  }

  /** Pass 1 by total PnL: the statistic is Σx itself. */
  private bestTotal(m: FoldMatrix, ids: Float64Array, w: SplitWinners): void {
    const F = this.nFolds;
    const H = this.nHalves;
    const B = this.nBlocks;
    const { slots, ts } = this;
    const { idA, valueA, otherA, idB, valueB, otherB } = w;
    const floor = lowestBest(idA, valueA, idB, valueB);
    const prune = floor > Number.NEGATIVE_INFINITY;
    for (let r = 0, base = 0; r < m.nRows; r++, base += F) {
      if (prune && this.bound.bound(m, base) < floor) {
        this.skipped++;
        continue;
      }
      this.rowSums(m, base, false);
      const sT = this.sT;
      const id = ids[r]!;
      for (let h = 0, j0 = 0; h < H; h++, j0 += B) {
        let a = 0;
        for (let j = j0; j < j0 + B; j++) a += ts[slots[j]!]!;
        const b = sT - a;
        const ca = idA[h]!;
        if (ca < 0 ? a === a : a > valueA[h]! || (a === valueA[h]! && id < ca)) {
          idA[h] = id;
          valueA[h] = a;
          otherA[h] = b;
        }
        const cb = idB[h]!;
        if (cb < 0 ? b === b : b > valueB[h]! || (b === valueB[h]! && id < cb)) {
          idB[h] = id;
          valueB[h] = b;
          otherB[h] = a;
        }
      }
    }
  }

  /**
   * Pass 2: each row's OOS statistics against the winners' (`w.otherA` is ranked among the rows'
   * B statistics, `w.otherB` among their A statistics), added into `c`. RankCounter's rule: below
   * is "NaN or less", equal is "===" (for a NaN winner value: the NaNs).
   */
  count(m: FoldMatrix, w: SplitWinners, c: SplitCounts): void {
    if (!this.sharpe) this.countTotal(m, w, c);
    else if (this.screens !== null) this.countScreened(m, w, c);
    else this.countSharpe(m, w, c);
  }

  /** The winners' OOS values x as x·|x| into xxA and xxB, the thresholds of pass 2's certain tests. */
  private winnerSquares(w: SplitWinners): void {
    const { xxA, xxB } = this;
    for (let h = 0; h < this.nHalves; h++) {
      xxA[h] = w.otherA[h]! * Math.abs(w.otherA[h]!);
      xxB[h] = w.otherB[h]! * Math.abs(w.otherB[h]!);
    }
  }

  /**
   * Pass 2 through the WebAssembly screen (cscv-simd.ts): it adds the certain outcomes and lists
   * the rest (close calls, null Sharpes, a null winner value), which are ranked here with
   * rankSharpe as countSharpe ranks them.
   */
  private countScreened(m: FoldMatrix, w: SplitWinners, c: SplitCounts): void {
    const screens = this.screens!;
    const F = this.nFolds;
    const H = this.nHalves;
    const xA = w.otherA;
    const xB = w.otherB;
    const { belowA, equalA, belowB, equalB } = c;
    this.winnerSquares(w);
    const rows = screens.load(m.nRows, m.nDays, m.pnl, m.pnlSq);
    screens.setValues(this.xxA, this.xxB);
    screens.clearCounts();
    for (let r0 = 0; r0 < rows; r0 += screens.rowsPerCall) {
      const r1 = Math.min(rows, r0 + screens.rowsPerCall);
      const n = screens.count(r0, r1);
      const listed = screens.entries(n);
      let row = -1;
      for (let e = 0; e < n; e++) {
        const rh = listed[e]! >> 2;
        const rr = Math.floor(rh / H);
        const r = r0 + rr;
        if (r >= m.nRows) continue; // the padding row
        if (r !== row) {
          row = r;
          this.rowSums(m, r * F, true);
        }
        const h = rh - rr * H;
        this.halfSums(h);
        const { hn: sn, hs: ss, hq: sq } = this;
        const sides = listed[e]! & 3;
        if ((sides & 1) !== 0) {
          const vs = rankSharpe(this.nT - sn, this.sT - ss, this.qT - sq, this.qT, xA[h]!);
          if (vs < 0) belowA[h]!++;
          else if (vs === 0) equalA[h]!++;
        }
        if ((sides & 2) !== 0) {
          const vs = rankSharpe(sn, ss, sq, sq, xB[h]!);
          if (vs < 0) belowB[h]!++;
          else if (vs === 0) equalB[h]!++;
        }
      }
    }
    screens.countsInto(belowA, belowB);
  }

  /**
   * Pass 2 by total PnL: below is !(v >= x) (a NaN v too), equal v === x, both added as 0 or 1
   * without a branch; a NaN winner value (the NaNs are its equals) takes rankValue.
   */
  private countTotal(m: FoldMatrix, w: SplitWinners, c: SplitCounts): void {
    const F = this.nFolds;
    const H = this.nHalves;
    const B = this.nBlocks;
    const { slots, ts } = this;
    const xA = w.otherA;
    const xB = w.otherB;
    const { belowA, equalA, belowB, equalB } = c;
    for (let r = 0, base = 0; r < m.nRows; r++, base += F) {
      this.rowSums(m, base, false);
      const sT = this.sT;
      for (let h = 0, j0 = 0; h < H; h++, j0 += B) {
        let s = 0;
        for (let j = j0; j < j0 + B; j++) s += ts[slots[j]!]!;
        const sB = sT - s;
        const x = xA[h]!;
        const y = xB[h]!;
        if (x === x && y === y) {
          belowA[h]! += +!(sB >= x);
          equalA[h]! += +(sB === x);
          belowB[h]! += +!(s >= y);
          equalB[h]! += +(s === y);
        } else {
          const vsA = rankValue(sB, x);
          const vsB = rankValue(s, y);
          if (vsA < 0) belowA[h]!++;
          else if (vsA === 0) equalA[h]!++;
          if (vsB < 0) belowB[h]!++;
          else if (vsB === 0) equalB[h]!++;
        }
      }
    }
  }

  /**
   * Pass 2 by Sharpe, branch-free where the order is certain: on noise-like data whether a row is
   * below a winner is a coin toss, so a branch per comparison is mispredicted half the time. The
   * certain cases add 0 or 1 to the counts through integer arithmetic on the comparisons; the
   * rest (close calls, null Sharpes, a null winner value: rare, hence predictable) go through
   * rankSharpe as before. The same tests on the same numbers, so the same counts.
   */
  private countSharpe(m: FoldMatrix, w: SplitWinners, c: SplitCounts): void {
    const F = this.nFolds;
    const H = this.nHalves;
    const B = this.nBlocks;
    const { slots, tn, ts, tq, xxA, xxB } = this;
    const xA = w.otherA;
    const xB = w.otherB;
    this.winnerSquares(w);
    const { belowA, equalA, belowB, equalB } = c;
    for (let r = 0, base = 0; r < m.nRows; r++, base += F) {
      this.rowSums(m, base, true);
      const { nT, sT, qT } = this;
      const floorT = qT * VARIANCE_FLOOR;
      for (let h = 0, j0 = 0; h < H; h++, j0 += B) {
        let n = 0;
        let s = 0;
        let q = 0;
        // halfSums written out: its fields cost this loop 8 %
        if (B === 4) {
          const o0 = slots[j0]!,
            o1 = slots[j0 + 1]!,
            o2 = slots[j0 + 2]!,
            o3 = slots[j0 + 3]!;
          n = tn[o0]! + tn[o1]! + tn[o2]! + tn[o3]!;
          s = ts[o0]! + ts[o1]! + ts[o2]! + ts[o3]!;
          q = tq[o0]! + tq[o1]! + tq[o2]! + tq[o3]!;
        } else
          for (let j = j0; j < j0 + B; j++) {
            const o = slots[j]!;
            n += tn[o]!;
            s += ts[o]!;
            q += tq[o]!;
          }
        const nB = nT - n;
        const sB = sT - s;
        const qB = qT - q;
        // x = the A-winner's OOS value, ranked among the B statistics (rankSharpe's certain
        // cases, inlined; 1 = true, 0 = false), and y = the B-winner's among the A statistics
        const ssB = qB - sB * (sB / nB);
        const lB = sB * Math.abs(sB) * ((nB - 1) * 252);
        const rB = xxA[h]! * (nB * nB * ssB);
        const mB = MARGIN * (Math.abs(lB) + Math.abs(rB));
        const okB = +(nB >= 2) & +(ssB > floorT);
        const bBelowX = okB & +(lB < rB - mB);
        const certainB = bBelowX | (okB & +(lB > rB + mB));
        const ssA = q - s * (s / n);
        const lA = s * Math.abs(s) * ((n - 1) * 252);
        const rA = xxB[h]! * (n * n * ssA);
        const mA = MARGIN * (Math.abs(lA) + Math.abs(rA));
        const okA = +(n >= 2) & +(ssA > q * VARIANCE_FLOOR);
        const aBelowY = okA & +(lA < rA - mA);
        const certainA = aBelowY | (okA & +(lA > rA + mA));
        belowA[h]! += bBelowX;
        belowB[h]! += aBelowY;
        if ((certainA & certainB) === 0) {
          if (certainB === 0) {
            const vs = rankSharpe(nB, sB, qB, qT, xA[h]!);
            if (vs < 0) belowA[h]!++;
            else if (vs === 0) equalA[h]!++;
          }
          if (certainA === 0) {
            const vs = rankSharpe(n, s, q, q, xB[h]!);
            if (vs < 0) belowB[h]!++;
            else if (vs === 0) equalB[h]!++;
          }
        }
      }
    }
  }
}

/**
 * True when the Sharpe of (n, Σx, ss) — a number: the caller checked ss — is certainly below x
 * (see the comment at the top); false when it is not or when that is not certain.
 */
export function surelyBelow(n: number, s: number, ss: number, x: number): boolean {
  const l = s * Math.abs(s) * ((n - 1) * 252);
  const r = x * Math.abs(x) * (n * n * ss);
  return l < r - MARGIN * (Math.abs(l) + Math.abs(r));
}

/** RankCounter's comparison of a value v with the ranked one x: −1 below (NaN v too), 0 equal, 1 above. */
function rankValue(v: number, x: number): number {
  if (x !== x) return v !== v ? 0 : 1;
  return !(v >= x) ? -1 : v === x ? 0 : 1;
}

/** rankValue(sharpeFromSums(n, s, q, scale), x), the Sharpe computed only when L and R are close. */
function rankSharpe(n: number, s: number, q: number, scale: number, x: number): number {
  const ss = n >= 2 ? q - s * (s / n) : Number.NaN;
  if (!(ss > scale * VARIANCE_FLOOR)) return x !== x ? 0 : -1; // a null Sharpe
  if (x !== x) return 1;
  const l = s * Math.abs(s) * ((n - 1) * 252);
  const r = x * Math.abs(x) * (n * n * ss);
  const margin = MARGIN * (Math.abs(l) + Math.abs(r));
  if (l < r - margin) return -1;
  if (l > r + margin) return 1;
  return rankValue(sharpeFromSums(n, s, q, scale), x);
}
