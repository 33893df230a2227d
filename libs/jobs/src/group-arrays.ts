// The groups' precomputed arrays while a job's chunks run, for both executors' threads: the local
// thread pool of `pairgrid run` and a cluster worker's. A group is computed (in the main thread)
// when its first chunk needs it; which groups stay in memory depends on what the caller knows:
//   - the chunks to run (a local run): a group goes when its last chunk is done, and its buffer is
//     reused by the next group — only the groups with chunks in flight are held;
//   - nothing (a worker, fed chunks by a queue): the `keep` most recently used groups stay, and a
//     chunk of an evicted group is still right: it computes the group again.
// Hedges (beta, spread) are computed here, or — on a worker — taken from the blobs the
// coordinator shipped (`hedges`), so the rolling regression runs once per cluster job.
import {
  type Chunk,
  type Combination,
  type EventSettings,
  type GridPlan,
  type GridSpec,
  GroupPrecompute,
  groupCombination,
  type HedgeArrays,
  hedgeKey,
  type PackedArrays,
  type PairBars,
  type PairCloses,
  unpackArrays,
  ZLiveGroupPrecompute,
} from "@pairgrid/engine";
import { collectGarbage } from "@pairgrid/threads";
import { LruMap } from "./lru-map.js";

export interface GroupArraysOptions {
  spec: GridSpec;
  plan: GridPlan;
  /** The bars groups are computed from; a z-live grid needs the whole pair, a slow one the closes. */
  pair: PairBars | PairCloses;
  /** The event index settings when the event-driven kernel runs (eventSettingsFor), else null. */
  events: EventSettings | null;
  /** Where each hedge comes from when not computed here: the decoded blob of the hedge `key`. */
  hedges?: (key: string) => Promise<PackedArrays>;
  /** The chunks to run, in dispatch order (group-major), or the number of groups to keep. */
  retention: { chunks: readonly Chunk[] } | { keep: number };
}

interface Precompute {
  compute(c: Combination, reuse?: SharedArrayBuffer | null): PackedArrays;
}

/** Released groups' buffers kept for reuse (chunks are dispatched group-major: one or two suffice). */
const MAX_SPARE = 2;

export class GroupArrays {
  /** Groups computed and held, by group id (a promise: concurrent callers share a computation). */
  private readonly held: Map<number, Promise<PackedArrays>> | LruMap<number, Promise<PackedArrays>>;
  /** The same groups' arrays once computed, for the synchronous `acquire`. */
  private readonly ready = new Map<number, PackedArrays>();
  /** Chunks left per group, when the chunks are known. */
  private readonly remaining: Map<number, number> | null;
  /** Last group (in dispatch order) of each hedge setting, when the chunks are known. */
  private readonly lastOfHedge = new Map<string, number>();
  /**
   * Buffers of released groups, for the next groups to fill (GroupPrecompute writes an event-index
   * group's every value): a new ~90 MB buffer costs ~25 k page faults on first write. A group is
   * released when its last chunk's result is stored, so no thread reads its buffer any more.
   */
  private readonly spare: SharedArrayBuffer[] = [];
  /**
   * The hedge of the group being computed from a blob, set just before the (synchronous) compute
   * and removed just after, so the HedgeSource never has to fetch and holds nothing between groups.
   */
  private readonly fetched = new Map<string, HedgeArrays>();
  private precompute: Precompute;
  private currentHedge: string | null = null;
  /**
   * A group's buffer or a precompute's memo was dropped since the last collection. This thread
   * makes little garbage, so a dropped SharedArrayBuffer is not collected for a long time: on W6
   * dead groups piled up to ~0.75 GB of arrayBuffers beside the ~0.5 GB live. Collected (a few ms)
   * before the next group is computed, as the chunk threads do (thread-gc.ts).
   */
  private dropped = false;
  /** Time spent computing groups, for the run's time split. */
  ms = 0;

  constructor(private readonly o: GroupArraysOptions) {
    this.precompute = this.freshPrecompute();
    if ("chunks" in o.retention) {
      this.held = new Map();
      this.remaining = new Map();
      for (const c of o.retention.chunks) {
        this.remaining.set(c.group, (this.remaining.get(c.group) ?? 0) + 1);
        this.lastOfHedge.set(this.hedgeOf(c.group), c.group);
      }
    } else {
      this.remaining = null;
      this.held = new LruMap(o.retention.keep, (g) => {
        this.ready.delete(g);
        this.dropped = true;
      });
    }
  }

