export * from "./chunk-task.js";
export * from "./local-pool.js";
export { collectGarbage } from "./thread-gc.js";
