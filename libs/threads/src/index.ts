export * from "./chunk-task.js";
export * from "./local-pool.js";
