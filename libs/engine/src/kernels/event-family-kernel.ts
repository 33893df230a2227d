// The event-driven kernel for a family of combinations that differ only in z_stop and max_hold:
// the trades of the family's base run (neither on) are found once, and every combination of the
// family walks that list, deciding a trade itself only where its stop or hold bound may change it.
// The same rows as runEventBatch (and the bar-scan kernel), bit for bit.
/*
 * Why it is exact. A trade entered at bar c depends on c and the combination's thresholds only,
 * never on what came before: its side, sizes, costs, take-profit bar tp and next eod bar e are the
 * same for every member of a family (same entry array, z_exit, sizing and costs). A member's exit is
 * the base exit unless its stop bar or hold bound comes first (exitCode, §5 priority on ties): a
 * stop bar or hold bound after the base exit changes nothing. The base run has no cooldown, so its
 * search for trade k + 1 starts at trade k's exit bar S(k+1), and a search from any bar i with
 * S(k) ≤ i ≤ entry(k) finds exactly base trade k (a bar in between that could enter would have).
 *
 * A member therefore never leaves the base run's trades. Its first search starts at 0 = S(0). After
 * a base trade it keeps, it searches from S(k+1). After a trade its stop or hold cuts short at bar j
 * (f = entry + 1 ≤ j < tp, or j = tp for a stop on the take-profit bar), the cooldown release is the
 * take-profit array read at j, which is tp itself (no bar in [f, tp) reaches the take-profit level),
 * capped at the last bar. And no base trade spans tp: one entered before tp is on the same side
 * (the other side's entry level is beyond the take-profit level, and z has not reached that), so it
 * exits at tp or earlier. So the member's search resumes in some [S(k'), entry(k')] (or past the
 * last base trade, where the base found no entry either). The kernel checks this at every step.
 *
 * Each member's tally (KernelTally) receives exactly the values, in exactly the order, the batch
 * kernel would give it: a kept trade's row updates come from the base record (recordRun applies a
 * stretch of them, with the same floating additions in the same order), a cut trade's from the
 * same expressions on the same operands, so the row is the same bits. Where the base run's PnL
 * lies on a power-of-two grid, every sum is exact and a member takes its stretches from prefix
 * sums and range summaries instead (event-family-exact.ts): the same values, so the same bits.
 *
 * Why it is fast. A family of W1/W2 has 30 members (6 stops × 5 holds). Most trades are not cut by
 * a member's stop or hold; per stop level and per hold the next trade they may cut is precomputed,
 * so a member walks its kept trades as stretches (sequential reads of the base run, no lookups at
 * random bars, no sizing, no price reads) and decides only the trades that may be cut. Members
 * whose hold is longer than every trade they make are copies of the family's longest-hold member.
 * The members walk the base run together, a block of base trades at a time (walk): a block's
 * records are read from cache by every member. The PnL at the bars where a stop level or hold
 * bound cuts a trade is computed once per level (stopLevel, holdLevel), and once per entry bar for
 * all the families of a call that share a z_entry and sizing (event-level-memo.ts); the base run
 * finds its entries by a cursor over the entry array's candidates (entry-candidates.ts).
 */
import type { BacktestInputs } from "./backtest-inputs.js";
import type { BatchCall } from "./kernel-call.js";
import { CFG_MAX_HOLD, CFG_Z_STOP } from "../rules/config-vector.js";
import { ComboRules, positionPnl } from "../rules/combo-rules.js";
import { BLOCK_BARS, type BatchScratch, runEventBatch } from "./event-batch-kernel.js";
import { ExactRun, MAX_SCALED_ABS } from "./event-family-exact.js";
import { candidateFrom, candidateRanks, entryCandidates } from "./entry-candidates.js";
import { type LevelMemo, LevelMemos } from "./event-level-memo.js";
import {
  BAR_BETA,
  BAR_CLOSE_A,
  BAR_CLOSE_B,
  BAR_DAY,
  BAR_LANES,
  gateKeyOf,
  type GroupEvents,
} from "./event-index.js";
import { eventKernelApplies } from "./event-kernel.js";
import { firstIdentical } from "./identical-configs.js";
import { exitBarOf, exitCode, exitReasonOf } from "../rules/event-position.js";
import { SL_ZSCORE } from "../rules/enums.js";
import { type KernelScratch, makeKernelScratch } from "./grid-kernel-scratch.js";
import { TRADE_RECORD_WIDTH } from "./grid-kernel-trade-record.js";
import { GateSet } from "../rules/kernel-gates.js";
import { KernelTally, N_REASONS } from "../rules/kernel-tally.js";
import {
  BaseRun,
  T_BETA,
  T_COSTS,
  T_DAY,
  T_ENTRY,
  T_ENTRY_A,
  T_ENTRY_B,
  T_EOD,
  T_EXIT,
  T_KA,
  T_KB,
  T_NA,
  T_NB,
  T_PNL,
  T_REASON,
  T_SIDE,
  T_TP,
  T_WIDTH,
} from "./event-family-base-run.js";
import { FOLD_WIDTH, N_STATS } from "../statistics/stat-row.js";

