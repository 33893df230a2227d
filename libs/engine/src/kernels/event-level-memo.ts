// What a stop level or hold bound does to a trade depends on its entry bar only (issue 19 item 5):
// the stop bar comes from the z arrays at the bar after the entry, the hold bar is entry + h, and
// the gross PnL there from the entry's sizes and prices and that bar's prices. The families of one
// chunk with the same z_entry and sizing (they differ in z_exit and gates) enter at many of the
// same bars, so the family kernel keeps that PnL and day here, one record per entry bar met,
// computed by the first family that needs it (event-family-kernel.ts stopLevel, holdLevel).
/*
 * Why. Each value is read at a bar no other read is near: computed per family it was a cache miss
 * per trade and level, a fifth of W6's kernel time. A record holds every level of the chunk side
 * by side and records are appended as the base runs meet new entry bars (in bar order, roughly),
 * so a family reads few, nearby cache lines, and most families find their values there. The same
 * expression on the same operands as before, so the same bits.
 *
 * Memory. Records live for one runEventFamilies call (a chunk): one per distinct entry bar of its
 * families, a few thousand, and a candidate → record index per entry level (8 bytes per candidate),
 * all reused from call to call (generation stamps instead of clearing).
 */
import { CFG_LENGTH, CFG_MULT_A } from "../rules/config-vector.js";

/** The records of one candidate universe (an entry level's ungated candidates) and sizing. */
export class LevelMemo {
  /** Gross PnL per record and level slot (NaN: not computed yet), and the day index of its bar. */
  pnl = new Float64Array(0);
  day = new Int32Array(0);
  /** Per candidate: its record, valid where stamp equals the current generation. */
  private index = new Int32Array(0);
  private stamp = new Int32Array(0);
  private count = 0;
  private gen = 0;
  private width = 0;

  reset(candidates: number, width: number, gen: number): void {
    if (this.index.length < candidates) {
      this.index = new Int32Array(candidates);
      this.stamp = new Int32Array(candidates);
    }
    this.count = 0;
    this.gen = gen;
    this.width = width;
  }

  /** The record of candidate `r` (its rank in the universe), appended on first use. */
  record(r: number): number {
    if (this.stamp[r] === this.gen) return this.index[r]!;
    const w = this.width;
    const k = this.count++;
    if ((k + 1) * w > this.pnl.length) {
      const pnl = new Float64Array(Math.max(1024, 2 * (k + 1)) * w);
      pnl.set(this.pnl.subarray(0, k * w));
      this.pnl = pnl;
      const day = new Int32Array(pnl.length);
      day.set(this.day.subarray(0, k * w));
      this.day = day;
    }
    this.pnl.fill(Number.NaN, k * w, (k + 1) * w);
    this.stamp[r] = this.gen;
    this.index[r] = k;
    return k;
  }
}

/** A family scratch's memos: the level slots of the current call, and its memos by universe and sizing. */
export class LevelMemos {
  /** Slots per record: the stop values and hold bounds of the call's members. */
  width = 0;
  private gen = 0;
  private readonly slots = new Map<string, number>();
  private readonly inUse = new Map<Int32Array, Map<string, LevelMemo>>();
  private readonly pool: LevelMemo[] = [];
  private used = 0;

  /** Starts a call whose members use these levels (`s:<z_stop>`, `h:<max_hold>`). */
  begin(levels: readonly string[]): void {
    this.gen++;
    this.slots.clear();
    for (const l of levels) if (!this.slots.has(l)) this.slots.set(l, this.slots.size);
    this.width = Math.max(1, this.slots.size);
    this.inUse.clear();
    this.used = 0;
  }

  /** The slot of a level in this call's records, or −1 when it was not planned. */
  slot(level: string): number {
    return this.slots.get(level) ?? -1;
  }

  /**
   * The memo of the candidates in `universe` (entry-candidates.ts) for the sizing of config
   * `cfg[o …]`: the fields from the multipliers on, compared bit for bit.
   */
  memoFor(universe: Int32Array, cfg: Float64Array, o: number): LevelMemo {
    let bySizing = this.inUse.get(universe);
    if (bySizing === undefined) {
      bySizing = new Map();
      this.inUse.set(universe, bySizing);
    }
    const bits = new Uint32Array(Float64Array.from(cfg.subarray(o + CFG_MULT_A, o + CFG_LENGTH)).buffer);
    const key = Array.from(bits, (b) => b.toString(16)).join(",");
    let memo = bySizing.get(key);
    if (memo === undefined) {
      if (this.used === this.pool.length) this.pool.push(new LevelMemo());
      memo = this.pool[this.used++]!;
      memo.reset(universe.length - 1, this.width, this.gen);
      bySizing.set(key, memo);
    }
    return memo;
  }
}
