// The event-driven kernel for a batch of combinations at once, in bar blocks: the same trades and
// rows as runEventKernel (and the bar-scan kernel), bit for bit, in less time.
/*
 * Why blocks. runEventKernel makes a few array reads per trade, but each read lands somewhere new
 * in tens of megabytes of event arrays and bar records, and each one waits for the last: the entry
 * bar comes from one read, the exit bar from reads at the entry bar, the next entry from a read at
 * the exit bar. A combination's cost is then a chain of cache misses per trade. Here a batch of
 * combinations advances together through the bars in blocks of BLOCK_BARS: every combination runs
 * until the next read it needs falls past the block's end, then the next combination runs, and
 * only then does the block move on. Everything a block's reads touch (a slice of each array the
 * batch uses) stays in the core's own cache, so the chains cost cache hits, not memory trips.
 *
 * Each combination is a small state machine between blocks (ComboRun): looking for an entry from
 * bar i (FLAT), an entry candidate found at bar c but not yet read (CANDIDATE), or a position whose
 * exit bar j is known but not yet read (EXIT). The decisions are runEventKernel's, in the same
 * order, and each combination keeps its own daily series (KernelTally with its own scratch), so the
 * row is computed with the same arithmetic as every other kernel.
 */
import type { BacktestInputs } from "./backtest-inputs.js";
import type { BatchCall } from "./kernel-call.js";
import { ComboRules, positionPnl } from "../rules/combo-rules.js";
import {
  BAR_BETA,
  BAR_CLOSE_A,
  BAR_CLOSE_B,
  BAR_DAY,
  BAR_LANES,
  gateKeyOf,
  type GroupEvents,
} from "./event-index.js";
import { eventKernelApplies, NEVER } from "./event-kernel.js";
import { candidateFrom, entryCandidates } from "./entry-candidates.js";
import { exitBarOf, exitCode, exitReasonOf } from "../rules/event-position.js";
import { type KernelScratch, makeKernelScratch } from "./grid-kernel-scratch.js";
import { TRADE_RECORD_WIDTH } from "./grid-kernel-trade-record.js";
import { GateSet } from "../rules/kernel-gates.js";
import { KernelTally } from "../rules/kernel-tally.js";

/** Bars per block: the slices a batch reads in one block fit a core's L2 cache. */
export const BLOCK_BARS = 8192;
/** Combinations advanced together; each keeps a daily series of its own. */
export const BATCH_SIZE = 128;

const FLAT = 0;
const CANDIDATE = 1;
const EXIT = 2;
const DONE = 3;

/** One combination's run, suspended between blocks. */
class ComboRun {
  phase = FLAT;
  /** FLAT: search the next entry from here. */
  i = 0;
  /** CANDIDATE: the entry array's value (side in the sign, event-index.ts). */
  candidate = 0;
  /** Where the search stands in `entryList`: searches only move forward. */
  cursor = 0;
  // EXIT: the open trade and its exit
  j = 0;
  reason = 0;
  d = 0;
  entryI = 0;
  na = 0;
  nb = 0;
  kA = 0;
  kB = 0;
  entryA = 0;
  entryB = 0;
  betaEntry = 0;

  /**
   * The entry array's candidates (entry-candidates.ts), or a gate configuration's
   * (GroupEvents.gatedCandidates): the entry array's value at a search bar is the first one at or
   * after it.
   */
  private readonly entryList: Int32Array;
  private readonly longTp: Int32Array;
  private readonly shortTp: Int32Array;
  private readonly longSl: Int32Array;
  private readonly shortSl: Int32Array;
  private readonly eodNext: Int32Array;
  private readonly rules: ComboRules;
  /** ComboRules.stopOn, copied once: read at every entry without going through `rules`. */
  private readonly stopOn: boolean;
  readonly tally: KernelTally;

  constructor(
    private readonly inp: BacktestInputs,
    private readonly bars: Float64Array,
    events: GroupEvents,
    cfg: Float64Array,
    o: number,
    private readonly scratch: KernelScratch,
    row: Float64Array,
    rowOffset: number,
  ) {
    const rules = new ComboRules(cfg, o);
    this.rules = rules;
    this.stopOn = rules.stopOn;
    const zx = rules.zExit;
    const zs = rules.zStop;
    // gated combinations read a candidate list that already holds only the bars their gates allow
    const gates = new GateSet(inp, cfg, o);
    const ze = rules.zEntry;
    this.entryList =
      gates.required > 0
        ? events.gatedCandidates(ze, gateKeyOf(cfg, o), gates)
        : entryCandidates(events.entry(ze));
    this.longTp = events.atLeast(-zx);
    this.shortTp = events.atMost(zx);
    this.longSl = rules.stopOn ? events.atMost(-zs) : NEVER;
    this.shortSl = rules.stopOn ? events.atLeast(zs) : NEVER;
    this.eodNext = events.eod();
    this.tally = new KernelTally(scratch, inp.nDays, row, rowOffset, null, TRADE_RECORD_WIDTH);
  }