/** Families smaller than this run in the batch kernel: a base run costs about a few members' passes. */
export const FAMILY_MIN = 4;
/**
 * Families whose base runs are built together, block by block: a base run alone is a chain of
 * dependent reads at random bars (a cache miss each); a batch advancing through the bars in blocks
 * keeps every read in cache, as runEventBatch does for combinations. Each base run holds about
 * 250 B per trade and stays allocated in its thread: 32 of them held 75 MB per thread on W1's data
 * (W5 showed it as +130–200 MB per added worker thread); 8 hold a quarter of that and ran W1 as
 * fast, within this machine's noise.
 */
export const FAMILY_BATCH = 8;
/**
 * Base trades a family's members walk together: a block's records and TradeRun entries (about
 * 170 B per trade) and the price records of the bars its trades span (W1: about 90 bars of 32 B
 * per trade, 1.5 MB) stay in the L2 cache while every member reads them. 128 to 1,024 measured
 * alike on W1; without blocks, W1 at 4× the bars took 4–12 % longer (noisy machine).
 */
export const BLOCK_TRADES = 512;

/** Per-thread working memory of the family kernel. */
export class FamilyScratch {
  readonly runs: BaseRun[] = Array.from({ length: FAMILY_BATCH }, () => new BaseRun());
  readonly kernel: KernelScratch;
  /** The exact sums of the family whose members walk now (event-family-exact.ts). */
  readonly exact = new ExactRun();
  /** The stop and hold levels' PnL per entry bar, shared by a call's families (event-level-memo.ts). */
  readonly memos = new LevelMemos();
  /** One tally scratch (daily series) per member walking at the same time, grown on demand. */
  private readonly members: KernelScratch[] = [];
  /**
   * The last object of each kind the kernel makes per chunk (a family, a member walk, a gate set,
   * a batch entry, the call and its statistics), kept until later ones replace them. A chunk thread
   * forces a full collection at each new group (thread-gc.ts). If no object of a kind is alive at
   * that moment, V8 drops its map, and with it the optimized code of every function that checks
   * the map ("weak objects" in --trace-deopt): W6's kernel functions were recompiled ~130 times
   * per run, ≈ 25 CPU-s on V8's compiler threads, the kernel running unoptimized meanwhile. One
   * live object of each kind keeps the maps. Beside what the thread holds anyway (its groups'
   * arrays, in its view cache), they pin one chunk's configuration vectors at most: its result
   * arrays are transferred to the main thread, which leaves them empty here.
   */
  readonly kept: {
    family: unknown;
    walk: unknown;
    gates: unknown;
    entry: unknown;
    call: unknown;
    stats: unknown;
  } = {
    family: null,
    walk: null,
    gates: null,
    entry: null,
    call: null,
    stats: null,
  };

  constructor(readonly nDays: number) {
    this.kernel = makeKernelScratch(nDays);
  }

  /** The q-th member's tally scratch. */
  member(q: number): KernelScratch {
    while (this.members.length <= q) this.members.push(makeKernelScratch(this.nDays));
    return this.members[q]!;
  }
}

/** One member on its way through the base run: where it is, its tally, where its row goes. */
class MemberWalk {
  /** The next base trade it may make, and the bar its search resumes from. */
  k = 0;
  i = 0;
  /** Its longest trade in bars (exit − entry), kept only if `measureHeld`. */
  maxHeld = 0;
  done = false;
  /** Σ |net PnL| of its cut trades times the exact run's scale (exact arithmetic only). */
  scaledAbs = 0;
  /** A cut trade's PnL was off the exact run's grid: the walk stopped, the member runs again. */
  failed = false;

