// A grid job's group arrays on a worker: computed by the engine's GroupPrecompute from the base
// closes, with each hedge (beta, spread) taken from the blob the coordinator shipped instead of
// repeating the rolling regression here. A few recent groups are kept: a job's chunks arrive
// group-major, so the chunks in flight on one worker span one or two groups at a time.
import {
  type EventSettings,
  type GridPlan,
  type GridSpec,
  GroupPrecompute,
  groupCombination,
  type HedgeArrays,
  hedgeKey,
  type PackedArrays,
  type PairCloses,
  unpackArrays,
} from "@pairgrid/engine";
import { LruMap } from "./lru-map.js";

/**
 * Groups kept per job: the one or two in flight plus one. Each holds its event index (~70 MB on
 * 331 k bars), and a chunk of an evicted group is still right: it recomputes the group.
 */
export const GROUPS_KEPT = 3;

export class JobGroupArrays {
  private readonly groups = new LruMap<number, Promise<PackedArrays>>(GROUPS_KEPT);
  /**
   * The hedge of the group being computed, set just before the (synchronous) compute and removed
   * just after, so the HedgeSource never has to fetch and holds nothing between groups.
   */
  private readonly fetched = new Map<string, HedgeArrays>();
  private precompute: GroupPrecompute;
  private currentHedge: string | null = null;

  /** `hedgeBlob(key)` resolves to the decoded blob of the hedge with that key (beta, spread). */
  constructor(
    private readonly spec: GridSpec,
    private readonly plan: GridPlan,
    private readonly closes: PairCloses,
    private readonly hedgeBlob: (key: string) => Promise<PackedArrays>,
    /** Event index settings (the event-driven kernel), or null for the bar scan. */
    private readonly events: EventSettings | null = null,
  ) {
    this.precompute = this.freshPrecompute();
  }

  /** The packed arrays of group g; concurrent callers of one group share one computation. */
  get(g: number): Promise<PackedArrays> {
    let p = this.groups.get(g);
    if (p === undefined) {
      const computing = this.compute(g);
      // a failure is not kept: the chunk's retry computes again
      computing.catch(() => {
        if (this.groups.peek(g) === computing) this.groups.delete(g);
      });
      this.groups.set(g, computing);
      p = computing;
    }
    return p;
  }

  private async compute(g: number): Promise<PackedArrays> {
    const c = groupCombination(this.plan, g);
    const key = hedgeKey(this.spec, c);
    const hedge = hedgeArraysOf(await this.hedgeBlob(key), key, this.closes.a.close.length);
    // GroupPrecompute memoizes every z and gate array it makes; when the hedge setting changes
    // (hedge axes usually come first under `params`, so the previous one is done) a fresh one
    // lets those arrays go, as `pairgrid run` does (run-group-arrays.ts)
    if (this.currentHedge !== null && this.currentHedge !== key) this.precompute = this.freshPrecompute();
    this.currentHedge = key;
    this.fetched.set(key, hedge);
    try {
      return this.precompute.compute(c);
    } finally {
      this.fetched.delete(key);
    }
  }

  private freshPrecompute(): GroupPrecompute {
    return new GroupPrecompute(
      this.closes,
      this.spec,
      (key) => {
        const h = this.fetched.get(key);
        // returning null would make GroupPrecompute recompute the hedge: never on a worker
        if (h === undefined) throw new Error(`hedge ${key}: its blob was not fetched before the group`);
        return h;
      },
      this.events,
    );
  }
}

/** beta and spread of a hedge blob, checked against the base arrays' length. */
function hedgeArraysOf(packed: PackedArrays, key: string, n: number): HedgeArrays {
  const { beta, spread } = unpackArrays(packed);
  if (!(beta instanceof Float64Array) || !(spread instanceof Float64Array) || packed.n !== n) {
    throw new Error(`hedge blob ${key}: expected f64 beta and spread of ${n} bars`);
  }
  return { beta, spread };
}
