// The per-row work of streamed walk-forward (walk-forward-streamed.ts): each training range's
// statistic of every row of a block, reduced at once to the block's best row per range.
//
// foldSetStatistic walks the block once per range (≈ 25 at 16 folds) and sums each range afresh;
// anchored ranges [0, t) are prefixes of one another, so here each row's folds are summed once per
// distinct start, ascending, and a range's statistic is read off when the sum reaches its end.
// That is the very sequence of additions foldSetStatistic makes (0, then the folds in order), so
// every statistic is bit-identical. A row whose Sharpe is certainly below the range's best so far
// (this block's or the stream's) cannot be chosen and its Sharpe is not computed (surelyBelow,
// cscv-kernel.ts); ties and near-ties are computed exactly. By Sharpe a block first goes through
// the WebAssembly screen (walk-forward-simd.ts), and only the rows and ranges it lists are
// considered here.
import { surelyBelow } from "./cscv-kernel.js";
import type { BestRowWithFolds, FoldBlock } from "./fold-blocks.js";
import type { FoldMatrix } from "./fold-matrix.js";
import { RangeScreens } from "./walk-forward-simd.js";
import { robustnessSimdEnabled } from "./wasm-screens.js";
import { type FoldStatistic, sharpeFromSums, VARIANCE_FLOOR } from "./fold-statistic.js";

export class RangeKernel {
  /** Distinct starts; chain c's ranges are ends[chainAt[c] … chainAt[c+1]) (ascending), range[…]. */
  private readonly starts: Int32Array;
  private readonly chainAt: Int32Array;
  private readonly ends: Int32Array;
  private readonly range: Int32Array;
  private readonly localValue: Float64Array;
  private readonly localRow: Int32Array;
  private readonly bar: Float64Array;
  private readonly sharpe: boolean;
  /** Each slot's chain (the index of its start). */
  private readonly chainOf: Int32Array;
  /** The WebAssembly screen (walk-forward-simd.ts), or null: the loop alone. */
  private readonly screens: RangeScreens | null;

  /** ranges[k] = [from, to): the k-th training range, whose best row goes to bests[k] in visit. */
  constructor(
    readonly nFolds: number,
    ranges: readonly { from: number; to: number }[],
    by: FoldStatistic,
    simd = robustnessSimdEnabled(),
  ) {
    this.sharpe = by === "sharpe";
    const froms = [...new Set(ranges.map((r) => r.from))].sort((a, b) => a - b);
    const ends: number[] = [];
    const range: number[] = [];
    const chainAt = [0];
    for (const from of froms) {
      const mine = ranges.map((r, k) => ({ ...r, k })).filter((r) => r.from === from);
      mine.sort((a, b) => a.to - b.to);
      for (const r of mine) {
        ends.push(r.to);
        range.push(r.k);
      }
      chainAt.push(ends.length);
    }
    this.starts = Int32Array.from(froms);
    this.chainAt = Int32Array.from(chainAt);
    this.ends = Int32Array.from(ends);
    this.range = Int32Array.from(range);
    this.localValue = new Float64Array(ranges.length);
    this.localRow = new Int32Array(ranges.length);
    this.bar = new Float64Array(ranges.length);
    this.chainOf = new Int32Array(ends.length);
    for (let c = 0; c < froms.length; c++) this.chainOf.fill(c, chainAt[c]!, chainAt[c + 1]!);
    this.screens =
      this.sharpe && simd ? new RangeScreens(nFolds, this.starts, this.chainAt, this.ends) : null;
  }

  /** Whether blocks go through the WebAssembly screen. */
  get screened(): boolean {
    return this.screens !== null;
  }

