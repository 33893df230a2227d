// The WebAssembly screens of streamed CSCV (assembly/cscv-simd.ts; wasm-screens.ts loads it): two rows at a time in SIMD lanes, 2–3× the JavaScript loops' speed on
// W7-like rows. SplitKernel (cscv-kernel.ts) hands each block to them and decides what they list.
//
// Why the result stays exact. A screen only ever settles a comparison that is certain — a half's
// Sharpe against a threshold, by the margin test of cscv-kernel.ts's header, which holds whatever
// the last bits of the sums — and lists every other (row, half, side) for SplitKernel, which
// computes it with its own sums and rules, as its JavaScript loops do:
//   pass 1 lists the rows that may beat a split's best so far, against the bests as they were at
//   the block's start (a best only rises, so that is a superset of the rows the loop would
//   offer); SplitKernel offers each listed row as before. "Larger, then lower id" is a total
//   order, so the winners do not depend on the order rows are offered in.
//   pass 2 adds the certain "below" outcomes itself and lists the rest: close calls, null
//   Sharpes, a null winner value. SplitKernel ranks those with rankSharpe, as its loop does.
// The screens also compute the null tests (n ≥ 2, ss above the variance floor) with
// sharpeFromSums's operations in its order, so a row they call non-null is non-null there too.
import { ScreenMemory } from "./wasm-screens.js";

/** Most entries one screen call may list (4 bytes each): a call covers fewer rows when H is large. */
const MAX_ENTRIES = 1 << 20;

/** One thread's CSCV screens for one plan (folds, sum blocks, halves). */
export class CscvScreens {
  private readonly mem: ScreenMemory;
  private readonly slotsAt: number;
  private readonly valAAt: number;
  private readonly valBAt: number;
  private readonly accAAt: number;
  private readonly accBAt: number;
  private readonly tablesAt: number;
  private readonly tmpAt: number;
  private readonly outAt: number;
  private readonly skippedAt: number;
  /** Rows per screen call (even): a call lists at most MAX_ENTRIES. */
  readonly rowsPerCall: number;

  constructor(
    readonly nFolds: number,
    readonly nBlocks: number,
    slots: Int32Array,
    readonly nHalves: number,
  ) {
    const H = nHalves;
    const mem = new ScreenMemory(nFolds);
    this.mem = mem;
    this.rowsPerCall = Math.max(2, Math.floor(MAX_ENTRIES / H) & ~1);
    this.slotsAt = mem.region(H * nBlocks * 4);
    this.valAAt = mem.region(H * 8);
    this.valBAt = mem.region(H * 8);
    this.accAAt = mem.region(H * 16);
    this.accBAt = mem.region(H * 16);
    // three tables of nBlocks × 16 v128, and the totals (three v128)
    this.tablesAt = mem.region(3 * nBlocks * 256 + 48);
    this.tmpAt = mem.region(H * 4);
    this.outAt = mem.region(this.rowsPerCall * H * 4);
    this.skippedAt = mem.region(4);
    mem.i32(this.slotsAt, H * nBlocks).set(slots);
  }

  /** Copies a block in (ScreenMemory.load); returns the padded row count. */
  load(nRows: number, nDays: Int32Array, pnl: Float64Array, pnlSq: Float64Array): number {
    return this.mem.load(nRows, nDays, pnl, pnlSq);
  }

  /** The thresholds of the next screens: per half, two values (A side, B side). */
  setValues(a: Float64Array, b: Float64Array): void {
    this.mem.f64(this.valAAt, this.nHalves).set(a);
    this.mem.f64(this.valBAt, this.nHalves).set(b);
  }

  /** The entries listed by the last screen call. */
  entries(n: number): Int32Array {
    return this.mem.i32(this.outAt, n);
  }

  private args(r0: number, r1: number): number[] {
    return [...this.mem.data(r0), r1 - r0, this.nFolds, this.nBlocks, this.slotsAt, this.nHalves];
  }

  /**
   * Pass 1's screen of loaded rows [r0, r1) (r1 − r0 even) against the values of setValues (the
   * splits' bests, −∞ for none): entries ((r − r0)·H + h)·4 + sides. Pairs of rows whose bound
   * (split-bound.ts; halves of at least kMin folds) is below `floor`, the lowest best of any
   * split, are passed over (−∞: none is) and counted (takeSkipped).
   */
  best(r0: number, r1: number, floor: number, kMin: number): number {
    const at = [this.valAAt, this.valBAt, floor, kMin, this.skippedAt, this.tablesAt, this.outAt, this.tmpAt];
    return this.mem.ex.best(...this.args(r0, r1), ...at);
  }

  /** Rows pass 1's screens passed over since the last call. */
  takeSkipped(): number {
    const cell = this.mem.i32(this.skippedAt, 1);
    const n = cell[0]!;
    cell[0] = 0;
    return n;
  }

  /**
   * Pass 2's screen of loaded rows [r0, r1) against setValues' x·|x| of the winners' OOS values:
   * certain "below" counts go to the accumulators (clearCounts, countsInto), the rest listed.
   */
  count(r0: number, r1: number): number {
    const at = [this.valAAt, this.valBAt, this.accAAt, this.accBAt, this.tablesAt, this.outAt, this.tmpAt];
    return this.mem.ex.count(...this.args(r0, r1), ...at);
  }

  clearCounts(): void {
    new BigInt64Array(this.mem.ex.memory.buffer, this.accAAt, 2 * this.nHalves).fill(0n);
    new BigInt64Array(this.mem.ex.memory.buffer, this.accBAt, 2 * this.nHalves).fill(0n);
  }

  /** Adds the accumulated certain counts (both lanes) to belowA and belowB. */
  countsInto(belowA: Float64Array, belowB: Float64Array): void {
    const a = new BigInt64Array(this.mem.ex.memory.buffer, this.accAAt, 2 * this.nHalves);
    const b = new BigInt64Array(this.mem.ex.memory.buffer, this.accBAt, 2 * this.nHalves);
    for (let h = 0; h < this.nHalves; h++) {
      belowA[h]! += Number(a[2 * h]! + a[2 * h + 1]!);
      belowB[h]! += Number(b[2 * h]! + b[2 * h + 1]!);
    }
  }
}