  constructor(
    readonly tally: KernelTally,
    /** The member bounds the copies of its stop level's others (runEventFamilies). */
    readonly measureHeld: boolean,
    readonly stop: StopLevel | null,
    /** The member's own rules (its z_stop and max_hold; the rest are the family's). */
    readonly rules: ComboRules,
    readonly hold: HoldLevel | null,
    readonly foldOffset: number,
    /** The family's exact sums when the member walks in exact arithmetic, else null. */
    readonly exact: ExactRun | null,
  ) {}
}

/**
 * Where a stop level cuts base trades: its bar per trade, the next trade it may cut, and, for each
 * trade it closes before the base exit, the gross PnL and day index at its bar (computed once per
 * family and level, not once per member: W6's members cut ~560 trades each).
 */
interface StopLevel {
  at: Int32Array;
  next: Int32Array;
  pnl: Float64Array;
  day: Int32Array;
}

/** A hold bound's next trade it may cut, and the gross PnL and day at entry + h where it cuts. */
interface HoldLevel {
  next: Int32Array;
  pnl: Float64Array;
  day: Int32Array;
}

/** A family: what its members share, and its base run. */
class Family {
  private readonly n: number;
  private readonly last: number;
  private readonly eod: Uint8Array;
  private readonly bars: Float64Array;
  /** The entry array's candidates (entry-candidates.ts), which the base run walks with a cursor. */
  private readonly entryList: Int32Array;
  /** Each candidate's index in this entry level's universe, for the level memo (event-level-memo.ts). */
  private readonly ranks: Int32Array;
  private readonly memo: LevelMemo;
  private readonly longTp: Int32Array;
  private readonly shortTp: Int32Array;
  private readonly eodNext: Int32Array;
  /** The rules of the family's members but for z_stop and max_hold (the base run has neither). */
  private readonly rules: ComboRules;
  private readonly sizes: Float64Array;
  /** The stop levels of the members, the index of each in the run's stopAt stride. */
  private readonly stopIndex = new Map<number, number>();
  private readonly stopSl: { long: Int32Array; short: Int32Array }[] = [];
  private readonly stops = new Map<number, StopLevel>();
  /** Trades a member's stop or hold cut short (tests check that this path is taken). */
  cutTrades = 0;
  private readonly holds = new Map<number, HoldLevel>();

  constructor(
    private readonly inp: BacktestInputs,
    private readonly events: GroupEvents,
    cfg: Float64Array,
    o: number,
    private readonly scratch: FamilyScratch,
    private readonly run: BaseRun,
    stopLevels: readonly number[],
  ) {
    this.n = inp.n;
    this.last = inp.n - 1;
    this.eod = inp.eod;
    this.bars = events.bars();
    const gates = new GateSet(inp, cfg, o);
    scratch.kept.family = this;
    scratch.kept.gates = gates;
    const rules = new ComboRules(cfg, o);
    this.rules = rules;
    const ze = rules.zEntry;
    const zx = rules.zExit;
    const universe = entryCandidates(events.entry(ze));
    this.entryList = gates.required > 0 ? events.gatedCandidates(ze, gateKeyOf(cfg, o), gates) : universe;
    this.ranks = candidateRanks(this.entryList, universe);
    this.memo = scratch.memos.memoFor(universe, cfg, o);
    this.longTp = events.atLeast(-zx);
    this.shortTp = events.atMost(zx);
    this.eodNext = events.eod();
    this.sizes = scratch.kernel.sizes;
    for (const zs of stopLevels) {
      this.stopIndex.set(zs, this.stopSl.length);
      this.stopSl.push({ long: events.atMost(-zs), short: events.atLeast(zs) });
    }
    run.reset(stopLevels.length);
  }

  /** Record `o` of `rec`: a position at bar c, side d, and the take-profit and eod bars it meets. */
  private openEvents(rec: Float64Array, o: number, c: number, d: number): void {
    const f = c + 1;
    rec[o + T_ENTRY] = c;
    rec[o + T_SIDE] = d;
    rec[o + T_TP] = d === 1 ? this.longTp[f]! : this.shortTp[f]!;
    rec[o + T_EOD] = this.eodNext[f]!;
  }

  /** Record `o`'s sizes, costs and entry prices (the event kernel's arithmetic, in its order). */
  private openSizes(rec: Float64Array, o: number): void {
    const b = rec[o + T_ENTRY]! * BAR_LANES;
    const entryA = this.bars[b + BAR_CLOSE_A]!;
    const entryB = this.bars[b + BAR_CLOSE_B]!;
    const betaEntry = this.bars[b + BAR_BETA]!;
    const sizes = this.sizes;
    const rules = this.rules;
    rules.enter(entryA, entryB, betaEntry, sizes);
    const na = sizes[0]!;
    const nb = sizes[1]!;
    rec[o + T_NA] = na;
    rec[o + T_NB] = nb;
    rec[o + T_BETA] = betaEntry;
    rec[o + T_ENTRY_A] = entryA;
    rec[o + T_ENTRY_B] = entryB;
    rec[o + T_KA] = rules.exposureA(na);
    rec[o + T_KB] = rules.exposureB(nb, betaEntry);
    rec[o + T_COSTS] = rules.costs(na, nb);
  }

