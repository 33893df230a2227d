export * from "./chunk-task.js";
export * from "./local-pool.js";
export * from "./queue/index.js";
export * from "./queue-worker/index.js";
