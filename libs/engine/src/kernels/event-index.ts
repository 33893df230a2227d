// The event index of one indicator group: for each z threshold level a grid uses, a next-index
// array answering "the first bar at or after i where this condition holds" in one read. The
// event-driven kernel (event-kernel.ts) jumps through them from event to event instead of visiting
// every bar, so a combination costs in proportion to its trades, not to the bar count.
//
// Arrays (Int32Array, length n; the value n means "never"):
//   entry(L)   first j ≥ i with (z[j] ≤ −L or z[j] ≥ L), window_ok(j), not eod(j), j < last:
//              a bar where §5 step 3 can enter at level L if the gates allow (gates are checked
//              by the kernel at each such bar: they vary per combination). The side is in the
//              sign: j ≥ 0 a short entry at j (z ≥ L), ~j = −j − 1 < 0 a long one (z ≤ −L), so
//              the kernel never reads z at the entry bar (one memory access less per trade).
//   atLeast(v) first j ≥ i with z[j] ≥ v    (a long's z take-profit at v = −zx, a short's z stop
//              at v = zs, a CD_LONG release at v = −zx)
//   atMost(v)  first j ≥ i with z[j] ≤ v    (a short's take-profit at v = zx, a long's stop at
//              v = −zs, a CD_SHORT release at v = zx)
//   eod        first j ≥ i with eod(j)
// and, per thread and only for the gate configurations its combinations use, the candidates of
// entry(L) that a gate configuration (min_corr, …, min_gates) lets through, as a compact sorted list
// (gatedCandidates; with gates that often refuse, entry(L)'s candidates would otherwise be walked
// one by one).
// and one Float64Array with 4 lanes, `bars`: [closeA, closeB, beta, dayIndex] of each bar side by
// side (32 bytes, within one cache line), what a trade reads at its entry and exit bars. Without it
// a trade's cost is mostly waiting for memory: three arrays at the entry bar, three at the exit.
// Each comparison is the kernel's own (a NaN z fails every one), so a jump lands exactly where the
// bar-scan kernel's loop would stop. Building one array is one backward pass over the bars.
import type { BacktestInputs } from "./backtest-inputs.js";
import {
  CFG_ADF_MAX_PVALUE,
  CFG_ADF_MAX_STAT,
  CFG_HL_MAX,
  CFG_HL_MIN,
  CFG_MAX_HURST,
  CFG_MIN_CORR,
  CFG_MIN_GATES,
} from "../rules/config-vector.js";
import type { PackedSlot } from "../chunks/shared-arrays.js";
import type { GateSet } from "../rules/kernel-gates.js";
import { entryCandidates } from "./entry-candidates.js";

/** What the arrays are built from: z and beta of the group, closes and the calendar. */
export type EventSource = Pick<
  BacktestInputs,
  "n" | "z" | "eod" | "windowOk" | "closeA" | "closeB" | "beta" | "dayIndex"
>;

/** Lanes of the `bars` array, in order. */
export const BAR_CLOSE_A = 0;
export const BAR_CLOSE_B = 1;
export const BAR_BETA = 2;
export const BAR_DAY = 3;
export const BAR_LANES = 4;

/** The z levels a grid's combinations can ask for (built once per group, shared by its chunks). */
export interface ZLevels {
  entry: number[];
  atLeast: number[];
  atMost: number[];
}

/** Name of a level's array in a group's packed buffer (a double's shortest string round-trips). */
export const EVENT_PREFIX = "ev:";
const key = (kind: "entry" | "ge" | "le", v: number) => `${EVENT_PREFIX}${kind}:${v}`;
export const EOD_EVENTS = `${EVENT_PREFIX}eod`;
export const BAR_RECORDS = `${EVENT_PREFIX}bars`;

/** The levels of every combination whose thresholds take these values (nulls are "off"). */
export function zLevelsOf(
  zEntry: readonly number[],
  zExit: readonly number[],
  zStop: readonly number[],
): ZLevels {
  const uniq = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
  return {
    entry: uniq([...zEntry]),
    atLeast: uniq([...zExit.map((zx) => -zx), ...zStop]),
    atMost: uniq([...zExit, ...zStop.map((zs) => -zs)]),
  };
}