  /** The gross PnL of record `o`'s position closed at bar j's close (the kernels' expression). */
  private pnlAt(rec: Float64Array, o: number, j: number): number {
    const x = j * BAR_LANES;
    return positionPnl(
      rec[o + T_SIDE]!,
      rec[o + T_KA]!,
      rec[o + T_KB]!,
      this.bars[x + BAR_CLOSE_A]!,
      this.bars[x + BAR_CLOSE_B]!,
      rec[o + T_ENTRY_A]!,
      rec[o + T_ENTRY_B]!,
    );
  }

  /**
   * The base run (neither stop nor hold, so no cooldown: each search starts at the last exit bar)
   * up to the first read at or past `limit`. Every read at a bar happens while the batch's block
   * holds that bar: the entry's (entry array, take-profit, eod and stop arrays at f, prices at c),
   * then the exit's (prices at j) once the block reaches j.
   */
  chain(limit: number): void {
    const run = this.run;
    const { n, last, entryList, stopSl } = this;
    const nStops = stopSl.length;
    if (run.done) return;
    for (;;) {
      if (run.exitPending) {
        const k = run.m - 1;
        const o = k * T_WIDTH;
        const rec = run.rec;
        const j = rec[o + T_EXIT]!;

        if (j >= limit) return;
        const pnlGross = this.pnlAt(rec, o, j);
        const dj = this.bars[j * BAR_LANES + BAR_DAY]!;
        rec[o + T_PNL] = pnlGross;
        rec[o + T_DAY] = dj;
        const p = pnlGross - rec[o + T_COSTS]!;
        run.pnlNet[k] = p;
        run.gain[k] = p > 0 ? p : 0;
        run.loss[k] = p < 0 ? p : 0;
        run.cumWins[k + 1] = run.cumWins[k]! + (p > 0 ? 1 : 0);
        run.day[k] = dj;
        run.cumLong[k + 1] = run.cumLong[k]! + (rec[o + T_SIDE] === 1 ? 1 : 0);
        const held = j - rec[o + T_ENTRY]!;
        run.cumHeld[k + 1] = run.cumHeld[k]! + held;
        if (held > run.maxHeld) run.maxHeld = held;
        const cr = run.cumReason;
        const r0 = k * N_REASONS;
        for (let r = 0; r < N_REASONS; r++) cr[r0 + N_REASONS + r] = cr[r0 + r]!;
        cr[r0 + N_REASONS + rec[o + T_REASON]!] += 1;
        run.exitPending = false;
        run.i = j;
      }
      if (!run.pending) {
        if (run.i >= limit) return;
        // the entry array's value at bar i
        const p = candidateFrom(entryList, run.cursor, run.i);
        run.cursor = p;
        run.next = entryList[p]!;
        run.pending = true;
      }
      const next = run.next;
      const c = next < 0 ? ~next : next;
      if (c >= last) {
        run.done = true;
        return;
      }
      if (c >= limit) return;
      run.growIfFull();
      const rec = run.rec;
      const k = run.m;
      const o = k * T_WIDTH;
      const d = next < 0 ? 1 : -1;
      this.openEvents(rec, o, c, d);
      this.openSizes(rec, o);
      const f = c + 1;
      for (let s = 0; s < nStops; s++) {
        run.stopAt[k * nStops + s] = d === 1 ? stopSl[s]!.long[f]! : stopSl[s]!.short[f]!;
      }
      const code = exitCode(n, n, rec[o + T_TP]!, rec[o + T_EOD]!, last, this.eod);
      const j = exitBarOf(code);
      rec[o + T_EXIT] = j;
      rec[o + T_REASON] = exitReasonOf(code, j);
      run.entryBar[k] = c;
      run.exitBar[k] = j;
      run.rank[k] = this.memo.record(this.ranks[run.cursor]!);
      run.m = k + 1;
      run.pending = false;
      run.exitPending = true;
    }
  }

