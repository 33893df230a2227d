// The groups' precomputed arrays while a run is in progress. A group is computed (in the main
// thread) when its first chunk is dispatched and dropped when its last chunk is done, so only the
// groups with chunks in flight are in memory — a few, since chunks are dispatched group-major.
import {
  type Chunk,
  type Combination,
  type EventSettings,
  type GridPlan,
  type GridSpec,
  GroupPrecompute,
  groupCombination,
  hedgeKey,
  type PackedArrays,
  type PairBars,
  ZLiveGroupPrecompute,
} from "@pairgrid/engine";

/**
 * A z-live grid's groups also carry alpha, mu and sigma (z_live reads them); a slow grid's carry the
 * event index when the event-driven kernel runs (`events`).
 */
function precomputeFor(
  pair: PairBars,
  spec: GridSpec,
  events: EventSettings | null,
): { compute(c: Combination, reuse?: SharedArrayBuffer | null): PackedArrays } {
  return spec.engine === "hybrid_zlive"
    ? new ZLiveGroupPrecompute(pair, spec)
    : new GroupPrecompute(pair, spec, null, events);
}

/** Released groups' buffers kept for reuse (chunks are dispatched group-major: one or two suffice). */
const MAX_SPARE = 2;

export class GroupArrays {
  private readonly live = new Map<number, PackedArrays>();
  private readonly remaining = new Map<number, number>();
  /** Last group (in dispatch order) of each hedge setting. */
  private readonly lastOfHedge = new Map<string, number>();
  private precompute: { compute(c: Combination, reuse?: SharedArrayBuffer | null): PackedArrays };
  /**
   * Buffers of released groups, for the next groups to fill (GroupPrecompute writes an event-index
   * group's every value): a new ~90 MB buffer costs ~25 k page faults on first write. A group is
   * released when its last chunk's result is stored, so no thread reads its buffer any more.
   */
  private readonly spare: SharedArrayBuffer[] = [];
  private currentHedge: string | null = null;
  /** Time spent computing groups, for the run's time split. */
  ms = 0;

  constructor(
    private readonly pair: PairBars,
    private readonly spec: GridSpec,
    private readonly plan: GridPlan,
    chunks: readonly Chunk[],
    private readonly events: EventSettings | null = null,
  ) {
    this.precompute = precomputeFor(pair, spec, events);
    for (const c of chunks) {
      this.remaining.set(c.group, (this.remaining.get(c.group) ?? 0) + 1);
      this.lastOfHedge.set(this.hedgeOf(c.group), c.group);
    }
  }

  /** The hedge setting of a group, as GroupPrecompute memoizes it. */
  private hedgeOf(g: number): string {
    return hedgeKey(this.spec, groupCombination(this.plan, g));
  }

  /** The arrays of group g, computed on first use. Groups must be first used in increasing order. */
  acquire(g: number): PackedArrays {
    let arrays = this.live.get(g);
    if (arrays === undefined) {
      const t0 = performance.now();
      this.rotatePrecompute(g);
      // the biggest spare buffer (a group too big for it gets a new one; the spare is dropped)
      this.spare.sort((a, b) => a.byteLength - b.byteLength);
      arrays = this.precompute.compute(groupCombination(this.plan, g), this.spare.pop() ?? null);
      this.live.set(g, arrays);
      this.ms += performance.now() - t0;
    }
    return arrays;
  }

  /**
   * GroupPrecompute memoizes every hedge, z and gate array it ever made. When the hedge setting
   * changes and the previous one has no group left (the usual case: hedge axes come first under
   * `params`), its arrays are dead; a fresh GroupPrecompute lets them go.
   */
  private rotatePrecompute(g: number): void {
    const hedge = this.hedgeOf(g);
    const previous = this.currentHedge;
    if (previous !== null && previous !== hedge && this.lastOfHedge.get(previous)! < g) {
      this.precompute = precomputeFor(this.pair, this.spec, this.events);
    }
    this.currentHedge = hedge;
  }

  /** One chunk of group g is done; the group's arrays go when none is left. */
  release(g: number): void {
    const left = (this.remaining.get(g) ?? 1) - 1;
    this.remaining.set(g, left);
    if (left <= 0) {
      const arrays = this.live.get(g);
      this.live.delete(g);
      if (arrays !== undefined && this.spare.length < MAX_SPARE) this.spare.push(arrays.sab);
    }
  }

  /** Groups currently held (tests check the bound). */
  get liveGroups(): number {
    return this.live.size;
  }
}
