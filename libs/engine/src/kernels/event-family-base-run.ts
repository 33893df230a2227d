// A family's base run (event-family-kernel.ts): the trades its members share, found once, in the
// layouts the members read them in, and the state of its search while the batch builds it.
import { N_REASONS, type TradeRun } from "../rules/kernel-tally.js";

// Lanes of a trade record (numbers as doubles): what a member needs to decide a trade its stop or
// hold may cut. The stretches of kept trades read TradeRun's arrays instead, and the walk from
// trade to trade reads entryBar and exitBar: each member pass touches the records only where it
// decides a trade.
export const T_ENTRY = 0;
export const T_EXIT = 1;
export const T_TP = 2;
export const T_EOD = 3;
export const T_SIDE = 4;
export const T_REASON = 5;
export const T_PNL = 6;
export const T_DAY = 7;
export const T_COSTS = 8;
export const T_NA = 9;
export const T_NB = 10;
export const T_BETA = 11;
export const T_ENTRY_A = 12;
export const T_ENTRY_B = 13;
export const T_KA = 14;
export const T_KB = 15;
export const T_WIDTH = 16;

/** A family's base run: its trades (records, bars and TradeRun arrays), and its build state. */
export class BaseRun implements TradeRun {
  rec = new Float64Array(T_WIDTH * 256);
  /** Entry and exit bar per trade (also in rec): the compact copy a member's walk reads. */
  entryBar = new Int32Array(256);
  exitBar = new Int32Array(256);
  /** Each trade's record in the family's level memo (event-level-memo.ts). */
  rank = new Int32Array(256);
  pnlNet = new Float64Array(256);
  gain = new Float64Array(256);
  loss = new Float64Array(256);
  day = new Int32Array(256);
  cumWins = new Float64Array(257);
  cumLong = new Float64Array(257);
  cumHeld = new Float64Array(257);
  cumReason = new Float64Array(257 * N_REASONS);
  /** For each trade and each stop level of the family (stride nStops): the bar the stop closes it. */
  stopAt = new Int32Array(256);
  nStops = 0;
  m = 0;
  /** The longest base trade, in bars (exit − entry). */
  maxHeld = 0;
  // while built: FLAT (search from i; `pending`: the entry array's value `next` at i is read) or
  // EXIT (record m − 1 waits for its exit bar's prices)
  i = 0;
  /** Where the search for the next entry resumes in the family's candidate list. */
  cursor = 0;
  next = 0;
  pending = false;
  exitPending = false;
  done = false;

  /**
   * Int32Arrays the family's stop and hold levels use (stopLevel, holdLevel), kept from one family
   * to the next: allocating them per family was most of what the threads' garbage collector did.
   */
  private readonly pool: Int32Array[] = [];
  private poolUsed = 0;
  private readonly poolF64: Float64Array[] = [];
  private poolF64Used = 0;

  /** An array of at least `length` from the pool, for the current family only. */
  borrow(length: number): Int32Array {
    if (this.poolUsed === this.pool.length) this.pool.push(new Int32Array(Math.max(256, length)));
    let a = this.pool[this.poolUsed]!;
    if (a.length < length) this.pool[this.poolUsed] = a = new Int32Array(length * 2);
    this.poolUsed++;
    return a;
  }

  /** borrow's Float64Array kin (the levels' PnL at their cut bars). */
  borrowF64(length: number): Float64Array {
    if (this.poolF64Used === this.poolF64.length) this.poolF64.push(new Float64Array(Math.max(256, length)));
    let a = this.poolF64[this.poolF64Used]!;
    if (a.length < length) this.poolF64[this.poolF64Used] = a = new Float64Array(length * 2);
    this.poolF64Used++;
    return a;
  }

  reset(nStops: number): void {
    this.poolUsed = 0;
    this.poolF64Used = 0;
    this.m = 0;
    this.maxHeld = 0;
    this.i = 0;
    this.cursor = 0;
    this.pending = false;
    this.exitPending = false;
    this.done = false;
    this.nStops = nStops;
    this.cumWins[0] = 0;
    this.cumLong[0] = 0;
    this.cumHeld[0] = 0;
    this.cumReason.fill(0, 0, N_REASONS);
  }

  /** Room for one more trade. */
  growIfFull(): void {
    const m = this.m;
    if ((m + 1) * T_WIDTH > this.rec.length) this.rec = grown(this.rec, this.rec.length * 2);
    if ((m + 1) * this.nStops > this.stopAt.length)
      this.stopAt = grown(this.stopAt, (m + 1) * this.nStops * 2);
    if (m + 1 > this.pnlNet.length) {
      const cap = this.pnlNet.length * 2;
      this.entryBar = grown(this.entryBar, cap);
      this.exitBar = grown(this.exitBar, cap);
      this.rank = grown(this.rank, cap);
      this.pnlNet = grown(this.pnlNet, cap);
      this.gain = grown(this.gain, cap);
      this.loss = grown(this.loss, cap);
      this.day = grown(this.day, cap);
      this.cumWins = grown(this.cumWins, cap + 1);
      this.cumLong = grown(this.cumLong, cap + 1);
      this.cumHeld = grown(this.cumHeld, cap + 1);
      this.cumReason = grown(this.cumReason, (cap + 1) * N_REASONS);
    }
  }
}

function grown<T extends Float64Array | Int32Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}