  /** Every row of the block; each range's best row of the block is then offered to bests[k]. */
  visit({ m, ids }: FoldBlock, bests: readonly BestRowWithFolds[]): void {
    const F = this.nFolds;
    const { starts, chainAt, ends, range, localValue, localRow, bar, sharpe } = this;
    const { nDays, pnl, pnlSq } = m;
    localRow.fill(-1);
    // the stream's best so far: a row surely below it cannot be chosen (NaN: no best yet)
    bests.forEach((b, k) => (bar[k] = b.best.id >= 0 ? b.best.value : Number.NaN));
    if (sharpe && this.screens !== null) this.visitScreened(m, ids);
    else
      for (let r = 0, base = 0; r < m.nRows; r++, base += F) {
        const id = ids[r]!;
        for (let c = 0; c < starts.length; c++) {
          let n = 0;
          let s = 0;
          let q = 0;
          let f = base + starts[c]!;
          for (let j = chainAt[c]!; j < chainAt[c + 1]!; j++) {
            for (const end = base + ends[j]!; f < end; f++) {
              n += nDays[f]!;
              s += pnl[f]!;
              q += pnlSq[f]!;
            }
            this.consider(range[j]!, n, s, q, r, id, ids);
          }
        }
      }
    for (let k = 0; k < bests.length; k++) {
      const row = localRow[k]!;
      if (row >= 0) bests[k]!.offerRow(localValue[k]!, ids[row]!, m, row * F);
    }
  }

  /**
   * The block through the WebAssembly screen (walk-forward-simd.ts): each listed row and range
   * is considered as the loop above considers it, its sums made the loop's way (0, then the
   * range's folds in order).
   */
  private visitScreened(m: FoldMatrix, ids: Float64Array): void {
    const screens = this.screens!;
    const F = this.nFolds;
    const J = screens.nSlots;
    const { starts, chainOf, ends, range, bar } = this;
    const { nDays, pnl, pnlSq } = m;
    const rows = screens.load(m.nRows, nDays, pnl, pnlSq);
    screens.setBests(Float64Array.from(range, (k) => bar[k]!));
    for (let r0 = 0; r0 < rows; r0 += screens.rowsPerCall) {
      const n = screens.screen(r0, Math.min(rows, r0 + screens.rowsPerCall));
      const listed = screens.entries(n);
      for (let e = 0; e < n; e++) {
        const rj = listed[e]! >> 2;
        const rr = Math.floor(rj / J);
        const r = r0 + rr;
        if (r >= m.nRows) continue; // the padding row
        const j = rj - rr * J;
        const base = r * F;
        let sn = 0;
        let ss = 0;
        let sq = 0;
        for (let f = base + starts[chainOf[j]!]!; f < base + ends[j]!; f++) {
          sn += nDays[f]!;
          ss += pnl[f]!;
          sq += pnlSq[f]!;
        }
        this.consider(range[j]!, sn, ss, sq, r, ids[r]!, ids);
      }
    }
  }

  /** Row r (combo id `id`) with sums n, s, q over range k's folds, against the block's best. */
  private consider(
    k: number,
    n: number,
    s: number,
    q: number,
    r: number,
    id: number,
    ids: Float64Array,
  ): void {
    const { localValue, localRow, bar } = this;
    const lr = localRow[k]!;
    let v: number;
    if (this.sharpe) {
      // a null Sharpe is never chosen: sharpeFromSums's tests on its own numbers
      const ss = n >= 2 ? q - s * (s / n) : Number.NaN;
      if (!(ss > q * VARIANCE_FLOOR)) return;
      const b = bar[k]!;
      const above = lr >= 0 && !(localValue[k]! <= b) ? localValue[k]! : b;
      if (above === above && surelyBelow(n, s, ss, above)) return;
      v = sharpeFromSums(n, s, q);
    } else {
      v = s;
    }
    // the block's best: the first number, then larger, then equal with a lower id
    if (lr < 0 ? v === v : v > localValue[k]! || (v === localValue[k]! && id < ids[lr]!)) {
      localRow[k] = r;
      localValue[k] = v;
    }
  }
}