  /** Base trades a stop at zs closes (its bar per trade) and, from each k, the next one it may cut. */
  private stopLevel(zs: number): StopLevel {
    let level = this.stops.get(zs);
    if (level !== undefined) return level;
    const { exitBar, m, stopAt, nStops, rec, rank } = this.run;
    const memo = this.memo;
    const slot = this.scratch.memos.slot(`s:${zs}`);
    const width = this.scratch.memos.width;
    const s = this.stopIndex.get(zs);
    if (s === undefined) throw new Error(`event family kernel: stop level ${zs} was not planned`);
    const at = this.run.borrow(m);
    const next = this.run.borrow(m + 1);
    const pnl = this.run.borrowF64(m);
    const day = this.run.borrow(m);
    next[m] = m;
    for (let k = m - 1; k >= 0; k--) {
      const sl = stopAt[k * nStops + s]!;
      at[k] = sl;
      // a stop bar after the base exit changes nothing (the header's argument, exitCode's order)
      next[k] = sl <= exitBar[k]! ? k : next[k + 1]!;
      if (sl < exitBar[k]!) {
        if (slot < 0) {
          pnl[k] = this.pnlAt(rec, k * T_WIDTH, sl);
          day[k] = this.bars[sl * BAR_LANES + BAR_DAY]!;
          continue;
        }
        // the stop bar and its PnL depend on the entry bar only: another family may have them
        const x = rank[k]! * width + slot;
        let v = memo.pnl[x]!;
        if (Number.isNaN(v)) {
          v = this.pnlAt(rec, k * T_WIDTH, sl);
          memo.pnl[x] = v;
          memo.day[x] = this.bars[sl * BAR_LANES + BAR_DAY]!;
        }
        pnl[k] = v;
        day[k] = memo.day[x]!;
      }
    }
    level = { at, next, pnl, day };
    this.stops.set(zs, level);
    return level;
  }

  /** From each base trade k, the next one a hold bound of h bars may cut (entry + h ≤ base exit). */
  private holdLevel(h: number): HoldLevel {
    let level = this.holds.get(h);
    if (level !== undefined) return level;
    const { entryBar, exitBar, m, rec, rank } = this.run;
    const memo = this.memo;
    const slot = this.scratch.memos.slot(`h:${h}`);
    const width = this.scratch.memos.width;
    const next = this.run.borrow(m + 1);
    const pnl = this.run.borrowF64(m);
    const day = this.run.borrow(m);
    next[m] = m;
    for (let k = m - 1; k >= 0; k--) {
      const end = entryBar[k]! + h;
      next[k] = end <= exitBar[k]! ? k : next[k + 1]!;
      if (end < exitBar[k]!) {
        if (slot < 0) {
          pnl[k] = this.pnlAt(rec, k * T_WIDTH, end);
          day[k] = this.bars[end * BAR_LANES + BAR_DAY]!;
          continue;
        }
        const x = rank[k]! * width + slot;
        let v = memo.pnl[x]!;
        if (Number.isNaN(v)) {
          v = this.pnlAt(rec, k * T_WIDTH, end);
          memo.pnl[x] = v;
          memo.day[x] = this.bars[end * BAR_LANES + BAR_DAY]!;
        }
        pnl[k] = v;
        day[k] = memo.day[x]!;
      }
    }
    level = { next, pnl, day };
    this.holds.set(h, level);
    return level;
  }

  /**
   * The walk of the member at `cfg[o …]` (this family, its own z_stop and max_hold), the q-th of
   * those walking together: its row goes to `row[rowOffset …]`, its folds to `foldOffset`.
   */
  startMember(
    cfg: Float64Array,
    o: number,
    q: number,
    row: Float64Array,
    rowOffset: number,
    foldOffset: number,
    measureHeld: boolean,
    exact: ExactRun | null,
  ): MemberWalk {
    const tally = new KernelTally(
      this.scratch.member(q),
      this.inp.nDays,
      row,
      rowOffset,
      null,
      TRADE_RECORD_WIDTH,
      exact,
    );
    const rules = new ComboRules(cfg, o);
    const walk = new MemberWalk(
      tally,
      measureHeld,
      rules.stopOn ? this.stopLevel(rules.zStop) : null,
      rules,
      rules.holdOn ? this.holdLevel(rules.maxHold) : null,
      foldOffset,
      exact,
    );
    this.scratch.kept.walk = walk;
    return walk;
  }

  /** The base run's exact sums (event-family-exact.ts) in `exact`, or null where they do not hold. */
  exactSums(exact: ExactRun): ExactRun | null {
    return exact.build(this.run, this.run.m, this.inp.nDays) ? exact : null;
  }

