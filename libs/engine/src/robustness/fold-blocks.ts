// A job's fold matrix as a stream of blocks, for jobs too large to hold (25 M rows × 16 folds is
// 9.6 GB of fold cells): the robustness figures that only *select* rows (the in-sample best of a
// CSCV split, of a walk-forward step) or *count* rows (an OOS rank) need one row at a time, so
// they run over blocks of rows and keep a few numbers per split. Every per-row value is computed
// by the same function as over the whole matrix (fold-statistic.ts), so the streamed figures are
// the same numbers, not approximations.

import type { FoldMatrix } from "./fold-matrix.js";

/** Rows of the fold matrix in any order: `ids[r]` is row r's combo id (the tie-break). */
export interface FoldBlock {
  m: FoldMatrix;
  ids: Float64Array;
}

/**
 * One pass over every row of the job, block by block; callable again for another pass (the
 * rows may come in a different order each time: only ids order rows). A visitor that returns a
 * promise (a worker pool waiting for a free buffer) holds the next block back until it settles.
 */
export type FoldBlockSource = (
  visit: (block: FoldBlock) => void | Promise<void>,
  opts?: FoldPassOptions,
) => Promise<void>;

export interface FoldPassOptions {
  /**
   * false: the pass does not read the trade counts, and a source may leave the blocks' nTrades
   * as zeros rather than read them (CSCV's pass 2 ranks by sums alone). Default true.
   */
  trades?: boolean;
}

/**
 * The running best row of a stream by one statistic, with ranking.ts's conventions whatever the
 * order rows arrive in: larger wins, NaN never, ties to the lower id. Over rows in id order this
 * is bestRow's answer: bestRow keeps the first (lowest-index) maximum, which is the lowest id.
 */
export class RunningBest {
  /** Combo id of the best so far; −1 while no row had a number. */
  id = -1;
  value = Number.NEGATIVE_INFINITY;
  /** A second value carried along with the best (e.g. its OOS statistic). */
  other = Number.NaN;

  /** True when the row became the best. */
  offer(value: number, id: number, other = Number.NaN): boolean {
    // `!(value >= this.value)` also rejects NaN; the first number is taken even when it is −∞
    if (this.id >= 0 && !(value > this.value || (value === this.value && id < this.id))) return false;
    if (this.id < 0 && Number.isNaN(value)) return false;
    this.id = id;
    this.value = value;
    this.other = other;
    return true;
  }
}

/**
 * Mid-rank counts of one value among a stream of values (ranking.ts midRank, split into a count
 * over blocks): `below` counts the values under x (NaN ranks below every number), `equal` those
 * equal to x (for a NaN x: the NaNs), the row itself included.
 */
export class RankCounter {
  below = 0;
  equal = 0;
  constructor(readonly x: number) {}

  count(values: Float64Array, n: number): void {
    const x = this.x;
    let below = 0;
    let equal = 0;
    if (Number.isNaN(x)) {
      for (let i = 0; i < n; i++) if (Number.isNaN(values[i]!)) equal++;
    } else {
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        if (Number.isNaN(v) || v < x) below++;
        else if (v === x) equal++;
      }
    }
    this.below += below;
    this.equal += equal;
  }

  /** midRank(values, row) over all the values counted. */
  get rank(): number {
    return this.below + (this.equal + 1) / 2;
  }
}

/**
 * The best row of a stream by one statistic (RunningBest) with its folds copied out of its block,
 * so that the row outlives the block. Each block is reduced to its own best row first, and only
 * that one is offered: a stream that happens to be sorted by the statistic copies one row per
 * block, not every row.
 */
export class BestRowWithFolds {
  readonly best = new RunningBest();
  readonly pnl: Float64Array;
  readonly pnlSq: Float64Array;
  readonly nDays: Int32Array;
  readonly nTrades: Int32Array;

