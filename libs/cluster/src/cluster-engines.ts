// The one place that says which engines the cluster runs: all of them. A hybrid grid's fast legs
// travel as per-day blobs named in the job manifest (job-manifest.ts `fast`), so a worker runs its
// chunks with the same chunk code as `pairgrid run` (issue 20); hybrid_curve's (the curve grid)
// travel the same way.

/** Engines (GridSpec `engine`) whose grids the cluster runs. */
export const CLUSTER_ENGINES: readonly string[] = ["slow", "hybrid_dollar", "hybrid_zlive", "hybrid_curve"];

/** Why the cluster cannot run a grid of this engine (the spec field's message), or null. */
export function clusterEngineRefusal(engine: string): string | null {
  if (CLUSTER_ENGINES.includes(engine)) return null;
  return `engine: the cluster does not run ${engine} grids; run them with \`pairgrid run\``;
}