  /** Runs until the next bar to read is at or past `limit` (or the run is over). */
  advance(limit: number): void {
    const n = this.inp.n;
    const last = n - 1;
    const bars = this.bars;
    for (;;) {
      if (this.phase === FLAT) {
        const i = this.i;
        if (i >= limit) return;
        // the entry array's value at bar i
        const p = candidateFrom(this.entryList, this.cursor, i);
        this.cursor = p;
        this.candidate = this.entryList[p]!;
        this.phase = CANDIDATE;
      }
      if (this.phase === CANDIDATE) {
        const next = this.candidate;
        const c = next < 0 ? ~next : next;
        if (c >= last) {
          this.phase = DONE;
          return;
        }
        if (c >= limit) return;
        // entry at bar c's close (as runEventKernel)
        const d = next < 0 ? 1 : -1;
        const rec = c * BAR_LANES;
        const entryA = bars[rec + BAR_CLOSE_A]!;
        const entryB = bars[rec + BAR_CLOSE_B]!;
        const betaEntry = bars[rec + BAR_BETA]!;
        const sizes = this.scratch.sizes;
        const rules = this.rules;
        rules.enter(entryA, entryB, betaEntry, sizes);
        const na = sizes[0]!;
        const nb = sizes[1]!;
        this.kA = rules.exposureA(na);
        this.kB = rules.exposureB(nb, betaEntry);
        const f = c + 1;
        const sl = this.stopOn ? (d === 1 ? this.longSl[f]! : this.shortSl[f]!) : n;
        const tp = d === 1 ? this.longTp[f]! : this.shortTp[f]!;
        const code = exitCode(rules.holdEnd(c, n), sl, tp, this.eodNext[f]!, last, this.inp.eod);
        const j = exitBarOf(code);
        this.j = j;
        this.reason = exitReasonOf(code, j);
        this.d = d;
        this.entryI = c;
        this.na = na;
        this.nb = nb;
        this.entryA = entryA;
        this.entryB = entryB;
        this.betaEntry = betaEntry;
        this.phase = EXIT;
      }
      if (this.phase === EXIT) {
        const j = this.j;
        if (j >= limit) return;
        const d = this.d;
        const rec = j * BAR_LANES;
        const pnlGross = positionPnl(
          d,
          this.kA,
          this.kB,
          bars[rec + BAR_CLOSE_A]!,
          bars[rec + BAR_CLOSE_B]!,
          this.entryA,
          this.entryB,
        );
        const costs = this.rules.costs(this.na, this.nb);
        this.tally.record(
          this.entryI,
          j,
          d,
          this.na,
          this.nb,
          this.reason,
          this.betaEntry,
          0,
          0,
          pnlGross,
          costs,
          bars[rec + BAR_DAY]!,
        );
        let i = j;
        if (this.rules.cooldownAfter(this.reason)) {
          const release = d === 1 ? this.longTp[j]! : this.shortTp[j]!;
          i = release < last ? release : last;
        }
        this.i = i;
        this.phase = FLAT;
      }
      if (this.phase === DONE) return;
    }
  }

  get done(): boolean {
    return this.phase === DONE;
  }
}

/** Per-thread working memory of the batch kernel: one kernel scratch per batch slot. */
export class BatchScratch {
  readonly slots: KernelScratch[];

  constructor(readonly nDays: number) {
    this.slots = Array.from({ length: BATCH_SIZE }, () => makeKernelScratch(nDays));
  }
}

/**
 * Runs the dollar-free combinations of `call` (kernel-call.ts), writing each one's row and folds
 * (as runGridKernel does for one). Batches of BATCH_SIZE advance block by block (`blockBars`:
 * tests make it tiny, so that runs stop and resume in every state).
 */
export function runEventBatch(call: BatchCall, scratch: BatchScratch, blockBars = BLOCK_BARS): void {
  const { inp, events, cfg, cfgOffsets, count, rows, rowOffsets, folds, foldOffsets, nFolds } = call;
  const n = inp.n;
  if (scratch.nDays < inp.nDays) {
    throw new Error(`event batch kernel: scratch holds ${scratch.nDays} days, inputs have ${inp.nDays}`);
  }
  const bars = events.bars();
  const runs: ComboRun[] = [];
  for (let k0 = 0; k0 < count; k0 += BATCH_SIZE) {
    const k1 = Math.min(count, k0 + BATCH_SIZE);
    runs.length = 0;
    for (let k = k0; k < k1; k++) {
      if (!eventKernelApplies(cfg, cfgOffsets[k])) {
        throw new Error(
          "event batch kernel: a dollar exit is on; the bar-scan kernel runs such combinations",
        );
      }
      runs.push(
        new ComboRun(inp, bars, events, cfg, cfgOffsets[k]!, scratch.slots[k - k0]!, rows, rowOffsets[k]!),
      );
    }
    if (n > 0) {
      for (let b1 = Math.min(n, blockBars); ; b1 = Math.min(n, b1 + blockBars)) {
        for (let r = 0; r < runs.length; r++) runs[r]!.advance(b1);
        if (b1 === n) break;
      }
    }
    for (let r = 0; r < runs.length; r++) {
      const run = runs[r]!;
      if (n > 0 && !run.done) throw new Error("event batch kernel: a run did not finish (kernel bug)");
      run.tally.finish(n, folds, foldOffsets[k0 + r]!, nFolds);
    }
  }
}