  /**
   * Walks every member through the base run together, `blockTrades` base trades at a time, so
   * each block's records and prices are read by every member while they are in cache (header).
   * Then each member's row and folds are written, but for members whose exact walk failed (a cut
   * trade off the grid): those are returned, unwritten, to be walked again without.
   */
  walk(walks: readonly MemberWalk[], folds: Float64Array, nFolds: number, blockTrades: number): MemberWalk[] {
    const m = this.run.m;
    for (let k1 = Math.min(m, blockTrades); ; k1 = Math.min(m, k1 + blockTrades)) {
      for (const w of walks) if (!w.done) this.advance(w, k1);
      if (k1 === m) break;
    }
    const failed: MemberWalk[] = [];
    for (const w of walks) {
      if (w.failed) failed.push(w);
      else w.tally.finish(this.n, folds, w.foldOffset, nFolds);
    }
    return failed;
  }

  /**
   * Moves member `w` on until its next possible trade is k1 or later (k1 = m: to the end). The
   * trades it makes go to its tally in order; a stretch is split at k1 without changing a bit
   * (recordRun adds trade after trade, whatever the stretch).
   */
  private advance(w: MemberWalk, k1: number): void {
    const { n, last, eod } = this;
    const run = this.run;
    const { rec, m, entryBar, exitBar } = run;
    const { tally, stop, hold, rules, measureHeld, exact } = w;
    const holdNext = hold !== null ? hold.next : null;
    let { k, i, maxHeld } = w;
    for (;;) {
      // the first base trade entered at or after i, and the bar where the base's search for it
      // began; an exact walk takes the base trades it passes over out of its seeded daily series
      if (exact === null) {
        while (k < m && entryBar[k]! < i) k++;
      } else {
        while (k < m && entryBar[k]! < i) {
          tally.unrecord(run.day[k]!, run.pnlNet[k]!);
          k++;
        }
      }
      const s = k === 0 ? 0 : exitBar[k - 1]!;
      // the search from i finds base trade k: s ≤ i ≤ entry(k) always holds (header)
      if (s > i) throw new Error("event family kernel: a member left the base run's chain (kernel bug)");
      if (k === m) {
        w.done = true;
        break;
      }
      if (k >= k1) break;
      // base trades before the next one this member's stop or hold may cut are its own trades
      let cut = stop !== null ? stop.next[k]! : m;
      if (holdNext !== null && holdNext[k]! < cut) cut = holdNext[k]!;
      if (cut > k) {
        if (cut > k1) cut = k1;
        if (exact === null) tally.recordRun(run, k, cut);
        else tally.recordRunExact(run, exact, k, cut);
        // the stretch's own longest trade, not the base run's: a stop that cuts the base's
        // longest trade lets more of its level's holds be copies
        if (measureHeld && run.maxHeld > maxHeld) {
          for (let q = k; q < cut; q++) {
            const held = exitBar[q]! - entryBar[q]!;
            if (held > maxHeld) maxHeld = held;
          }
        }
        k = cut;
        i = exitBar[k - 1]!;
        continue;
      }
      // trade k, which the stop or hold may cut short
      const o2 = k * T_WIDTH;
      const c = entryBar[k]!;
      const tp = rec[o2 + T_TP]!;
      const sl = stop !== null ? stop.at[k]! : n;
      const code = exitCode(rules.holdEnd(c, n), sl, tp, rec[o2 + T_EOD]!, last, eod);
      const j = exitBarOf(code);
      const reason = exitReasonOf(code, j);
      if (j - c > maxHeld) maxHeld = j - c;
      // closed at the base exit: the base's PnL (the same expression at the same bar); before it,
      // at this member's stop bar or hold bound: the level's PnL there (the same expression at
      // the same bar, computed once per level). Before the base exit only SL_ZSCORE (at the stop
      // bar) and MAX_HOLD (at entry + h) can close it: the take-profit, eod and last bars all
      // come at or after the base exit.
      let pnlGross: number;
      let day: number;
      if (j === exitBar[k]!) {
        pnlGross = rec[o2 + T_PNL]!;
        day = rec[o2 + T_DAY]!;
      } else {
        const level = reason === SL_ZSCORE ? stop : hold;
        if (level === null) throw new Error("event family kernel: a cut with no level to cut (kernel bug)");
        pnlGross = level.pnl[k]!;
        day = level.day[k]!;
        this.cutTrades++;
      }
      if (exact !== null) {
        // the member's trade replaces base trade k in its daily series; exact only while its PnL
        // is on the run's grid and the sums stay small (event-family-exact.ts)
        const p = pnlGross - rec[o2 + T_COSTS]!;
        w.scaledAbs += Math.abs(p) * exact.scale;
        if (!Number.isInteger(p * exact.scale) || !(exact.scaledAbs + w.scaledAbs <= MAX_SCALED_ABS)) {
          w.failed = true;
          w.done = true;
          return;
        }
        tally.unrecord(run.day[k]!, run.pnlNet[k]!);
      }
      tally.record(
        c,
        j,
        rec[o2 + T_SIDE]!,
        rec[o2 + T_NA]!,
        rec[o2 + T_NB]!,
        reason,
        rec[o2 + T_BETA]!,
        0,
        0,
        pnlGross,
        rec[o2 + T_COSTS]!,
        day,
      );
      k++;
      // after a stop or hold exit the release is the take-profit array read at j, which is tp
      // (f ≤ j ≤ tp, and no bar in [f, tp) reaches the take-profit level: see the header)
      i = rules.cooldownAfter(reason) ? (tp < last ? tp : last) : j;
    }
    w.k = k;
    w.i = i;
    w.maxHeld = maxHeld;
  }
}