export function levelCount(levels: ZLevels): number {
  return levels.entry.length + levels.atLeast.length + levels.atMost.length + 1;
}

// The passes below choose between i and the running `next` with a bit mask (m = −1 takes i, 0 keeps
// next) instead of a branch: whether z is beyond a level is close to a coin flip bar by bar, and the
// mispredicted branches made the group precompute ~1.7× slower. Same comparisons, same results.

function nextEntry(inp: EventSource, level: number, out: Int32Array): Int32Array {
  const { n, z, windowOk, eod } = inp;
  const neg = -level;
  if (n === 0) return out;
  let next = n;
  out[n - 1] = n; // the last bar never enters
  for (let i = n - 2; i >= 0; i--) {
    const zi = z[i]!;
    const long = +(zi <= neg);
    const m = -((long | +(zi >= level)) & +(windowOk[i] !== 0) & +(eod[i] === 0));
    // a long entry is stored as ~i = i ^ −1
    next = ((i ^ -long) & m) | (next & ~m);
    out[i] = next;
  }
  return out;
}

/**
 * nextEntry over a mask of the bars that may enter (candidateMask): one branch-free pass per level,
 * the window and the calendar read once per bar for all levels.
 */
function nextMaskedEntry(z: Float64Array, level: number, ok: Uint8Array, out: Int32Array): Int32Array {
  const n = z.length;
  if (n === 0) return out;
  const neg = -level;
  let next = n;
  out[n - 1] = n; // the last bar never enters
  for (let i = n - 2; i >= 0; i--) {
    const zi = z[i]!;
    const long = +(zi <= neg);
    const m = -((long | +(zi >= level)) & ok[i]!);
    next = ((i ^ -long) & m) | (next & ~m);
    out[i] = next;
  }
  return out;
}

/** The bars where the window and the calendar allow an entry (1), gates aside. */
function candidateMask(inp: EventSource): Uint8Array {
  const { n, windowOk, eod } = inp;
  const ok = new Uint8Array(n);
  for (let i = 0; i < n; i++) ok[i] = +(windowOk[i] !== 0 && eod[i] === 0);
  return ok;
}

/** The config fields of the gate thresholds (NaN = that gate off); min_gates is the other gate field. */
export const GATE_THRESHOLDS = [
  CFG_MIN_CORR,
  CFG_MAX_HURST,
  CFG_HL_MIN,
  CFG_HL_MAX,
  CFG_ADF_MAX_STAT,
  CFG_ADF_MAX_PVALUE,
];
const GATE_FIELDS = [...GATE_THRESHOLDS, CFG_MIN_GATES];

/** Names a combination's gate configuration (equal keys, equal gate decisions at every bar). */
export function gateKeyOf(cfg: Float64Array, o: number): string {
  return GATE_FIELDS.map((f) => cfg[o + f]).join(",");
}

function nextAtLeast(z: Float64Array, v: number, out: Int32Array): Int32Array {
  let next = z.length;
  for (let i = z.length - 1; i >= 0; i--) {
    const m = -(z[i]! >= v);
    next = (i & m) | (next & ~m);
    out[i] = next;
  }
  return out;
}

function nextAtMost(z: Float64Array, v: number, out: Int32Array): Int32Array {
  let next = z.length;
  for (let i = z.length - 1; i >= 0; i--) {
    const m = -(z[i]! <= v);
    next = (i & m) | (next & ~m);
    out[i] = next;
  }
  return out;
}

function nextEod(eod: Uint8Array, out: Int32Array): Int32Array {
  let next = eod.length;
  for (let i = eod.length - 1; i >= 0; i--) {
    if (eod[i] !== 0) next = i;
    out[i] = next;
  }
  return out;
}

function barRecords(inp: EventSource, out: Float64Array): Float64Array {
  const { closeA, closeB, beta, dayIndex } = inp;
  for (let i = 0, o = 0; i < inp.n; i++, o += BAR_LANES) {
    out[o + BAR_CLOSE_A] = closeA[i]!;
    out[o + BAR_CLOSE_B] = closeB[i]!;
    out[o + BAR_BETA] = beta[i]!;
    out[o + BAR_DAY] = dayIndex[i]!;
  }
  return out;
}

