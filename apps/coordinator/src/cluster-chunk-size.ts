// How many combinations a cluster chunk holds by default. A chunk on the cluster costs a queue
// round trip besides its work (a worker takes it, adds a result job, the coordinator ingests
// it): tens of ms on a loaded machine. The slow engines' default (enough chunks for 16 threads)
// cuts a small hybrid_dollar grid into one-combination chunks — W4H's 10 × 10 TP × SL grid made
// 100 of them — where a combination (a pruned scan of the held bars' fast rows) costs about as
// much as that round trip. Rows do not depend on the chunking (each combination is computed
// alone), only the wall time does.
//
// Whole groups where they are enough: a worker computes a group's indicators and event index
// (group-precompute) for every group it takes a chunk of, so a group cut into chunks that several
// workers take is precomputed by each of them, while `pairgrid run` computes it once for all its
// threads. Measured on W6's quarter grid (16 groups of 26,880 combinations, 2 workers × 1 thread):
// 224 chunks of 1,900 took 35.9 s, 32 half-group chunks 36.1 s (both workers still share each
// group), 16 whole-group chunks 30.1 s; each worker's chunk thread had waited 9.5 s of 35 for its
// main thread's precompute. A W6 group costs ≈ 0.3 s to precompute and ≈ 2.9 s of kernel work in
// 14 chunks: with 14 or more workers, each group's precompute could be repeated 14 times.
import {
  balancedChunkSize,
  CHUNKS_PER_THREAD,
  defaultChunkSize,
  type GridPlan,
  type GridSpec,
  isHybridEngine,
} from "@pairgrid/engine";

/**
 * Chunking hint: enough chunks for 16 threads at 4 chunks each, at most 2000 combinations; the
 * threads assumed when no worker is connected at submission (more are used when more are live).
 */
export const CLUSTER_THREADS_HINT = 16;

/**
 * Largest whole-group chunk of a slow grid: what a worker killed mid-chunk makes the cluster redo
 * (≈ 4 s of CPU at W6's ≈ 110 µs per combination), and one result in Redis (≈ 1 KB a row).
 */
export const MAX_GROUP_CHUNK = 32_768;

/**
 * Fewest combinations in a hybrid_dollar chunk (fewer only when a group has fewer). z-live
 * combinations cost far more each (every fast row of the span), so they keep the default.
 */
export const MIN_HYBRID_DOLLAR_CHUNK = 4;

/**
 * `liveThreads`: chunk threads of the workers connected at submission (worker-threads.ts in the
 * cluster library), 0 when unknown. Whole groups need 4 chunks for each of those threads, or of
 * the 16 hinted ones when none is known: W6's quarter grid (16 groups) on 2 workers × 2 threads
 * is cut into whole groups, the same grid submitted before any worker is up is not. Otherwise
 * the chunks are sized for the hint or for the live threads, whichever is more (more chunks).
 */
export function clusterChunkSize(spec: GridSpec, plan: GridPlan, liveThreads = 0): number {
  // whole groups when they alone give every thread its chunks (see the top)
  const enoughGroups =
    plan.nGroups >= CHUNKS_PER_THREAD * (liveThreads > 0 ? liveThreads : CLUSTER_THREADS_HINT);
  if (!isHybridEngine(spec.engine) && enoughGroups && plan.perGroup <= MAX_GROUP_CHUNK) return plan.perGroup;
  const size = defaultChunkSize(plan, Math.max(CLUSTER_THREADS_HINT, liveThreads));
  if (spec.engine !== "hybrid_dollar") return size;
  return balancedChunkSize(plan.perGroup, Math.max(size, MIN_HYBRID_DOLLAR_CHUNK));
}