/**
 * The combinations (indices k) of each family, in order of first appearance: config vectors equal
 * bit for bit but for z_stop and max_hold.
 */
function familiesOf(cfg: Float64Array, cfgOffsets: ArrayLike<number>, count: number): number[][] {
  const offsets = Int32Array.from({ length: count }, (_, k) => cfgOffsets[k]!);
  const first = firstIdentical(cfg, offsets, [CFG_Z_STOP, CFG_MAX_HOLD]);
  const out: number[][] = [];
  const familyOf = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    if (first[k] === k) {
      familyOf[k] = out.length;
      out.push([k]);
    } else {
      out[familyOf[first[k]!]!]!.push(k);
    }
  }
  return out;
}

/** What runEventFamilies did: combinations run in families (copied or not), families, cut trades. */
export interface FamilyRunStats {
  members: number;
  /** Members whose row was another member's (a hold longer than all their trades). */
  copied: number;
  families: number;
  cutTrades: number;
  /** Member walks in exact arithmetic (event-family-exact.ts), and those that fell back. */
  exactWalks: number;
  exactFailed: number;
}

/**
 * Runs the dollar-free combinations of `call` (as runEventBatch): those in families of at least
 * `minFamily` members by the family kernel, the others by the batch kernel. `blockBars` as
 * runEventBatch's, `blockTrades` the base trades members walk together (tests make both tiny).
 */