/**
 * The largest |z| ≥ `floor` at a bar where `gates` refuse an entry that z, the window and the
 * calendar would allow (−∞ when they refuse none there). An entry at level L needs |z| ≥ L, so for
 * every z_entry ≥ floor above this ceiling the gates never change a decision in this group: such a
 * combination trades exactly as its ungated twin (gates act only on entries, ENGINE.md §4–5). Bars
 * below the floor cannot matter to those levels and are not asked (the gates are the costly part).
 * The last bar, which never enters, is counted too: a higher ceiling only gives up a shortcut.
 */
export function gateRefusalCeiling(inp: EventSource, gates: GateSet, floor: number): number {
  const { n, z, windowOk, eod } = inp;
  let ceiling = -Infinity;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(z[i]!); // NaN: never a candidate (fails every comparison)
    if (a >= floor && a > ceiling && windowOk[i] !== 0 && eod[i] === 0 && !gates.pass(i)) ceiling = a;
  }
  return ceiling;
}

/** What buildEventArrays makes: each array's name, type and lanes, in build order. */
interface EventPlan {
  slots: PackedSlot[];
  fills: ((out: Int32Array | Float64Array) => void)[];
}

function planEventArrays(inp: EventSource, levels: ZLevels): EventPlan {
  const slots: PackedSlot[] = [];
  const fills: ((out: Int32Array | Float64Array) => void)[] = [];
  const i32 = (name: string, fill: (out: Int32Array) => void) => {
    slots.push({ name, type: "i32" });
    fills.push(fill as (out: Int32Array | Float64Array) => void);
  };
  slots.push({ name: BAR_RECORDS, type: "f64", lanes: BAR_LANES });
  fills.push((out) => barRecords(inp, out as Float64Array));
  if (levels.entry.length > 0) {
    // the mask (a byte per bar) lives until the arrays are filled
    const candidates = candidateMask(inp);
    for (const v of levels.entry) i32(key("entry", v), (out) => nextMaskedEntry(inp.z, v, candidates, out));
  }
  for (const v of levels.atLeast) i32(key("ge", v), (out) => nextAtLeast(inp.z, v, out));
  for (const v of levels.atMost) i32(key("le", v), (out) => nextAtMost(inp.z, v, out));
  i32(EOD_EVENTS, (out) => nextEod(inp.eod, out));
  return { slots, fills };
}

/** The slots the event arrays of a group take in its packed buffer (fillEventArrays fills them). */
export function eventSlots(inp: EventSource, levels: ZLevels) {
  const plan = planEventArrays(inp, levels);
  return {
    slots: plan.slots,
    /** Computes every array into `views` (by slot name), e.g. views of a shared buffer. */
    fill(views: Record<string, ArrayLike<number>>): void {
      plan.slots.forEach((slot, k) => plan.fills[k]!(views[slot.name] as Int32Array | Float64Array));
    },
  };
}

/**
 * Every array of `levels` and the bar records, in arrays of their own (tests, the W1 benchmark; a
 * grid's groups compute them straight into the shared buffer, group-precompute.ts).
 */
export function buildEventArrays(
  inp: EventSource,
  levels: ZLevels,
): { arrays: Record<string, Int32Array | Float64Array>; lanes: Record<string, number> } {
  const { slots, fill } = eventSlots(inp, levels);
  const arrays: Record<string, Int32Array | Float64Array> = {};
  for (const s of slots) {
    const len = inp.n * (s.lanes ?? 1);
    arrays[s.name] = s.type === "f64" ? new Float64Array(len) : new Int32Array(len);
  }
  fill(arrays);
  return { arrays, lanes: { [BAR_RECORDS]: BAR_LANES } };
}

/**
 * A group's event arrays as the kernel reads them: views of the packed (shared) arrays, and any
 * level the pack lacks built on first use and kept (a combination outside the planned levels, or a
 * test). Lookups happen once per combination, never per bar.
 */
export class GroupEvents {
  private readonly arrays = new Map<string, Int32Array>();
  /** gatedCandidates' lists, by level and gate configuration. */
  private readonly gated = new Map<string, Int32Array>();
  private barArray: Float64Array | null = null;
  /** Per gate configuration (gateKeyOf): the floor its ceiling was computed at, and the ceiling. */
  private readonly ceilings = new Map<string, { floor: number; ceiling: number }>();