  constructor(readonly nFolds: number) {
    this.pnl = new Float64Array(nFolds);
    this.pnlSq = new Float64Array(nFolds);
    this.nDays = new Int32Array(nFolds);
    this.nTrades = new Int32Array(nFolds);
  }

  /** `values[r]`: row r's statistic. */
  offerBlock(block: FoldBlock, values: Float64Array): void {
    const { ids } = block;
    let local = -1;
    let localValue = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < block.m.nRows; r++) {
      const v = values[r]!;
      const better =
        local < 0 ? !Number.isNaN(v) : v > localValue || (v === localValue && ids[r]! < ids[local]!);
      if (better) {
        local = r;
        localValue = v;
      }
    }
    if (local < 0) return;
    const at = local * this.nFolds;
    this.offerRow(localValue, ids[local]!, block.m, at);
  }

  /** One row, its folds at `at` of m's arrays: taken (folds copied) when it becomes the best. */
  offerRow(value: number, id: number, m: Omit<FoldMatrix, "nRows" | "nFolds">, at: number): void {
    if (!this.best.offer(value, id)) return;
    const F = this.nFolds;
    this.pnl.set(m.pnl.subarray(at, at + F));
    this.pnlSq.set(m.pnlSq.subarray(at, at + F));
    this.nDays.set(m.nDays.subarray(at, at + F));
    this.nTrades.set(m.nTrades.subarray(at, at + F));
  }

  /** The best of another stream (other rows) offered to this one: the best of both. */
  merge(other: BestRowWithFolds): void {
    if (other.best.id >= 0) this.offerRow(other.best.value, other.best.id, other, 0);
  }
}

/** The distinct rows held by some BestRowWithFolds as one small matrix; rowOf(id) is −1 for none. */
export function bestRowsMatrix(
  bests: readonly BestRowWithFolds[],
  nFolds: number,
): { m: FoldMatrix; ids: Float64Array; rowOf: (id: number) => number } {
  const byId = new Map<number, BestRowWithFolds>();
  for (const b of bests) if (b.best.id >= 0 && !byId.has(b.best.id)) byId.set(b.best.id, b);
  const rows = [...byId.values()];
  const F = nFolds;
  const m: FoldMatrix = {
    nRows: rows.length,
    nFolds: F,
    pnl: new Float64Array(rows.length * F),
    pnlSq: new Float64Array(rows.length * F),
    nDays: new Int32Array(rows.length * F),
    nTrades: new Int32Array(rows.length * F),
  };
  rows.forEach((b, r) => {
    m.pnl.set(b.pnl, r * F);
    m.pnlSq.set(b.pnlSq, r * F);
    m.nDays.set(b.nDays, r * F);
    m.nTrades.set(b.nTrades, r * F);
  });
  const ids = Float64Array.from(rows, (b) => b.best.id);
  const rowIndex = new Map(rows.map((b, r) => [b.best.id, r]));
  return { m, ids, rowOf: (id) => rowIndex.get(id) ?? -1 };
}

/** A source over an in-memory matrix in blocks of `blockRows` (tests; ids = row indices by default). */
export function matrixBlocks(
  m: FoldMatrix,
  blockRows: number,
  ids: Float64Array = Float64Array.from({ length: m.nRows }, (_, r) => r),
): FoldBlockSource {
  const F = m.nFolds;
  return async (visit) => {
    for (let r0 = 0; r0 < m.nRows; r0 += blockRows) {
      const r1 = Math.min(m.nRows, r0 + blockRows);
      await visit({
        m: {
          nRows: r1 - r0,
          nFolds: F,
          pnl: m.pnl.subarray(r0 * F, r1 * F),
          pnlSq: m.pnlSq.subarray(r0 * F, r1 * F),
          nDays: m.nDays.subarray(r0 * F, r1 * F),
          nTrades: m.nTrades.subarray(r0 * F, r1 * F),
        },
        ids: ids.subarray(r0, r1),
      });
    }
  };
}