export function runEventFamilies(
  call: BatchCall,
  batchScratch: BatchScratch,
  familyScratch: FamilyScratch,
  minFamily = FAMILY_MIN,
  blockBars = BLOCK_BARS,
  blockTrades = BLOCK_TRADES,
): FamilyRunStats {
  const { inp, events, cfg, cfgOffsets, count, rows, rowOffsets, folds, foldOffsets, nFolds } = call;
  const stats: FamilyRunStats = {
    members: 0,
    copied: 0,
    families: 0,
    cutTrades: 0,
    exactWalks: 0,
    exactFailed: 0,
  };
  familyScratch.kept.call = call;
  familyScratch.kept.stats = stats;
  if (familyScratch.nDays < inp.nDays) {
    throw new Error(
      `event family kernel: scratch holds ${familyScratch.nDays} days, inputs have ${inp.nDays}`,
    );
  }
  for (let k = 0; k < count; k++) {
    if (!eventKernelApplies(cfg, cfgOffsets[k])) {
      throw new Error("event family kernel: a dollar exit is on; the bar-scan kernel runs such combinations");
    }
  }
  // the levels the members use: the slots of the call's level memo records
  const levels: string[] = [];
  for (let k = 0; k < count; k++) {
    const zs = cfg[cfgOffsets[k]! + CFG_Z_STOP]!;
    const h = cfg[cfgOffsets[k]! + CFG_MAX_HOLD]!;
    if (!Number.isNaN(zs)) levels.push(`s:${zs}`);
    if (h > 0) levels.push(`h:${h}`);
  }
  familyScratch.memos.begin(levels);
  const n = inp.n;
  const rest: number[] = [];
  const batch: { family: Family; members: number[] }[] = [];
  const foldWidth = nFolds * FOLD_WIDTH;
  /*
   * A hold bound longer than every trade a member makes changes none of them: members with the
   * same stop whose holds are all longer than the trades of the one with the longest hold (0: no
   * hold) have its trades, so its row and folds, bit for bit; they are copied, not run.
   */
  const runMembers = (family: Family, members: number[]) => {
    const byStop = new Map<number, number[]>();
    for (const k of members) {
      const zs = cfg[cfgOffsets[k]! + CFG_Z_STOP]!;
      const key = Number.isNaN(zs) ? Number.POSITIVE_INFINITY : zs;
      const list = byStop.get(key);
      if (list === undefined) byStop.set(key, [k]);
      else list.push(k);
    }
    const holdOf = (k: number) => {
      const h = cfg[cfgOffsets[k]! + CFG_MAX_HOLD]!;
      return h > 0 ? h : Number.POSITIVE_INFINITY;
    };
    const lists = [...byStop.values()];
    for (const list of lists) list.sort((a, b) => holdOf(b) - holdOf(a) || a - b);
    // members walk in exact arithmetic where the base run's sums are exact (event-family-exact.ts)
    const exact = family.exactSums(familyScratch.exact);
    const start = (k: number, q: number, measureHeld: boolean, ex: ExactRun | null = exact) =>
      family.startMember(cfg, cfgOffsets[k]!, q, rows, rowOffsets[k]!, foldOffsets[k]!, measureHeld, ex);
    /** Walks `walks` (the q-th is member ks[q]); members whose exact walk failed walk again without. */
    const walkAll = (walks: MemberWalk[], ks: number[]) => {
      const failed = family.walk(walks, folds, nFolds, blockTrades).length;
      if (exact !== null) stats.exactWalks += walks.length;
      stats.exactFailed += failed;
      if (failed === 0) return;
      const again: MemberWalk[] = [];
      const at: number[] = [];
      walks.forEach((w, q) => {
        if (!w.failed) return;
        at.push(q);
        again.push(start(ks[q]!, again.length, w.measureHeld, null));
      });
      family.walk(again, folds, nFolds, blockTrades);
      at.forEach((q, r) => (walks[q] = again[r]!));
    };
    // first the longest-hold member of each stop level, whose trades bound the others' copies
    const firstKs = lists.map((list) => list[0]!);
    const firsts = firstKs.map((k, q) => start(k, q, true));
    walkAll(firsts, firstKs);
    const others: MemberWalk[] = [];
    const otherKs: number[] = [];
    lists.forEach((list, q) => {
      const first = list[0]!;
      const bound = firsts[q]!.maxHeld;
      const free = holdOf(first) > bound;
      for (let r = 1; r < list.length; r++) {
        const k = list[r]!;
        if (free && holdOf(k) > bound) {
          rows.copyWithin(rowOffsets[k]!, rowOffsets[first]!, rowOffsets[first]! + N_STATS);
          folds.copyWithin(foldOffsets[k]!, foldOffsets[first]!, foldOffsets[first]! + foldWidth);
          stats.copied++;
        } else {
          others.push(start(k, others.length, false));
          otherKs.push(k);
        }
      }
    });
    if (others.length > 0) walkAll(others, otherKs);
  };
  const flush = () => {
    if (n > 0) {
      for (let b1 = Math.min(n, blockBars); ; b1 = Math.min(n, b1 + blockBars)) {
        for (const { family } of batch) family.chain(b1);
        if (b1 === n) break;
      }
    }
    for (const { family, members } of batch) {
      runMembers(family, members);
      stats.families++;
      stats.members += members.length;
      stats.cutTrades += family.cutTrades;
    }
    batch.length = 0;
  };
  for (const members of familiesOf(cfg, cfgOffsets, count)) {
    if (members.length < minFamily) {
      rest.push(...members);
      continue;
    }
    const run = familyScratch.runs[batch.length]!;
    const stopLevels = [
      ...new Set(members.map((k) => cfg[cfgOffsets[k]! + CFG_Z_STOP]!).filter((zs) => !Number.isNaN(zs))),
    ];
    const family = new Family(inp, events, cfg, cfgOffsets[members[0]!]!, familyScratch, run, stopLevels);
    const entry = { family, members };
    familyScratch.kept.entry = entry;
    batch.push(entry);
    if (batch.length === FAMILY_BATCH) flush();
  }
  if (batch.length > 0) flush();
  if (rest.length > 0) runEventBatch(call.subset(rest), batchScratch, blockBars);
  return stats;
}
