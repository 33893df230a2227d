// The WebAssembly screen of streamed walk-forward (walk-forward in assembly/cscv-simd.ts; loaded by
// wasm-screens.ts): two rows at a time, it lists the rows and training ranges where the row may be
// the range's best, against the stream's best at the block's start (a best only rises, so that is
// a superset of the rows RangeKernel's loop would consider). RangeKernel then considers each
// listed one with its own sums and rules; "larger, then lower id" is a total order, so the bests
// do not depend on which rows are considered in which order. The screen's null test (n ≥ 2, ss
// above the variance floor) is sharpeFromSums's, with its operations in its order.
import { ScreenMemory } from "./wasm-screens.js";

/** Most entries one screen call may list (4 bytes each). */
const MAX_ENTRIES = 1 << 20;

/** One thread's walk-forward screen for one set of range chains (RangeKernel's layout). */
export class RangeScreens {
  private readonly mem: ScreenMemory;
  private readonly startsAt: number;
  private readonly chainAtAt: number;
  private readonly endsAt: number;
  private readonly xxAt: number;
  private readonly tmpAt: number;
  private readonly outAt: number;
  private readonly nChains: number;
  /** Range slots (chain order). */
  readonly nSlots: number;
  /** Rows per screen call (even). */
  readonly rowsPerCall: number;

  constructor(nFolds: number, starts: Int32Array, chainAt: Int32Array, ends: Int32Array) {
    const mem = new ScreenMemory(nFolds);
    this.mem = mem;
    this.nChains = starts.length;
    this.nSlots = ends.length;
    const J = this.nSlots;
    this.rowsPerCall = Math.max(2, Math.floor(MAX_ENTRIES / J) & ~1);
    this.startsAt = mem.region(starts.length * 4);
    this.chainAtAt = mem.region(chainAt.length * 4);
    this.endsAt = mem.region(J * 4);
    this.xxAt = mem.region(J * 8);
    this.tmpAt = mem.region(J * 4);
    this.outAt = mem.region(this.rowsPerCall * J * 4);
    mem.i32(this.startsAt, starts.length).set(starts);
    mem.i32(this.chainAtAt, chainAt.length).set(chainAt);
    mem.i32(this.endsAt, J).set(ends);
  }

  /** Copies a block in (ScreenMemory.load); returns the padded row count. */
  load(nRows: number, nDays: Int32Array, pnl: Float64Array, pnlSq: Float64Array): number {
    return this.mem.load(nRows, nDays, pnl, pnlSq);
  }

  /** Each slot's threshold: the range's best so far (NaN: none yet, every number passes). */
  setBests(values: Float64Array): void {
    this.mem.f64(this.xxAt, this.nSlots).set(values.map((x) => x * Math.abs(x)));
  }

  /** Screens loaded rows [r0, r1): entries ((r − r0)·J + slot)·4; returns how many. */
  screen(r0: number, r1: number): number {
    const at = [this.nChains, this.startsAt, this.chainAtAt, this.endsAt, this.xxAt, this.outAt, this.tmpAt];
    return this.mem.ex.walkForward(...this.mem.data(r0), r1 - r0, this.mem.nFolds, ...at);
  }

  entries(n: number): Int32Array {
    return this.mem.i32(this.outAt, n);
  }
}
