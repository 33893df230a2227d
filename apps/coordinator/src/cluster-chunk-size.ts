// How many combinations a cluster chunk holds by default. A chunk on the cluster costs a queue
// round trip besides its work (a worker takes it, adds a result job, the coordinator ingests
// it): tens of ms on a loaded machine. The slow engines' default (enough chunks for 16 threads)
// cuts a small hybrid_dollar grid into one-combination chunks — W4H's 10 × 10 TP × SL grid made
// 100 of them — where a combination (a pruned scan of the held bars' fast rows) costs about as
// much as that round trip. Rows do not depend on the chunking (each combination is computed
// alone), only the wall time does.
import { balancedChunkSize, defaultChunkSize, type GridPlan, type GridSpec } from "@pairgrid/engine";

/** Chunking hint: enough chunks for 16 threads at 4 chunks each, at most 2000 combinations. */
export const CLUSTER_THREADS_HINT = 16;

/**
 * Fewest combinations in a hybrid_dollar chunk (fewer only when a group has fewer). z-live
 * combinations cost far more each (every fast row of the span), so they keep the default.
 */
export const MIN_HYBRID_DOLLAR_CHUNK = 4;

export function clusterChunkSize(spec: GridSpec, plan: GridPlan): number {
  const size = defaultChunkSize(plan, CLUSTER_THREADS_HINT);
  if (spec.engine !== "hybrid_dollar") return size;
  return balancedChunkSize(plan.perGroup, Math.max(size, MIN_HYBRID_DOLLAR_CHUNK));
}