  /**
   * The arrays of group g, computed on first use (hedges computed here: no `hedges` option). With
   * known chunks, groups must be first used in increasing order.
   */
  acquire(g: number): PackedArrays {
    let arrays = this.ready.get(g);
    if (arrays === undefined) {
      if (this.o.hedges) throw new Error("GroupArrays.acquire: hedges come from blobs; use get()");
      arrays = this.computeNow(g, null);
      this.ready.set(g, arrays);
      this.held.set(g, Promise.resolve(arrays));
    }
    return arrays;
  }

  /** The arrays of group g, fetching its hedge first when it comes from a blob. */
  get(g: number): Promise<PackedArrays> {
    let p = this.held.get(g);
    if (p === undefined) {
      const computing = this.computeFetched(g);
      // a failure is not kept: the chunk's retry computes again
      computing.then(
        (arrays) => {
          if (this.peek(g) === computing) this.ready.set(g, arrays);
        },
        () => {
          if (this.peek(g) === computing) this.held.delete(g);
        },
      );
      this.held.set(g, computing);
      p = computing;
    }
    return p;
  }

  private peek(g: number): Promise<PackedArrays> | undefined {
    return this.held instanceof LruMap ? this.held.peek(g) : this.held.get(g);
  }

  private async computeFetched(g: number): Promise<PackedArrays> {
    if (!this.o.hedges) return this.computeNow(g, null);
    const key = this.hedgeOf(g);
    const hedge = hedgeArraysOf(await this.o.hedges(key), key, this.o.pair.a.close.length);
    return this.computeNow(g, hedge);
  }

  private computeNow(g: number, hedge: HedgeArrays | null): PackedArrays {
    const t0 = performance.now();
    const c = groupCombination(this.o.plan, g);
    const key = hedgeKey(this.o.spec, c);
    this.rotatePrecompute(g, key);
    if (this.dropped) {
      collectGarbage();
      this.dropped = false;
    }
    if (hedge) this.fetched.set(key, hedge);
    try {
      // the biggest spare buffer (a group too big for it gets a new one; the spare is dropped)
      this.spare.sort((a, b) => a.byteLength - b.byteLength);
      return this.precompute.compute(c, this.spare.pop() ?? null);
    } finally {
      this.fetched.delete(key);
      this.ms += performance.now() - t0;
    }
  }

  /** The hedge setting of a group, as GroupPrecompute memoizes it. */
  private hedgeOf(g: number): string {
    return hedgeKey(this.o.spec, groupCombination(this.o.plan, g));
  }

  /**
   * GroupPrecompute memoizes every hedge, z and gate array it ever made. When the hedge setting
   * changes and the previous one has no group left (the usual case: hedge axes come first under
   * `params`), its arrays are dead; a fresh GroupPrecompute lets them go. Without the chunk list
   * (a worker), a change of hedge is taken as the end of the previous one.
   */
  private rotatePrecompute(g: number, hedge: string): void {
    const previous = this.currentHedge;
    const previousDone = this.remaining === null || this.lastOfHedge.get(previous ?? "")! < g;
    if (previous !== null && previous !== hedge && previousDone) {
      this.precompute = this.freshPrecompute();
      this.dropped = true;
    }
    this.currentHedge = hedge;
  }

  /** A z-live grid's groups also carry alpha, mu and sigma (z_live reads them). */
  private freshPrecompute(): Precompute {
    const { spec, pair, events, hedges } = this.o;
    if (spec.engine === "hybrid_zlive") return new ZLiveGroupPrecompute(pair as PairBars, spec);
    const fromBlob = (key: string) => {
      const h = this.fetched.get(key);
      // returning null would make GroupPrecompute recompute the hedge: never with shipped hedges
      if (h === undefined) throw new Error(`hedge ${key}: its blob was not fetched before the group`);
      return h;
    };
    return new GroupPrecompute(pair, spec, hedges ? fromBlob : null, events);
  }

  /** One chunk of group g is done; with known chunks, the group's arrays go when none is left. */
  release(g: number): void {
    if (this.remaining === null) return;
    const left = (this.remaining.get(g) ?? 1) - 1;
    this.remaining.set(g, left);
    if (left <= 0) {
      const arrays = this.ready.get(g);
      this.ready.delete(g);
      this.held.delete(g);
      if (arrays !== undefined && this.spare.length < MAX_SPARE) this.spare.push(arrays.sab);
      else this.dropped = true;
    }
  }

  /**
   * Drops every array this holds (groups, spare buffers, the precompute's memo) once no chunk will
   * run: the caller may still be referenced for a while, and these are the run's largest buffers.
   */
  dispose(): void {
    if (this.held instanceof LruMap) this.held.drain();
    else this.held.clear();
    this.ready.clear();
    this.spare.length = 0;
    this.fetched.clear();
    this.precompute = this.freshPrecompute();
  }

  /** Groups currently held (tests check the bound). */
  get liveGroups(): number {
    return this.held.size;
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
