// Robustness analysis over a job's fold statistics (ENGINE.md §7): PBO by CSCV, walk-forward
// selection, and the stability of each grid cell. Pure functions over flat typed arrays.
export * from "./cscv-splits.js";
export * from "./fold-matrix.js";
export * from "./fold-statistic.js";
export * from "./grid-neighbours.js";
export * from "./pbo.js";
export * from "./ranking.js";
export * from "./stability.js";
export * from "./walk-forward.js";
export * from "./fold-blocks.js";
export * from "./cscv-kernel.js";
export * from "./pbo-streamed.js";
export * from "./walk-forward-streamed.js";
export * from "./robustness-pool.js";
export type { PoolPlan } from "./robustness-protocol.js";
