export * from "./chunking.js";
export * from "./chunk-result-codec.js";
export * from "./grid-data.js";
export * from "./grid-plan.js";
export * from "./group-precompute.js";
export * from "./run-chunk.js";
export * from "./shared-arrays.js";
export * from "./packed-codec.js";
