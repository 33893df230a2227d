// ISSUE 20 — the one place that says which engines the cluster runs. A hybrid engine's chunks need
// the fast bars on the workers, and the job manifest does not ship them yet, so until it does the
// coordinator refuses a hybrid grid (400, through its queue executor's refusal) and a worker fails
// a hybrid chunk for good. The job runner and both executors are engine-agnostic: once the fast
// data ships (manifest and worker), adding the hybrid engines here is the switch.

/** Engines (GridSpec `engine`) whose grids the cluster runs. */
export const CLUSTER_ENGINES: readonly string[] = ["slow"];

/** Why the cluster cannot run a grid of this engine (the spec field's message), or null. */
export function clusterEngineRefusal(engine: string): string | null {
  if (CLUSTER_ENGINES.includes(engine)) return null;
  return `engine: the cluster runs the slow engine; run ${engine} grids with \`pairgrid run\``;
}