  constructor(
    private readonly inp: EventSource,
    packed: Record<string, ArrayLike<number>> = {},
  ) {
    for (const [name, a] of Object.entries(packed)) {
      if (name === BAR_RECORDS) this.barArray = a as Float64Array;
      else if (name.startsWith(EVENT_PREFIX)) this.arrays.set(name, a as Int32Array);
    }
  }

  private get(name: string, make: (out: Int32Array) => Int32Array): Int32Array {
    let a = this.arrays.get(name);
    if (a === undefined) {
      a = make(new Int32Array(this.inp.n));
      this.arrays.set(name, a);
    }
    return a;
  }

  entry(level: number): Int32Array {
    return this.get(key("entry", level), (out) => nextEntry(this.inp, level, out));
  }

  /**
   * The candidates of entry(level) (entryCandidates: its values in bar order, then n) that a gate
   * configuration `gates` (key gateKeyOf) lets through, built on first use and kept while this
   * group's events are. A list, not a next-index array over every bar: W6's full-size grid (15 gate
   * configurations × 31 entry levels) held 465 such arrays of 1.3 MB per group and thread, 4.2 GB
   * of RSS against 1.9 GB for W6, and each cost a pass over every bar asking the gates; the list is
   * a fraction of the bars, and only its candidates ask them.
   */
  gatedCandidates(level: number, gateKey: string, gates: GateSet): Int32Array {
    const name = `${level}|${gateKey}`;
    let list = this.gated.get(name);
    if (list === undefined) {
      const all = entryCandidates(this.entry(level));
      const kept = new Int32Array(all.length);
      let m = 0;
      for (let p = 0; p < all.length - 1; p++) {
        const v = all[p]!;
        if (gates.pass(v < 0 ? ~v : v)) kept[m++] = v;
      }
      kept[m++] = all[all.length - 1]!; // n, the list's end
      list = kept.slice(0, m);
      this.gated.set(name, list);
    }
    return list;
  }

  /**
   * gateRefusalCeiling of a gate configuration (key gateKeyOf) in this group, computed once per
   * configuration, not once per floor: a ceiling found at floor f0 answers any floor f ≥ f0 (it is
   * the largest refused |z| ≥ f0, so it is also the largest ≥ f when it is ≥ f, and none is ≥ f
   * otherwise). Each chunk of a group asks at its own lowest z_entry: W6's 14 chunks per group
   * recomputed each of its 8 gate configurations over every bar (3–5 % of its kernel time).
   */
  refusalCeiling(gateKey: string, gates: GateSet, floor: number): number {
    const known = this.ceilings.get(gateKey);
    if (known !== undefined && known.floor <= floor) {
      return known.ceiling >= floor ? known.ceiling : Number.NEGATIVE_INFINITY;
    }
    const ceiling = gateRefusalCeiling(this.inp, gates, floor);
    this.ceilings.set(gateKey, { floor, ceiling });
    return ceiling;
  }

  atLeast(v: number): Int32Array {
    return this.get(key("ge", v), (out) => nextAtLeast(this.inp.z, v, out));
  }

  atMost(v: number): Int32Array {
    return this.get(key("le", v), (out) => nextAtMost(this.inp.z, v, out));
  }

  eod(): Int32Array {
    return this.get(EOD_EVENTS, (out) => nextEod(this.inp.eod, out));
  }

  /** [closeA, closeB, beta, dayIndex] per bar (BAR_* lanes). */
  bars(): Float64Array {
    if (this.barArray === null)
      this.barArray = barRecords(this.inp, new Float64Array(BAR_LANES * this.inp.n));
    return this.barArray;
  }

  /** The events of a packed group, or null when the group was packed without them (bar scan). */
  static fromPacked(inp: EventSource, packed: Record<string, ArrayLike<number>>): GroupEvents | null {
    return EOD_EVENTS in packed ? new GroupEvents(inp, packed) : null;
  }

  /** Arrays held (packed views and built ones). */
  get size(): number {
    return this.arrays.size;
  }
}
